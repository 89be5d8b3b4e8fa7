/** Daneel DANE. */
module dev.daneel.dane {
    requires transitive dev.daneel.validator;

    exports dev.daneel.dane;
}
