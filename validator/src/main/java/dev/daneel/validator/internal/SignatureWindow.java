package dev.daneel.validator.internal;

import java.time.Duration;
import java.time.Instant;
import org.xbill.DNS.RRSIGRecord;

/**
 * An RRSIG's validity window judged as RFC 4034 §3.1.5 says: inception and expiration are 32-bit
 * serial numbers (RFC 1982) compared relative to now, so the window wraps with the 32-bit clock in
 * 2106 and a window of 2^31 seconds or more (or an expiration before the inception) is no window at
 * all — not "valid for 136 years", as BIND and Unbound agree. Stateless.
 */
final class SignatureWindow {

    /** Where now falls with respect to a signature's window. */
    enum Position {
        /** Inside the window, skew allowed for. */
        INSIDE,
        /** After the expiration, even with the skew. */
        EXPIRED,
        /** Before the inception, even with the skew. */
        NOT_YET_VALID,
        /**
         * The window itself is broken: the expiration is not after the inception in serial
         * arithmetic.
         */
        NO_WINDOW
    }

    private SignatureWindow() {}

    /** Where {@code now} lies in {@code sig}'s window, allowing {@code skew} either side. */
    static Position of(RRSIGRecord sig, Instant now, Duration skew) {
        long inception = serial(sig.getTimeSigned());
        long expiration = serial(sig.getExpire());
        long n = serial(now);
        if (difference(expiration, inception) <= 0) {
            return Position.NO_WINDOW; // RFC 1982 §3.2: also exactly 2^31 apart, where the order is
            // undefined
        }
        long slack = Math.min(skew.toSeconds(), Integer.MAX_VALUE / 2);
        if (difference(n, expiration) > slack) {
            return Position.EXPIRED;
        }
        if (difference(inception, n) > slack) {
            return Position.NOT_YET_VALID;
        }
        return Position.INSIDE;
    }

    /** The low 32 bits of a time in seconds: the form RRSIG fields carry. */
    private static long serial(Instant t) {
        return t.getEpochSecond() & 0xFFFF_FFFFL;
    }

    /** {@code a - b} in RFC 1982 serial arithmetic: positive when a is after b, within ±2^31. */
    static long difference(long a, long b) {
        return (int) (a - b); // the signed 32-bit difference; -2^31 (undefined order) counts as
        // "not after"
    }
}
