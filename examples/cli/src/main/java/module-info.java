/** Daneel command line: the {@code daneel} command. */
module dev.daneel.cli {
    requires dev.daneel.dane;
    requires dev.daneel.openpgpkey;
    requires dev.daneel.sshfp;
    requires dev.daneel.ipseckey;
    requires dev.daneel.testkit; // `daneel demo` serves a signed world on loopback
    requires info.picocli;
    requires java.logging;
    requires org.bouncycastle.pkix; // the demo's self-signed TLS certificate
    requires org.bouncycastle.provider;

    opens dev.daneel.cli to
            info.picocli;

    exports dev.daneel.cli;
}
