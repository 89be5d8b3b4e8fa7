package dev.daneel.validator.internal;

import dev.daneel.validator.InsecureCause;
import dev.daneel.validator.Limit;
import dev.daneel.validator.Reason;
import dev.daneel.validator.Verdict;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.xbill.DNS.Name;

/**
 * The verdict on part of an answer and how long it may be used, combined link by link: Bogus beats
 * Indeterminate beats Insecure beats Secure, so an answer is Secure only when every RRset and proof
 * in it is. Immutable.
 */
final class Judgement {

    /** Secure with no algorithm and no TTL bound: the neutral element of {@link #and}. */
    static final Judgement NEUTRAL = new Judgement(new Verdict.Secure(Set.of()), Long.MAX_VALUE);

    final Verdict verdict;
    final long ttl;

    private Judgement(Verdict verdict, long ttl) {
        this.verdict = verdict;
        this.ttl = ttl;
    }

    static Judgement secure(Set<Integer> algorithms, long ttl) {
        return new Judgement(new Verdict.Secure(algorithms), ttl);
    }

    static Judgement secure(Set<Integer> algorithms, long ttl, boolean viaDlv) {
        return new Judgement(new Verdict.Secure(algorithms, viaDlv), ttl);
    }

    /** Insecure for {@code cause}; {@code delegation} may be null when the proof names none. */
    static Judgement insecure(InsecureCause cause, Name delegation, String detail, long ttl) {
        return new Judgement(
                new Verdict.Insecure(cause, Optional.ofNullable(delegation), detail), ttl);
    }

    static Judgement bogus(Reason reason, String detail) {
        return new Judgement(new Verdict.Bogus(reason, detail), 0);
    }

    /** Bogus because a work limit stopped the lookup; {@code limit} may be null for a loop. */
    static Judgement bogus(Reason reason, String detail, Limit limit) {
        return new Judgement(new Verdict.Bogus(reason, detail, Optional.ofNullable(limit)), 0);
    }

    /** The failure of a signature check as a verdict, its detail prefixed with {@code where}. */
    static Judgement failed(SignatureVerifier.Outcome o, String where) {
        return new Judgement(o.bogus(where), 0);
    }

    static Judgement indeterminate(Verdict.Cause cause, String detail) {
        return indeterminate(cause, detail, 0);
    }

    static Judgement indeterminate(Verdict.Cause cause, String detail, long ttl) {
        return new Judgement(new Verdict.Indeterminate(cause, detail), ttl);
    }

    static Judgement of(KeyEntry entry) {
        if (entry instanceof KeyEntry.Unanchored u) {
            return indeterminate(u.cause(), u.detail());
        }
        if (entry instanceof KeyEntry.Insecure i) {
            return insecure(i.cause(), i.delegation(), i.detail(), i.ttl());
        }
        if (entry instanceof KeyEntry.Bogus b) {
            return new Judgement(b.verdict(), 0);
        }
        KeyEntry.Secure s = (KeyEntry.Secure) entry;
        return secure(s.algorithms(), s.ttl(), s.viaDlv());
    }

    /** This verdict, usable for at most {@code cap} seconds. */
    Judgement capped(long cap) {
        return cap >= ttl ? this : new Judgement(verdict, cap);
    }

    /** This verdict with exactly {@code seconds} of TTL. */
    Judgement withTtl(long seconds) {
        return new Judgement(verdict, seconds);
    }

    boolean isSecure() {
        return verdict instanceof Verdict.Secure;
    }

    boolean isBogus() {
        return verdict instanceof Verdict.Bogus;
    }

    /**
     * The weaker of the two verdicts (Bogus, Indeterminate, Insecure, Secure); two Secure ones
     * merge algorithms.
     */
    Judgement and(Judgement other) {
        long t = Math.min(ttl, other.ttl);
        if (isBogus()) {
            return this;
        }
        if (other.isBogus()) {
            return other;
        }
        if (verdict instanceof Verdict.Indeterminate) {
            return this;
        }
        if (other.verdict instanceof Verdict.Indeterminate) {
            return other;
        }
        if (verdict instanceof Verdict.Insecure) {
            return new Judgement(verdict, t);
        }
        if (other.verdict instanceof Verdict.Insecure) {
            return new Judgement(other.verdict, t);
        }
        Verdict.Secure a = (Verdict.Secure) verdict;
        Verdict.Secure b = (Verdict.Secure) other.verdict;
        Set<Integer> algs = new HashSet<>(a.algorithms());
        algs.addAll(b.algorithms());
        return secure(algs, t, a.viaDlv() || b.viaDlv());
    }
}
