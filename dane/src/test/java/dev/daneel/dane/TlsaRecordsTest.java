package dev.daneel.dane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.daneel.testkit.Pki;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Record lines created by {@link TlsaRecords} equal those of hash-slinger's {@code tlsa --create}
 * (RFC and generic form) for usages DANE-TA and DANE-EE (hash-slinger PKIX-validates the
 * certificate for the others), and, apart from the TTL ldns prints, those of {@code ldns-dane -n -s
 * create} for every usage, selector and matching type. Skipped when the tools are absent, except
 * under {@code CI=true}.
 */
class TlsaRecordsTest {

    private static final Pki.Issued CERT =
            Pki.create(TestPki.NOW)
                    .selfSigned(
                            TestPki.NOW.minusSeconds(86400L * 30),
                            TestPki.NOW.plusSeconds(86400L * 365 * 50),
                            "www.example.test");

    @Test
    void linesMatchHashSlingerAndLdnsDane(@TempDir Path dir) throws Exception {
        Path pem = dir.resolve("cert.pem");
        Files.writeString(pem, CERT.certificatePem());
        requireTool("tlsa");
        requireTool("ldns-dane");
        int compared = 0;
        for (CertUsage u : CertUsage.values()) {
            for (Selector s : Selector.values()) {
                for (MatchingType m : MatchingType.values()) {
                    TlsaRecord r = TlsaRecords.create(CERT.certificate(), u, s, m);
                    List<String> common =
                            List.of(
                                    "tlsa",
                                    "--create",
                                    "--certificate",
                                    pem.toString(),
                                    "--usage",
                                    "" + u.code(),
                                    "--selector",
                                    "" + s.code(),
                                    "--mtype",
                                    "" + m.code(),
                                    "--port",
                                    "443");
                    // hash-slinger PKIX-validates the certificate for usages 0 and 1; a self-signed
                    // one fails.
                    if (u == CertUsage.DANE_TA || u == CertUsage.DANE_EE) {
                        assertEquals(
                                TlsaRecords.line("www.example.test", 443, "tcp", r),
                                recordLine(run(concat(common, "www.example.test"))));
                        assertEquals(
                                TlsaRecords.genericLine("www.example.test", 443, "tcp", r),
                                recordLine(
                                        run(
                                                concat(
                                                        common,
                                                        "--output",
                                                        "generic",
                                                        "www.example.test"))));
                        compared++;
                    }
                    String ldns =
                            recordLine(
                                    run(
                                            List.of(
                                                    "ldns-dane",
                                                    "-n",
                                                    "-s",
                                                    "-c",
                                                    pem.toString(),
                                                    "create",
                                                    "www.example.test",
                                                    "443",
                                                    "" + u.code(),
                                                    "" + s.code(),
                                                    "" + m.code())));
                    assertEquals(
                            TlsaRecords.line("www.example.test", 443, "tcp", r),
                            ldns.replaceFirst("\\s+\\d+\\s+IN\\s+TLSA\\s+", " IN TLSA "));
                    compared++;
                }
            }
        }
        assertEquals(24 + 12, compared, "24 ldns-dane comparisons, 12 hash-slinger pairs");
    }

    @Test
    void ownerNameFollowsRfc6698Section3() {
        assertEquals("_25._tcp.mx.example.test.", TlsaRecords.owner("mx.example.test", 25, "TCP"));
        assertThrows(IllegalArgumentException.class, () -> TlsaRecords.owner("x", 70000, "tcp"));
        assertThrows(IllegalArgumentException.class, () -> TlsaRecords.owner("x", 443, "t.cp"));
    }

    @Test
    void chainRecordsTakeTheLeafForEndEntityUsagesAndTheTopForTrustAnchors() {
        TestPki.Issued root = TestPki.root("R");
        TestPki.Issued leaf = TestPki.leaf("a.example.test", root);
        List<java.security.cert.X509Certificate> chain = List.of(leaf.cert(), root.cert());
        assertEquals(
                TlsaRecords.create(
                        leaf.cert(), CertUsage.DANE_EE, Selector.SPKI, MatchingType.SHA2_256),
                TlsaRecords.create(chain, CertUsage.DANE_EE, Selector.SPKI, MatchingType.SHA2_256));
        assertEquals(
                TlsaRecords.create(
                        root.cert(), CertUsage.DANE_TA, Selector.CERT, MatchingType.SHA2_512),
                TlsaRecords.create(chain, CertUsage.DANE_TA, Selector.CERT, MatchingType.SHA2_512));
        assertEquals(
                TlsaRecords.create(
                        leaf.cert(), CertUsage.DANE_EE, Selector.SPKI, MatchingType.FULL),
                TlsaRecords.create(
                        leaf.cert().getPublicKey(), CertUsage.DANE_EE, MatchingType.FULL));
    }

    private static List<String> concat(List<String> a, String... b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(List.of(b));
        return out;
    }

    /** The one line of a tool's output that is a record (both tools also print chatter). */
    private static String recordLine(String output) {
        return output.lines()
                .filter(l -> l.startsWith("_"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no record line in: " + output))
                .strip();
    }

    private static void requireTool(String name) {
        boolean present =
                System.getenv("PATH") != null
                        && java.util.Arrays.stream(System.getenv("PATH").split(":"))
                                .anyMatch(d -> Files.isExecutable(Path.of(d, name)));
        if (!present) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(
                        name + " is not installed; scripts/interop-deps installs it");
            }
            Assumptions.abort(name + " is not installed (scripts/interop-deps installs it)");
        }
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish");
        }
        return out;
    }
}
