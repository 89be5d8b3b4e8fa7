/**
 * Daneel OPENPGPKEY milter: encrypts outbound mail to recipients whose key is in DNSSEC (RFC 7929,
 * RFC 3156).
 */
module dev.daneel.milter {
    requires dev.daneel.openpgpkey;
    requires info.picocli;
    requires java.logging;
    requires org.bouncycastle.provider;

    opens dev.daneel.milter to
            info.picocli;

    exports dev.daneel.milter;
}
