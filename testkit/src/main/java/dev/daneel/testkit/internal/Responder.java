package dev.daneel.testkit.internal;

import dev.daneel.testkit.DenialBreakage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Answers a query the way a recursive resolver that holds every zone of the world would: referrals
 * are followed internally, CNAME and DNAME chains are chased across zones, DS is answered from the
 * parent side, and negative and wildcard answers carry their NSEC/NSEC3 proofs. DNSSEC records are
 * included only when the query sets DO. Never sets AD: this resolver validates nothing.
 *
 * <p>Thread-safe: it only reads immutable {@link ZoneData}.
 */
public final class Responder {

    /** How many CNAME/DNAME hops one answer may contain before the resolver gives up (SERVFAIL). */
    static final int MAX_CHAIN = 16;

    /** The EDNS payload size this resolver advertises (DNS Flag Day 2020). */
    public static final int ADVERTISED_PAYLOAD = 1232;

    private final Zones zones;

    public Responder(Zones zones) {
        this.zones = zones;
    }

    /** Builds the full (untruncated) response to a parsed query. */
    public Message answer(Message query) {
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.RA);
        if (query.getHeader().getFlag(Flags.RD)) {
            response.getHeader().setFlag(Flags.RD);
        }
        if (query.getHeader().getFlag(Flags.CD)) {
            response.getHeader().setFlag(Flags.CD);
        }
        OPTRecord opt = query.getOPT();
        boolean dnssecOk = opt != null && (opt.getFlags() & ExtendedFlags.DO) != 0;
        Record question = query.getQuestion();
        if (opt != null && opt.getVersion() != 0) {
            // RFC 6891 §6.1.3: an unknown EDNS version gets BADVERS (16: header 0, extended rcode
            // 1).
            if (question != null) {
                response.addRecord(question, Section.QUESTION);
            }
            response.addRecord(
                    new OPTRecord(ADVERTISED_PAYLOAD, Rcode.BADVERS >>> 4, 0, 0),
                    Section.ADDITIONAL);
            return response;
        }
        if (opt != null) {
            response.addRecord(
                    new OPTRecord(ADVERTISED_PAYLOAD, 0, 0, dnssecOk ? ExtendedFlags.DO : 0),
                    Section.ADDITIONAL);
        }
        if (query.getHeader().getOpcode() != Opcode.QUERY) {
            response.getHeader().setRcode(Rcode.NOTIMP);
            return response;
        }
        if (question == null) {
            response.getHeader().setRcode(Rcode.FORMERR);
            return response;
        }
        response.addRecord(question, Section.QUESTION);
        if (question.getDClass() != DClass.IN) {
            response.getHeader().setRcode(Rcode.REFUSED);
            return response;
        }
        Answer answer = new Answer();
        resolve(question.getName(), question.getType(), answer, 0);
        response.getHeader().setRcode(answer.rcode);
        int qtype = question.getType();
        for (RRset set : answer.answer.values()) {
            add(response, set, Section.ANSWER, dnssecOk, qtype);
        }
        for (RRset set : answer.authority.values()) {
            add(response, set, Section.AUTHORITY, dnssecOk, qtype);
        }
        return response;
    }

    private static void add(Message m, RRset set, int section, boolean dnssecOk, int qtype) {
        boolean denial = set.getType() == Type.NSEC || set.getType() == Type.NSEC3;
        if (!dnssecOk && denial && set.getType() != qtype) {
            return;
        }
        for (Record r : set.rrs(false)) {
            m.addRecord(r, section);
        }
        if (dnssecOk) {
            for (RRSIGRecord sig : set.sigs()) {
                m.addRecord(sig, section);
            }
        }
    }

    private static final class Answer {
        final Map<String, RRset> answer = new LinkedHashMap<>();
        final Map<String, RRset> authority = new LinkedHashMap<>();
        int rcode = Rcode.NOERROR;

        void answer(RRset set) {
            answer.putIfAbsent(set.getName() + "/" + set.getType(), set);
        }

        void authority(RRset set) {
            if (set != null) {
                authority.putIfAbsent(set.getName() + "/" + set.getType(), set);
            }
        }
    }

    private void resolve(Name qname, int qtype, Answer out, int hops) {
        if (hops > MAX_CHAIN) {
            out.rcode = Rcode.SERVFAIL;
            return;
        }
        ZoneData zone = zoneFor(qname, qtype);
        if (zone == null) {
            out.rcode = Rcode.REFUSED;
            return;
        }
        Name cut = cutAbove(zone, qname);
        if (cut != null && !(qtype == Type.DS && qname.equals(cut))) {
            out.rcode = Rcode.SERVFAIL; // a delegation to a zone the world does not hold: lame
            return;
        }
        for (int strip = qname.labels() - zone.origin.labels(); strip >= 1; strip--) {
            Name ancestor = new Name(qname, strip);
            RRset dname = zone.rrset(ancestor, Type.DNAME);
            if (dname != null) {
                out.answer(dname);
                Name target;
                try {
                    target = qname.fromDNAME((DNAMERecord) dname.first());
                } catch (NameTooLongException e) {
                    out.rcode = Rcode.YXDOMAIN; // RFC 6672 §2.2
                    return;
                }
                out.answer(new RRset(new CNAMERecord(qname, DClass.IN, dname.getTTL(), target)));
                resolve(target, qtype, out, hops + 1);
                return;
            }
        }
        Map<Integer, RRset> node = zone.nodes.get(qname);
        if (node != null) {
            if (qtype == Type.ANY) {
                node.values().forEach(out::answer);
                return;
            }
            RRset set = node.get(qtype);
            if (set != null) {
                out.answer(set);
                return;
            }
            RRset cname = node.get(Type.CNAME);
            if (cname != null) {
                out.answer(cname);
                resolve(((CNAMERecord) cname.first()).getTarget(), qtype, out, hops + 1);
                return;
            }
            nodata(zone, qname, out);
            return;
        }
        if (zone.existing.contains(qname)) {
            nodata(zone, qname, out); // empty non-terminal
            return;
        }
        Name encloser = closestEncloser(zone, qname);
        Name wildcard = wildcardAt(encloser);
        Map<Integer, RRset> wild = zone.nodes.get(wildcard);
        if (wild != null) {
            RRset set = wild.get(qtype);
            RRset cname = wild.get(Type.CNAME);
            if (set != null || cname != null) {
                out.answer(expand(set != null ? set : cname, qname));
                wildcardAnswerProof(zone, qname, encloser, out);
                if (set == null) {
                    resolve(((CNAMERecord) cname.first()).getTarget(), qtype, out, hops + 1);
                }
                return;
            }
            out.authority(zone.rrset(zone.origin, Type.SOA));
            if (zone.nsec3param != null) {
                closestEncloserProof(zone, qname, encloser, out);
                proof(zone, zone.nsec3.get(zone.hashedOwner(wildcard)), out, qname);
            } else {
                proof(zone, nsecCovering(zone, qname), out, qname);
                proof(zone, zone.nsec.get(wildcard), out, qname);
            }
            return;
        }
        out.rcode = Rcode.NXDOMAIN;
        out.authority(zone.rrset(zone.origin, Type.SOA));
        if (zone.nsec3param != null) {
            closestEncloserProof(zone, qname, encloser, out);
            proof(zone, nsec3Covering(zone, zone.hashedOwner(wildcard)), out, qname);
        } else if (!zone.nsec.isEmpty()) {
            proof(zone, nsecCovering(zone, qname), out, qname);
            proof(zone, nsecCovering(zone, wildcard), out, qname);
        }
    }

    private void nodata(ZoneData zone, Name qname, Answer out) {
        out.authority(zone.rrset(zone.origin, Type.SOA));
        if (zone.nsec3param != null) {
            RRset match = zone.nsec3.get(zone.hashedOwner(qname));
            if (match != null) {
                proof(zone, match, out, qname);
            } else {
                // RFC 5155 §7.2.4: an opted-out name (an insecure delegation) is proven by its
                // closest provable encloser and an opt-out NSEC3 covering the next closer name.
                closestEncloserProof(zone, qname, provableEncloser(zone, qname), out);
            }
        } else if (!zone.nsec.isEmpty()) {
            RRset match = zone.nsec.get(qname);
            proof(zone, match != null ? match : nsecCovering(zone, qname), out, qname);
        }
    }

    private void wildcardAnswerProof(ZoneData zone, Name qname, Name encloser, Answer out) {
        if (zone.nsec3param != null) {
            proof(
                    zone,
                    nsec3Covering(zone, zone.hashedOwner(nextCloser(qname, encloser))),
                    out,
                    qname);
        } else if (!zone.nsec.isEmpty()) {
            proof(zone, nsecCovering(zone, qname), out, qname);
        }
    }

    private void closestEncloserProof(ZoneData zone, Name qname, Name encloser, Answer out) {
        proof(zone, zone.nsec3.get(zone.hashedOwner(encloser)), out, qname);
        proof(zone, nsec3Covering(zone, zone.hashedOwner(nextCloser(qname, encloser))), out, qname);
    }

    /**
     * Adds one denial record, unless the zone's denial breakage says otherwise. {@code qname} is
     * the name the proof is about: a WRONG proof avoids every record that matches or covers it, one
     * of its ancestors in the zone, or a wildcard at one of them; when the chain has none left, it
     * is omitted.
     */
    private static void proof(ZoneData zone, RRset set, Answer out, Name qname) {
        if (set == null || zone.denialBreakage == DenialBreakage.MISSING) {
            return;
        }
        if (zone.denialBreakage == DenialBreakage.WRONG) {
            set = unrelated(zone, set, qname);
        }
        out.authority(set);
    }

    private static RRset unrelated(ZoneData zone, RRset set, Name qname) {
        boolean hashed = set.getType() == Type.NSEC3;
        java.util.NavigableMap<Name, RRset> chain = hashed ? zone.nsec3 : zone.nsec;
        java.util.Set<Name> forbidden = new java.util.HashSet<>();
        for (Name n = qname; n.subdomain(zone.origin); n = new Name(n, 1)) {
            for (Name about : new Name[] {n, wildcardAt(n)}) {
                Name key = hashed ? zone.hashedOwner(about) : about;
                Map.Entry<Name, RRset> relevant = chain.floorEntry(key);
                forbidden.add((relevant != null ? relevant : chain.lastEntry()).getKey());
            }
            if (n.equals(zone.origin)) {
                break;
            }
        }
        for (Name owner : chain.tailMap(set.getName(), false).keySet()) {
            if (!forbidden.contains(owner)) {
                return chain.get(owner);
            }
        }
        for (Name owner : chain.headMap(set.getName(), true).keySet()) {
            if (!forbidden.contains(owner)) {
                return chain.get(owner);
            }
        }
        return null;
    }

    private static RRset nsecCovering(ZoneData zone, Name name) {
        if (zone.nsec.isEmpty()) {
            return null; // an unsigned zone (a wildcard-matched name asked for its DS) has nothing
            // to prove with
        }
        Map.Entry<Name, RRset> e = zone.nsec.floorEntry(name);
        return e != null ? e.getValue() : zone.nsec.lastEntry().getValue();
    }

    private static RRset nsec3Covering(ZoneData zone, Name hashedOwner) {
        if (zone.nsec3.isEmpty()) {
            return null;
        }
        Map.Entry<Name, RRset> e = zone.nsec3.floorEntry(hashedOwner);
        return e != null
                ? e.getValue()
                : zone.nsec3.lastEntry().getValue(); // wraps around the hash space
    }

    private static Name closestEncloser(ZoneData zone, Name qname) {
        for (Name n = new Name(qname, 1); ; n = new Name(n, 1)) {
            if (n.equals(zone.origin) || zone.existing.contains(n)) {
                return n;
            }
        }
    }

    /** The closest ancestor of {@code qname} that has an NSEC3 record (opt-out may skip names). */
    private static Name provableEncloser(ZoneData zone, Name qname) {
        for (Name n = new Name(qname, 1); ; n = new Name(n, 1)) {
            if (n.equals(zone.origin) || zone.nsec3.containsKey(zone.hashedOwner(n))) {
                return n;
            }
        }
    }

    private static Name nextCloser(Name qname, Name encloser) {
        return new Name(qname, qname.labels() - encloser.labels() - 1);
    }

    private static Name wildcardAt(Name encloser) {
        try {
            return Name.concatenate(Name.fromConstantString("*"), encloser);
        } catch (NameTooLongException e) {
            return encloser; // a 254-octet encloser has no wildcard child; it cannot match a node
        }
    }

    private static RRset expand(RRset wildcard, Name qname) {
        List<Record> rrs = new ArrayList<>();
        for (Record r : wildcard.rrs(false)) {
            rrs.add(r.withName(qname));
        }
        RRset out = new RRset(rrs);
        for (RRSIGRecord sig : wildcard.sigs()) {
            out.addRR(
                    (RRSIGRecord)
                            sig.withName(qname)); // the labels field still tells the validator
        }
        return out;
    }

    /** The deepest zone holding {@code qname}; DS at a zone apex belongs to the parent. */
    private ZoneData zoneFor(Name qname, int qtype) {
        for (Name n = qname; ; n = new Name(n, 1)) {
            if (zones.contains(n)
                    && !(qtype == Type.DS && n.equals(qname) && !n.equals(Name.root))) {
                return zones.get(n);
            }
            if (n.equals(Name.root)) {
                return null;
            }
        }
    }

    /** The highest delegation point of {@code zone} at or above {@code qname}, or null. */
    private static Name cutAbove(ZoneData zone, Name qname) {
        if (zone.delegations.isEmpty()) {
            return null;
        }
        for (int strip = qname.labels() - zone.origin.labels() - 1; strip >= 0; strip--) {
            Name n = new Name(qname, strip);
            if (zone.delegations.contains(n)) {
                return n;
            }
        }
        return null;
    }
}
