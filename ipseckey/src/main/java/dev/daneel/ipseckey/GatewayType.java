package dev.daneel.ipseckey;

import java.util.Optional;

/**
 * IPSECKEY gateway types (RFC 4025 §2.3).
 *
 * <pre>{@code
 * GatewayType.fromCode(3).orElseThrow(); // DOMAIN_NAME
 * }</pre>
 */
public enum GatewayType {
    /** No gateway is present. */
    NONE(0),
    /** A 4-octet IPv4 address. */
    IPV4(1),
    /** A 16-octet IPv6 address. */
    IPV6(2),
    /** An uncompressed domain name. */
    DOMAIN_NAME(3);

    private final int code;

    GatewayType(int code) {
        this.code = code;
    }

    /** The wire value. */
    public int code() {
        return code;
    }

    /** The gateway type with this wire value, or empty when unassigned. */
    public static Optional<GatewayType> fromCode(int code) {
        for (GatewayType g : values()) {
            if (g.code == code) {
                return Optional.of(g);
            }
        }
        return Optional.empty();
    }
}
