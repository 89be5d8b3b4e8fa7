package dev.daneel.validator.internal.iterator;

import dev.daneel.validator.internal.iterator.IteratorException.Reason;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * One lookup's work: its budget of NS-name resolutions (the {@link Sender} keeps the deadline and
 * the query budget), the questions in progress (so that a name needed to resolve itself is not
 * asked in a circle) and the algorithm itself, after Unbound's {@code iterator.c}: find the closest
 * known delegation, ask its servers, follow referrals down, resolve NS names that came without
 * glue, chase CNAME and DNAME across zones. Used by one thread; not thread-safe.
 */
final class Walk {

    /** What asking one zone's servers gave. */
    private record Step(
            Reply reply, Reply.Kind kind, Name zone, InetAddress server, Delegation next) {}

    private record Question(Name name, int type) {}

    private final IterativeResolver r;
    private final IteratorConfig config;
    private final IteratorLimits limits;
    private final Sender sender;
    private int nsNamesResolved;
    private final Set<Question> inProgress = new HashSet<>();

    /** NS names only the parent side of a cut gave, added to the candidates of the current ask. */
    private final Set<Name> parentSideNames = new LinkedHashSet<>();

    /**
     * After a failed {@code ask}: whether a server replied (lame, failing) or none had an address,
     * not only timeouts.
     */
    private boolean worthAskingParent;

    Walk(IterativeResolver r) {
        this.r = r;
        this.config = r.config;
        this.limits = config.limits();
        this.sender = new Sender(r, System.nanoTime() + config.lookupTimeout().toNanos());
    }

    Resolution lookup(Name qname, int qtype) throws IteratorException {
        return lookup(qname, qtype, 0);
    }

    private Resolution lookup(Name qname, int qtype, int depth) throws IteratorException {
        Resolution cached = cached(qname, qtype);
        if (cached != null) {
            return cached;
        }
        Question q = new Question(qname, qtype);
        if (!inProgress.add(q)) {
            throw new IteratorException(
                    Reason.DEPENDENCY_DEPTH_LIMIT,
                    what(qname, qtype)
                            + ": resolving it needs its own answer first (a delegation whose NS names are in a circle)");
        }
        try {
            Resolution res = chase(qname, qtype, depth);
            Message m = res.response();
            boolean negative =
                    m.getRcode() == Rcode.NXDOMAIN
                            || m.getSection(Section.ANSWER).stream()
                                    .noneMatch(
                                            x ->
                                                    x.getName().equals(finalName(m, qname))
                                                            && x.getType() == qtype);
            boolean nxdomainHere =
                    m.getRcode() == Rcode.NXDOMAIN && m.getSection(Section.ANSWER).isEmpty();
            r.messages.put(qname, qtype, res, MessageCache.ttl(m, negative), nxdomainHere);
            return res;
        } finally {
            inProgress.remove(q);
        }
    }

    private Resolution cached(Name qname, int qtype) {
        Resolution c = r.messages.get(qname, qtype);
        if (c != null) {
            return c;
        }
        Resolution nx = r.messages.nxdomain(qname);
        if (nx != null) {
            Message m =
                    response(
                            qname,
                            qtype,
                            Rcode.NXDOMAIN,
                            List.of(),
                            nx.response().getSection(Section.AUTHORITY));
            return new Resolution(m, nx.hops());
        }
        return null;
    }

    private static Name finalName(Message m, Name qname) {
        Chain c =
                Chain.follow(m.getSection(Section.ANSWER), qname, m.getQuestion().getType(), null);
        return c.end();
    }

