package dev.daneel.milter.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IP address or CIDR range ({@code 10.0.0.0/8}, {@code 2001:db8::/32}); literals only, never a
 * DNS lookup.
 *
 * @param address the network address
 * @param prefix the prefix length (32 or 128 for a single address)
 */
public record AddressRange(InetAddress address, int prefix) {

    /**
     * @throws IllegalArgumentException for anything but an IP literal with an optional in-range
     *     prefix
     */
    public static AddressRange parse(String text) {
        int slash = text.indexOf('/');
        String ip = slash < 0 ? text : text.substring(0, slash);
        byte[] raw = org.xbill.DNS.Address.toByteArray(ip, org.xbill.DNS.Address.IPv4);
        if (raw == null) {
            raw = org.xbill.DNS.Address.toByteArray(ip, org.xbill.DNS.Address.IPv6);
        }
        if (raw == null) {
            throw new IllegalArgumentException(
                    "expected an IP address (or address/prefix), got \"" + text + "\"");
        }
        int max = raw.length * 8;
        int prefix = max;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > max) {
                throw new IllegalArgumentException(
                        "prefix must be 0.." + max + " in \"" + text + "\"");
            }
        }
        try {
            return new AddressRange(InetAddress.getByAddress(raw), prefix);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 octets are always accepted", e);
        }
    }

    /**
     * Whether {@code ip} (a literal as the MTA reports it) lies in this range; false for anything
     * unparseable.
     */
    public boolean contains(String ip) {
        AddressRange other;
        try {
            other = parse(ip);
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] a = address.getAddress();
        byte[] b = other.address.getAddress();
        if (a.length != b.length) {
            return false;
        }
        for (int bit = 0; bit < prefix; bit++) {
            int mask = 0x80 >> (bit % 8);
            if ((a[bit / 8] & mask) != (b[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }
}
