package dev.daneel.validator.unbound;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * One server's reply as Unbound's iterator reads it, before the validator sees it: parsed ({@code
 * util/data/msgparse.c}: RRSIGs join their RRsets), scrubbed ({@code iterator/iter_scrub.c}) and
 * classified ({@code iterator/iter_resptype.c}). Also the message the simulated recursive hands the
 * stub. Mutable only while {@link ScenarioIterator} builds it; not thread-safe.
 */
final class ServerReply {

    /** How Unbound's iterator treats a reply ({@code iter_resptype.h}). */
    enum Kind {
        ANSWER,
        CNAME,
        REFERRAL,
        THROWAWAY
    }

    /**
     * An RRset with the RRSIGs that cover it; {@code rrs} is empty for RRSIGs whose RRset is
     * absent.
     */
    static final class RRs {
        final Name name;
        final int type;
        final int dclass;
        final List<Record> rrs = new ArrayList<>();
        final List<RRSIGRecord> sigs = new ArrayList<>();

        RRs(Name name, int type, int dclass) {
            this.name = name;
            this.type = type;
            this.dclass = dclass;
        }

        boolean sameSet(RRs o) {
            return name.equals(o.name) && type == o.type && dclass == o.dclass;
        }

        long ttl() {
            long t = Long.MAX_VALUE;
            for (Record r : rrs) {
                t = Math.min(t, r.getTTL());
            }
            for (Record r : sigs) {
                t = Math.min(t, r.getTTL());
            }
            return t == Long.MAX_VALUE ? 0 : t;
        }

        List<String> addresses() {
            List<String> out = new ArrayList<>();
            for (Record r : rrs) {
                if (r instanceof ARecord a) {
                    out.add(a.getAddress().getHostAddress());
                } else if (r instanceof AAAARecord a) {
                    out.add(a.getAddress().getHostAddress());
                }
            }
            return out;
        }

        RRs aged(double seconds) {
            long minus = (long) seconds;
            RRs copy = new RRs(name, type, dclass);
            rrs.forEach(r -> copy.rrs.add(withTtl(r, Math.max(0, r.getTTL() - minus))));
            sigs.forEach(
                    r -> copy.sigs.add((RRSIGRecord) withTtl(r, Math.max(0, r.getTTL() - minus))));
            return copy;
        }
    }

    final int rcode;
    final List<RRs> answer;
    final List<RRs> authority;
    final List<RRs> additional;

    /** The AA and TC bits of the server's reply. */
    boolean aa;

    boolean tc;

    ServerReply(int rcode, List<RRs> answer, List<RRs> authority, List<RRs> additional) {
        this.rcode = rcode;
        this.answer = new ArrayList<>(answer);
        this.authority = new ArrayList<>(authority);
        this.additional = new ArrayList<>(additional);
    }

    static ServerReply servfail() {
        return new ServerReply(Rcode.SERVFAIL, List.of(), List.of(), List.of());
    }

    /**
     * Unbound's {@code msgparse.c}: an RRSIG joins the RRset it covers whatever the section (an
     * RRSIG seen first waits for it); an RRset's records in a second section are dropped. When
     * RRSIGs are the question, they are data.
     */
    static ServerReply parse(Message m, int qtype) {
        List<List<RRs>> sections = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        Map<Key, RRs> data = new HashMap<>();
        Map<Key, RRs> sigOnly = new HashMap<>();
        Map<RRs, Integer> sectionOf = new HashMap<>();
        int[] ids = {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL};
        for (int i = 0; i < 3; i++) {
            for (Record r : m.getSection(ids[i])) {
                if (r instanceof RRSIGRecord sig && qtype != Type.RRSIG) {
                    Key k = new Key(r.getName(), sig.getTypeCovered());
                    RRs set = data.get(k);
                    if (set == null) {
                        set =
                                sigOnly.computeIfAbsent(
                                        k, x -> new RRs(x.name, x.type, r.getDClass()));
                        if (!sectionOf.containsKey(set)) {
                            sectionOf.put(set, i);
                            sections.get(i).add(set);
                        }
                    }
                    set.sigs.add(sig);
                    continue;
                }
                Key k = new Key(r.getName(), r.getType());
                RRs set = data.get(k);
                if (set == null) {
                    set = sigOnly.remove(k);
                    if (set != null) {
                        sections.get(sectionOf.get(set)).remove(set); // Unbound's change_section
                    } else {
                        set = new RRs(r.getName(), r.getType(), r.getDClass());
                    }
                    data.put(k, set);
                    sectionOf.put(set, i);
                    sections.get(i).add(set);
                } else if (sectionOf.get(set) != i) {
                    continue; // RFC 2181 §5: an RRset once; Unbound keeps the first part
                }
                if (!set.rrs.contains(r)) {
                    set.rrs.add(r);
                }
            }
        }
        ServerReply reply =
                new ServerReply(m.getRcode(), sections.get(0), sections.get(1), sections.get(2));
        reply.aa = m.getHeader().getFlag(Flags.AA);
        reply.tc = m.getHeader().getFlag(Flags.TC);
        return reply;
    }