    /** The question resolved, its CNAME/DNAME chain followed into other zones. */
    private Resolution chase(Name qname, int qtype, int depth) throws IteratorException {
        List<Record> answer = new ArrayList<>();
        List<Resolution.Hop> hops = new ArrayList<>();
        List<Record> proofs = new ArrayList<>();
        Set<Name> seen = new HashSet<>();
        seen.add(qname);
        Name sname = qname;
        int links = 0;
        while (true) {
            Step step = iterate(sname, qtype, depth);
            hops.add(new Resolution.Hop(step.zone(), step.server(), sname, qtype));
            Reply reply = step.reply();
            Chain chain = Chain.follow(reply.answer(), sname, qtype, null);
            answer.addAll(chain.links());
            links += chain.hops();
            if (links > limits.cnameHops()) {
                throw new IteratorException(
                        Reason.CNAME_HOPS_LIMIT,
                        what(qname, qtype)
                                + ": the CNAME/DNAME chain has more than "
                                + limits.cnameHops()
                                + " links (cnameHops); seen so far up to "
                                + chain.end());
            }
            if (step.kind() != Reply.Kind.CNAME) {
                answer.addAll(chain.data());
                proofs.addAll(reply.authority());
                return new Resolution(response(qname, qtype, reply.rcode(), answer, proofs), hops);
            }
            // A link synthesised from a wildcard is proven by NSEC/NSEC3 records beside it (RFC
            // 4035 §5.3.4):
            // they travel with the chain, as a recursive keeps them.
            for (Record x : reply.authority()) {
                int t =
                        x instanceof org.xbill.DNS.RRSIGRecord sig
                                ? sig.getTypeCovered()
                                : x.getType();
                if (t == Type.NSEC || t == Type.NSEC3) {
                    proofs.add(x);
                }
            }
            Name next = chain.end();
            if (!seen.add(next)) {
                throw new IteratorException(
                        Reason.CNAME_HOPS_LIMIT,
                        what(qname, qtype) + ": the CNAME/DNAME chain loops back to " + next);
            }
            Resolution rest = cached(next, qtype);
            if (rest != null) {
                // Already known: splice it in, as a recursive answers from its cache.
                Message m = rest.response();
                answer.addAll(m.getSection(Section.ANSWER));
                hops.addAll(rest.hops());
                proofs.addAll(m.getSection(Section.AUTHORITY));
                return new Resolution(response(qname, qtype, m.getRcode(), answer, proofs), hops);
            }
            sname = next;
        }
    }

    /** The response a recursive gives: QR RD RA, the question, the sections, EDNS with DO. */
    static Message response(
            Name qname, int qtype, int rcode, List<Record> answer, List<Record> authority) {
        Message m = new Message();
        m.getHeader().setFlag(Flags.QR);
        m.getHeader().setFlag(Flags.RD);
        m.getHeader().setFlag(Flags.RA);
        m.getHeader().setFlag(Flags.CD);
        m.getHeader().setRcode(rcode);
        m.addRecord(Record.newRecord(qname, qtype, DClass.IN), Section.QUESTION);
        new LinkedHashSet<>(answer).forEach(x -> m.addRecord(x, Section.ANSWER));
        new LinkedHashSet<>(authority).forEach(x -> m.addRecord(x, Section.AUTHORITY));
        m.addRecord(
                new OPTRecord(IterativeResolver.EDNS_PAYLOAD, 0, 0, ExtendedFlags.DO),
                Section.ADDITIONAL);
        return m;
    }

