package dev.daneel.testkit;

import dev.daneel.testkit.internal.RecordFactory;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.xbill.DNS.Name;

/**
 * A certificate authority made in code for tests (ECDSA P-256 keys, SHA-256 signatures): a root, as
 * many intermediates as a test wants, leaves for DNS names and self-signed leaves, each with its
 * TLSA lines and PEM forms.
 *
 * <pre>{@code
 * Pki pki = Pki.create(Instant.parse("2026-11-21T12:00:00Z"));
 * Pki.Issued ca = pki.intermediate("Example CA");
 * Pki.Issued www = pki.leaf(ca, "www.example.test");
 * World world = World.builder().zone("test.")
 *         .zone("example.test.", z -> z.record(www.tlsaLine(443, "www", 3, 1, 1)))   // DANE-EE
 *         .start();
 * try (LoopbackTlsServer server = LoopbackTlsServer.start(www)) { ... }             // serves www.chain()
 * }</pre>
 *
 * <p>Validity is one day before {@code now} to a year after (leaves: 90 days after) unless a test
 * asks otherwise. Needs Bouncy Castle ({@code bcpkix-jdk18on}) on the test class path. Thread-safe.
 */
public final class Pki {

    private static final Duration BACKDATE = Duration.ofDays(1);
    private static final Duration CA_LIFETIME = Duration.ofDays(365);
    private static final Duration LEAF_LIFETIME = Duration.ofDays(90);

    private final Instant now;
    private final Issued root;
    private final AtomicLong serial = new AtomicLong(2);

    private Pki(Instant now, String rootName) {
        this.now = now;
        KeyPair k = keyPair();
        this.root =
                new Issued(
                        k,
                        build(
                                1,
                                rootName,
                                rootName,
                                k,
                                k.getPrivate(),
                                List.of(),
                                true,
                                now.minus(BACKDATE),
                                now.plus(CA_LIFETIME)),
                        List.of());
    }

    /** A new authority whose root is {@code CN=Daneel Test Root}, valid around {@code now}. */
    public static Pki create(Instant now) {
        return create(now, "Daneel Test Root");
    }

    /** A new authority whose root has common name {@code rootName}. */
    public static Pki create(Instant now, String rootName) {
        return new Pki(
                Objects.requireNonNull(now, "now"), Objects.requireNonNull(rootName, "rootName"));
    }

    /** The self-signed root (what a PKIX trust store holds; DANE usages 0 and 2 may name it). */
    public Issued root() {
        return root;
    }

    /** The instant the validity periods are built around. */
    public Instant now() {
        return now;
    }

    /** An intermediate CA issued by the root. */
    public Issued intermediate(String commonName) {
        return intermediate(root, commonName);
    }

    /** An intermediate CA issued by {@code issuer} (the root or another intermediate). */
    public Issued intermediate(Issued issuer, String commonName) {
        requireCa(issuer);
        KeyPair k = keyPair();
        return issued(
                issuer,
                new Issued(
                        k,
                        build(
                                serial.getAndIncrement(),
                                commonName,
                                issuerName(issuer),
                                k,
                                issuer.privateKey(),
                                List.of(),
                                true,
                                now.minus(BACKDATE),
                                now.plus(CA_LIFETIME)),
                        List.of()));
    }

    /**
     * A server certificate issued by {@code issuer} for {@code dnsNames} (the first is also the
     * common name; all are subject alternative names), valid 90 days.
     */
    public Issued leaf(Issued issuer, String... dnsNames) {
        return leaf(issuer, now.minus(BACKDATE), now.plus(LEAF_LIFETIME), dnsNames);
    }

    /** A server certificate with a chosen validity period (an expired one, say). */
    public Issued leaf(Issued issuer, Instant notBefore, Instant notAfter, String... dnsNames) {
        requireCa(issuer);
        List<String> names = names(dnsNames);
        KeyPair k = keyPair();
        return issued(
                issuer,
                new Issued(
                        k,
                        build(
                                serial.getAndIncrement(),
                                names.get(0),
                                issuerName(issuer),
                                k,
                                issuer.privateKey(),
                                names,
                                false,
                                notBefore,
                                notAfter),
                        List.of()));
    }

    /** A self-signed server certificate (what DANE-EE servers often present), valid 90 days. */
    public Issued selfSigned(String... dnsNames) {
        return selfSigned(now.minus(BACKDATE), now.plus(LEAF_LIFETIME), dnsNames);
    }

    /** A self-signed server certificate with a chosen validity period. */
    public Issued selfSigned(Instant notBefore, Instant notAfter, String... dnsNames) {
        List<String> names = names(dnsNames);
        KeyPair k = keyPair();
        return new Issued(
                k,
                build(
                        serial.getAndIncrement(),
                        names.get(0),
                        names.get(0),
                        k,
                        k.getPrivate(),
                        names,
                        false,
                        notBefore,
                        notAfter),
                List.of());
    }