    private ServerReply withFlagsOf(ServerReply other) {
        aa = other.aa;
        tc = other.tc;
        return this;
    }

    /** Unbound's {@code scrub_message} refuses a reply whose question is not the one asked. */
    boolean echoes(Message m, Name qname, int qtype) {
        Record q = m.getQuestion();
        if (q == null) {
            return rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN && rcode != Rcode.YXDOMAIN;
        }
        return q.getName().equals(qname) && q.getType() == qtype;
    }

    private boolean soaInAuthority() {
        return authority.stream().anyMatch(s -> s.type == Type.SOA);
    }

    /**
     * Unbound's {@code scrub_normalize} and {@code scrub_sanitize}, the parts that change what is
     * validated.
     */
    ServerReply scrubbed(Name qname, int qtype, Name zone) {
        if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN && rcode != Rcode.YXDOMAIN) {
            return this;
        }
        List<RRs> an = new ArrayList<>();
        Name sname = qname;
        boolean hasAnswer = false;
        for (int i = 0; i < answer.size(); i++) {
            RRs s = answer.get(i);
            if (s.type == Type.DNAME
                    && strictlyBelow(sname, s.name)
                    && s.name.subdomain(zone)
                    && s.rrs.size() == 1) {
                if (hasAnswer) {
                    continue;
                }
                an.add(s);
                Name alias;
                try {
                    alias = sname.fromDNAME((DNAMERecord) s.rrs.get(0));
                } catch (NameTooLongException e) {
                    if (rcode == Rcode.YXDOMAIN) {
                        continue;
                    }
                    return servfail();
                }
                RRs next = i + 1 < answer.size() ? answer.get(i + 1) : null;
                if (next != null
                        && next.type == Type.CNAME
                        && next.name.equals(sname)
                        && !next.rrs.isEmpty()
                        && ((CNAMERecord) next.rrs.get(0)).getTarget().equals(alias)) {
                    an.add(next);
                    i++;
                } else {
                    RRs synth = new RRs(sname, Type.CNAME, s.dclass);
                    synth.rrs.add(new CNAMERecord(sname, s.dclass, s.rrs.get(0).getTTL(), alias));
                    an.add(synth);
                }
                sname = alias;
                continue;
            }
            if (!s.name.equals(sname)) {
                continue;
            }
            if (s.type == Type.CNAME) {
                if (hasAnswer || s.rrs.isEmpty()) {
                    continue;
                }
                an.add(s);
                sname = ((CNAMERecord) s.rrs.get(0)).getTarget();
                continue;
            }
            if (qtype != Type.ANY && qtype != s.type) {
                continue;
            }
            an.add(s);
            hasAnswer = true;
        }
        // sanitize: the answer keeps only a leading DNAME and the RRsets at the question name.
        List<RRs> kept = new ArrayList<>();
        for (int i = 0; i < an.size(); i++) {
            RRs s = an.get(i);
            if (s.name.equals(qname) || i == 0 && s.type == Type.DNAME) {
                kept.add(s);
            }
        }
        boolean negative =
                rcode == Rcode.NXDOMAIN
                        || rcode == Rcode.NOERROR && soaInAuthority() && kept.isEmpty();
        List<RRs> ns = new ArrayList<>();
        boolean nsSeen = false;
        for (RRs s : authority) {
            if (s.type == Type.DNAME
                    || s.type == Type.CNAME
                    || s.type == Type.A
                    || s.type == Type.AAAA) {
                continue;
            }
            if (s.type == Type.NS) {
                if (!qname.subdomain(s.name) || negative || nsSeen) {
                    continue;
                }
                nsSeen = true;
            }
            if (s.type == Type.DS && qtype == Type.DS && s.name.equals(qname)) {
                return new ServerReply(rcode, List.of(s), List.of(), List.of()).withFlagsOf(this);
            }
            ns.add(s);
        }
        Set<Name> glueNames = new HashSet<>();
        for (RRs s : concat(kept, ns)) {
            for (Record r : s.rrs) {
                Name n = r.getAdditionalName();
                if (n != null) {
                    glueNames.add(n);
                }
            }
        }
        List<RRs> ar = new ArrayList<>();
        for (RRs s : additional) {
            boolean address = s.type == Type.A || s.type == Type.AAAA;
            if (address && !glueNames.contains(s.name)
                    || s.type == Type.CNAME
                    || s.type == Type.DNAME
                    || s.type == Type.NS) {
                continue;
            }
            ar.add(s);
        }
        return new ServerReply(
                        rcode,
                        inZone(kept, zone, false),
                        inZone(
                                ns,
                                zone,
                                kept.isEmpty() && rcode == Rcode.NOERROR && !soaInAuthority()),
                        inZone(ar, zone, false))
                .withFlagsOf(this);
    }

    /** Drops RRsets outside the zone the server was asked as, and NSECs that reach out of it. */
    private static List<RRs> inZone(List<RRs> sets, Name zone, boolean keepUpwardNs) {
        List<RRs> out = new ArrayList<>();
        for (RRs s : sets) {
            if (!s.name.subdomain(zone)) {
                if (!(keepUpwardNs && s.type == Type.NS && zone.subdomain(s.name))) {
                    continue; // potential poison; an upward NS stays, to be classified lame
                }
            }
            if (s.type == Type.NSEC
                    && s.rrs.stream().anyMatch(r -> !((NSECRecord) r).getNext().subdomain(zone))) {
                continue; // overreaching NSEC
            }
            out.add(s);
        }
        return out;
    }

    /**
     * Unbound's {@code response_type_from_server}, plus the referral sanity check of the iterator.
     */
    Kind classify(Name qname, int qtype, Name zone, boolean forward) {
        boolean rd = forward;
        if (tc) {
            return Kind.THROWAWAY;
        }
        if (rcode == Rcode.NXDOMAIN) {
            boolean cname =
                    answer.stream().anyMatch(s -> s.type == Type.CNAME && s.name.equals(qname));
            return cname ? Kind.CNAME : Kind.ANSWER;
        }
        if (rcode == Rcode.YXDOMAIN && answer.stream().anyMatch(s -> s.type == Type.DNAME)) {
            return Kind.ANSWER;
        }
        if (rcode != Rcode.NOERROR) {
            return Kind.THROWAWAY;
        }
        if (!answer.isEmpty()) {
            Name mname = qname;
            for (RRs s : answer) {
                if ((qtype == Type.ANY || qtype == Type.NS)
                        && s.type == Type.NS
                        && strictlyBelow(s.name, zone)) {
                    return aa || rd ? Kind.ANSWER : referral(qname, zone);
                }
                if (s.type == qtype && s.name.equals(mname)) {
                    return Kind.ANSWER;
                }
                if (s.type == Type.CNAME && s.name.equals(mname) && !s.rrs.isEmpty()) {
                    mname = ((CNAMERecord) s.rrs.get(0)).getTarget();
                }
            }
            if (qtype == Type.ANY) {
                return Kind.ANSWER;
            }
            if (!mname.equals(qname)) {
                return Kind.CNAME;
            }
        }
        for (RRs s : authority) {
            if (s.type == Type.SOA && qname.subdomain(s.name)) {
                return Kind.ANSWER;
            }
        }
        for (RRs s : authority) {
            if (s.type != Type.NS) {
                continue;
            }
            if (s.name.equals(zone)) {
                return Kind.ANSWER;
            }
            if (zone.subdomain(s.name)) {
                return rd ? Kind.ANSWER : Kind.THROWAWAY; // an upward referral: lame
            }
            if (s.name.subdomain(zone)) {
                return rd ? Kind.ANSWER : referral(qname, zone);
            }
        }
        return Kind.ANSWER; // NODATA, or an empty message
    }

    private Kind referral(Name qname, Name zone) {
        RRs ns = referralNs();
        if (ns == null || !strictlyBelow(ns.name, zone) || !qname.subdomain(ns.name)) {
            return Kind.THROWAWAY; // "bad referral, throwaway"
        }
        return Kind.REFERRAL;
    }

    RRs referralNs() {
        for (RRs s : concat(authority, answer)) {
            if (s.type == Type.NS && !s.rrs.isEmpty()) {
                return s;
            }
        }
        return null;
    }

    /**
     * Seconds a recursive would keep this reply: its shortest TTL, negative TTL per RFC 2308 §5.
     */
    long ttl() {
        long t = Long.MAX_VALUE;
        for (RRs s : concat(answer, authority)) {
            t = Math.min(t, s.ttl());
            for (Record r : s.rrs) {
                if (r instanceof SOARecord soa) {
                    t = Math.min(t, soa.getMinimum());
                }
            }
        }
        return t == Long.MAX_VALUE ? 0 : t;
    }

    ServerReply aged(double seconds) {
        ServerReply r =
                new ServerReply(
                        rcode,
                        answer.stream().map(s -> s.aged(seconds)).toList(),
                        authority.stream().map(s -> s.aged(seconds)).toList(),
                        additional.stream().map(s -> s.aged(seconds)).toList());
        return r.withFlagsOf(this);
    }

    ServerReply withPrepended(List<RRs> an, List<RRs> ns) {
        if (an.isEmpty() && ns.isEmpty()) {
            return this;
        }
        List<RRs> answers = new ArrayList<>(an);
        answer.stream().filter(s -> answers.stream().noneMatch(s::sameSet)).forEach(answers::add);
        List<RRs> auth = new ArrayList<>(ns);
        authority.stream().filter(s -> auth.stream().noneMatch(s::sameSet)).forEach(auth::add);
        return new ServerReply(rcode, answers, auth, additional).withFlagsOf(this);
    }

    /**
     * The recursive's response to the stub: QR RD RA, the question, every section with its RRSIGs.
     */
    Message toMessage(Name qname, int qtype) {
        Message m = new Message();
        m.getHeader().setFlag(Flags.QR);
        m.getHeader().setFlag(Flags.RD);
        m.getHeader().setFlag(Flags.RA);
        m.getHeader().setRcode(rcode);
        m.addRecord(Record.newRecord(qname, qtype, DClass.IN), Section.QUESTION);
        int[] ids = {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL};
        List<List<RRs>> sections = List.of(answer, authority, additional);
        for (int i = 0; i < 3; i++) {
            for (RRs s : sections.get(i)) {
                for (Record r : s.rrs) {
                    m.addRecord(r, ids[i]);
                }
                for (Record r : s.sigs) {
                    m.addRecord(r, ids[i]);
                }
            }
        }
        return m;
    }

    private static List<RRs> concat(List<RRs> a, List<RRs> b) {
        List<RRs> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private record Key(Name name, int type) {}

    static boolean strictlyBelow(Name name, Name ancestor) {
        return name.subdomain(ancestor) && !name.equals(ancestor);
    }

    /** A copy of {@code r} with another TTL (dnsjava records are immutable). */
    static Record withTtl(Record r, long ttl) {
        byte[] wire =
                r.toWire(Section.ANSWER); // uncompressed: owner, type, class, TTL, rdlength, rdata
        byte[] rdata = Arrays.copyOfRange(wire, r.getName().length() + 10, wire.length);
        return Record.newRecord(r.getName(), r.getType(), r.getDClass(), ttl, rdata);
    }
}