    /**
     * Asks down the tree for {@code sname}/{@code qtype} until a server of its zone answers (or
     * sends a CNAME out of it). A DS is asked of the servers of the zone above the name (RFC 4035
     * §3.1.4.1).
     */
    private Step iterate(Name sname, int qtype, int depth) throws IteratorException {
        Name start = qtype == Type.DS && !sname.equals(Name.root) ? parent(sname) : sname;
        Delegation dp = closestDelegation(start, depth);
        boolean minimise = config.qnameMinimisation();
        int labels = dp.zone().labels() + 1;
        int minimised = 0;
        int referrals = 0;
        boolean fromCache = true;
        Set<Name> climbed = new HashSet<>();
        while (true) {
            Name qn = sname;
            int qt = qtype;
            if (minimise && labels < sname.labels() && minimised < limits.minimisedQueries()) {
                qn = new Name(sname, sname.labels() - labels);
                qt = Type.A; // RFC 9156 §3: A hides the real type and is answered by broken
                // servers too
            }
            boolean isMinimised = qt != qtype || !qn.equals(sname);
            List<String> problems = new ArrayList<>();
            Step step = ask(dp, qn, qt, depth, problems, isMinimised);
            if (isMinimised) {
                minimised++;
                if (step == null || step.reply().rcode() == Rcode.NXDOMAIN) {
                    // Relaxed mode: a server that fails a minimised query, or denies an empty
                    // non-terminal
                    // (RFC 8020 is not universal), is asked the full name.
                    minimise = false;
                    continue;
                }
                if (step.kind() == Reply.Kind.REFERRAL) {
                    referrals = referral(sname, qtype, referrals);
                    dp = step.next();
                    fromCache = false;
                    labels = dp.zone().labels() + 1;
                } else {
                    labels++; // not a zone cut: add a label and ask the same servers
                }
                continue;
            }
            if (step == null
                    && fromCache
                    && worthAskingParent
                    && !dp.zone().equals(Name.root)
                    && climbed.add(dp.zone())) {
                // A delegation from the cache whose servers lost their addresses (glue that expired
                // before
                // its NS RRset), are lame or fail: ask the parent again for the referral, as
                // Unbound does.
                // Not when they only timed out: that is the network, and the parent would refer to
                // them again.
                referrals = referral(sname, qtype, referrals);
                dp = closestDelegation(parent(dp.zone()), depth);
                labels = dp.zone().labels() + 1;
                minimise = config.qnameMinimisation();
                continue;
            }
            if (step == null) {
                throw new IteratorException(
                        Reason.NO_SERVER_ANSWERED,
                        what(sname, qtype)
                                + ": no server of "
                                + dp.zone()
                                + " answered: "
                                + (problems.isEmpty() ? "no server to ask" : summary(problems)));
            }
            if (step.kind() == Reply.Kind.REFERRAL) {
                referrals = referral(sname, qtype, referrals);
                dp = step.next();
                fromCache = false;
                labels = dp.zone().labels() + 1;
                continue;
            }
            return step;
        }
    }

    private int referral(Name sname, int qtype, int referrals) throws IteratorException {
        if (referrals + 1 > limits.referralDepth()) {
            throw new IteratorException(
                    Reason.REFERRAL_DEPTH_LIMIT,
                    what(sname, qtype)
                            + ": more than "
                            + limits.referralDepth()
                            + " referrals (referralDepth)");
        }
        return referrals + 1;
    }

    /**
     * The deepest zone at or above {@code name} whose NS RRset is cached; the root, primed,
     * otherwise.
     */
    private Delegation closestDelegation(Name name, int depth) throws IteratorException {
        for (Name n = name; ; n = parent(n)) {
            RRsetCache.Entry ns = r.rrsets.get(n, Type.NS);
            if (ns != null) {
                Delegation d = delegation(n, ns.records());
                return n.equals(Name.root) ? new Delegation(n, d.nsNames(), hintAddresses()) : d;
            }
            if (n.equals(Name.root)) {
                return prime(depth);
            }
        }
    }

    private static Delegation delegation(Name zone, List<Record> ns) {
        List<Name> names = new ArrayList<>();
        for (Record x : ns) {
            if (x instanceof NSRecord n) {
                names.add(n.getTarget());
            }
        }
        return new Delegation(zone, names, Map.of());
    }

    /** Asks the hints for the root's NS RRset (RFC 8109); falls back on the hints themselves. */
    private Map<Name, List<InetAddress>> hintAddresses() {
        Map<Name, List<InetAddress>> out = new HashMap<>();
        for (RootHints.Server s : config.rootHints().servers()) {
            out.computeIfAbsent(s.name(), k -> new ArrayList<>()).addAll(s.addresses());
        }
        return out;
    }

