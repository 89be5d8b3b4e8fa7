/** Daneel SSHFP. */
module dev.daneel.sshfp {
    requires transitive dev.daneel.validator;

    exports dev.daneel.sshfp;
}