    /**
     * A JDK PKIX trust manager that trusts only this authority's root: the fallback a {@code
     * DaneTrustManager} uses for names without TLSA records, in tests.
     */
    public X509ExtendedTrustManager pkixTrustManager() {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry("root", root.certificate());
            TrustManagerFactory f = TrustManagerFactory.getInstance("PKIX");
            f.init(ks);
            return (X509ExtendedTrustManager) f.getTrustManagers()[0];
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(
                    "the JDK could not build a PKIX trust manager: " + e.getMessage(), e);
        }
    }

    /**
     * A key pair, its certificate and the issuers above it (root excluded, as servers send chains).
     *
     * @param keys the certificate's key pair
     * @param certificate the certificate
     * @param issuers the intermediates from the certificate's issuer upwards, without the root
     */
    public record Issued(KeyPair keys, X509Certificate certificate, List<X509Certificate> issuers) {

        /** Copies {@code issuers}. */
        public Issued {
            Objects.requireNonNull(keys, "keys");
            Objects.requireNonNull(certificate, "certificate");
            issuers = List.copyOf(issuers);
        }

        /** The private key. */
        public PrivateKey privateKey() {
            return keys.getPrivate();
        }

        /** What a server presents: this certificate, then its issuers (root excluded). */
        public List<X509Certificate> chain() {
            List<X509Certificate> c = new ArrayList<>();
            c.add(certificate);
            c.addAll(issuers);
            return List.copyOf(c);
        }

        /**
         * The TLSA data for this certificate ({@code "3 1 1 9a4f…"}), computed per RFC 6698 §2.1.
         */
        public String tlsaData(int usage, int selector, int matchingType) {
            return RecordFactory.tlsa(Name.root, 0, certificate, usage, selector, matchingType)
                    .rdataToString();
        }

        /**
         * A zone-file line {@code _port._tcp.host TLSA usage selector matching data}; {@code host}
         * is relative to the zone ({@code "www"}, {@code "@"}) or absolute ({@code
         * "www.example.test."}).
         */
        public String tlsaLine(int port, String host, int usage, int selector, int matchingType) {
            String owner = "@".equals(host) ? "_" + port + "._tcp" : "_" + port + "._tcp." + host;
            return owner + " TLSA " + tlsaData(usage, selector, matchingType);
        }

        /** The certificate in PEM ({@code -----BEGIN CERTIFICATE-----}). */
        public String certificatePem() {
            return pem(List.of(certificate));
        }

        /**
         * The certificate and its issuers in PEM, leaf first (Postfix's and nginx's chain files).
         */
        public String chainPem() {
            return pem(chain());
        }

        /** The private key in PKCS #8 PEM ({@code -----BEGIN PRIVATE KEY-----}). */
        public String privateKeyPem() {
            return pem(List.of(new PemObject("PRIVATE KEY", privateKey().getEncoded())));
        }
    }

    private static String pem(List<?> objects) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            for (Object o : objects) {
                w.writeObject(o);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static Issued issued(Issued issuer, Issued child) {
        List<X509Certificate> up = new ArrayList<>();
        if (!issuer.certificate()
                .getSubjectX500Principal()
                .equals(issuer.certificate().getIssuerX500Principal())) {
            up.add(issuer.certificate());
            up.addAll(issuer.issuers());
        }
        return new Issued(child.keys(), child.certificate(), up);
    }

    private static void requireCa(Issued issuer) {
        Objects.requireNonNull(issuer, "issuer");
        if (issuer.certificate().getBasicConstraints() < 0) {
            throw new IllegalArgumentException(
                    "expected a CA certificate as issuer, got the leaf "
                            + issuer.certificate().getSubjectX500Principal()
                            + "; issue from pki.root() or pki.intermediate(...)");
        }
    }

    private static List<String> names(String... dnsNames) {
        if (dnsNames == null || dnsNames.length == 0) {
            throw new IllegalArgumentException(
                    "expected at least one DNS name for the certificate, got none");
        }
        for (String n : dnsNames) {
            if (n == null || n.isEmpty() || n.endsWith(".")) {
                throw new IllegalArgumentException(
                        "expected DNS names like \"www.example.test\" (no final dot), got \""
                                + n
                                + "\"");
            }
        }
        return List.of(dnsNames);
    }

    private static String issuerName(Issued issuer) {
        return issuer.certificate().getSubjectX500Principal().getName();
    }

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot make P-256 keys: " + e.getMessage(), e);
        }
    }

    private static X509Certificate build(
            long serial,
            String subject,
            String issuer,
            KeyPair subjectKeys,
            PrivateKey signer,
            List<String> dnsNames,
            boolean ca,
            Instant notBefore,
            Instant notAfter) {
        try {
            JcaX509v3CertificateBuilder b =
                    new JcaX509v3CertificateBuilder(
                            dn(issuer),
                            BigInteger.valueOf(serial),
                            Date.from(notBefore),
                            Date.from(notAfter),
                            dn(subject),
                            subjectKeys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (ca) {
                b.addExtension(
                        Extension.keyUsage,
                        true,
                        new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                b.addExtension(
                        Extension.extendedKeyUsage,
                        false,
                        new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
                GeneralName[] sans =
                        dnsNames.stream()
                                .map(n -> new GeneralName(GeneralName.dNSName, n))
                                .toArray(GeneralName[]::new);
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
            }
            return new JcaX509CertificateConverter()
                    .getCertificate(
                            b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
        } catch (GeneralSecurityException
                | IOException
                | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException(
                    "could not build the test certificate for " + subject + ": " + e.getMessage(),
                    e);
        }
    }

    private static X500Name dn(String nameOrDn) {
        return new X500Name(nameOrDn.contains("=") ? nameOrDn : "CN=" + nameOrDn);
    }
}
