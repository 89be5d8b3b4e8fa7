package dev.daneel.ipseckey.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import org.xbill.DNS.Address;

/** IP literals: parsing without any name lookup, and RFC 5952 canonical IPv6 text. */
public final class Ipv6Text {

    private Ipv6Text() {}

    /** The 4 or 16 octets of a literal of the given family, or null when it is not one. */
    public static byte[] literal(String text, int family) {
        return Address.toByteArray(text, family);
    }

    /** Dotted-quad text of 4 octets. */
    public static String ipv4(byte[] a) {
        return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
    }

    /**
     * RFC 5952 §4: lower case, no leading zeros, the longest run (of two or more) of zero groups as
     * "::".
     */
    public static String ipv6(byte[] a) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen && j - i >= 2) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]).toLowerCase(Locale.ROOT));
        }
        return sb.toString();
    }

    /** An InetAddress from octets, without a lookup. */
    public static InetAddress address(byte[] a) {
        try {
            return InetAddress.getByAddress(a);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(
                    "an IP address has 4 or 16 octets, got " + a.length, e);
        }
    }
}
