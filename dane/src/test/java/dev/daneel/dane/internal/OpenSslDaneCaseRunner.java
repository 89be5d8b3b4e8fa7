package dev.daneel.dane.internal;

import dev.daneel.dane.DaneResult;
import dev.daneel.dane.DaneVerifier;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;

/**
 * Runs OpenSSL DANE case files through {@link DaneVerifier}, as OpenSSL's {@code danetest} does,
 * but runs every case instead of stopping at the first failure.
 *
 * <pre>
 * java -cp … dev.daneel.dane.internal.OpenSslDaneCaseRunner example.com danetest-ca.pem danetest.in
 * </pre>
 *
 * <p>Prints one line per case and ends with {@code N passed, M failed}; exits 0 when none failed, 1
 * when some did, 2 on a usage or input error.
 */
public final class OpenSslDaneCaseRunner {

    /** X509_V_OK. */
    public static final int OK = 0;

    /** X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY. */
    public static final int NO_LOCAL_ISSUER = 20;

    /** X509_V_ERR_CERT_HAS_EXPIRED. */
    public static final int CERT_HAS_EXPIRED = 10;

    /** X509_V_ERR_HOSTNAME_MISMATCH. */
    public static final int HOSTNAME_MISMATCH = 62;

    /** X509_V_ERR_DANE_NO_MATCH. */
    public static final int DANE_NO_MATCH = 65;

    /** X509_V_ERR_CERT_CHAIN_TOO_LONG stands in for other PKIX failures; no case expects it. */
    public static final int OTHER = 22;

    /** The counts of one run. */
    public record Summary(int passed, int failed) {}

    private OpenSslDaneCaseRunner() {}

    /** The command. */
    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: OpenSslDaneCaseRunner BASE-DOMAIN CA-FILE CASE-FILE");
            System.exit(2);
        }
        try {
            Summary s =
                    run(args[0], Path.of(args[1]), Path.of(args[2]), Clock.systemUTC(), System.out);
            System.exit(s.failed() == 0 ? 0 : 1);
        } catch (IOException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }

    /** Runs every case of {@code caseFile}, printing one line each and the summary line. */
    public static Summary run(
            String baseDomain, Path caFile, Path caseFile, Clock clock, PrintStream out)
            throws IOException {
        List<X509Certificate> store = OpenSslDaneCases.readPem(caFile);
        int passed = 0;
        int failed = 0;
        for (OpenSslDaneCases.Case c : OpenSslDaneCases.read(caseFile)) {
            DaneVerifier v =
                    DaneVerifier.builder()
                            .clock(clock)
                            .trustStore(store)
                            .nameChecksOnDaneEe(!c.noNameChecks())
                            .build();
            DaneResult r = v.verify(c.chain(), c.records(), List.of(baseDomain));
            int err = error(r);
            int depth = depth(r);
            boolean ok = err == c.wantError() && depth == c.wantDepth();
            out.println(
                    "case "
                            + c.number()
                            + " (line "
                            + c.line()
                            + "): "
                            + (ok ? "ok" : "FAILED")
                            + " want err="
                            + c.wantError()
                            + " depth="
                            + c.wantDepth()
                            + ", got err="
                            + err
                            + " depth="
                            + depth
                            + (r instanceof DaneResult.Failed f ? " (" + f.detail() + ")" : ""));
            if (ok) {
                passed++;
            } else {
                failed++;
            }
        }
        out.println(passed + " passed, " + failed + " failed");
        return new Summary(passed, failed);
    }

    /** OpenSSL's X509 verify error for a result. */
    static int error(DaneResult r) {
        if (r instanceof DaneResult.Failed f) {
            return switch (f.failure()) {
                case NO_MATCH, EMPTY_CHAIN -> DANE_NO_MATCH;
                case NAME_MISMATCH -> HOSTNAME_MISMATCH;
                case NO_TRUSTED_ISSUER -> NO_LOCAL_ISSUER;
                case CERTIFICATE_EXPIRED -> CERT_HAS_EXPIRED;
                case PKIX_INVALID -> OTHER;
            };
        }
        // OpenSSL's harness has no "no usable records" outcome: it refuses to load unusable
        // records.
        return r instanceof DaneResult.NoUsableRecords ? DANE_NO_MATCH : OK;
    }

    /** OpenSSL's match depth for a result. */
    static int depth(DaneResult r) {
        if (r instanceof DaneResult.Authenticated a) {
            return a.depth();
        }
        return r instanceof DaneResult.Failed f ? f.depth() : -1;
    }
}
