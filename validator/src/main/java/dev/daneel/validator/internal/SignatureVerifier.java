package dev.daneel.validator.internal;

import dev.daneel.validator.Limit;
import dev.daneel.validator.Reason;
import dev.daneel.validator.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Type;

/**
 * Checks an RRset's signatures against a zone's keys (Unbound's {@code val_sigcrypt.c}): the one
 * place that calls the crypto primitive. Applies the validity window ({@link SignatureWindow},
 * serial-number arithmetic) with the configured skew, the algorithm policy, the zone-key and revoke
 * bits, and the per-RRset and per-lookup work limits.
 *
 * <p>Stateless apart from the lookup's {@link Budget}; one instance per lookup.
 */
final class SignatureVerifier {

    private static final int FLAG_ZONE = 0x0100;
    private static final int FLAG_REVOKE = 0x0080;

    private final Instant now;
    private final Duration skew;
    private final Budget budget;
    private final Crypto crypto;

    SignatureVerifier(Instant now, Duration skew, Budget budget, Crypto crypto) {
        this.now = now;
        this.skew = skew;
        this.budget = budget;
        this.crypto = crypto;
    }

    /** Whether this algorithm can make anything Secure under the crypto policy. */
    boolean supported(int algorithm) {
        return crypto.supported(algorithm);
    }

    /**
     * The result of checking one RRset: the signature that verified, or the failure with its reason
     * and, when a work limit stopped the check, that limit.
     */
    record Outcome(Reason failure, String detail, RRSIGRecord signature, Limit limit) {
        static Outcome verified(RRSIGRecord signature) {
            return new Outcome(null, null, signature, null);
        }

        static Outcome failed(Reason reason, String detail) {
            return new Outcome(reason, detail, null, null);
        }

        static Outcome stopped(Limit limit, String detail) {
            return new Outcome(Reason.WORK_LIMIT_EXCEEDED, detail, null, limit);
        }

        boolean secure() {
            return failure == null;
        }

        /** The failure as a verdict; only for an outcome that is not secure. */
        Verdict.Bogus bogus(String where) {
            return new Verdict.Bogus(failure, where + detail, Optional.ofNullable(limit));
        }

        /**
         * Seconds the verified RRset may be used: its TTL, capped by the RRSIG's original TTL and
         * expiry.
         */
        long ttl(RRset set, Instant now) {
            long untilExpiry =
                    Math.max(0, signature.getExpire().getEpochSecond() - now.getEpochSecond());
            return Math.min(Math.min(set.getTTL(), signature.getOrigTTL()), untilExpiry);
        }
    }

