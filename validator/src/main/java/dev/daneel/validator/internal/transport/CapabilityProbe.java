package dev.daneel.validator.internal.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Learns what one upstream can carry, with at most four queries: the trust anchor's DNSKEY RRset
 * over UDP and over TCP (it must come with its RRSIGs; the TCP answer also shows the largest answer
 * delivered whole), and a DS query for a name that does not exist below the anchor, whose answer
 * must carry the signed NSEC/NSEC3 denial (a middlebox that strips NSEC or DS answers shows there).
 *
 * <pre>{@code
 * Capabilities c = new CapabilityProbe(client).probe(upstream, Name.root);
 * }</pre>
 *
 * <p>A reply without the records is <em>decisive</em> only when the upstream answered NOERROR: an
 * error rcode says nothing about the path, and leaves the upstream {@link
 * Capabilities.Carries#UNKNOWN} (its answers are then validated as they come, so a stripped one is
 * Bogus, never Insecure). Stateless and thread-safe; the I/O is the client's, with its timeout and
 * its spoofing checks.
 */
final class CapabilityProbe {

    /** A label no zone is expected to have, so that the DS query is answered with a denial. */
    static final String ABSENT_LABEL = "daneel-capability-probe";

    private final UpstreamClient client;

    CapabilityProbe(UpstreamClient client) {
        this.client = client;
    }

    Capabilities probe(InetSocketAddress upstream, Name zone) {
        List<String> problems = new ArrayList<>();
        Message udp = null;
        if (!client.tcpOnly()) {
            try {
                udp = client.udpExchange(upstream, client.newQuery(zone, Type.DNSKEY));
            } catch (IOException | UpstreamClient.AttemptFailed e) {
                problems.add("UDP: " + describe(e));
            }
        }
        Message tcp = null;
        try {
            tcp = client.tcpExchange(upstream, client.newQuery(zone, Type.DNSKEY));
        } catch (IOException | UpstreamClient.AttemptFailed e) {
            problems.add("TCP: " + describe(e));
        }
        boolean udpAnswered = udp != null;
        boolean tcpAnswered = tcp != null;
        int largest = tcp == null ? 0 : tcp.toWire().length;
        Message base =
                udp != null && !udp.getHeader().getFlag(Flags.TC) ? udp : tcp != null ? tcp : udp;
        if (base == null) {
            return new Capabilities(
                    upstream,
                    Capabilities.Carries.UNREACHABLE,
                    false,
                    false,
                    -1,
                    false,
                    0,
                    problems);
        }
        if (base.getHeader().getFlag(Flags.TC)) {
            // Truncated over UDP and no TCP answer: a cut answer says nothing about what it would
            // have carried.
            problems.add("its UDP answer to " + zone + "/DNSKEY was truncated and TCP gave none");
            OPTRecord o = base.getOPT();
            return new Capabilities(
                    upstream,
                    Capabilities.Carries.UNKNOWN,
                    true,
                    false,
                    o == null ? -1 : o.getPayloadSize(),
                    o != null && (o.getFlags() & ExtendedFlags.DO) != 0,
                    0,
                    problems);
        }
        OPTRecord opt = base.getOPT();
        int payload = opt == null ? -1 : opt.getPayloadSize();
        boolean doBit = opt != null && (opt.getFlags() & ExtendedFlags.DO) != 0;
        String question = zone + "/DNSKEY";
        if (base.getRcode() != Rcode.NOERROR) {
            problems.add("answered " + Rcode.string(base.getRcode()) + " to " + question);
            return new Capabilities(
                    upstream,
                    Capabilities.Carries.UNKNOWN,
                    udpAnswered,
                    tcpAnswered,
                    payload,
                    doBit,
                    largest,
                    problems);
        }
        if (opt == null) {
            problems.add("no EDNS: its reply to " + question + " has no OPT record");
        } else if (!doBit) {
            problems.add("DO bit cleared in its reply to " + question);
        }
        String keys = signedKeys(base, zone);
        boolean overTcpOnly = false;
        if (keys != null
                && base == udp
                && tcp != null
                && tcp.getRcode() == Rcode.NOERROR
                && signedKeys(tcp, zone) == null) {
            // A box that mangles UDP only (drops EDNS, so DO is gone) while TCP reaches the
            // resolver intact:
            // usable, over TCP only.
            problems.add("over UDP " + keys + "; used over TCP only");
            keys = null;
            overTcpOnly = true;
        } else if (keys != null) {
            problems.add(keys);
        }
        boolean stripped = keys != null;
        if (!stripped) {
            String denial = denial(upstream, zone, overTcpOnly);
            if (denial != null) {
                problems.add(denial);
                stripped = true;
            }
        }
        if (!stripped && !overTcpOnly) {
            problems.removeIf(
                    p ->
                            p.startsWith("DO bit")
                                    || p.startsWith("no EDNS")); // the signatures came anyway
        }
        return new Capabilities(
                upstream,
                stripped ? Capabilities.Carries.NO_DNSSEC : Capabilities.Carries.DNSSEC,
                udpAnswered && !overTcpOnly,
                tcpAnswered,
                payload,
                doBit,
                largest,
                problems);
    }

