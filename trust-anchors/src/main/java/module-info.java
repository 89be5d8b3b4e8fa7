/**
 * Daneel trust anchors: the built-in IANA root anchors, anchor files (DS/DNSKEY lines, BIND {@code
 * trust-anchors}, RFC 7958 {@code root-anchors.xml} with its CMS signature), the RFC 5011 tracker
 * and its persistent store.
 */
module dev.daneel.anchors {
    requires transitive org.dnsjava;
    requires java.xml;
    requires java.net.http;
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.provider;

    exports dev.daneel.anchors;
}
