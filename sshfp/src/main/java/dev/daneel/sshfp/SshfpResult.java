package dev.daneel.sshfp;

import dev.daneel.validator.Verdict;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of checking a presented SSH host key against the SSHFP RRset of a host. Only {@link
 * Match} lets a connection proceed on DNS alone; {@link Mismatch} must fail it; the others say DNS
 * cannot decide, and a client may fall back to {@code known_hosts}.
 *
 * <pre>{@code
 * SshfpResult r = verifier.verify("host.example.test.", presented);
 * if (r.verified()) {
 *     connect();                                   // Match: Secure, and a record matches
 * } else if (r instanceof SshfpResult.Mismatch) {
 *     refuse(r);                                   // Secure records, none for this key
 * } else {
 *     askKnownHosts();                             // NoRecords, Insecure, Bogus, Indeterminate
 * }
 * }</pre>
 */
public sealed interface SshfpResult {

    /** The host name looked up. */
    String host();

    /** Whether DNS alone proves the key is the host's. */
    default boolean verified() {
        return this instanceof Match;
    }

    /**
     * The RRset is Secure and a record of the key's algorithm and strongest fingerprint type
     * matches.
     *
     * @param matched the record that matched
     */
    record Match(String host, SshfpRecord matched) implements SshfpResult {
        /** Checks that the matched record is present. */
        public Match {
            Objects.requireNonNull(matched, "matched");
        }
    }

    /**
     * The RRset is Secure but no usable record matches the presented key: the key was replaced, or
     * the connection is intercepted. The connection must fail.
     *
     * @param presented the key the server presented
     * @param records every SSHFP record published (those considered and those of other algorithms)
     * @param considered the records compared: the key algorithm's SHA-256 records, or its SHA-1
     *     records when it has no SHA-256 record (RFC 6594 prefers SHA-256); empty when no record
     *     has the key's algorithm
     */
    record Mismatch(
            String host,
            SshHostKey presented,
            List<SshfpRecord> records,
            List<SshfpRecord> considered)
            implements SshfpResult {
        /** Copies the lists. */
        public Mismatch {
            records = List.copyOf(records);
            considered = List.copyOf(considered);
        }
    }

    /** The name or its SSHFP RRset provably does not exist (Secure NXDOMAIN or NODATA). */
    record NoRecords(String host) implements SshfpResult {}

    /**
     * The zone is provably unsigned: any records are unauthenticated and were not compared.
     *
     * @param verdict the validator's verdict, with the unsigned delegation
     */
    record Insecure(String host, Verdict.Insecure verdict) implements SshfpResult {}

    /**
     * The answer should be signed but does not verify; its records must not be used.
     *
     * @param verdict the validator's verdict, with its reason and RFC 8914 code
     */
    record Bogus(String host, Verdict.Bogus verdict) implements SshfpResult {}

    /**
     * No verdict: no trust anchor covers the name, or the resolvers did not answer.
     *
     * @param verdict the validator's verdict, with its cause
     */
    record Indeterminate(String host, Verdict.Indeterminate verdict) implements SshfpResult {}
}