    /** Null when {@code m} holds the zone's DNSKEY RRset with its RRSIGs; else what is missing. */
    private static String signedKeys(Message m, Name zone) {
        RRset keys = find(m, Section.ANSWER, zone, Type.DNSKEY);
        if (keys == null) {
            return "no DNSKEY RRset in its answer to " + zone + "/DNSKEY";
        }
        return keys.sigs().isEmpty()
                ? "RRSIGs of the " + zone + "/DNSKEY answer are missing"
                : null;
    }

    /**
     * Null when the DS query's answer carries a signed answer or a signed denial (or says nothing);
     * else what is missing.
     */
    private String denial(InetSocketAddress upstream, Name zone, boolean overTcp) {
        Name absent;
        try {
            absent = Name.concatenate(Name.fromString(ABSENT_LABEL), zone);
        } catch (TextParseException | org.xbill.DNS.NameTooLongException e) {
            return null; // an anchor this deep cannot get the label: the DNSKEY probe has to do
        }
        Message m;
        try {
            Message q = client.newQuery(absent, Type.DS);
            m = overTcp ? client.tcpExchange(upstream, q) : client.exchange(upstream, q);
        } catch (IOException | UpstreamClient.AttemptFailed e) {
            return null; // not decisive: the DNSKEY probe answered, a lost packet says nothing
            // about stripping
        }
        if (m.getRcode() != Rcode.NOERROR && m.getRcode() != Rcode.NXDOMAIN) {
            return null;
        }
        RRset ds = find(m, Section.ANSWER, absent, Type.DS);
        if (ds != null) {
            return ds.sigs().isEmpty()
                    ? "RRSIGs of the " + absent + "/DS answer are missing"
                    : null;
        }
        boolean nsec = false;
        boolean signedNsec = false;
        for (RRset set : m.getSectionRRsets(Section.AUTHORITY)) {
            if (set.getType() == Type.NSEC || set.getType() == Type.NSEC3) {
                nsec = true;
                signedNsec |= !set.sigs().isEmpty();
            }
        }
        if (!nsec) {
            return "no NSEC/NSEC3 records in its "
                    + Rcode.string(m.getRcode())
                    + " answer to "
                    + absent
                    + "/DS";
        }
        return signedNsec
                ? null
                : "RRSIGs of the NSEC/NSEC3 records in its answer to " + absent + "/DS are missing";
    }

    private static RRset find(Message m, int section, Name name, int type) {
        for (RRset set : m.getSectionRRsets(section)) {
            if (set.getName().equals(name) && set.getType() == type) {
                return set;
            }
        }
        return null;
    }

    private static String describe(Exception e) {
        return e instanceof IOException io ? UpstreamClient.describe(io) : e.getMessage();
    }
}
