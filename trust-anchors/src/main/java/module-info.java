/** Daneel trust anchors. */
module dev.daneel.anchors {
    requires transitive org.dnsjava;

    exports dev.daneel.anchors;
}
