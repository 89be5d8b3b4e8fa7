package dev.daneel.validator.internal;

import dev.daneel.anchors.Anchor;
import dev.daneel.anchors.TrustAnchors;
import dev.daneel.validator.Answer;
import dev.daneel.validator.Limits;
import dev.daneel.validator.Reason;
import dev.daneel.validator.Security;
import dev.daneel.validator.ValidationChain;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DLVRecord;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.RRSIGRecord;
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

    private static final org.xbill.DNS.utils.base32 B32HEX =
            new org.xbill.DNS.utils.base32(org.xbill.DNS.utils.base32.Alphabet.BASE32HEX, false, true);

    /** A broken chain is remembered this long, so a bogus zone is not re-fetched on every query (RFC 4035 §4.7). */
    static final long BOGUS_TTL_SECONDS = 60;
    /** The longest an unvalidated upstream response is reused. */
    static final long MAX_RESPONSE_TTL = 300;

    private final Source source;
    private final Crypto crypto;
    /** The DLV registry (RFC 5074) consulted when a chain ends Insecure, or null (the default: off). */
    private volatile Name dlvDomain;

    /** Replaced as a whole when RFC 5011 tracking changes the trusted keys; null when none is left. */
    private volatile TrustAnchors anchors;
    private final Clock clock;
    private final Duration skew;
    private final Limits limits;
    private final TtlCache<Name, Keys> keyCache;
    private final TtlCache<Question, Answer> answerCache;
    /**
     * Upstream responses, unvalidated, kept for their records' TTL (at most {@link #MAX_RESPONSE_TTL}
     * seconds): lookups racing just behind a finished fetch reuse it instead of asking again. Safe because
     * every use validates the response anew.
     */
    private final TtlCache<Question, Message> responseCache;
    private final ConcurrentHashMap<Question, CompletableFuture<Message>> inflight = new ConcurrentHashMap<>();

    private record Question(Name name, int type) {
    }

    /** A cached key entry with the exchanges that proved it, from the anchor down, for chain export. */
    private record Keys(KeyEntry entry, List<ValidationChain.Exchange> trail) {
    }

    public Engine(Source source, TrustAnchors anchors, Clock clock, Duration skew, Limits limits, int cacheSize) {
        this(source, anchors, clock, skew, limits, cacheSize, Crypto.STANDARD);
    }

    public Engine(Source source, TrustAnchors anchors, Clock clock, Duration skew, Limits limits, int cacheSize,
                  Crypto crypto) {
        this.crypto = crypto;
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

    private Optional<Anchor> anchorFor(Name name) {
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
        }
        return answer;
    }

    private Answer uncachedLookup(Question key) {
        Name qname = key.name();
        int qtype = key.type();
        TtlCache.Hit<Answer> hit = answerCache.get(key);
        if (hit != null) {
            Answer a = hit.value();
            return new Answer(a.name(), a.type(), a.security(), a.rcode(), a.records(), a.chain(),
                    Math.min(a.ttl(), hit.ttlLeft()), a.evidence());
        }
        Lookup work = new Lookup(clock.instant());
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
    private static final class UnavailableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnavailableException(String message) {
            super(message, null, false, false);
        }
    }

    private CompletableFuture<Message> fetch(Name name, int type) {
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

    /** The state of one lookup: its clock reading, work budget and the evidence it used. */
    private final class Lookup {
        private final Instant now;
        private final Budget budget = new Budget(limits);
        private final SignatureVerifier verifier;
        private final List<ValidationChain.Exchange> evidence = new ArrayList<>();
        private final Set<Question> recorded = new HashSet<>();
        /** Set when the proof shows the upstream's rcode was wrong (an NXDOMAIN for an empty non-terminal). */
        private int rcodeOverride = -1;
        /** Every question this lookup asked, so a prefetched answer is used, not asked again. */
        private final ConcurrentHashMap<Question, CompletableFuture<Message>> asked = new ConcurrentHashMap<>();

        Lookup(Instant now) {
            this.now = now;
            this.verifier = new SignatureVerifier(now, skew, budget, crypto);
        }

        /** Adds exchanges another lookup recorded (a cached key entry's proof) to this lookup's evidence. */
        void include(List<ValidationChain.Exchange> exchanges) {
            synchronized (evidence) {
                for (ValidationChain.Exchange e : exchanges) {
                    if (recorded.add(new Question(e.name(), e.type()))) {
                        evidence.add(e);
                    }
                }
            }
        }

        /** Appends this lookup's exchange for the question, if it made one. */
        void addIfRecorded(List<ValidationChain.Exchange> trail, Name name, int type) {
            synchronized (evidence) {
                for (ValidationChain.Exchange e : evidence) {
                    if (e.name().equals(name) && e.type() == type) {
                        trail.add(e);
                        return;
                    }
                }
            }
        }

        /** Sends the question unless this lookup already did (or another lookup has it in flight). */
        CompletableFuture<Message> fetch(Name name, int type) {
            return asked.computeIfAbsent(new Question(name, type), q -> Engine.this.fetch(name, type));
        }

        Message await(Name name, int type) {
            Message m;
            try {
                m = fetch(name, type).join();
            } catch (CompletionException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                throw new UnavailableException(cause.getMessage());
            }
            synchronized (evidence) {
                if (recorded.add(new Question(name, type))) {
                    evidence.add(new ValidationChain.Exchange(name, type, m));
                }
            }
            return m;
        }

        Answer answer(Name qname, int qtype, Verdict verdict, int rcode, List<Record> records, List<Record> chain) {
            List<ValidationChain.Exchange> copy;
            synchronized (evidence) {
                copy = List.copyOf(evidence);
            }
            return new Answer(qname, qtype, verdict.security, rcode, records, chain, verdict.ttl, new ValidationChain(copy));
        }

        // ---- the answer ---------------------------------------------------------------------------

        Answer validate(Name qname, int qtype, Message response) {
            List<RRset> answers = response.getSectionRRsets(Section.ANSWER);
            List<Record> chain = new ArrayList<>();
            Verdict verdict = Verdict.secure(Set.of(), Long.MAX_VALUE);
            Name current = qname;
            Set<Name> visited = new HashSet<>();
            for (int hops = 0; ; hops++) {
                if (hops > limits.maxCnameHops() || !visited.add(current)) {
                    return answer(qname, qtype, Verdict.bogus(Reason.CHAIN_TOO_LONG, "CNAME/DNAME chain from " + qname
                            + " is longer than " + limits.maxCnameHops() + " links or loops at " + current),
                            response.getRcode(), List.of(), chain);
                }
                // A DNAME above the name comes first: names below it are redirected, and the CNAME beside it
                // is synthesised and unsigned (RFC 6672 §5.3.1), so it is checked against the DNAME.
                RRset dname = dnameAbove(answers, current);
                if (dname != null) {
                    verdict = verdict.and(rrset(dname, response));
                    DNAMERecord link = (DNAMERecord) dname.first();
                    if (dname.sigs().stream().anyMatch(x -> x.getLabels() < SignatureVerifier.labelsWithoutWildcard(link.getName()))) {
                        return answer(qname, qtype, Verdict.bogus(Reason.DNSSEC_BOGUS, "DNAME " + link.getName()
                                + " comes from a wildcard; a DNAME cannot be synthesised (RFC 6672 §3.3, RFC 4592 §4.4)"),
                                response.getRcode(), List.of(), chain);
                    }
                    chain.add(link);
                    Name target;
                    try {
                        target = current.fromDNAME(link);
                    } catch (NameTooLongException e) {
                        return answer(qname, qtype, Verdict.bogus(Reason.DNSSEC_BOGUS, "DNAME " + link.getName()
                                + " makes " + current + " too long"), response.getRcode(), List.of(), chain);
                    }
                    for (RRset synthesized : find(answers, current, Type.CNAME)) {
                        if (!((CNAMERecord) synthesized.first()).getTarget().equals(target)) {
                            return answer(qname, qtype, Verdict.bogus(Reason.DNSSEC_BOGUS, "CNAME " + current + " -> "
                                    + ((CNAMERecord) synthesized.first()).getTarget() + " contradicts DNAME " + link.getName()
                                    + " -> " + link.getTarget()), response.getRcode(), List.of(), chain);
                        }
                    }
                    CNAMERecord synthesized = new CNAMERecord(current, link.getDClass(), link.getTTL(), target);
                    if (qtype == Type.CNAME) {
                        return finish(qname, qtype, verdict, response.getRcode(), List.of(synthesized), chain);
                    }
                    chain.add(synthesized);
                    current = target;
                    continue;
                }
                List<RRset> exact = find(answers, current, qtype);
                if (!exact.isEmpty()) {
                    List<Record> records = new ArrayList<>();
                    for (RRset set : exact) {
                        verdict = verdict.and(rrset(set, response));
                        records.addAll(set.rrs(false));
                    }
                    return finish(qname, qtype, verdict, response.getRcode(), records, chain);
                }
                List<RRset> cname = qtype == Type.CNAME ? List.of() : find(answers, current, Type.CNAME);
                if (!cname.isEmpty()) {
                    verdict = verdict.and(rrset(cname.get(0), response));
                    CNAMERecord link = (CNAMERecord) cname.get(0).first();
                    chain.add(link);
                    current = link.getTarget();
                    continue;
                }
                verdict = verdict.and(negative(current, qtype, response));
                return finish(qname, qtype, verdict, rcodeOverride >= 0 ? rcodeOverride : response.getRcode(), List.of(), chain);
            }
        }

        private Answer finish(Name qname, int qtype, Verdict verdict, int rcode, List<Record> records, List<Record> chain) {
            long ttl = verdict.ttl == Long.MAX_VALUE ? 0 : verdict.ttl;
            Verdict v = verdict.isSecure() || verdict.security instanceof Security.Insecure
                    ? withTtl(verdict, ttl) : verdict;
            return answer(qname, qtype, v, rcode, records, chain);
        }

        private Verdict withTtl(Verdict v, long ttl) {
            if (v.security instanceof Security.Secure s) {
                return Verdict.secure(s.algorithms(), ttl, s.viaDlv());
            }
            Security.Insecure i = (Security.Insecure) v.security;
            return Verdict.insecure(i.delegation(), i.reason(), i.why(), ttl);
        }

        /** Validates one RRset of the answer section. */
        private Verdict rrset(RRset set, Message response) {
            Name owner = set.getName();
            List<RRSIGRecord> sigs = set.sigs().stream().filter(s -> owner.subdomain(s.getSigner())).toList();
            if (sigs.isEmpty()) {
                KeyEntry zone = walk(owner, false);
                if (zone instanceof KeyEntry.Secure s) {
                    return Verdict.bogus(Reason.RRSIGS_MISSING, Type.string(set.getType()) + " " + owner
                            + " has no RRSIG, but its zone " + s.zone() + " is signed");
                }
                return cap(Verdict.of(zone), set.getTTL());
            }
            Name signer = sigs.get(0).getSigner();
            KeyEntry keys = walk(signer, true);
            if (!(keys instanceof KeyEntry.Secure k)) {
                return cap(Verdict.of(keys), set.getTTL());
            }
            SignatureVerifier.Outcome o = verifier.verify(set, signer, k.keys());
            if (!o.secure()) {
                return Verdict.bogus(o.failure(), o.detail());
            }
            Set<Integer> algs = new HashSet<>(k.algorithms());
            algs.add(o.signature().getAlgorithm());
            Verdict v = Verdict.secure(algs, Math.min(o.ttl(set, now), k.ttl()), k.viaDlv());
            if (o.signature().getLabels() < SignatureVerifier.labelsWithoutWildcard(owner)) {
                Verdict proof = proofs(response, k);
                if (!proof.isSecure()) {
                    return proof;
                }
                Denial d = denial(response, k);
                Verdict policy = iterationPolicy(d, k.zone(), v.ttl);
                if (policy != null) {
                    return policy;
                }
                if (!d.provesWildcardExpansion(owner, o.signature().getLabels())) {
                    return Verdict.bogus(Reason.NSEC_MISSING, "wildcard answer " + owner + ": " + d.why());
                }
                if (d.optOutUsed()) {
                    return optOutInsecure(k.zone(), owner, v.ttl);
                }
                v = v.and(proof);
            }
            return v;
        }

        /** Validates a negative answer (NXDOMAIN or NODATA) for {@code name} at the end of the chain. */
        private Verdict negative(Name name, int qtype, Message response) {
            Name signer = null;
            for (RRset set : response.getSectionRRsets(Section.AUTHORITY)) {
                for (RRSIGRecord sig : set.sigs()) {
                    if (name.subdomain(sig.getSigner()) && (signer == null || sig.getSigner().labels() > signer.labels())) {
                        signer = sig.getSigner();
                    }
                }
            }
            long soaTtl = soaTtl(response);
            if (signer == null) {
                KeyEntry zone = walk(name, false);
                if (zone instanceof KeyEntry.Secure s) {
                    return Verdict.bogus(Reason.NSEC_MISSING, (response.getRcode() == Rcode.NXDOMAIN ? "NXDOMAIN" : "NODATA")
                            + " for " + name + " carries no signed proof, but zone " + s.zone() + " is signed");
                }
                return cap(Verdict.of(zone), soaTtl);
            }
            KeyEntry keys = walk(signer, true);
            if (!(keys instanceof KeyEntry.Secure k)) {
                return cap(Verdict.of(keys), soaTtl);
            }
            Verdict proof = proofs(response, k);
            if (!proof.isSecure()) {
                return proof;
            }
            Denial d = denial(response, k);
            Verdict policy = iterationPolicy(d, k.zone(), Math.min(proof.ttl, soaTtl));
            if (policy != null) {
                return policy;
            }
            if (qtype != Type.DS && d.insecureDelegationAt(name)) {
                // The parent's NSEC shows an unsigned delegation at the name: its data lives in an insecure zone.
                return Verdict.insecure(name, null, "no DS at " + name + ", proven by " + k.zone() + ": " + d.why(),
                        Math.min(proof.ttl, soaTtl));
            }
            boolean proven = response.getRcode() == Rcode.NXDOMAIN ? d.provesNxdomain(name) : d.provesNodata(name, qtype);
            if (!proven && response.getRcode() == Rcode.NXDOMAIN && d.provesEmptyNonTerminal(name)) {
                // RFC 4035 §3.1.3.2: the name exists as an empty non-terminal; the NXDOMAIN was wrong, the
                // proven fact is NODATA (as Unbound reports it).
                rcodeOverride = Rcode.NOERROR;
                proven = true;
            }
            if (!proven) {
                return Verdict.bogus(Reason.NSEC_MISSING, (response.getRcode() == Rcode.NXDOMAIN ? "NXDOMAIN" : "NODATA")
                        + " for " + name + "/" + Type.string(qtype) + " not proven: " + d.why());
            }
            if (d.optOutUsed()) {
                return optOutInsecure(k.zone(), name, Math.min(proof.ttl, soaTtl));
            }
            return cap(proof, soaTtl);
        }

        /**
         * RFC 5155 §9.2: a proof whose next closer name is covered by an opt-out NSEC3 leaves room for an
         * unsigned delegation there, so the answer is Insecure, never Secure.
         */
        private Verdict optOutInsecure(Name zone, Name name, long ttl) {
            return Verdict.insecure(zone, null, "the proof for " + name + " rests on an opt-out NSEC3 span of " + zone
                    + " (RFC 5155 §9.2)", ttl);
        }

        /**
         * RFC 9276 §3.2: NSEC3 proofs with more iterations than the limits make the answer Insecure (EDE 27)
         * or, above the hard limit, Bogus. Null when the proof is within the limits.
         */
        private Verdict iterationPolicy(Denial d, Name zone, long ttl) {
            int iterations = d.maxNsec3Iterations();
            if (iterations > limits.nsec3IterationsBogusAbove()) {
                return Verdict.bogus(Reason.UNSUPPORTED_NSEC3_ITERATIONS, "NSEC3 of " + zone + " uses " + iterations
                        + " iterations, above the limit of " + limits.nsec3IterationsBogusAbove() + " (RFC 9276)");
            }
            if (iterations > limits.nsec3IterationsInsecureAbove()) {
                return Verdict.insecure(zone, Reason.UNSUPPORTED_NSEC3_ITERATIONS, "NSEC3 of " + zone + " uses " + iterations
                        + " iterations, above " + limits.nsec3IterationsInsecureAbove() + ": treated as insecure (RFC 9276 §3.2)", ttl);
            }
            return null;
        }

        /** Verifies every signed SOA, NSEC and NSEC3 RRset of the authority section with the zone's keys. */
        private Verdict proofs(Message response, KeyEntry.Secure k) {
            Verdict v = Verdict.secure(k.algorithms(), k.ttl(), k.viaDlv());
            for (RRset set : response.getSectionRRsets(Section.AUTHORITY)) {
                int t = set.getType();
                // A child zone's own records (signed by a zone below this one that holds them) are not ours to
                // check; anything else under this zone must verify with its keys, whatever signer it claims.
                boolean childZones = !set.sigs().isEmpty() && set.sigs().stream().allMatch(x -> !x.getSigner().equals(k.zone())
                        && x.getSigner().subdomain(k.zone()) && set.getName().subdomain(x.getSigner()));
                if (t != Type.NSEC && t != Type.NSEC3 && t != Type.SOA || !set.getName().subdomain(k.zone()) || childZones) {
                    continue;
                }
                SignatureVerifier.Outcome o = verifier.verify(set, k.zone(), k.keys());
                if (!o.secure()) {
                    return Verdict.bogus(o.failure(), o.detail());
                }
                v = v.and(Verdict.secure(Set.of(o.signature().getAlgorithm()), o.ttl(set, now)));
            }
            return v;
        }

        /** The denial records of {@code k}'s zone in the authority section (their signatures already checked). */
        private Denial denial(Message response, KeyEntry.Secure k) {
            List<NSECRecord> nsecs = new ArrayList<>();
            List<NSEC3Record> nsec3s = new ArrayList<>();
            for (RRset set : response.getSectionRRsets(Section.AUTHORITY)) {
                if (!set.getName().subdomain(k.zone()) || set.sigs().stream().noneMatch(s -> s.getSigner().equals(k.zone()))) {
                    continue;
                }
                if (set.sigs().stream().anyMatch(x -> x.getLabels() < SignatureVerifier.labelsWithoutWildcard(set.getName()))) {
                    continue; // CVE-2017-15105 class: an NSEC expanded from a wildcard proves nothing about other names
                }
                for (Record r : set.rrs(false)) {
                    if (r instanceof NSECRecord n) {
                        nsecs.add(n);
                    } else if (r instanceof NSEC3Record n3) {
                        nsec3s.add(n3);
                    }
                }
            }
            return new Denial(k.zone(), nsecs, nsec3s, budget);
        }

        // ---- the chain of trust -------------------------------------------------------------------

        /**
         * The keys that apply at {@code target}: walks from the closest anchor down. With {@code apex}, the
         * target must itself be a zone (an RRSIG's signer) and its validated keys are returned.
         */
        KeyEntry walk(Name target, boolean apex) {
            Optional<Anchor> anchor = anchorFor(target);
            if (anchor.isEmpty()) {
                return new KeyEntry.Unanchored(Security.Cause.NO_ANCHOR, "no trust anchor covers " + target, 0);
            }
            Name top = anchor.get().zone();
            List<Name> path = new ArrayList<>();
            for (Name n = target; !n.equals(top); n = new Name(n, 1)) {
                path.add(0, n);
            }
            if (path.size() > limits.maxChainDepth()) {
                return new KeyEntry.Bogus(Reason.WORK_LIMIT_EXCEEDED, target + " lies " + path.size()
                        + " labels below the trust anchor " + top + "; the limit is " + limits.maxChainDepth(), 0);
            }
            Keys current = null;
            int start = 0;
            for (int i = path.size() - 1; i >= 0 && current == null; i--) {
                TtlCache.Hit<Keys> hit = keyCache.get(path.get(i));
                if (hit != null) {
                    current = hit.value();
                    start = i + 1;
                }
            }
            // Everything this walk may need goes out at once: the DS of every remaining level and, when the
            // target is a signer, its DNSKEY. Only the DNSKEYs of intermediate cuts wait for their DS.
            for (int i = start; i < path.size(); i++) {
                fetch(path.get(i), Type.DS);
            }
            if (apex && start < path.size()) {
                fetch(target, Type.DNSKEY);
            }
            if (current == null) {
                TtlCache.Hit<Keys> hit = keyCache.get(top);
                current = hit != null ? hit.value() : anchored(anchor.get());
            }
            include(current.trail()); // cached entries bring the evidence that proved them
            for (int i = start; i < path.size() && current.entry() instanceof KeyEntry.Secure; i++) {
                Name n = path.get(i);
                KeyEntry next = step((KeyEntry.Secure) current.entry(), n);
                List<ValidationChain.Exchange> trail = new ArrayList<>(current.trail());
                addIfRecorded(trail, n, Type.DS);
                addIfRecorded(trail, n, Type.DNSKEY);
                current = new Keys(next, List.copyOf(trail));
                keyCache.put(n, current, next.ttl());
            }
            KeyEntry result = current.entry();
            if (result instanceof KeyEntry.Insecure insecure && insecure.reason() == null) {
                result = lookaside(target, insecure);
            }
            if (apex && result instanceof KeyEntry.Secure s && !s.zone().equals(target)) {
                return new KeyEntry.Bogus(Reason.DNSKEY_MISSING, target + " signs records but is not a zone cut below "
                        + s.zone(), BOGUS_TTL_SECONDS);
            }
            return result;
        }

        /**
         * RFC 5074 §5: when the chain ends at an unsigned delegation, look in the DLV registry for the closest
         * enclosing zone of {@code target} below it; a Secure DLV RRset stands in for that zone's DS. A Bogus
         * DLV answer makes the zone Bogus; no DLV record leaves it Insecure.
         */
        private KeyEntry lookaside(Name target, KeyEntry.Insecure insecure) {
            Name registry = dlvDomain;
            if (registry == null || target.subdomain(registry)) {
                return insecure; // off, or the registry's own names (no lookaside for lookaside)
            }
            List<Record> provenGaps = new ArrayList<>();
            for (Name zone = target; zone.subdomain(insecure.delegation()); zone = new Name(zone, 1)) {
                Name owner;
                try {
                    owner = Name.concatenate(zone.relativize(Name.root), registry);
                } catch (NameTooLongException e) {
                    continue;
                }
                if (inGap(provenGaps, owner)) {
                    continue; // RFC 5074 §5.3: a Secure NSEC from the registry already shows no DLV here
                }
                Answer dlv = Engine.this.lookup(owner, Type.DLV);
                if (dlv.security() instanceof Security.Secure && dlv.records().isEmpty()) {
                    for (ValidationChain.Exchange e : dlv.evidence().exchanges()) {
                        if (e.name().equals(owner) && e.type() == Type.DLV) {
                            for (Record r : e.response().getSection(Section.AUTHORITY)) {
                                if (r instanceof NSECRecord || r instanceof NSEC3Record) {
                                    provenGaps.add(r);
                                }
                            }
                        }
                    }
                }
                if (dlv.security() instanceof Security.Bogus b) {
                    return new KeyEntry.Bogus(b.reason(), "DLV for " + zone + " at " + owner + ": " + b.detail(), BOGUS_TTL_SECONDS);
                }
                if (dlv.security() instanceof Security.Secure && !dlv.records().isEmpty()) {
                    List<DSRecord> ds = new ArrayList<>();
                    for (Record r : dlv.records()) {
                        DLVRecord d = (DLVRecord) r;
                        ds.add(new DSRecord(zone, d.getDClass(), d.getTTL(), d.getFootprint(), d.getAlgorithm(),
                                d.getDigestID(), d.getDigest()));
                    }
                    include(dlv.evidence().exchanges());
                    List<DSRecord> usable = DsMatcher.usable(ds, crypto);
                    if (usable.isEmpty()) {
                        return insecure;
                    }
                    KeyEntry viaDlv;
                    try {
                        viaDlv = dnskeys(zone, await(zone, Type.DNSKEY), usable, List.of(),
                                ((Security.Secure) dlv.security()).algorithms(), dlv.ttl(), true);
                    } catch (UnavailableException e) {
                        return new KeyEntry.Unanchored(Security.Cause.UNAVAILABLE, "DNSKEY of " + zone + " unavailable: "
                                + e.getMessage(), 0);
                    }
                    if (!(viaDlv instanceof KeyEntry.Secure secure) || zone.equals(target)) {
                        return viaDlv;
                    }
                    // Below the DLV-anchored zone the chain goes on by ordinary DS records.
                    KeyEntry below = secure;
                    List<Name> rest = new ArrayList<>();
                    for (Name n = target; !n.equals(zone); n = new Name(n, 1)) {
                        rest.add(0, n);
                    }
                    for (int i = 0; i < rest.size() && below instanceof KeyEntry.Secure s; i++) {
                        below = step(s, rest.get(i));
                    }
                    return below;
                }
            }
            return insecure;
        }

        /**
         * Whether a validated NSEC's span, or an NSEC3's hash span, lies strictly around {@code name}: no
         * record exists there. Each NSEC3 hash spends the lookup's budget.
         */
        private boolean inGap(List<Record> gaps, Name name) {
            for (Record r : gaps) {
                if (r instanceof NSECRecord n) {
                    boolean last = n.getNext().compareTo(n.getName()) <= 0;
                    if (n.getName().compareTo(name) < 0 && (last || name.compareTo(n.getNext()) < 0)) {
                        return true;
                    }
                } else if (r instanceof NSEC3Record n3 && name.subdomain(new Name(n3.getName(), 1))
                        && n3.getIterations() <= limits.nsec3IterationsBogusAbove() && budget.spendNsec3Hash()) {
                    String h;
                    try {
                        h = B32HEX.toString(new org.xbill.DNS.NSEC3PARAMRecord(n3.getName(), n3.getDClass(), 0,
                                n3.getHashAlgorithm(), 0, n3.getIterations(), n3.getSalt()).hashName(name));
                    } catch (java.security.NoSuchAlgorithmException e) {
                        throw new IllegalStateException("SHA-1 is on every Java platform", e);
                    }
                    String owner = n3.getName().getLabelString(0).toLowerCase();
                    String next = B32HEX.toString(n3.getNext());
                    boolean covered = owner.compareTo(next) < 0 ? owner.compareTo(h) < 0 && h.compareTo(next) < 0
                            : owner.compareTo(h) < 0 || h.compareTo(next) < 0;
                    if (covered) {
                        return true;
                    }
                }
            }
            return false;
        }

        /** The validated keys of an anchored zone. */
        private Keys anchored(Anchor anchor) {
            List<DSRecord> ds = DsMatcher.usable(anchor.ds(), crypto);
            List<DNSKEYRecord> keys = anchor.keys().stream().filter(k -> verifier.supported(k.getAlgorithm())).toList();
            KeyEntry entry;
            if (ds.isEmpty() && keys.isEmpty()) {
                entry = new KeyEntry.Insecure(anchor.zone(), Reason.UNSUPPORTED_DNSKEY_ALGORITHM, "the trust anchor for " + anchor.zone()
                        + " uses only unsupported algorithms or digests", BOGUS_TTL_SECONDS);
            } else {
                try {
                    entry = dnskeys(anchor.zone(), await(anchor.zone(), Type.DNSKEY), ds, keys, Set.of(), Long.MAX_VALUE, false);
                } catch (UnavailableException e) {
                    return new Keys(new KeyEntry.Unanchored(Security.Cause.UNAVAILABLE, "DNSKEY of " + anchor.zone() + " unavailable: " + e.getMessage(), 0),
                            List.of());
                }
            }
            List<ValidationChain.Exchange> trail = new ArrayList<>();
            addIfRecorded(trail, anchor.zone(), Type.DNSKEY);
            Keys proven = new Keys(entry, List.copyOf(trail));
            keyCache.put(anchor.zone(), proven, entry.ttl());
            return proven;
        }

        /** One label down from the zone of {@code parent}: is {@code name} a secure cut, an insecure one, or none? */
        private KeyEntry step(KeyEntry.Secure parent, Name name) {
            Message response;
            try {
                response = await(name, Type.DS);
            } catch (UnavailableException e) {
                return new KeyEntry.Unanchored(Security.Cause.UNAVAILABLE, "DS of " + name + " unavailable: " + e.getMessage(), 0);
            }
            RRset ds = find(response.getSectionRRsets(Section.ANSWER), name, Type.DS).stream().findFirst().orElse(null);
            if (ds != null) {
                SignatureVerifier.Outcome o = verifier.verify(ds, parent.zone(), parent.keys());
                if (!o.secure()) {
                    return new KeyEntry.Bogus(o.failure(), "DS of " + name + ": " + o.detail(), BOGUS_TTL_SECONDS);
                }
                List<DSRecord> usable = DsMatcher.usable(ds.rrs(false).stream().map(r -> (DSRecord) r).toList(), crypto);
                long ttl = Math.min(parent.ttl(), o.ttl(ds, now));
                if (usable.isEmpty()) {
                    boolean algorithmsKnown = ds.rrs(false).stream()
                            .anyMatch(r -> verifier.supported(((DSRecord) r).getAlgorithm()));
                    return new KeyEntry.Insecure(name, algorithmsKnown ? Reason.UNSUPPORTED_DS_DIGEST
                            : Reason.UNSUPPORTED_DNSKEY_ALGORITHM, "the DS RRset of " + name
                            + " uses only unsupported algorithms or digests (RFC 4035 §5.2)", ttl);
                }
                try {
                    return dnskeys(name, await(name, Type.DNSKEY), usable, List.of(), parent.algorithms(), ttl, parent.viaDlv());
                } catch (UnavailableException e) {
                    return new KeyEntry.Unanchored(Security.Cause.UNAVAILABLE, "DNSKEY of " + name + " unavailable: " + e.getMessage(), 0);
                }
            }
            if (response.getRcode() != Rcode.NOERROR && response.getRcode() != Rcode.NXDOMAIN) {
                return new KeyEntry.Unanchored(Security.Cause.UNAVAILABLE, "DS of " + name + ": upstream answered " + Rcode.string(response.getRcode()), 0);
            }
            if (!find(response.getSectionRRsets(Section.ANSWER), name, Type.CNAME).isEmpty()) {
                return parent; // a CNAME owner cannot be a delegation point
            }
            Verdict proof = proofs(response, parent);
            if (!proof.isSecure()) {
                Security.Bogus b = (Security.Bogus) proof.security;
                return new KeyEntry.Bogus(b.reason(), "proof of no DS at " + name + ": " + b.detail(), BOGUS_TTL_SECONDS);
            }
            Denial d = denial(response, parent);
            long ttl = Math.min(parent.ttl(), proof.ttl);
            Verdict policy = iterationPolicy(d, parent.zone(), ttl);
            if (policy != null) {
                return policy.isBogus()
                        ? new KeyEntry.Bogus(((Security.Bogus) policy.security).reason(), ((Security.Bogus) policy.security).detail(), BOGUS_TTL_SECONDS)
                        : new KeyEntry.Insecure(parent.zone(), Reason.UNSUPPORTED_NSEC3_ITERATIONS,
                                ((Security.Insecure) policy.security).why(), ttl);
            }
            if (response.getRcode() == Rcode.NXDOMAIN) {
                if (d.provesNxdomain(name)) {
                    return parent.capped(ttl);
                }
                return new KeyEntry.Bogus(Reason.NSEC_MISSING, "NXDOMAIN for DS " + name + " not proven: " + d.why(),
                        BOGUS_TTL_SECONDS);
            }
            switch (d.dsAbsence(name)) {
                case INSECURE_DELEGATION:
                    return new KeyEntry.Insecure(name, null, "no DS at " + name + ", proven by " + parent.zone() + ": " + d.why(), ttl);
                case NOT_A_DELEGATION:
                    return parent.capped(ttl);
                default:
                    return new KeyEntry.Bogus(Reason.NSEC_MISSING, "no DS at " + name + " and no proof why: " + d.why(),
                            BOGUS_TTL_SECONDS);
            }
        }

        /**
         * Validates the DNSKEY RRset of {@code zone} with the DS records or anchor keys that name its
         * entry keys: one of those keys must be in the RRset and sign it.
         */
        private KeyEntry dnskeys(Name zone, Message response, List<DSRecord> ds, List<DNSKEYRecord> anchorKeys,
                                 Set<Integer> algorithms, long ttlCap, boolean viaDlv) {
            RRset set = find(response.getSectionRRsets(Section.ANSWER), zone, Type.DNSKEY).stream().findFirst().orElse(null);
            if (set == null) {
                return new KeyEntry.Bogus(Reason.DNSKEY_MISSING, "no DNSKEY RRset at " + zone + " (upstream answered "
                        + Rcode.string(response.getRcode()) + ")", BOGUS_TTL_SECONDS);
            }
            List<DNSKEYRecord> all = set.rrs(false).stream().map(r -> (DNSKEYRecord) r).toList();
            List<DNSKEYRecord> entry = new ArrayList<>();
            for (DNSKEYRecord k : all) {
                boolean named = ds.stream().anyMatch(d -> DsMatcher.matches(d, k))
                        || anchorKeys.stream().anyMatch(a -> a.getFlags() == k.getFlags() && a.getAlgorithm() == k.getAlgorithm()
                        && java.util.Arrays.equals(a.getKey(), k.getKey()));
                if (named) {
                    entry.add(k);
                }
            }
            if (entry.isEmpty()) {
                String tags = ds.stream().map(d -> String.valueOf(d.getFootprint())).distinct().toList().toString();
                return new KeyEntry.Bogus(Reason.DNSKEY_MISSING, "no DNSKEY of " + zone + " matches its "
                        + (ds.isEmpty() ? "trust anchor keys" : "DS (key tags " + tags + ")"), BOGUS_TTL_SECONDS);
            }
            SignatureVerifier.Outcome o = verifier.verify(set, zone, entry);
            if (!o.secure()) {
                return new KeyEntry.Bogus(o.failure(), "DNSKEY RRset of " + zone + ": " + o.detail(), BOGUS_TTL_SECONDS);
            }
            List<DNSKEYRecord> zoneKeys = all.stream().filter(k -> (k.getFlags() & 0x0100) != 0 && (k.getFlags() & 0x0080) == 0).toList();
            Set<Integer> algs = new HashSet<>(algorithms);
            algs.add(o.signature().getAlgorithm());
            return new KeyEntry.Secure(zone, zoneKeys, algs, Math.min(ttlCap, o.ttl(set, now)), viaDlv);
        }
    }

    private static Verdict cap(Verdict v, long ttl) {
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

    private static long soaTtl(Message response) {
        for (Record r : response.getSection(Section.AUTHORITY)) {
            if (r instanceof SOARecord soa) {
                return Math.min(soa.getTTL(), soa.getMinimum()); // RFC 2308 §5
            }
        }
        return 0;
    }

    private static List<RRset> find(List<RRset> sets, Name owner, int type) {
        List<RRset> out = new ArrayList<>();
        for (RRset s : sets) {
            if (s.getName().equals(owner) && (s.getType() == type || type == Type.ANY && s.getType() != Type.RRSIG)) {
                out.add(s);
            }
        }
        return out;
    }

    /** The DNAME RRset whose owner is a proper ancestor of {@code name}, if the answer has one. */
    private static RRset dnameAbove(List<RRset> sets, Name name) {
        for (RRset s : sets) {
            if (s.getType() == Type.DNAME && name.subdomain(s.getName()) && !name.equals(s.getName())) {
                return s;
            }
        }
        return null;
    }
}
