/** Daneel OPENPGPKEY: fetch, verify and create OpenPGP keys in DNSSEC (RFC 7929). */
module dev.daneel.openpgpkey {
    requires transitive dev.daneel.validator;
    requires transitive org.bouncycastle.pg;
    requires org.bouncycastle.provider;

    exports dev.daneel.openpgpkey;
}
