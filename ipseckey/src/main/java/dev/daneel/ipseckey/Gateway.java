package dev.daneel.ipseckey;

import dev.daneel.ipseckey.internal.Ipv6Text;
import java.util.Arrays;
import java.util.Objects;
import org.xbill.DNS.Address;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * The gateway of an IPSECKEY record (RFC 4025 §2.3, §2.5): none, an IPv4 or IPv6 address, or a
 * domain name. IPv6 prints in RFC 5952 form ({@code 2001:db8:0:8002::2000:1}), names always
 * absolute.
 *
 * <pre>{@code
 * Gateway.parse("192.0.2.38").type();          // IPV4
 * Gateway.parse("mygateway.example.com.");     // DOMAIN_NAME
 * Gateway.none().text();                       // "."
 * }</pre>
 *
 * <p>Immutable.
 */
public final class Gateway {

    private final GatewayType type;
    private final byte[] address;
    private final Name name;

    private Gateway(GatewayType type, byte[] address, Name name) {
        this.type = type;
        this.address = address;
        this.name = name;
    }

    /** No gateway (type 0): the owner itself, or a key that is published without a gateway. */
    public static Gateway none() {
        return new Gateway(GatewayType.NONE, null, null);
    }

    /** An IPv4 address literal (type 1). */
    public static Gateway ipv4(String literal) {
        byte[] a = Ipv6Text.literal(literal, Address.IPv4);
        if (a == null) {
            throw new IllegalArgumentException("not an IPv4 address literal: \"" + literal + "\"");
        }
        return new Gateway(GatewayType.IPV4, a, null);
    }

    /** An IPv6 address literal (type 2). */
    public static Gateway ipv6(String literal) {
        byte[] a = Ipv6Text.literal(literal, Address.IPv6);
        if (a == null) {
            throw new IllegalArgumentException("not an IPv6 address literal: \"" + literal + "\"");
        }
        return new Gateway(GatewayType.IPV6, a, null);
    }

    /**
     * A domain name (type 3); a missing final dot is added. The root name "." is not a gateway
     * name.
     */
    public static Gateway name(String domainName) {
        try {
            Name n = Name.fromString(domainName.endsWith(".") ? domainName : domainName + ".");
            if (n.equals(Name.root)) {
                throw new IllegalArgumentException("\".\" means no gateway; use Gateway.none()");
            }
            return new Gateway(GatewayType.DOMAIN_NAME, null, n);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a domain name: \"" + domainName + "\"", e);
        }
    }

    /** Reads any of the forms: {@code .} or empty (none), an IPv4 or IPv6 literal, or a name. */
    public static Gateway parse(String text) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty() || t.equals(".")) {
            return none();
        }
        if (Ipv6Text.literal(t, Address.IPv4) != null) {
            return ipv4(t);
        }
        if (t.contains(":")) {
            return ipv6(t);
        }
        return name(t);
    }

    /** Reads the presentation form for a known gateway type, as an RR's text gives it. */
    static Gateway parse(GatewayType type, String text) {
        switch (type) {
            case NONE:
                if (!text.equals(".")) {
                    throw new IllegalArgumentException(
                            "gateway type 0 needs \".\" as gateway, got \"" + text + "\"");
                }
                return none();
            case IPV4:
                return ipv4(text);
            case IPV6:
                return ipv6(text);
            default:
                return name(text);
        }
    }

    static Gateway ofAddress(GatewayType type, byte[] octets) {
        return new Gateway(type, octets.clone(), null);
    }

    static Gateway ofName(Name name) {
        return new Gateway(GatewayType.DOMAIN_NAME, null, name);
    }

    /** The gateway type. */
    public GatewayType type() {
        return type;
    }

    /** The address octets (4 or 16), for types 1 and 2; empty otherwise. */
    public byte[] address() {
        return address == null ? new byte[0] : address.clone();
    }

    /** The name for type 3; null otherwise. */
    public Name domainName() {
        return name;
    }

    /** Presentation form: {@code .}, dotted quad, RFC 5952 IPv6, or an absolute name. */
    public String text() {
        switch (type) {
            case NONE:
                return ".";
            case IPV4:
                return Ipv6Text.ipv4(address);
            case IPV6:
                return Ipv6Text.ipv6(address);
            default:
                return name.toString();
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Gateway)) {
            return false;
        }
        Gateway g = (Gateway) o;
        return type == g.type && Arrays.equals(address, g.address) && Objects.equals(name, g.name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, Arrays.hashCode(address), name);
    }

    @Override
    public String toString() {
        return text();
    }
}
