package dev.daneel.validator.internal.iterator;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Keeps of a response only what its server may speak for, after Unbound's {@code
 * iterator/iter_scrub.c} and the bailiwick rule (RFC 2181 §5.4.1, RFC 5452 §6): a server asked as
 * one of zone Z's servers is believed for names at or below Z only. The answer keeps the
 * CNAME/DNAME chain from the question and the data at its end; the authority keeps SOA, NS, DS,
 * NSEC and NSEC3; the additional keeps the addresses of the NS targets named above. Everything else
 * (an address for a name in another zone, an NS RRset for a TLD sent by a second-level server) is
 * dropped before anything is cached: this is what stops cache poisoning by out-of-bailiwick data.
 * Then {@link #classify} says what the reply means. Stateless.
 */
final class Scrubber {

    private static final Set<Integer> AUTHORITY_TYPES =
            Set.of(Type.SOA, Type.NS, Type.DS, Type.NSEC, Type.NSEC3);

    private Scrubber() {}

    /**
     * @param response the server's response, matched to the query already
     * @param qname the name asked
     * @param qtype the type asked
     * @param zone the zone the server was asked as a server of
     */
    static Reply scrub(Message response, Name qname, int qtype, Name zone) {
        List<Record> an = response.getSection(Section.ANSWER);
        Chain chain = Chain.follow(an, qname, qtype, zone);
        List<Record> answer = new ArrayList<>(chain.links());
        answer.addAll(chain.data());

        List<Record> rawAuth = response.getSection(Section.AUTHORITY);
        List<Record> authority = new ArrayList<>();
        for (Record r : rawAuth) {
            if (r.getName().subdomain(zone) && AUTHORITY_TYPES.contains(r.getType())) {
                authority.add(r);
            }
        }
        for (Record r : rawAuth) {
            if (r instanceof RRSIGRecord s
                    && r.getName().subdomain(zone)
                    && AUTHORITY_TYPES.contains(s.getTypeCovered())
                    && authority.stream()
                            .anyMatch(
                                    k ->
                                            k.getName().equals(s.getName())
                                                    && k.getType() == s.getTypeCovered())) {
                authority.add(r);
            }
        }
        Set<Name> targets = new HashSet<>();
        for (Record r : authority) {
            if (r instanceof NSRecord ns) {
                targets.add(ns.getTarget());
            }
        }
        for (Record r : answer) {
            if (r instanceof NSRecord ns) {
                targets.add(ns.getTarget());
            }
        }
        List<Record> additional = new ArrayList<>();
        for (Record r : response.getSection(Section.ADDITIONAL)) {
            if ((r.getType() == Type.A || r.getType() == Type.AAAA)
                    && targets.contains(r.getName())
                    && r.getName().subdomain(zone)) {
                additional.add(r);
            }
        }
        boolean aa = response.getHeader().getFlag(Flags.AA);
        boolean ra = response.getHeader().getFlag(Flags.RA);
        boolean strayNs =
                rawAuth.stream()
                        .anyMatch(x -> x.getType() == Type.NS && !x.getName().subdomain(zone));
        return new Reply(response.getRcode(), aa, ra, answer, authority, additional, strayNs);
    }

    /**
     * What the scrubbed reply means for {@code qname}/{@code qtype} asked of a server of {@code
     * zone}.
     */
    static Reply.Kind classify(Reply r, Name qname, int qtype, Name zone) {
        int rcode = r.rcode();
        if (rcode == Rcode.REFUSED) {
            return Reply.Kind.LAME;
        }
        if (rcode == Rcode.YXDOMAIN) {
            return Reply.Kind.ANSWER; // a DNAME whose substitution is too long (RFC 6672 §2.2)
        }
        if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
            return Reply.Kind.THROWAWAY;
        }
        Chain chain = Chain.follow(r.answer(), qname, qtype, zone);
        if (chain.hasData()) {
            return Reply.Kind.ANSWER;
        }
        if (!chain.end().equals(qname)) {
            // NXDOMAIN or NODATA for a target in the same zone is the server's final word (RFC
            // 6604).
            boolean inZone = chain.end().subdomain(zone);
            if (inZone && (rcode == Rcode.NXDOMAIN || hasSoa(r, zone))) {
                return Reply.Kind.ANSWER;
            }
            return Reply.Kind.CNAME;
        }
        if (rcode == Rcode.NXDOMAIN) {
            return r.ra() && !r.aa() && !hasSoa(r, zone) ? Reply.Kind.LAME : Reply.Kind.ANSWER;
        }
        if (hasSoa(r, zone)) {
            return Reply.Kind.ANSWER;
        }
        if (r.strayNs() && r.authority().stream().noneMatch(x -> x.getType() == Type.NS)) {
            return Reply.Kind
                    .LAME; // an upward or sideways referral, AA or not: the server does not serve
            // the zone
        }
        for (Record x : r.authority()) {
            if (x.getType() != Type.NS) {
                continue;
            }
            Name owner = x.getName();
            if (!owner.equals(zone) && owner.subdomain(zone) && qname.subdomain(owner)) {
                if (qtype == Type.DS && owner.equals(qname)) {
                    return Reply.Kind
                            .LAME; // a DS lives on the parent side; a referral to the child is not
                    // an answer
                }
                return Reply.Kind.REFERRAL;
            }
            if (owner.equals(zone)) {
                return r.aa() ? Reply.Kind.ANSWER : Reply.Kind.LAME;
            }
        }
        if (r.aa() && r.answer().isEmpty() && r.authority().isEmpty()) {
            // An empty answer (not even the SOA a NODATA carries, RFC 2308 §2.2) says nothing: ask
            // another
            // server, as Unbound ignores it.
            return Reply.Kind.THROWAWAY;
        }
        if (r.aa()) {
            return Reply.Kind.ANSWER;
        }
        if (!r.ra()
                && r.authority().stream()
                        .anyMatch(x -> x.getType() == Type.NSEC || x.getType() == Type.NSEC3)) {
            return Reply.Kind
                    .ANSWER; // a NODATA that left out the SOA and the AA bit but carries its denial
            // proof
        }
        // No AA, no SOA, no referral down: a recursive (RA) or a server that does not serve the
        // zone,
        // whose upward or sideways referral the scrubber removed.
        return Reply.Kind.LAME;
    }

    private static boolean hasSoa(Reply r, Name zone) {
        return r.authority().stream()
                .anyMatch(x -> x.getType() == Type.SOA && x.getName().subdomain(zone));
    }

    /** The referral's NS RRset (the one classify chose), or an empty list. */
    static List<Record> referralNs(Reply r, Name qname, Name zone) {
        Name cut = null;
        for (Record x : r.authority()) {
            if (x.getType() == Type.NS
                    && !x.getName().equals(zone)
                    && x.getName().subdomain(zone)
                    && qname.subdomain(x.getName())) {
                cut = x.getName();
                break;
            }
        }
        List<Record> out = new ArrayList<>();
        for (Record x : r.authority()) {
            if (x.getType() == Type.NS && x.getName().equals(cut)) {
                out.add(x);
            }
        }
        return out;
    }
}
