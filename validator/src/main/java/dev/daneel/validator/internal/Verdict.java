package dev.daneel.validator.internal;

import dev.daneel.validator.Reason;
import dev.daneel.validator.Security;
import java.util.HashSet;
import java.util.Set;
import org.xbill.DNS.Name;

/**
 * The verdict on part of an answer, combined link by link: Bogus beats Indeterminate beats Insecure beats
 * Secure, so an answer is Secure only when every RRset and proof in it is. Also tracks the TTL the parts
 * allow.
 */
final class Verdict {

    final Security security;
    final long ttl;

    private Verdict(Security security, long ttl) {
        this.security = security;
        this.ttl = ttl;
    }

    static Verdict secure(int algorithm, long ttl) {
        return new Verdict(new Security.Secure(Set.of(algorithm)), ttl);
    }

    static Verdict secure(Set<Integer> algorithms, long ttl) {
        return new Verdict(new Security.Secure(algorithms), ttl);
    }

    static Verdict secure(Set<Integer> algorithms, long ttl, boolean viaDlv) {
        return new Verdict(new Security.Secure(algorithms, viaDlv), ttl);
    }

    static Verdict insecure(Name delegation, Reason reason, String why, long ttl) {
        return new Verdict(new Security.Insecure(delegation, reason, why), ttl);
    }

    static Verdict bogus(Reason reason, String detail) {
        return new Verdict(new Security.Bogus(reason, detail), 0);
    }

    static Verdict indeterminate(Security.Cause cause, String detail) {
        return indeterminate(cause, detail, 0);
    }

    static Verdict indeterminate(Security.Cause cause, String detail, long ttl) {
        return new Verdict(new Security.Indeterminate(cause, detail), ttl);
    }

    static Verdict of(KeyEntry entry) {
        if (entry instanceof KeyEntry.Unanchored u) {
            return indeterminate(u.cause(), u.detail());
        }
        if (entry instanceof KeyEntry.Insecure i) {
            return insecure(i.delegation(), i.reason(), i.why(), i.ttl());
        }
        if (entry instanceof KeyEntry.Bogus b) {
            return bogus(b.reason(), b.detail());
        }
        KeyEntry.Secure s = (KeyEntry.Secure) entry;
        return secure(s.algorithms(), s.ttl(), s.viaDlv());
    }

    boolean isSecure() {
        return security instanceof Security.Secure;
    }

    boolean isBogus() {
        return security instanceof Security.Bogus;
    }

    /** The weaker of the two verdicts (Bogus, Indeterminate, Insecure, Secure); two Secure ones merge algorithms. */
    Verdict and(Verdict other) {
        long t = Math.min(ttl, other.ttl);
        if (isBogus()) {
            return this;
        }
        if (other.isBogus()) {
            return other;
        }
        if (security instanceof Security.Indeterminate) {
            return this;
        }
        if (other.security instanceof Security.Indeterminate) {
            return other;
        }
        if (security instanceof Security.Insecure) {
            return new Verdict(security, t);
        }
        if (other.security instanceof Security.Insecure) {
            return new Verdict(other.security, t);
        }
        Security.Secure a = (Security.Secure) security;
        Security.Secure b = (Security.Secure) other.security;
        Set<Integer> algs = new HashSet<>(a.algorithms());
        algs.addAll(b.algorithms());
        return secure(algs, t, a.viaDlv() || b.viaDlv());
    }
}
