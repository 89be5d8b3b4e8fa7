package dev.daneel.dane;

import dev.daneel.testkit.Pki;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * This module's tests' short names for the testkit {@link Pki} (ECDSA P-256), at a fixed instant: a
 * root per name, intermediates and leaves issued by any CA the tests hold.
 */
final class TestPki {

    static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    private static final Pki PKI = Pki.create(NOW);

    /** A key pair and its certificate. */
    record Issued(KeyPair keys, X509Certificate cert) {
        PrivateKey privateKey() {
            return keys.getPrivate();
        }

        private Pki.Issued issuer() {
            return new Pki.Issued(keys, cert, List.of());
        }
    }

    private TestPki() {}

    private static Issued of(Pki.Issued i) {
        return new Issued(i.keys(), i.certificate());
    }

    static Issued root(String cn) {
        return of(Pki.create(NOW, cn).root());
    }

    static Issued ca(String cn, Issued issuer) {
        return of(PKI.intermediate(issuer.issuer(), cn));
    }

    static Issued leaf(String dnsName, Issued issuer) {
        return leaf(dnsName, issuer, NOW.minusSeconds(86400), NOW.plusSeconds(86400L * 90));
    }

    static Issued leaf(String dnsName, Issued issuer, Instant notBefore, Instant notAfter) {
        return of(PKI.leaf(issuer.issuer(), notBefore, notAfter, dnsName));
    }

    /** A self-signed leaf (what DANE-EE servers often use). */
    static Issued selfSignedLeaf(String dnsName, Instant notBefore, Instant notAfter) {
        return of(PKI.selfSigned(notBefore, notAfter, dnsName));
    }
}