    /**
     * Verifies {@code set} with the keys of {@code zone}: secure when one RRSIG made by the zone
     * verifies with one of {@code keys} (for a DNSKEY RRset the caller passes only the keys a DS or
     * anchor names).
     */
    Outcome verify(RRset set, Name zone, List<DNSKEYRecord> keys) {
        String what = Type.string(set.getType()) + " " + set.getName();
        Failure failure = new Failure();
        int tried = 0;
        for (RRSIGRecord sig : set.sigs()) {
            if (!sig.getSigner().equals(zone) || sig.getTypeCovered() != set.getType()) {
                continue;
            }
            if (tried++ >= budget.limits().maxSignaturesPerRRset()) {
                return Outcome.stopped(
                        Limit.SIGNATURES_PER_RRSET,
                        what
                                + " carries more than "
                                + budget.limits().maxSignaturesPerRRset()
                                + " RRSIGs by "
                                + zone
                                + "; stopped (KeyTrap limit)");
            }
            String sigName =
                    what
                            + " RRSIG by "
                            + zone
                            + " key "
                            + sig.getFootprint()
                            + " alg "
                            + sig.getAlgorithm();
            if (!supported(sig.getAlgorithm())) {
                failure.note(
                        Reason.UNSUPPORTED_DNSKEY_ALGORITHM,
                        sigName + ": algorithm not supported, so the signature is ignored");
                continue;
            }
            if (sig.getLabels() > labelsWithoutWildcard(set.getName())) {
                failure.note(
                        Reason.DNSSEC_BOGUS,
                        sigName
                                + ": labels field "
                                + sig.getLabels()
                                + " exceeds the owner's label count");
                continue;
            }
            SignatureWindow.Position window = SignatureWindow.of(sig, now, skew);
            if (window == SignatureWindow.Position.NO_WINDOW) {
                failure.note(
                        Reason.DNSSEC_BOGUS,
                        sigName
                                + ": expiration "
                                + sig.getExpire()
                                + " is not after inception "
                                + sig.getTimeSigned()
                                + " in serial-number arithmetic (RFC 4034 §3.1.5: a window of 2^31 s or more"
                                + " is none)");
                continue;
            }
            if (window == SignatureWindow.Position.EXPIRED) {
                failure.note(
                        Reason.SIGNATURE_EXPIRED,
                        sigName
                                + ": expired "
                                + sig.getExpire()
                                + ", now "
                                + now
                                + " (skew "
                                + skew.toSeconds()
                                + " s)");
                continue;
            }
            if (window == SignatureWindow.Position.NOT_YET_VALID) {
                failure.note(
                        Reason.SIGNATURE_NOT_YET_VALID,
                        sigName
                                + ": valid only from "
                                + sig.getTimeSigned()
                                + ", now "
                                + now
                                + " (skew "
                                + skew.toSeconds()
                                + " s)");
                continue;
            }
            int collisions = 0;
            for (DNSKEYRecord key : keys) {
                if (key.getFootprint() != sig.getFootprint()
                        || key.getAlgorithm() != sig.getAlgorithm()
                        || !key.getName().equals(zone)) {
                    continue;
                }
                if ((key.getFlags() & FLAG_ZONE) == 0) {
                    failure.note(
                            Reason.NO_ZONE_KEY_BIT_SET,
                            sigName + ": the matching DNSKEY lacks the zone key bit");
                    continue;
                }
                if ((key.getFlags() & FLAG_REVOKE) != 0
                        && !(set.getType() == Type.DNSKEY && set.getName().equals(zone))) {
                    continue; // RFC 5011 §2.1: a revoked key validates nothing but its own zone's
                    // DNSKEY RRset
                }
                if (collisions++ >= budget.limits().maxKeyTagCollisions()) {
                    return Outcome.stopped(
                            Limit.KEY_TAG_COLLISIONS,
                            sigName
                                    + ": more than "
                                    + budget.limits().maxKeyTagCollisions()
                                    + " keys share the key tag; stopped (KeyTrap limit)");
                }
                if (!budget.spendSignatureCheck()) {
                    return Outcome.stopped(
                            Limit.SIGNATURE_CHECKS,
                            "signature check budget of "
                                    + budget.limits().maxSignatureChecks()
                                    + " for this lookup spent at "
                                    + what);
                }
                Optional<String> broken = crypto.check(set, sig, key, inside(sig));
                if (broken.isEmpty()) {
                    return Outcome.verified(sig);
                }
                failure.note(
                        Reason.DNSSEC_BOGUS,
                        sigName + ": signature does not verify (" + broken.get() + ")");
            }
            if (collisions == 0) {
                failure.note(
                        Reason.DNSKEY_MISSING,
                        sigName
                                + ": no usable DNSKEY of "
                                + zone
                                + " has that key tag and algorithm");
            }
        }
        if (failure.reason == null) {
            return Outcome.failed(Reason.RRSIGS_MISSING, what + " has no RRSIG by " + zone);
        }
        return Outcome.failed(failure.reason, failure.detail);
    }

    /**
     * The most telling of several failures: a signature that does not verify beats a window
     * problem, which beats a missing or unusable key, which beats an ignored signature.
     */
    private static final class Failure {
        private static final List<Reason> PRIORITY =
                List.of(
                        Reason.DNSSEC_BOGUS,
                        Reason.SIGNATURE_EXPIRED,
                        Reason.SIGNATURE_NOT_YET_VALID,
                        Reason.NO_ZONE_KEY_BIT_SET,
                        Reason.DNSKEY_MISSING,
                        Reason.UNSUPPORTED_DNSKEY_ALGORITHM,
                        Reason.RRSIGS_MISSING);
        Reason reason;
        String detail;

        void note(Reason r, String d) {
            if (reason == null || PRIORITY.indexOf(r) < PRIORITY.indexOf(reason)) {
                reason = r;
                detail = d;
            }
        }
    }

    /** A time inside the signature's window: the window itself was already checked, with skew. */
    private Instant inside(RRSIGRecord sig) {
        if (now.isAfter(sig.getExpire())) {
            return sig.getExpire();
        }
        if (now.isBefore(sig.getTimeSigned())) {
            return sig.getTimeSigned();
        }
        return now;
    }

    static int labelsWithoutWildcard(Name name) {
        int labels = name.labels() - 1; // the root label does not count (RFC 4034 §3.1.3)
        return name.isWild() ? labels - 1 : labels;
    }
}
