/** Daneel DANE. */
module dev.daneel.dane {
    requires transitive dev.daneel.validator;
    requires java.naming;
    requires org.bouncycastle.provider;

    exports dev.daneel.dane;
}