    private Delegation prime(int depth) throws IteratorException {
        Map<Name, List<InetAddress>> hintAddresses = hintAddresses();
        List<Name> names = new ArrayList<>();
        for (RootHints.Server s : config.rootHints().servers()) {
            names.add(s.name());
        }
        Delegation hints = new Delegation(Name.root, names, hintAddresses);
        List<String> problems = new ArrayList<>();
        Step step = ask(hints, Name.root, Type.NS, depth, problems, false);
        if (step != null && step.kind() == Reply.Kind.ANSWER) {
            RRsetCache.Entry ns = r.rrsets.get(Name.root, Type.NS);
            if (ns != null) {
                // The hints' addresses stay usable beside what the root said (a root server without
                // glue).
                Delegation primed = delegation(Name.root, ns.records());
                return new Delegation(Name.root, primed.nsNames(), hintAddresses);
            }
        }
        return hints; // Unbound does the same: a root that cannot be primed is asked as the hints
        // say
    }

    /**
     * Asks the delegation's servers, best first, until one gives a usable reply; resolves NS names
     * without glue when the known addresses are used up. Null when every server failed ({@code
     * problems} says how).
     */
    private Step ask(
            Delegation dp, Name qn, int qt, int depth, List<String> problems, boolean minimised)
            throws IteratorException {
        Set<InetAddress> tried = new HashSet<>();
        boolean replied = false;
        worthAskingParent = true;
        Set<Name> resolvedNames = new HashSet<>();
        Map<Name, List<InetAddress>> found = new HashMap<>();
        boolean parentSideTried = false;
        Step empty = null;
        parentSideNames.clear();
        while (true) {
            List<InetAddress> candidates = candidates(dp, found, qt);
            InetAddress a = r.infra.select(candidates, tried);
            if (a == null) {
                if (resolveNsName(dp, depth, resolvedNames, found, problems)) {
                    continue;
                }
                if (!parentSideTried) {
                    parentSideTried = true;
                    addParentSide(dp, found);
                    continue; // its addresses, or its NS names to resolve
                }
                return empty; // every server said nothing: that is then the answer (Unbound does
                // the same)
            }
            tried.add(a);
            Message response = sender.send(a, qn, qt, problems);
            if (response == null) {
                worthAskingParent = replied;
                continue;
            }
            replied = true;
            worthAskingParent = true;
            Reply reply = Scrubber.scrub(response, qn, qt, dp.zone());
            Reply.Kind kind = Scrubber.classify(reply, qn, qt, dp.zone());
            switch (kind) {
                case LAME -> {
                    if (!minimised) {
                        // A server that refuses a minimised name may still answer the full one (RFC
                        // 9156 §2.3).
                        r.infra.markLame(dp.zone(), a, qt);
                    }
                    problems.add(
                            a.getHostAddress()
                                    + ": lame for "
                                    + dp.zone()
                                    + " ("
                                    + Rcode.string(reply.rcode())
                                    + (reply.aa() ? "" : ", no AA")
                                    + ")");
                }
                case THROWAWAY -> {
                    problems.add(
                            a.getHostAddress()
                                    + ": "
                                    + Rcode.string(reply.rcode())
                                    + (reply.rcode() == Rcode.NOERROR
                                            ? " with nothing in it"
                                            : ""));
                    if (reply.rcode() == Rcode.NOERROR && reply.aa()) {
                        empty = new Step(reply, Reply.Kind.ANSWER, dp.zone(), a, null);
                    }
                }
                case REFERRAL -> {
                    List<Record> ns = Scrubber.referralNs(reply, qn, dp.zone());
                    Name child = ns.get(0).getName();
                    r.rrsets.put(child, Type.NS, ns, Rank.REFERRAL, a);
                    r.rrsets.putSide(RRsetCache.Side.PARENT, child, Type.NS, ns, a);
                    cacheGlue(reply, a);
                    parentSideGlue(reply, a);
                    RRsetCache.Entry e = r.rrsets.get(child, Type.NS);
                    return new Step(
                            reply,
                            kind,
                            dp.zone(),
                            a,
                            delegation(child, e != null ? e.records() : ns));
                }
                default -> {
                    cacheAnswer(reply, a);
                    return new Step(reply, kind, dp.zone(), a, null);
                }
            }
        }
    }

