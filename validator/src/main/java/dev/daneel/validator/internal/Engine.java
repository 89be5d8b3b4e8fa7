package dev.daneel.validator.internal;

import dev.daneel.anchors.Anchor;
import dev.daneel.anchors.TrustAnchors;
import dev.daneel.validator.Answer;
import dev.daneel.validator.Limits;
import dev.daneel.validator.Security;
import dev.daneel.validator.ValidationChain;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The validation engine: fetches an answer and the DS/DNSKEY chain above it from a {@link Source} and
 * decides Secure, Insecure, Bogus or Indeterminate. Never looks at the AD bit.
 *
 * <p>The chain is found as Unbound's validator finds it (FINDKEY): from the closest trust anchor down,
 * one label at a time, a DS query at each name; a DS RRset verified with the parent's keys leads to the
 * child's DNSKEY RRset, a proven DS absence either shows there is no cut there or ends the chain at an
 * unsigned delegation. The DS queries for every label go out at once, so a cold chain costs about one
 * round trip per level of DNSKEY, not per label. Validated key entries and answers are cached until
 * their TTL ends; identical queries in flight are sent once.
 *
 * <p>Thread-safe. {@link #lookup} blocks on the source's futures and so must run on a thread that may
 * wait (the resolver's executor); the source does its I/O elsewhere.
 */
public final class Engine {

    /** A broken chain is remembered this long, so a bogus zone is not re-fetched on every query (RFC 4035 §4.7). */
    static final long BOGUS_TTL_SECONDS = 60;
    /** The longest an unvalidated upstream response is reused. */
    static final long MAX_RESPONSE_TTL = 300;

    private final Source source;
    final Crypto crypto;
    /** The DLV registry (RFC 5074) consulted when a chain ends Insecure, or null (the default: off). */
    volatile Name dlvDomain;

    /** Validated NSEC and NSEC3 spans for aggressive negative answers (RFC 8198), or null (the default: off). */
    volatile NsecCache nsecCache;

    /** Replaced as a whole when RFC 5011 tracking changes the trusted keys; null when none is left. */
    private volatile TrustAnchors anchors;
    private final Clock clock;
    final Duration skew;
    final Limits limits;
    final TtlCache<Name, Keys> keyCache;
    private final TtlCache<Question, Answer> answerCache;
    /**
     * Upstream responses, unvalidated, kept for their records' TTL (at most {@link #MAX_RESPONSE_TTL}
     * seconds): lookups racing just behind a finished fetch reuse it instead of asking again. Safe because
     * every use validates the response anew.
     */
    private final TtlCache<Question, Message> responseCache;
    private final ConcurrentHashMap<Question, CompletableFuture<Message>> inflight = new ConcurrentHashMap<>();
    /** Key entries being computed by a lookup right now, so concurrent lookups validate each zone's keys once. */
    final ConcurrentHashMap<Name, CompletableFuture<Keys>> keysInFlight = new ConcurrentHashMap<>();

    record Question(Name name, int type) {
    }

    /** A cached key entry with the exchanges that proved it, from the anchor down, for chain export. */
    record Keys(KeyEntry entry, List<ValidationChain.Exchange> trail) {
    }

    public Engine(Source source, TrustAnchors anchors, Clock clock, Duration skew, Limits limits, int cacheSize) {
        this(source, anchors, clock, skew, limits, cacheSize, Crypto.STANDARD);
    }

    public Engine(Source source, TrustAnchors anchors, Clock clock, Duration skew, Limits limits, int cacheSize,
                  Crypto crypto) {
        this.crypto = new VerifiedSignatures(crypto, clock, cacheSize);
        this.source = source;
        this.anchors = anchors;
        this.clock = clock;
        this.skew = skew;
        this.limits = limits;
        this.keyCache = new TtlCache<>(clock, cacheSize);
        this.answerCache = new TtlCache<>(clock, cacheSize);
        this.responseCache = new TtlCache<>(clock, cacheSize);
    }

    /**
     * Replaces the trust anchors (RFC 5011 tracking found a change) and forgets everything validated with
     * the old ones. {@code null} means no anchor is left: every answer becomes Indeterminate.
     */
    public void anchors(TrustAnchors replacement) {
        this.anchors = replacement;
        keyCache.clear();
        answerCache.clear();
        NsecCache n = nsecCache;
        if (n != null) {
            n.clear();
        }
    }

    /**
     * Turns on DLV lookaside (RFC 4431, RFC 5074; Historic per RFC 8749) with the registry at
     * {@code domain}, whose own trust anchor must be among the engine's anchors.
     */
    public void lookaside(Name domain) {
        this.dlvDomain = domain;
        keyCache.clear();
        answerCache.clear();
    }

    /**
     * Turns on aggressive use of validated NSEC and NSEC3 records (RFC 8198 §5.1, §5.2): a name inside a
     * cached span whose wildcard is denied too is answered NXDOMAIN (or NODATA from a matching record)
     * without asking.
     */
    public void aggressiveNsec(int maxRecords) {
        this.nsecCache = new NsecCache(clock, maxRecords);
    }

    Optional<Anchor> anchorFor(Name name) {
        TrustAnchors a = anchors;
        return a == null ? Optional.empty() : a.closestEnclosing(name);
    }

    /** Validates the answer to {@code qname}/{@code qtype}; never throws for bad data or a bad network. */
    public Answer lookup(Name qname, int qtype) {
        Question key = new Question(qname, qtype);
        Answer answer = uncachedLookup(key);
        Security s = answer.security();
        boolean cacheable = s instanceof Security.Secure || s instanceof Security.Insecure
                || s instanceof Security.Indeterminate i && i.cause() != Security.Cause.UNAVAILABLE;
        if (cacheable && answer.ttl() > 0 && !answerCache.contains(key)) {
            answerCache.put(key, answer, answer.ttl());
            responseCache.remove(key); // the validated answer (which keeps the response as evidence) replaces it
        }
        return answer;
    }

    /**
     * The validated answer cached for {@code qname}/{@code qtype}, its TTL counted down, or null. Takes no
     * lock and does no I/O, so a warm lookup can be answered on the caller's thread.
     */
    public Answer cached(Name qname, int qtype) {
        TtlCache.Hit<Answer> hit = answerCache.get(new Question(qname, qtype));
        if (hit == null) {
            return null;
        }
        Answer a = hit.value();
        return new Answer(a.name(), a.type(), a.security(), a.rcode(), a.records(), a.chain(),
                Math.min(a.ttl(), hit.ttlLeft()), a.evidence());
    }

    private Answer uncachedLookup(Question key) {
        Name qname = key.name();
        int qtype = key.type();
        Answer hit = cached(qname, qtype);
        if (hit != null) {
            return hit;
        }
        Lookup work = new Lookup(this, clock.instant());
        if (nsecCache != null && qtype != Type.DS && anchorFor(qname).isPresent()) {
            Answer synthesized = work.fromNsecCache(qname, qtype);
            if (synthesized != null) {
                return synthesized;
            }
        }
        Message response;
        try {
            response = work.await(qname, qtype);
        } catch (UnavailableException e) {
            return work.answer(qname, qtype, Verdict.indeterminate(Security.Cause.UNAVAILABLE, "no upstream answered: " + e.getMessage()),
                    Rcode.SERVFAIL, List.of(), List.of());
        }
        Optional<Anchor> anchor = anchorFor(qname);
        int rcode = response.getRcode();
        if (anchor.isEmpty()) {
            Unvalidated u = unvalidated(response, qname, qtype);
            return work.answer(qname, qtype, Verdict.indeterminate(Security.Cause.NO_ANCHOR, "no trust anchor covers " + qname
                    + "; anchors: " + (anchors == null ? "none" : anchors.zones()), u.ttl()), rcode, u.records(), u.chain());
        }
        if (qtype == Type.RRSIG) {
            List<Record> sigs = response.getSection(Section.ANSWER).stream()
                    .filter(r -> r.getType() == Type.RRSIG && r.getName().equals(qname)).toList();
            Unvalidated u = new Unvalidated(List.of(), sigs);
            return work.answer(qname, qtype, Verdict.indeterminate(Security.Cause.NOT_VALIDATABLE, "RRSIG records are"
                    + " signatures, not a signed RRset: they are returned unvalidated", u.ttl()), rcode, u.records(), u.chain());
        }
        if (rcode == Rcode.YXDOMAIN) {
            Unvalidated u = unvalidated(response, qname, qtype);
            return work.answer(qname, qtype, Verdict.indeterminate(Security.Cause.NOT_VALIDATABLE, "a DNAME substitution"
                    + " makes the name too long (YXDOMAIN, RFC 6672 §2.2)", u.ttl()), rcode, u.records(), u.chain());
        }
        if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
            return work.answer(qname, qtype, Verdict.indeterminate(Security.Cause.UNAVAILABLE, "upstream answered " + Rcode.string(rcode)),
                    rcode, List.of(), List.of());
        }
        return work.validate(qname, qtype, response);
    }

    private record Unvalidated(List<Record> chain, List<Record> records) {
        /** The smallest TTL of the records handed out: how long unvalidated data may be used. */
        long ttl() {
            long ttl = Long.MAX_VALUE;
            for (Record r : chain) {
                ttl = Math.min(ttl, r.getTTL());
            }
            for (Record r : records) {
                ttl = Math.min(ttl, r.getTTL());
            }
            return ttl == Long.MAX_VALUE ? 0 : ttl;
        }
    }

    /** The CNAME/DNAME chain and final records as the response gives them, for Indeterminate answers. */
    private Unvalidated unvalidated(Message response, Name qname, int qtype) {
        List<RRset> answers = response.getSectionRRsets(Section.ANSWER);
        List<Record> chain = new ArrayList<>();
        Name current = qname;
        Set<Name> visited = new HashSet<>();
        for (int hops = 0; hops <= limits.maxCnameHops() && visited.add(current); hops++) {
            List<RRset> exact = find(answers, current, qtype);
            if (!exact.isEmpty()) {
                List<Record> records = new ArrayList<>();
                exact.forEach(set -> records.addAll(set.rrs(false)));
                return new Unvalidated(chain, records);
            }
            RRset dname = dnameAbove(answers, current);
            List<RRset> cname = find(answers, current, Type.CNAME);
            if (dname != null) {
                chain.add(dname.first());
            }
            if (cname.isEmpty()) {
                break;
            }
            chain.add(cname.get(0).first());
            current = ((CNAMERecord) cname.get(0).first()).getTarget();
        }
        return new Unvalidated(chain, List.of());
    }

    /** Thrown inside a lookup when the source could not answer; becomes Indeterminate. */
    static final class UnavailableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnavailableException(String message) {
            super(message, null, false, false);
        }
    }

    CompletableFuture<Message> fetch(Name name, int type) {
        Question q = new Question(name, type);
        TtlCache.Hit<Message> cached = responseCache.get(q);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached.value());
        }
        CompletableFuture<Message> mine = new CompletableFuture<>();
        CompletableFuture<Message> existing = inflight.putIfAbsent(q, mine);
        if (existing != null) {
            return existing;
        }
        // A fetch may have finished between the cache check and putIfAbsent: it caches before it leaves
        // the in-flight map, so looking again closes the gap.
        TtlCache.Hit<Message> late = responseCache.get(q);
        if (late != null) {
            inflight.remove(q, mine);
            mine.complete(late.value());
            return mine;
        }
        source.query(name, type).whenComplete((m, e) -> {
            if (e == null) {
                responseCache.put(q, m, responseTtl(m)); // before leaving the in-flight map: no gap to race into
            }
            inflight.remove(q, mine);
            if (e != null) {
                mine.completeExceptionally(e);
            } else {
                mine.complete(m);
            }
        });
        return mine;
    }


    static Verdict cap(Verdict v, long ttl) {
        return v.and(Verdict.secure(Set.of(), ttl));
    }

    /** The smallest TTL in the answer and authority sections, capped; 0 (not cached) for empty or failed responses. */
    private static long responseTtl(Message m) {
        if (m.getRcode() != Rcode.NOERROR && m.getRcode() != Rcode.NXDOMAIN) {
            return 0;
        }
        long ttl = MAX_RESPONSE_TTL;
        boolean any = false;
        for (int section : new int[] {Section.ANSWER, Section.AUTHORITY}) {
            for (Record r : m.getSection(section)) {
                ttl = Math.min(ttl, r.getTTL());
                any = true;
            }
        }
        return any ? ttl : 0;
    }

    static long soaTtl(Message response) {
        for (Record r : response.getSection(Section.AUTHORITY)) {
            if (r instanceof SOARecord soa) {
                return Math.min(soa.getTTL(), soa.getMinimum()); // RFC 2308 §5
            }
        }
        return 0;
    }

    /**
     * The RRsets of {@code owner} and {@code type} that hold records. dnsjava groups an RRSIG whose RRset is
     * absent into a signatures-only RRset typed as the covered type; such a set is no data (and its first
     * record an RRSIG), so it is never returned here.
     */
    static List<RRset> find(List<RRset> sets, Name owner, int type) {
        List<RRset> out = new ArrayList<>();
        for (RRset s : sets) {
            if (s.size() > 0 && s.getName().equals(owner) && (s.getType() == type || type == Type.ANY && s.getType() != Type.RRSIG)) {
                out.add(s);
            }
        }
        return out;
    }

    /** The DNAME RRset whose owner is a proper ancestor of {@code name}, if the answer has one. */
    static RRset dnameAbove(List<RRset> sets, Name name) {
        for (RRset s : sets) {
            if (s.size() > 0 && s.getType() == Type.DNAME && name.subdomain(s.getName()) && !name.equals(s.getName())) {
                return s;
            }
        }
        return null;
    }
}
