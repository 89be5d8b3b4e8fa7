package dev.daneel.validator.unbound;

import dev.daneel.validator.internal.Fetcher;
import dev.daneel.validator.unbound.ServerReply.Kind;
import dev.daneel.validator.unbound.ServerReply.RRs;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.DoubleSupplier;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * Plays the recursive resolver over a scenario's canned server answers, so that Daneel's stub
 * validator can ask it its DO+CD questions. It does what Unbound's iterator does with the same
 * data, in small:
 *
 * <ol>
 *   <li>Look in its cache: a message stored for the question, or a DS/DNSKEY/CNAME RRset learned
 *       earlier (Unbound's {@code dns_cache_lookup}), or a DS absence proven by the NSEC/NSEC3
 *       records of a referral, or a NODATA/NXDOMAIN synthesised from cached NSEC records and the
 *       zone's SOA (Unbound's negative cache, {@code val_neg.c}: for DS always, for other types
 *       with {@code aggressive-nsec: yes}, RFC 8198).
 *   <li>Otherwise start at the deepest delegation known for the name (for DS: for its parent): a
 *       cached NS RRset or a {@code stub-zone}/{@code forward-zone}, ask its servers in order; a
 *       server with no matching entry in its {@code RANGE} for the current step is a server that
 *       does not answer.
 *   <li>Read the reply as Unbound does ({@link ServerReply}): RRSIGs join their RRsets whatever the
 *       section; the answer keeps only the RRsets at the question name and a leading DNAME with its
 *       synthesised CNAME; out-of-zone and overreaching records go; then answer, CNAME, referral or
 *       lame.
 *   <li>Follow referrals (NS and glue, or a target lookup for glueless NS); restart at the target
 *       of a CNAME, prepending the CNAME/DNAME RRsets and the NSEC/NSEC3 RRsets that proved a
 *       wildcard.
 * </ol>
 *
 * <p>The response is what a recursive returns to a DO+CD query: every RRSIG, no validation. A DS
 * query that a parent answers with a referral to that very name is answered as NODATA with the
 * referral's denial records, as the parent's authoritative data would be. No server answering gives
 * SERVFAIL. Every question that found no entry is written to {@link #trace()}, to tell harness gaps
 * from validator bugs. Not thread-safe; the engine calls it on one thread, since the futures are
 * complete.
 */
final class ScenarioIterator implements Fetcher {

    /** Unbound's {@code MAX_RESTART_COUNT}: CNAME restarts per question. */
    static final int MAX_RESTARTS = 11;

    /** Unbound's {@code MAX_REFERRAL_COUNT}. */
    static final int MAX_REFERRALS = 130;

    /** Nesting of glue lookups for NS names without glue. */
    static final int MAX_TARGET_DEPTH = 3;

    private final RplScenario scenario;
    private final DoubleSupplier clock;
    private int step;
    private final Map<Key, Cached<ServerReply>> messages = new HashMap<>();
    private final Map<Key, Cached<RRs>> rrsets = new HashMap<>();
    private final Map<Name, Cached<RRs>> delegations = new HashMap<>();
    private final Map<Name, Cached<List<String>>> addresses = new HashMap<>();
    private final Map<Name, Cached<RRs>> nsecs = new HashMap<>();
    private final Map<Name, Cached<RRs>> soas = new HashMap<>();
    private final List<String> trace = new ArrayList<>();
    private final List<Sent> sent = new ArrayList<>();
    private final Set<RplScenario.Step> usedReplies = new HashSet<>();
    private boolean nsFromCache;
    private boolean cacheOnly;
    private final Map<String, Integer> rtts = new HashMap<>();

    /**
     * @param clock seconds elapsed in the scenario (its {@code TIME_PASSES}), for cache expiry
     */
    ScenarioIterator(RplScenario scenario, DoubleSupplier clock) {
        this.scenario = scenario;
        this.clock = clock;
    }

    /** Sets the step number that selects the {@code RANGE}s in force. */
    void step(int step) {
        this.step = step;
    }

    /** The questions no simulated server had an entry for, and other oddities, in order. */
    List<String> trace() {
        return trace;
    }

    @Override
    public CompletableFuture<Message> query(Name name, int type) {
        return CompletableFuture.completedFuture(resolve(name, type, 0).toMessage(name, type));
    }

    // ---- resolution
    // -------------------------------------------------------------------------------

    private ServerReply resolve(Name qname, int qtype, int depth) {
        List<RRs> prependAnswer = new ArrayList<>();
        List<RRs> prependAuthority = new ArrayList<>();
        Set<Name> seen = new HashSet<>();
        Name sname = qname;
        for (int restarts = 0; ; restarts++) {
            if (restarts > MAX_RESTARTS) {
                trace.add("more than " + MAX_RESTARTS + " CNAME restarts for " + qname);
                return ServerReply.servfail();
            }
            ServerReply r = fromCache(sname, qtype);
            if (r == null) {
                r = cacheOnly ? ServerReply.servfail() : iterate(sname, qtype, depth);
            }
            Name target =
                    r.rcode == Rcode.SERVFAIL
                            ? null
                            : cnameTarget(r, sname, qtype, prependAnswer, prependAuthority);
            if (target == null) {
                return r.withPrepended(prependAnswer, prependAuthority);
            }
            if (!seen.add(sname) || seen.contains(target)) {
                // A loop: hand over the chain so far, as a recursive that stops following does.
                return new ServerReply(Rcode.NOERROR, List.of(), List.of(), List.of())
                        .withPrepended(prependAnswer, prependAuthority);
            }
            sname = target;
        }
    }

    /**
     * When {@code r} answers {@code sname} only with a CNAME (or DNAME) chain, adds its links and
     * wildcard proofs to the prepend lists (Unbound's {@code handle_cname_response}) and returns
     * where to restart.
     */
    private static Name cnameTarget(
            ServerReply r, Name sname, int qtype, List<RRs> answer, List<RRs> authority) {
        Name mname = sname;
        boolean answered = false;
        List<RRs> links = new ArrayList<>();
        for (RRs s : r.answer) {
            if (s.type == Type.DNAME && ServerReply.strictlyBelow(mname, s.name)) {
                links.add(s);
            } else if (s.type == Type.CNAME
                    && s.name.equals(mname)
                    && (qtype != Type.CNAME || r.rcode == Rcode.NXDOMAIN)
                    && !s.rrs.isEmpty()) {
                // Asked for the CNAME itself, only an NXDOMAIN beside it is chased
                // (response_type_from_server).
                links.add(s);
                mname = ((CNAMERecord) s.rrs.get(0)).getTarget();
            } else if (s.name.equals(mname) && (s.type == qtype || qtype == Type.ANY)) {
                answered = true;
            }
        }
        if (mname.equals(sname) || answered || r.rcode == Rcode.YXDOMAIN) {
            return null;
        }
        for (RRs s : links) {
            if (answer.stream().noneMatch(x -> x.sameSet(s))) {
                answer.add(s);
            }
        }
        for (RRs s : r.authority) {
            if ((s.type == Type.NSEC || s.type == Type.NSEC3)
                    && authority.stream().noneMatch(x -> x.sameSet(s))) {
                authority.add(s);
            }
        }
        return mname;
    }

    /** Unbound's {@code dns_cache_lookup}, in small. */
    private ServerReply fromCache(Name name, int type) {
        Key key = new Key(name, type);
        Cached<ServerReply> m = messages.get(key);
        if (m != null && m.fresh(now())) {
            return m.value.aged(now() - m.stored);
        }
        if (type == Type.NS && nsFromCache) {
            Cached<RRs> ns = delegations.get(name);
            if (ns != null && ns.fresh(now()) && !ns.value.sigs.isEmpty()) {
                return new ServerReply(
                        Rcode.NOERROR,
                        List.of(ns.value.aged(now() - ns.stored)),
                        List.of(),
                        List.of());
            }
        }
        if (type != Type.DS) {
            Cached<RRs> cname = rrsets.get(new Key(name, Type.CNAME));
            // Not a wildcard expansion: alone, it would lack its NSEC proof.
            boolean wildcard =
                    cname != null
                            && cname.value.sigs.stream()
                                    .anyMatch(
                                            sig -> sig.getLabels() < cname.value.name.labels() - 1);
            if (cname != null && cname.fresh(now()) && !wildcard) {
                return new ServerReply(
                        Rcode.NOERROR,
                        List.of(cname.value.aged(now() - cname.stored)),
                        List.of(),
                        List.of());
            }
        }
        if (type != Type.DS) {
            // A cached DNAME above the name answers for it with a synthesised CNAME (RFC 6672
            // §3.2), as
            // Unbound's cache does.
            for (Name above = name.labels() > 1 ? new Name(name, 1) : null;
                    above != null;
                    above = above.labels() > 1 ? new Name(above, 1) : null) {
                Cached<RRs> dname = rrsets.get(new Key(above, Type.DNAME));
                if (dname != null && dname.fresh(now())) {
                    RRs aged = dname.value.aged(now() - dname.stored);
                    try {
                        Name target = name.fromDNAME((org.xbill.DNS.DNAMERecord) aged.rrs.get(0));
                        RRs synth = new RRs(name, Type.CNAME, aged.dclass);
                        synth.rrs.add(
                                new CNAMERecord(
                                        name, aged.dclass, aged.rrs.get(0).getTTL(), target));
                        return new ServerReply(
                                Rcode.NOERROR, List.of(aged, synth), List.of(), List.of());
                    } catch (org.xbill.DNS.NameTooLongException e) {
                        return null;
                    }
                }
            }
        }
        if (type == Type.DS || type == Type.DNSKEY) {
            Cached<RRs> set = rrsets.get(key);
            if (set != null && set.fresh(now())) {
                return new ServerReply(
                        Rcode.NOERROR,
                        List.of(set.value.aged(now() - set.stored)),
                        List.of(),
                        List.of());
            }
        }
        return "yes".equals(scenario.option("aggressive-nsec")) || type == Type.DS
                ? fromNsec(name, type)
                : null;
    }

    /**
     * Unbound's negative cache ({@code val_neg_getmsg}), in small: a NODATA or NXDOMAIN synthesised
     * from cached NSEC records and the zone's SOA (RFC 8198), for DS always, for other types with
     * {@code aggressive-nsec: yes}. NSEC3 is not used, as in Unbound for types other than DS.
     */
    private ServerReply fromNsec(Name qname, int qtype) {
        RRs nsec = nsecFor(qname);
        if (nsec == null) {
            return null;
        }
        NSECRecord n = (NSECRecord) nsec.rrs.get(0);
        RRs soa = soaFor(nsec);
        if (soa == null) {
            return null;
        }
        if (n.getName().equals(qname)) {
            boolean cut = n.hasType(Type.NS) && !n.hasType(Type.SOA);
            boolean nodata =
                    qtype != Type.ANY
                            && !n.hasType(qtype)
                            && !n.hasType(Type.CNAME)
                            && (qtype == Type.DS
                                    ? !n.hasType(Type.SOA) || qname.equals(Name.root)
                                    : !cut);
            return nodata
                    ? new ServerReply(Rcode.NOERROR, List.of(), List.of(nsec, soa), List.of())
                    : null;
        }
        if (strictlyBelowCut(qname, n)) {
            return null; // qname lies in another zone
        }
        if (ServerReply.strictlyBelow(n.getNext(), qname)) { // qname is an empty non-terminal
            return qtype == Type.ANY
                    ? null
                    : new ServerReply(Rcode.NOERROR, List.of(), List.of(nsec, soa), List.of());
        }
        Name ce = commonAncestor(qname, n.getName());
        Name ce2 = commonAncestor(qname, n.getNext());
        if (ce2.labels() > ce.labels()) {
            ce = ce2;
        }
        Name wildcard;
        try {
            wildcard = Name.concatenate(Name.fromConstantString("*"), ce);
        } catch (NameTooLongException e) {
            return null;
        }
        RRs wc = nsecFor(wildcard);
        if (wc == null || ((NSECRecord) wc.rrs.get(0)).getName().equals(wildcard)) {
            return null; // the wildcard may exist: that is for the servers to answer
        }
        List<RRs> proof = new ArrayList<>(List.of(nsec));
        if (wc != nsec) {
            proof.add(wc);
        }
        proof.add(soa);
        return new ServerReply(Rcode.NXDOMAIN, List.of(), proof, List.of());
    }

    /** The cached NSEC RRset whose owner is {@code name} or whose span covers it. */
    private RRs nsecFor(Name name) {
        RRs best = null;
        for (Cached<RRs> c : nsecs.values()) {
            if (!c.fresh(now())) {
                continue;
            }
            NSECRecord n = (NSECRecord) c.value.rrs.get(0);
            Name owner = n.getName();
            Name zone = c.value.sigs.isEmpty() ? null : c.value.sigs.get(0).getSigner();
            if (zone == null || !name.subdomain(zone)) {
                continue;
            }
            if (owner.equals(name)) {
                return c.value.aged(now() - c.stored);
            }
            boolean last = n.getNext().compareTo(owner) <= 0;
            if (owner.compareTo(name) < 0 && (last || name.compareTo(n.getNext()) < 0)) {
                best = c.value.aged(now() - c.stored);
            }
        }
        return best;
    }

    private RRs soaFor(RRs nsec) {
        Name zone = nsec.sigs.get(0).getSigner();
        Cached<RRs> soa = soas.get(zone);
        return soa != null && soa.fresh(now()) ? soa.value.aged(now() - soa.stored) : null;
    }

    /**
     * Whether the NSEC sits at a delegation or DNAME above {@code name}, so it cannot speak for it.
     */
    private static boolean strictlyBelowCut(Name name, NSECRecord n) {
        boolean cut = n.hasType(Type.NS) && !n.hasType(Type.SOA) || n.hasType(Type.DNAME);
        return cut && ServerReply.strictlyBelow(name, n.getName());
    }

    private static Name commonAncestor(Name a, Name b) {
        Name n = a;
        while (!b.subdomain(n)) {
            n = new Name(n, 1);
        }
        return n;
    }

    /**
     * One iterative resolution of {@code sname}/{@code qtype}, from the deepest known delegation.
     */
    private ServerReply iterate(Name sname, int qtype, int depth) {
        Name below = qtype == Type.DS && !sname.equals(Name.root) ? new Name(sname, 1) : sname;
        Delegation dp = delegation(below, depth);
        if (dp == null) {
            trace.add("no stub, forward or cached delegation for " + below);
            return ServerReply.servfail();
        }
        for (int referrals = 0; referrals <= MAX_REFERRALS; referrals++) {
            ServerReply answer = null;
            Kind kind = null;
            for (String server : byRtt(dp.servers())) {
                Message m = ask(server, sname, qtype, dp.forward());
                if (m == null) {
                    continue;
                }
                ServerReply r = ServerReply.parse(m, qtype);
                if (!r.echoes(m, sname, qtype)) {
                    trace.add(
                            server
                                    + " answered "
                                    + sname
                                    + "/"
                                    + Type.string(qtype)
                                    + " for another question");
                    continue;
                }
                r = r.scrubbed(sname, qtype, dp.zone());
                kind = r.classify(sname, qtype, dp.zone(), dp.forward());
                if (kind == Kind.THROWAWAY) {
                    continue;
                }
                answer = r;
                break;
            }
            if (answer == null) {
                trace.add(
                        "no server of "
                                + dp.zone()
                                + " "
                                + dp.servers()
                                + " answered "
                                + sname
                                + "/"
                                + Type.string(qtype)
                                + " at step "
                                + step);
                return ServerReply.servfail();
            }
            learn(answer, kind == Kind.REFERRAL);
            if (kind != Kind.REFERRAL) {
                store(new Key(sname, qtype), answer);
                return answer;
            }
            RRs ns = answer.referralNs();
            if (qtype == Type.DS && ns.name.equals(sname)) {
                // The parent holds the DS data: its referral to the child is its NODATA for the DS.
                return new ServerReply(
                        Rcode.NOERROR,
                        List.of(),
                        answer.authority.stream()
                                .filter(s -> s.type == Type.NSEC || s.type == Type.NSEC3)
                                .toList(),
                        List.of());
            }
            dp = delegation(ns.name, depth);
            if (dp == null) {
                trace.add("referral to " + ns.name + " without usable name server addresses");
                return ServerReply.servfail();
            }
        }
        trace.add("too many referrals for " + sname);
        return ServerReply.servfail();
    }

    /**
     * What {@code server} answers: the first matching entry of the first range in force for it
     * (testbound's {@code pending_find_match}); a reply with TC is asked again over TCP, as
     * Unbound's iterator does. A query no range answers may be answered by a later {@code STEP
     * REPLY} (each answers one query, the first it matches). Every query is logged for {@code
     * CHECK_OUT_QUERY}. Null when nothing answers.
     */
    private Message ask(String server, Name qname, int qtype, boolean rd) {
        RplScenario.Query udp = RplScenario.Query.outgoing(qname, qtype, rd, false);
        Message m = askOnce(server, udp);
        if (m != null && m.getHeader().getFlag(Flags.TC)) {
            Message tcp = askOnce(server, RplScenario.Query.outgoing(qname, qtype, rd, true));
            if (tcp != null) {
                return tcp;
            }
        }
        return m;
    }

    private Message askOnce(String server, RplScenario.Query q) {
        sent.add(new Sent(server, q));
        for (RplScenario.Range range : scenario.ranges()) {
            if (!range.covers(step, server)) {
                continue;
            }
            for (RplScenario.Entry e : range.entries()) {
                if (e.matches(q)) {
                    return e.reply(q, 0);
                }
            }
        }
        for (RplScenario.Step s : scenario.steps()) {
            if (s.kind().equals("REPLY")
                    && s.number() >= step
                    && s.entry() != null
                    && !usedReplies.contains(s)
                    && (s.address() == null
                            || s.address().equals(RplScenario.canonicalAddress(server)))
                    && s.entry().matches(q)) {
                usedReplies.add(s);
                trace.add(
                        "STEP "
                                + s.number()
                                + " REPLY answered "
                                + server
                                + " for "
                                + q.name()
                                + "/"
                                + Type.string(q.type()));
                return s.entry().reply(q, 0);
            }
        }
        trace.add(
                "no entry at "
                        + server
                        + " for "
                        + q.name()
                        + "/"
                        + Type.string(q.type())
                        + (q.tcp() ? " over TCP" : "")
                        + " at step "
                        + step);
        return null;
    }

    /** A query the simulated recursive sent, for {@code CHECK_OUT_QUERY}. */
    record Sent(String server, RplScenario.Query query) {}

    /**
     * Every query sent so far, oldest first; a {@code CHECK_OUT_QUERY} removes the one it matched.
     */
    List<Sent> sent() {
        return sent;
    }

    /**
     * The response the recursive's cache holds for a question, CNAME chain followed, without asking
     * any server; null when the cache cannot answer it all.
     */
    Message cachedResponse(Name name, int type) {
        cacheOnly = true;
        try {
            ServerReply r = resolve(name, type, 0);
            return r.rcode == Rcode.SERVFAIL ? null : r.toMessage(name, type);
        } finally {
            cacheOnly = false;
        }
    }

    /**
     * Unbound's {@code UNKNOWN_SERVER_NICENESS}: the round-trip time assumed for a server not yet
     * measured, ms.
     */
    static final int UNKNOWN_RTT = 376;

    /**
     * {@code INFRA_RTT ip zone rtt}: the infrastructure cache's round-trip time for a server, in
     * ms.
     */
    void infraRtt(String server, int rtt) {
        rtts.put(RplScenario.canonicalAddress(server), rtt);
    }

    /**
     * The servers, fastest known first (Unbound prefers the lowest round-trip time), else in their
     * order.
     */
    private List<String> byRtt(List<String> servers) {
        List<String> out = new ArrayList<>(servers);
        out.sort(
                java.util.Comparator.comparingInt(
                        s -> rtts.getOrDefault(RplScenario.canonicalAddress(s), UNKNOWN_RTT)));
        return out;
    }

    /** Whether the deepest stub or forward zone that holds {@code name} is a forward zone. */
    boolean forwarded(Name name) {
        RplScenario.Zone zone = null;
        for (RplScenario.Zone z : scenario.zones()) {
            if (name.subdomain(z.name())
                    && (zone == null || z.name().labels() > zone.name().labels())) {
                zone = z;
            }
        }
        return zone != null && zone.forward();
    }

    /**
     * Whether the recursive could answer the question from its cache (Unbound's {@code
     * answer_from_cache}).
     */
    boolean hasCached(Name name, int type) {
        return fromCache(name, type) != null;
    }

    /**
     * The closest delegation in the cache for a question ({@code dns_cache_find_delegation}: for
     * DS, above the name): the NS RRset with its RRSIGs, or null.
     */
    RRs cachedDelegation(Name name, int type) {
        Name n = type == Type.DS && name.labels() > 1 ? new Name(name, 1) : name;
        for (; ; n = new Name(n, 1)) {
            Cached<RRs> ns = delegations.get(n);
            if (ns != null && ns.fresh(now())) {
                return ns.value.aged(now() - ns.stored);
            }
            if (n.equals(Name.root)) {
                return null;
            }
        }
    }

    /**
     * While on, an NS question whose RRset the cache holds signed (the zone's own copy, learnt from
     * an answer's authority section) is answered from the cache, so that the validator can judge a
     * cached referral as Unbound's {@code check_delegation_secure} does.
     */
    void answerNsFromCache(boolean on) {
        this.nsFromCache = on;
    }

    /**
     * {@code FLUSH_MESSAGE} and {@code EXPIRE_MESSAGE}: the message cache entry for the question
     * goes.
     */
    void forgetMessage(Name name, int type) {
        messages.remove(new Key(name, type));
    }

    // ---- caches
    // -----------------------------------------------------------------------------------

    private double now() {
        return clock.getAsDouble();
    }

    private void store(Key key, ServerReply reply) {
        messages.put(key, new Cached<>(reply, now(), reply.ttl()));
    }

    /**
     * Remembers the RRsets a reply teaches: delegations, glue, DS, DNSKEY and CNAME RRsets, DS
     * absence.
     */
    private void learn(ServerReply r, boolean referral) {
        double now = now();
        List<RRs> all = new ArrayList<>(r.answer);
        all.addAll(r.authority);
        all.addAll(r.additional);
        for (RRs s : all) {
            if (s.rrs.isEmpty()) {
                continue;
            }
            switch (s.type) {
                case Type.NS -> delegations.put(s.name, new Cached<>(s, now, s.ttl()));
                case Type.A, Type.AAAA ->
                        addresses.put(s.name, new Cached<>(s.addresses(), now, s.ttl()));
                case Type.DS, Type.DNSKEY, Type.CNAME, Type.DNAME ->
                        rrsets.put(new Key(s.name, s.type), new Cached<>(s, now, s.ttl()));
                default -> {}
            }
        }
        // RFC 9077: NSEC records used for negative answers live no longer than the SOA's negative
        // TTL.
        long negative = Long.MAX_VALUE;
        for (RRs s : r.authority) {
            if (s.type == Type.SOA && !s.rrs.isEmpty() && !s.sigs.isEmpty()) {
                negative = Math.min(s.ttl(), ((SOARecord) s.rrs.get(0)).getMinimum());
                soas.put(s.name, new Cached<>(s, now, negative));
            }
        }
        for (RRs s : r.authority) {
            if (s.type == Type.NSEC && !s.rrs.isEmpty() && !s.sigs.isEmpty()) {
                nsecs.put(s.name, new Cached<>(s, now, Math.min(s.ttl(), negative)));
            }
        }
        if (referral) {
            RRs ns = r.referralNs();
            boolean hasDs =
                    r.authority.stream().anyMatch(s -> s.type == Type.DS && s.name.equals(ns.name));
            List<RRs> denial =
                    r.authority.stream()
                            .filter(s -> s.type == Type.NSEC || s.type == Type.NSEC3)
                            .toList();
            if (!hasDs && !denial.isEmpty()) {
                ServerReply nodata = new ServerReply(Rcode.NOERROR, List.of(), denial, List.of());
                messages.put(new Key(ns.name, Type.DS), new Cached<>(nodata, now, nodata.ttl()));
            }
        }
    }

    /**
     * The deepest delegation for {@code name}: a cached NS RRset or a configured stub/forward zone.
     */
    private Delegation delegation(Name name, int depth) {
        RplScenario.Zone zone = null;
        for (RplScenario.Zone z : scenario.zones()) {
            if (name.subdomain(z.name())
                    && (zone == null || z.name().labels() > zone.name().labels())) {
                zone = z;
            }
        }
        for (Name n = name; zone == null || !zone.forward(); n = new Name(n, 1)) {
            if (zone != null && n.labels() <= zone.name().labels()) {
                break;
            }
            Cached<RRs> ns = delegations.get(n);
            if (ns != null && ns.fresh(now())) {
                List<String> servers = servers(ns.value, depth);
                if (!servers.isEmpty()) {
                    return new Delegation(n, servers, false);
                }
            }
            if (n.equals(Name.root)) {
                break;
            }
        }
        if (zone == null) {
            return null;
        }
        List<String> servers = new ArrayList<>(zone.addresses());
        if (servers.isEmpty() && depth < MAX_TARGET_DEPTH) {
            // stub-host / forward-host: the recursive looks the names up itself
            for (Name host : zone.hosts()) {
                for (RRs s : resolve(host, Type.A, depth + 1).answer) {
                    if (s.type == Type.A) {
                        servers.addAll(s.addresses());
                    }
                }
            }
        }
        return new Delegation(zone.name(), List.copyOf(servers), zone.forward());
    }

    /**
     * Addresses of an NS RRset's servers: glue or cached addresses, else a target lookup
     * (Unbound's).
     */
    private List<String> servers(RRs ns, int depth) {
        Set<String> out = new LinkedHashSet<>();
        List<Name> missing = new ArrayList<>();
        for (Record r : ns.rrs) {
            Name target = ((NSRecord) r).getTarget();
            Cached<List<String>> a = addresses.get(target);
            if (a != null && a.fresh(now())) {
                out.addAll(a.value);
            } else {
                missing.add(target);
            }
        }
        if (out.isEmpty() && depth < MAX_TARGET_DEPTH) {
            for (Name target : missing) {
                ServerReply r = resolve(target, Type.A, depth + 1);
                for (RRs s : r.answer) {
                    if (s.type == Type.A) {
                        out.addAll(s.addresses());
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    // ---- data
    // ------------------------------------------------------------------------------------

    private record Key(Name name, int type) {}

    private record Delegation(Name zone, List<String> servers, boolean forward) {}

    private record Cached<T>(T value, double stored, long ttl) {
        boolean fresh(double now) {
            return now < stored + ttl;
        }
    }
}
