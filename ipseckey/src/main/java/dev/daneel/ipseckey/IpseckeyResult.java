package dev.daneel.ipseckey;

import dev.daneel.validator.Verdict;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of fetching an IPSECKEY RRset ({@link IpseckeyLookup#fetch}) or of checking it
 * against a local key ({@link IpseckeyLookup#verify}). Only {@link Found} and {@link Match} carry
 * authenticated keys; RFC 4025 warns that an IPSECKEY without DNSSEC authentication must not be
 * trusted for opportunistic IPsec.
 *
 * <pre>{@code
 * IpseckeyResult r = lookup.fetch("38.2.0.192.in-addr.arpa.");
 * if (r instanceof IpseckeyResult.Found f) {
 *     f.records().forEach(x -> System.out.println(x.rfcForm()));
 * }
 * }</pre>
 */
public sealed interface IpseckeyResult {

    /** The owner name looked up. */
    String owner();

    /**
     * A Secure RRset (from {@code fetch}), ordered by precedence (lowest, the preferred, first).
     *
     * @param records the records
     */
    record Found(String owner, List<IpseckeyRecord> records) implements IpseckeyResult {
        /** Copies the records. */
        public Found {
            records = List.copyOf(records);
        }
    }

    /**
     * A Secure record publishes the local key (from {@code verify}).
     *
     * @param matched the matching record (the lowest precedence of those that match)
     */
    record Match(String owner, IpseckeyRecord matched) implements IpseckeyResult {
        /** Checks that the matched record is present. */
        public Match {
            Objects.requireNonNull(matched, "matched");
        }
    }

    /**
     * A Secure RRset exists but no record publishes the local key (from {@code verify}).
     *
     * @param records the records published
     */
    record Mismatch(String owner, List<IpseckeyRecord> records) implements IpseckeyResult {
        /** Copies the records. */
        public Mismatch {
            records = List.copyOf(records);
        }
    }

    /** The name or its IPSECKEY RRset provably does not exist. */
    record NoRecords(String owner) implements IpseckeyResult {}

    /**
     * The zone is provably unsigned; records, if any, are unauthenticated and were not compared.
     *
     * @param verdict the verdict, with the unsigned delegation
     */
    record Insecure(String owner, Verdict.Insecure verdict) implements IpseckeyResult {}

    /**
     * The answer does not verify; it must not be used.
     *
     * @param verdict the verdict, with its reason and RFC 8914 code
     */
    record Bogus(String owner, Verdict.Bogus verdict) implements IpseckeyResult {}

    /**
     * No verdict: no anchor covers the name, or the resolvers did not answer.
     *
     * @param verdict the verdict, with its cause
     */
    record Indeterminate(String owner, Verdict.Indeterminate verdict) implements IpseckeyResult {}
}
