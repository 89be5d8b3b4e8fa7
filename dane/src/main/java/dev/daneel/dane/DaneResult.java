package dev.daneel.dane;

import java.util.Objects;

/**
 * What {@link DaneVerifier} concluded about a presented chain. Switch over it; there are three
 * kinds.
 *
 * <pre>{@code
 * switch (verifier.verify(chain, records, List.of("mail.example.com"))) {
 *     case DaneResult.Authenticated a -> proceed();
 *     case DaneResult.NoUsableRecords n -> authenticateWithoutDane();   // RFC 7671 §4.1
 *     case DaneResult.Failed f -> abort(f.detail());                    // never fall back
 * }
 * }</pre>
 */
public sealed interface DaneResult {

    /**
     * The chain is authenticated by a usable TLSA record.
     *
     * @param usage the usage of the record that authenticated it
     * @param depth chain depth of the match: 0 the leaf; n a trust anchor at depth n (for a DANE-TA
     *     Full(0) certificate that is not in the chain, the depth it takes above the certificate it
     *     signed; for a DANE-TA Full(0) bare key, the depth of the certificate it signed)
     * @param record the record that matched
     */
    record Authenticated(CertUsage usage, int depth, TlsaRecord record) implements DaneResult {
        /** Checks that the usage and the record are present. */
        public Authenticated {
            Objects.requireNonNull(usage, "usage");
            Objects.requireNonNull(record, "record");
        }
    }

    /** Every record was unusable (RFC 7671 §4.1): authenticate as if there were no TLSA records. */
    record NoUsableRecords() implements DaneResult {}

    /**
     * Usable records exist, and the chain is not authenticated by them. There is no fallback.
     *
     * @param failure the kind of failure
     * @param depth the depth of a record that matched before another check failed, or -1 when none
     *     matched
     * @param detail a message for a human
     */
    record Failed(DaneFailure failure, int depth, String detail) implements DaneResult {
        /** Checks that the failure and its detail are present. */
        public Failed {
            Objects.requireNonNull(failure, "failure");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