    /**
     * The addresses of the delegation's servers that may be asked, by family; lame ones left out.
     */
    private List<InetAddress> candidates(
            Delegation dp, Map<Name, List<InetAddress>> found, int qtype) {
        List<InetAddress> all = new ArrayList<>();
        for (Name n : dp.nsNames()) {
            all.addAll(addresses(dp, n, found));
        }
        for (Name n : parentSideNames) {
            all.addAll(found.getOrDefault(n, List.of()));
        }
        // Root hints are addresses of the root, whatever names the primed NS RRset gives its
        // servers.
        dp.hintAddresses().values().forEach(all::addAll);
        List<InetAddress> usable = new ArrayList<>();
        List<InetAddress> notBogus = new ArrayList<>();
        for (InetAddress a : new LinkedHashSet<>(all)) {
            if (!familyEnabled(a) || r.infra.isLame(dp.zone(), a, qtype)) {
                continue;
            }
            usable.add(a);
            if (!r.infra.isBogus(dp.zone(), a)) {
                notBogus.add(a);
            }
        }
        // Servers set aside for bogus data are asked only when no other is left (see markBogus).
        return notBogus.isEmpty() ? usable : notBogus;
    }

    private List<InetAddress> addresses(
            Delegation dp, Name ns, Map<Name, List<InetAddress>> found) {
        List<InetAddress> out = new ArrayList<>(dp.hintAddresses().getOrDefault(ns, List.of()));
        out.addAll(found.getOrDefault(ns, List.of()));
        for (int t : new int[] {Type.A, Type.AAAA}) {
            RRsetCache.Entry e = r.rrsets.get(ns, t);
            if (e != null) {
                for (Record x : e.records()) {
                    if (x instanceof ARecord ar) {
                        out.add(ar.getAddress());
                    } else if (x instanceof AAAARecord ar) {
                        out.add(ar.getAddress());
                    }
                }
            }
        }
        return out;
    }

    private boolean familyEnabled(InetAddress a) {
        return a instanceof Inet4Address
                ? config.ipv4()
                : a instanceof Inet6Address && config.ipv6();
    }

