/**
 * Signed DNS worlds built in code and served on loopback: the fixture for Daneel's own tests and
 * for downstream projects that need DNSSEC data without a network.
 */
module dev.daneel.testkit {
    requires transitive org.dnsjava;
    requires static org.junit.jupiter.api;
    requires static org.bouncycastle.pkix;
    requires static org.bouncycastle.provider;
    requires static org.bouncycastle.pg;
    requires jdk.httpserver;

    exports dev.daneel.testkit;
}
