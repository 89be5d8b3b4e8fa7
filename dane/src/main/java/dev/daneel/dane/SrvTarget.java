package dev.daneel.dane;

import java.util.Objects;

/**
 * One target of a service's SRV RRset with the outcome of its TLSA lookup (RFC 7673).
 *
 * <pre>{@code
 * for (SrvTarget t : lookup.resolveSrv("xmpp-client", "tcp", "example.com").targets()) {
 *     connect(t.host(), t.port(), t.tlsa());
 * }
 * }</pre>
 *
 * @param host the target host name, without the final dot
 * @param port the target port
 * @param priority the SRV priority
 * @param weight the SRV weight
 * @param tlsa the TLSA outcome for {@code _port._proto.host}; {@link TlsaAnswer.NoDane} when the
 *     SRV RRset itself was not Secure (RFC 7673 §4.1)
 */
public record SrvTarget(String host, int port, int priority, int weight, TlsaAnswer tlsa) {
    /** Checks that the host and its TLSA answer are present. */
    public SrvTarget {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(tlsa, "tlsa");
    }
}
