/** Daneel IPSECKEY. */
module dev.daneel.ipseckey {
    requires transitive dev.daneel.validator;

    exports dev.daneel.ipseckey;
}