    /**
     * Resolves one more NS name of the delegation that has no usable address, within the NXNSAttack
     * limits. False when no name is left to resolve.
     */
    private boolean resolveNsName(
            Delegation dp,
            int depth,
            Set<Name> resolvedNames,
            Map<Name, List<InetAddress>> found,
            List<String> problems)
            throws IteratorException {
        List<Name> names = new ArrayList<>(dp.nsNames());
        names.addAll(parentSideNames);
        for (Name ns : names) {
            if (resolvedNames.contains(ns)
                    || addresses(dp, ns, found).stream().anyMatch(this::familyEnabled)) {
                continue;
            }
            if (ns.subdomain(dp.zone()) && !hasUsableServer(dp, found)) {
                // In the zone itself and without glue, and no other server of the zone to ask where
                // it is.
                resolvedNames.add(ns);
                problems.add(ns + ": in " + dp.zone() + " without glue");
                continue;
            }
            if (resolvedNames.size() >= limits.nsNamesPerDelegation()) {
                throw new IteratorException(
                        Reason.NS_NAMES_PER_DELEGATION_LIMIT,
                        dp.zone()
                                + ": "
                                + resolvedNames.size()
                                + " NS names without glue resolved and no server answered; the limit is "
                                + limits.nsNamesPerDelegation()
                                + " (nsNamesPerDelegation, NXNSAttack CVE-2020-12662): "
                                + summary(problems));
            }
            if (nsNamesResolved >= limits.nsNamesPerLookup()) {
                throw new IteratorException(
                        Reason.NS_NAMES_PER_LOOKUP_LIMIT,
                        dp.zone()
                                + ": this lookup already resolved "
                                + nsNamesResolved
                                + " NS names without glue; the limit is "
                                + limits.nsNamesPerLookup()
                                + " (nsNamesPerLookup, NXNSAttack CVE-2020-12662)");
            }
            if (depth + 1 > limits.dependencyDepth()) {
                throw new IteratorException(
                        Reason.DEPENDENCY_DEPTH_LIMIT,
                        dp.zone()
                                + ": its NS name "
                                + ns
                                + " would be resolution number "
                                + (depth + 1)
                                + " nested in this lookup; the limit is "
                                + limits.dependencyDepth()
                                + " (dependencyDepth)");
            }
            resolvedNames.add(ns);
            nsNamesResolved++;
            List<InetAddress> addrs = new ArrayList<>();
            for (int t : config.ipv4() ? new int[] {Type.A, Type.AAAA} : new int[] {Type.AAAA}) {
                if (t == Type.AAAA && (!config.ipv6() || !addrs.isEmpty())) {
                    continue; // A first; AAAA only when there is no IPv4 address (or IPv4 is off)
                }
                try {
                    Resolution res = lookup(ns, t, depth + 1);
                    for (Record x : res.response().getSection(Section.ANSWER)) {
                        if (x instanceof ARecord ar) {
                            addrs.add(ar.getAddress());
                        } else if (x instanceof AAAARecord ar) {
                            addrs.add(ar.getAddress());
                        }
                    }
                } catch (IteratorException e) {
                    if (e.reason() == Reason.QUERIES_PER_LOOKUP_LIMIT
                            || e.reason() == Reason.DEADLINE
                            || e.reason() == Reason.CLOSED
                            || e.reason() == Reason.NS_NAMES_PER_LOOKUP_LIMIT) {
                        throw e; // the whole lookup is out of budget
                    }
                    problems.add(ns + "/" + Type.string(t) + ": " + e.getMessage());
                }
            }
            if (addrs.isEmpty()) {
                problems.add(ns + ": no address");
                continue;
            }
            found.put(ns, addrs);
            return true;
        }
        return false;
    }

    private boolean hasUsableServer(Delegation dp, Map<Name, List<InetAddress>> found) {
        for (InetAddress a : candidates(dp, found, Type.A)) {
            if (r.infra.rto(a) < InfraCache.MAX_RTO.toMillis()) {
                return true;
            }
        }
        return false;
    }

    private void parentSideGlue(Reply reply, InetAddress source) {
        Map<Question, List<Record>> sets = new HashMap<>();
        for (Record x : reply.additional()) {
            sets.computeIfAbsent(new Question(x.getName(), x.getType()), k -> new ArrayList<>())
                    .add(x);
        }
        sets.forEach(
                (k, v) -> r.rrsets.putSide(RRsetCache.Side.PARENT, k.name(), k.type(), v, source));
    }

    /**
     * When the servers found the usual way all failed, the other views of the cut are tried, as
     * Unbound does: the parent's NS RRset and glue (kept apart, so that a child publishing broken
     * addresses is still reached) and the NS RRset the zone's servers gave beside their answers.
     * False when that adds no address.
     */
    private boolean addParentSide(Delegation dp, Map<Name, List<InetAddress>> found) {
        Set<Name> names = new LinkedHashSet<>(dp.nsNames());
        for (RRsetCache.Side side :
                new RRsetCache.Side[] {RRsetCache.Side.PARENT, RRsetCache.Side.CHILD}) {
            RRsetCache.Entry ns = r.rrsets.getSide(side, dp.zone(), Type.NS);
            if (ns != null) {
                for (Record x : ns.records()) {
                    if (x instanceof NSRecord n) {
                        names.add(n.getTarget());
                    }
                }
            }
        }
        boolean added = false;
        List<Name> extra = new ArrayList<>();
        for (Name n : names) {
            List<InetAddress> addrs = new ArrayList<>();
            for (int t : new int[] {Type.A, Type.AAAA}) {
                for (RRsetCache.Entry e :
                        new RRsetCache.Entry[] {
                            r.rrsets.getSide(RRsetCache.Side.PARENT, n, t),
                            r.rrsets.get(n, t),
                            r.rrsets.getSide(RRsetCache.Side.CHILD, n, t)
                        }) {
                    if (e == null) {
                        continue;
                    }
                    for (Record x : e.records()) {
                        if (x instanceof ARecord ar) {
                            addrs.add(ar.getAddress());
                        } else if (x instanceof AAAARecord ar) {
                            addrs.add(ar.getAddress());
                        }
                    }
                }
            }
            if (!addrs.isEmpty()) {
                found.computeIfAbsent(n, k -> new ArrayList<>()).addAll(addrs);
                added = true;
            }
            if (!dp.nsNames().contains(n)) {
                extra.add(n);
            }
        }
        parentSideNames.addAll(extra);
        return added;
    }

