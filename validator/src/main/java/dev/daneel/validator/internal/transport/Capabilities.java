package dev.daneel.validator.internal.transport;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * What one upstream was seen to carry when it was last probed: whether it answers at all, over UDP
 * and over TCP, whether its answers keep EDNS, the DO bit, RRSIGs and NSEC/NSEC3 records, and the
 * largest answer it delivered whole.
 *
 * <pre>{@code
 * Capabilities c = client.capabilities(upstream);
 * if (c.carries() == Capabilities.Carries.NO_DNSSEC) {
 *     System.out.println(UpstreamClient.format(c.upstream()) + " strips DNSSEC: " + c.problems());
 *     // 127.0.0.1:5353 strips DNSSEC: [RRSIGs of the ./DNSKEY answer are missing, ...]
 * }
 * }</pre>
 *
 * @param upstream the server probed
 * @param carries the conclusion
 * @param udp whether its UDP answers are used: it answered over UDP, and not only with DNSSEC
 *     stripped there while TCP carried it (then every query goes over TCP)
 * @param tcp whether it answered over TCP
 * @param ednsPayload the UDP payload size its OPT record advertised, or -1 when its reply had no
 *     OPT record
 * @param doBit whether its reply kept the DO bit (RFC 3225 §3: a server copies it)
 * @param largestTcpAnswer octets of the answer it delivered whole over TCP, 0 when none
 * @param problems what it stripped or failed, in words; for a capable upstream at most a note (such
 *     as "over UDP ... used over TCP only")
 */
public record Capabilities(
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
        /**
         * The anchor's DNSKEY RRset came with its RRSIGs and a denial with its NSEC/NSEC3 records.
         */
        DNSSEC,
        /**
         * It answered, but without the records validation needs: its answers are never used for a
         * verdict.
         */
        NO_DNSSEC,
        /** It answered neither over UDP nor over TCP. */
        UNREACHABLE,
        /**
         * It answered with an error (SERVFAIL, REFUSED): nothing learned, its answers are judged as
         * they come.
         */
        UNKNOWN
    }

    public Capabilities {
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(carries, "carries");
        problems = List.copyOf(problems);
    }

    /** Whether its answers must be kept away from validation. */
    boolean incapable() {
        return carries == Carries.NO_DNSSEC;
    }

    /** One line for messages: "127.0.0.1:53: strips DNSSEC (RRSIGs ... missing)". */
    String describe() {
        String who = UpstreamClient.format(upstream);
        return switch (carries) {
            case DNSSEC -> who + ": carries DNSSEC";
            case NO_DNSSEC -> who + ": does not carry DNSSEC (" + String.join("; ", problems) + ")";
            case UNREACHABLE ->
                    who
                            + ": did not answer the capability probe ("
                            + String.join("; ", problems)
                            + ")";
            case UNKNOWN -> who + ": capability unknown (" + String.join("; ", problems) + ")";
        };
    }
}
