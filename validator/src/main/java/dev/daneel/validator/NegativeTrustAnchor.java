package dev.daneel.validator;

import java.time.Instant;
import java.util.Objects;
import org.xbill.DNS.Name;

/**
 * A negative trust anchor (RFC 7646): names at and below {@code zone} are treated as Insecure on
 * purpose, until {@code expires}, for an internal zone that is unsigned (or broken) below a signed
 * public parent. Answers under it are never cached beyond the expiry, aggressive NSEC never answers
 * under it, and it never yields a Secure answer. After the expiry validation is back on by itself.
 *
 * <pre>{@code
 * ValidatingResolver.builder()
 *         .negativeTrustAnchor("corp.example.", Instant.now().plus(Duration.ofDays(1)))
 *         .build();
 * }</pre>
 *
 * @param zone the zone whose names are not validated
 * @param expires when validation comes back on
 */
public record NegativeTrustAnchor(Name zone, Instant expires) {
    public NegativeTrustAnchor {
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(expires, "expires");
        if (!zone.isAbsolute()) {
            throw new IllegalArgumentException(
                    "a negative trust anchor's zone must be absolute, got " + zone);
        }
    }

    /** Whether it covers {@code name} at {@code now}. */
    public boolean covers(Name name, Instant now) {
        return now.isBefore(expires) && name.subdomain(zone);
    }

    /** Whole seconds from {@code now} until it expires, at least 0. */
    public long secondsLeft(Instant now) {
        return Math.max(0, expires.getEpochSecond() - now.getEpochSecond());
    }
}
