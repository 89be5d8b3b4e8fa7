/** Daneel validator. */
module dev.daneel.validator {
    requires transitive dev.daneel.anchors;
    requires transitive org.dnsjava;
    requires org.bouncycastle.provider;

    exports dev.daneel.validator;
}
