package dev.daneel.bench;

import dev.daneel.dane.CertUsage;
import dev.daneel.dane.DaneResult;
import dev.daneel.dane.DaneVerifier;
import dev.daneel.dane.MatchingType;
import dev.daneel.dane.Selector;
import dev.daneel.dane.TlsaRecord;
import dev.daneel.dane.TlsaRecords;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * TLSA matching of a presented 3-certificate chain (leaf, intermediate, root; ECDSA P-256) with
 * {@link DaneVerifier}: {@code DANE_EE} is a {@code 3 1 1} record for the leaf's key (one SHA-256,
 * no chain work); {@code DANE_TA} is a {@code 2 0 1} record for the root, so the verifier finds it
 * at depth 2 and checks both signatures below it, the validity periods and the leaf's name. The
 * benchmark fails if the chain does not authenticate.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar TlsaMatchBenchmark
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TlsaMatchBenchmark {

    /** Which record authenticates the chain. */
    @Param({"DANE_EE", "DANE_TA"})
    public String usage;

    private final DaneVerifier verifier = DaneVerifier.builder().build();
    private List<X509Certificate> chain;
    private List<TlsaRecord> records;
    private final List<String> names = List.of("www.example.test");

    /** Makes the chain and the record. */
    @Setup
    public void chain() throws GeneralSecurityException, OperatorCreationException {
        Instant now = Instant.now();
        KeyPair rootKeys = ecKeys();
        KeyPair caKeys = ecKeys();
        KeyPair leafKeys = ecKeys();
        X509Certificate root =
                certificate(
                        "CN=Bench Root",
                        "CN=Bench Root",
                        rootKeys,
                        rootKeys.getPrivate(),
                        true,
                        null,
                        now);
        X509Certificate ca =
                certificate(
                        "CN=Bench CA",
                        "CN=Bench Root",
                        caKeys,
                        rootKeys.getPrivate(),
                        true,
                        null,
                        now);
        X509Certificate leaf =
                certificate(
                        "CN=www.example.test",
                        "CN=Bench CA",
                        leafKeys,
                        caKeys.getPrivate(),
                        false,
                        "www.example.test",
                        now);
        chain = List.of(leaf, ca, root);
        records =
                List.of(
                        usage.equals("DANE_EE")
                                ? TlsaRecords.create(
                                        leaf,
                                        CertUsage.DANE_EE,
                                        Selector.SPKI,
                                        MatchingType.SHA2_256)
                                : TlsaRecords.create(
                                        root,
                                        CertUsage.DANE_TA,
                                        Selector.CERT,
                                        MatchingType.SHA2_256));
        if (!(match() instanceof DaneResult.Authenticated)) {
            throw new IllegalStateException(
                    "the benchmark chain does not authenticate: " + match());
        }
    }

    /** Matches the chain against the record. */
    @Benchmark
    public DaneResult match() {
        return verifier.verify(chain, records, names);
    }

    private static KeyPair ecKeys() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static X509Certificate certificate(
            String subject,
            String issuer,
            KeyPair keys,
            PrivateKey signer,
            boolean ca,
            String dnsName,
            Instant now)
            throws GeneralSecurityException, OperatorCreationException {
        try {
            X509v3CertificateBuilder b =
                    new JcaX509v3CertificateBuilder(
                            new X500Name(issuer),
                            BigInteger.valueOf(now.toEpochMilli()),
                            Date.from(now.minusSeconds(3600)),
                            Date.from(now.plusSeconds(86_400)),
                            new X500Name(subject),
                            keys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            b.addExtension(
                    Extension.keyUsage,
                    true,
                    new KeyUsage(ca ? KeyUsage.keyCertSign : KeyUsage.digitalSignature));
            if (dnsName != null) {
                b.addExtension(
                        Extension.subjectAlternativeName,
                        false,
                        new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
            }
            return new JcaX509CertificateConverter()
                    .getCertificate(
                            b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
        } catch (org.bouncycastle.cert.CertIOException e) {
            throw new GeneralSecurityException("cannot add an extension: " + e.getMessage(), e);
        }
    }
}