    private void cacheGlue(Reply reply, InetAddress source) {
        Map<Question, List<Record>> sets = new HashMap<>();
        for (Record x : reply.additional()) {
            sets.computeIfAbsent(new Question(x.getName(), x.getType()), k -> new ArrayList<>())
                    .add(x);
        }
        sets.forEach((k, v) -> r.rrsets.put(k.name(), k.type(), v, Rank.GLUE, source));
    }

    /**
     * Keeps the NS RRsets and addresses of an answer for finding servers later (scrubbed already).
     */
    private void cacheAnswer(Reply reply, InetAddress source) {
        Map<Question, List<Record>> answer = new HashMap<>();
        for (Record x : reply.answer()) {
            if (x.getType() == Type.NS || x.getType() == Type.A || x.getType() == Type.AAAA) {
                answer.computeIfAbsent(
                                new Question(x.getName(), x.getType()), k -> new ArrayList<>())
                        .add(x);
            }
        }
        Rank rank = reply.aa() ? Rank.ANSWER : Rank.REFERRAL;
        answer.forEach((k, v) -> r.rrsets.put(k.name(), k.type(), v, rank, source));
        for (Record x : reply.authority()) {
            if (x.getType() == Type.NS && reply.aa()) {
                List<Record> ns =
                        reply.authority().stream()
                                .filter(
                                        y ->
                                                y.getType() == Type.NS
                                                        && y.getName().equals(x.getName()))
                                .toList();
                r.rrsets.putSide(RRsetCache.Side.CHILD, x.getName(), Type.NS, ns, source);
                break;
            }
        }
        // An NS RRset in the authority section of an answer is kept only as a fallback: nothing in
        // the answer needs it,
        // and a server that may speak for a zone could otherwise re-point it at will, renewing a
        // delegation
        // its parent has removed (ghost domains, CVE-2012-1191) or handing it to another server
        // (Unbound's
        // iter-scrub-promiscuous). Only referrals and NS answers change where a zone is looked for.
        // Addresses beside an answer are kept the same way: a fallback, never replacing the
        // parent's glue.
        Map<Question, List<Record>> glue = new HashMap<>();
        for (Record x : reply.additional()) {
            glue.computeIfAbsent(new Question(x.getName(), x.getType()), k -> new ArrayList<>())
                    .add(x);
        }
        glue.forEach(
                (k, v) -> r.rrsets.putSide(RRsetCache.Side.CHILD, k.name(), k.type(), v, source));
    }

    /** The first few problems, so that a message stays readable when nested lookups failed too. */
    private static String summary(List<String> problems) {
        int shown = Math.min(problems.size(), 6);
        String head = String.join("; ", problems.subList(0, shown));
        String text =
                problems.size() > shown
                        ? head + "; and " + (problems.size() - shown) + " more"
                        : head;
        return text.length() > 1200 ? text.substring(0, 1200) + "..." : text;
    }

    private static Name parent(Name n) {
        return new Name(n, 1);
    }

    private static String what(Name n, int t) {
        return n + "/" + Type.string(t);
    }
}
