package dev.daneel.validator.internal;

import dev.daneel.validator.InsecureCause;
import dev.daneel.validator.Limits;
import dev.daneel.validator.Reason;
import java.util.Optional;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.Name;

/**
 * The NSEC3 iteration policy of RFC 9276 §3.2, in one place: which NSEC3 records a proof may use at all
 * (SHA-1, at most {@link Limits#nsec3IterationsBogusAbove()} iterations), and what a proof that needs
 * more than {@link Limits#nsec3IterationsInsecureAbove()} iterations makes of the answer. Stateless.
 */
final class Nsec3Policy {

    private Nsec3Policy() {
    }

    /** Whether a proof may use {@code r}: SHA-1 (the only hash RFC 5155 defines) within the hard limit. */
    static boolean usable(NSEC3Record r, Limits limits) {
        return r.getHashAlgorithm() == NSEC3Record.SHA1_DIGEST_ID && r.getIterations() <= limits.nsec3IterationsBogusAbove();
    }

    /**
     * The verdict that the iteration count forces on a proof of {@code zone}, or empty when it is within
     * the limits: above the hard limit Bogus (the records prove nothing), above the soft limit Insecure with
     * EDE 27.
     */
    static Optional<Judgement> judge(int iterations, Name zone, long ttl, Limits limits) {
        if (iterations > limits.nsec3IterationsBogusAbove()) {
            return Optional.of(Judgement.bogus(Reason.UNSUPPORTED_NSEC3_ITERATIONS, "NSEC3 of " + zone + " uses "
                    + iterations + " iterations, above the limit of " + limits.nsec3IterationsBogusAbove() + " (RFC 9276)"));
        }
        if (iterations > limits.nsec3IterationsInsecureAbove()) {
            return Optional.of(Judgement.insecure(InsecureCause.NSEC3_ITERATIONS, zone, "NSEC3 of " + zone + " uses "
                    + iterations + " iterations, above " + limits.nsec3IterationsInsecureAbove()
                    + ": treated as insecure (RFC 9276 §3.2)", ttl));
        }
        return Optional.empty();
    }
}
