package dev.daneel.validator.internal;

import dev.daneel.validator.InsecureCause;
import dev.daneel.validator.Limits;
import dev.daneel.validator.Reason;
import java.util.Optional;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.Name;

/**
 * The NSEC3 iteration policy of RFC 9276 §3.2, in one place: which NSEC3 records a proof may use at
 * all (SHA-1, at most {@link Limits#nsec3IterationsBogusAbove()} iterations), and what a proof that
 * needs more than {@link Limits#nsec3IterationsInsecureAbove()} iterations makes of the answer.
 * Stateless.
 */
final class Nsec3Policy {

    private Nsec3Policy() {}

    /**
     * Whether a proof may use {@code r}: SHA-1 (the only hash RFC 5155 defines) within the hard
     * limit.
     */
    static boolean usable(NSEC3Record r, Limits limits) {
        return r.getHashAlgorithm() == NSEC3Record.SHA1_DIGEST_ID
                && r.getIterations() <= limits.nsec3IterationsBogusAbove();
    }

    /**
     * What the iteration count of the records a proof rests on makes of the answer (RFC 9276 §3.2):
     * above the soft limit Insecure with EDE 27; empty when the proof does not hold (the caller's
     * Bogus stands), rests on NSEC, or is within the limit. It is applied only after the proof is
     * checked, and only to the records it rests on: a record that proves a type exists (a DS the
     * attacker stripped) makes the answer Bogus whatever the iterations, so high-iteration records
     * can never downgrade a signed zone.
     */
    static Optional<Judgement> afterProof(
            DenialProof.Proof proof, Name zone, long ttl, Limits limits) {
        if (!proof.proven() || proof.iterations() <= limits.nsec3IterationsInsecureAbove()) {
            return Optional.empty();
        }
        return Optional.of(
                Judgement.insecure(
                        InsecureCause.NSEC3_ITERATIONS,
                        zone,
                        "NSEC3 of "
                                + zone
                                + " uses "
                                + proof.iterations()
                                + " iterations, above "
                                + limits.nsec3IterationsInsecureAbove()
                                + ": treated as insecure (RFC 9276 §3.2)",
                        ttl));
    }

    /**
     * The Bogus verdict for a proof that does not hold: when NSEC3 records above the hard limit
     * were offered (and so not used), that is the reason (EDE 27); otherwise the proof's own
     * failure.
     */
    static Judgement unproven(
            DenialProof records,
            boolean nothingOffered,
            DenialProof.Proof proof,
            String what,
            Limits limits) {
        int offered = records.maxNsec3Iterations();
        if (offered > limits.nsec3IterationsBogusAbove()) {
            return Judgement.bogus(
                    Reason.UNSUPPORTED_NSEC3_ITERATIONS,
                    "NSEC3 of "
                            + records.zone()
                            + " uses "
                            + offered
                            + " iterations, above the limit of "
                            + limits.nsec3IterationsBogusAbove()
                            + " (RFC 9276)");
        }
        if (proof.limitHit() == null && nothingOffered) {
            // RFC 8914 §4.13: the data was denied and no NSEC or NSEC3 record came to prove it
            // (records that came but prove nothing, even unusable ones, are DNSSEC Bogus).
            return Judgement.bogus(Reason.NSEC_MISSING, what + proof.why(), null);
        }
        return Judgement.bogus(proof.failure(), what + proof.why(), proof.limitHit());
    }
}
