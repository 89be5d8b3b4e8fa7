/** Daneel validator. */
module dev.daneel.validator {
    requires transitive dev.daneel.anchors;
    requires transitive org.dnsjava;

    exports dev.daneel.validator;
}
