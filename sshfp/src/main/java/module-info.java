/** Daneel SSHFP. */
module dev.daneel.sshfp {
    requires transitive dev.daneel.validator;
    requires static org.apache.sshd.core; // optional: only MinaSshfpServerKeyVerifier uses it

    exports dev.daneel.sshfp;
}
