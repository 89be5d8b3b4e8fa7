package dev.daneel.validator;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * What one upstream was found to carry by the resolver's capability probe: the trust anchor's
 * DNSKEY RRset asked over UDP and over TCP (it must come with its RRSIGs), and a DS query for a
 * name that does not exist below the anchor (its answer must carry the signed NSEC/NSEC3 denial).
 *
 * <pre>{@code
 * for (UpstreamProbe p : resolver.probeUpstreams()) {
 *     System.out.println(p);   // 192.168.1.1:53 NO_DNSSEC udp=true tcp=false edns=-1 [RRSIGs of the ./DNSKEY answer are missing]
 * }
 * }</pre>
 *
 * @param upstream the server probed
 * @param carries the conclusion
 * @param udp whether its UDP answers are used (false when it answered only over TCP, or stripped
 *     over UDP only)
 * @param tcp whether it answered over TCP
 * @param ednsPayload the UDP payload size its OPT record advertised; -1 when its reply had no OPT
 *     record
 * @param doBit whether its reply kept the DO bit
 * @param largestTcpAnswer octets of the DNSKEY answer it delivered whole over TCP; 0 when none
 * @param problems what it stripped or failed, in words
 */
public record UpstreamProbe(
        InetSocketAddress upstream,
        Carries carries,
        boolean udp,
        boolean tcp,
        int ednsPayload,
        boolean doBit,
        int largestTcpAnswer,
        List<String> problems) {

    /** The conclusion of a probe. */
    public enum Carries {
        /** Signed answers and signed denials arrive whole: its answers are validated. */
        DNSSEC,
        /**
         * It strips what validation needs: never used; lookups it alone could serve are
         * Indeterminate.
         */
        NO_DNSSEC,
        /** No answer over UDP or TCP. */
        UNREACHABLE,
        /** It answered the probe with an error: its answers are validated as they come. */
        UNKNOWN
    }

    public UpstreamProbe {
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(carries, "carries");
        problems = List.copyOf(problems);
    }
}
