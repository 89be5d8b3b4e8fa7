package dev.daneel.dane.internal;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** PKIX validation for usages 0 and 1, through the JDK's CertPathValidator. */
public final class PkixCheck {

    private PkixCheck() {}

    /**
     * Validates {@code path} (leaf first, anchor excluded) to {@code anchor}; empty when valid,
     * else why not.
     */
    public static Optional<String> validate(
            List<X509Certificate> path, X509Certificate anchor, Instant at) {
        if (path.isEmpty()) {
            return Optional.empty();
        }
        try {
            PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
            params.setRevocationEnabled(false);
            params.setDate(Date.from(at));
            CertPathValidator.getInstance("PKIX")
                    .validate(
                            CertificateFactory.getInstance("X.509").generateCertPath(path), params);
            return Optional.empty();
        } catch (GeneralSecurityException e) {
            return Optional.of(
                    "PKIX validation to "
                            + anchor.getSubjectX500Principal()
                            + " failed: "
                            + e.getMessage());
        }
    }

    /** The JDK's default trust store (the {@code cacerts} the runtime is configured with). */
    public static List<X509Certificate> jdkTrustStore() {
        try {
            TrustManagerFactory f =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            f.init((KeyStore) null);
            for (TrustManager tm : f.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    return List.of(x.getAcceptedIssuers());
                }
            }
            return List.of();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "the JDK's default trust store cannot be read: " + e.getMessage(), e);
        }
    }
}
