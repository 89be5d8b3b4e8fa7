package dev.daneel.validator.internal;

import dev.daneel.validator.Answer;
import dev.daneel.validator.Reason;
import dev.daneel.validator.Security;
import dev.daneel.validator.ValidationChain;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * One lookup: its clock reading, work budget and evidence, and the validation of its answer — the
 * CNAME/DNAME chain link by link, positive RRsets, wildcard expansions and negative answers with their
 * NSEC/NSEC3 proofs (RFC 4035 §5, RFC 5155 §8). Keys come from its {@link ChainOfTrust}.
 *
 * <p>Created per lookup; its fetches may complete on other threads, so the evidence list is guarded.
 */
final class Lookup {
    final Engine engine;
    final ChainOfTrust chain;
    final Instant now;
    final Budget budget;
    final SignatureVerifier verifier;
    private final List<ValidationChain.Exchange> evidence = new ArrayList<>();
    private final Set<Engine.Question> recorded = new HashSet<>();
    /** Set when the proof shows the upstream's rcode was wrong (an NXDOMAIN for an empty non-terminal). */
    private int rcodeOverride = -1;
    /** Every question this lookup asked, so a prefetched answer is used, not asked again. */
    private final ConcurrentHashMap<Engine.Question, CompletableFuture<Message>> asked = new ConcurrentHashMap<>();

    Lookup(Engine engine, Instant now) {
        this.engine = engine;
        this.now = now;
        this.chain = new ChainOfTrust(engine, this);
        this.budget = new Budget(engine.limits);
        this.verifier = new SignatureVerifier(now, engine.skew, budget, engine.crypto);
    }

    /** Adds exchanges another lookup recorded (a cached key entry's proof) to this lookup's evidence. */
    void include(List<ValidationChain.Exchange> exchanges) {
        synchronized (evidence) {
            for (ValidationChain.Exchange e : exchanges) {
                if (recorded.add(new Engine.Question(e.name(), e.type()))) {
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
        return asked.computeIfAbsent(new Engine.Question(name, type), q -> engine.fetch(name, type));
    }

    Message await(Name name, int type) {
        Message m;
        try {
            m = fetch(name, type).join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new Engine.UnavailableException(cause.getMessage());
        }
        synchronized (evidence) {
            if (recorded.add(new Engine.Question(name, type))) {
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
            if (hops > engine.limits.maxCnameHops() || !visited.add(current)) {
                return answer(qname, qtype, Verdict.bogus(Reason.CHAIN_TOO_LONG, "CNAME/DNAME chain from " + qname
                        + " is longer than " + engine.limits.maxCnameHops() + " links or loops at " + current),
                        response.getRcode(), List.of(), chain);
            }
            // A DNAME above the name comes first: names below it are redirected, and the CNAME beside it
            // is synthesised and unsigned (RFC 6672 §5.3.1), so it is checked against the DNAME.
            RRset dname = Engine.dnameAbove(answers, current);
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
                for (RRset synthesized : Engine.find(answers, current, Type.CNAME)) {
                    if (!((CNAMERecord) synthesized.first()).getTarget().equals(target)) {
                        return answer(qname, qtype, Verdict.bogus(Reason.DNSSEC_BOGUS, "CNAME " + current + " -> "
                                + ((CNAMERecord) synthesized.first()).getTarget() + " contradicts DNAME " + link.getName()
                                + " -> " + link.getTarget()), response.getRcode(), List.of(), chain);
                    }
                }
                CNAMERecord synthesized = new CNAMERecord(current, link.getDClass(), link.getTTL(), target);
                if (qtype == Type.CNAME) {
                    verdict = verdict.and(targetDenial(target, response));
                    return finish(qname, qtype, verdict, rcode(response), List.of(synthesized), chain);
                }
                chain.add(synthesized);
                current = target;
                continue;
            }
            List<RRset> exact = Engine.find(answers, current, qtype);
            if (!exact.isEmpty()) {
                List<Record> records = new ArrayList<>();
                for (RRset set : exact) {
                    verdict = verdict.and(rrset(set, response));
                    records.addAll(set.rrs(false));
                }
                if (qtype == Type.CNAME) {
                    verdict = verdict.and(targetDenial(((CNAMERecord) exact.get(0).first()).getTarget(), response));
                }
                return finish(qname, qtype, verdict, rcode(response), records, chain);
            }
            List<RRset> cname = qtype == Type.CNAME ? List.of() : Engine.find(answers, current, Type.CNAME);
            if (!cname.isEmpty()) {
                verdict = verdict.and(rrset(cname.get(0), response));
                CNAMERecord link = (CNAMERecord) cname.get(0).first();
                chain.add(link);
                current = link.getTarget();
                continue;
            }
            verdict = verdict.and(negative(current, qtype, response));
            return finish(qname, qtype, verdict, rcode(response), List.of(), chain);
        }
    }

    private int rcode(Message response) {
        return rcodeOverride >= 0 ? rcodeOverride : response.getRcode();
    }

    /**
     * A CNAME asked for by type with an NXDOMAIN beside it: the rcode speaks of the CNAME's target (RFC
     * 6604 §2), so that absence must be proven like any other, as Unbound does (a CNAME-class answer).
     */
    private Verdict targetDenial(Name target, Message response) {
        if (response.getRcode() != Rcode.NXDOMAIN) {
            return Verdict.secure(Set.of(), Long.MAX_VALUE);
        }
        return negative(target, Type.CNAME, response);
    }

    // ---- aggressive negative answers (RFC 8198) -------------------------------------------------

    /** Deepest name, in labels below its zone, that aggressive NSEC3 use hashes for (2 hashes per label). */
    static final int AGGRESSIVE_NSEC3_MAX_DEPTH = 16;

    /** A negative answer proven by cached NSEC or NSEC3 records, with its rcode. */
    private record CachedDenial(Verdict verdict, int rcode) {
    }

    /** The answer the NSEC cache proves for the question without asking upstream, or null. */
    Answer fromNsecCache(Name qname, int qtype) {
        CachedDenial c = cachedDenial(qname, qtype);
        return c == null ? null : finish(qname, qtype, c.verdict(), c.rcode(), List.of(), List.of());
    }

    /**
     * NXDOMAIN (a covering record and a covered wildcard) or NODATA (a matching record without the type) from
     * validated NSEC or NSEC3 records of the closest zone that has some cached (RFC 8198 §5.1, §5.2); the
     * zone's keys must still be Secure. Null when the cache is off or proves nothing for the name.
     */
    private CachedDenial cachedDenial(Name name, int qtype) {
        NsecCache cache = engine.nsecCache;
        if (cache == null || qtype == Type.DS || qtype == Type.ANY) {
            // A DS absence is the parent's to prove (its NSEC sits at the child's name); ANY has no NODATA.
            return null;
        }
        NsecCache.Candidates found = cache.candidates(name);
        if (found.zone() != null && !found.entries().isEmpty()) {
            CachedDenial c = proven(found.zone(), new Denial(found.zone(), found.records(), List.of(), budget),
                    found.entries(), name, qtype);
            if (c != null) {
                return c;
            }
        }
        return cachedNsec3Denial(cache, name, qtype);
    }

    /**
     * The NSEC3 side of {@link #cachedDenial}: the cached record at or before the hash of the name and of
     * each ancestor (closest encloser, next closer) and of the wildcard below each ancestor. Names deeper
     * than {@link #AGGRESSIVE_NSEC3_MAX_DEPTH} labels below the zone are left to the upstream, so that this
     * attempt can never eat the NSEC3 hash budget the real proof needs (CVE-2023-50868).
     */
    private CachedDenial cachedNsec3Denial(NsecCache cache, Name name, int qtype) {
        NsecCache.Nsec3Zone z = cache.nsec3Zone(name);
        if (z == null || name.labels() - z.zone().labels() > AGGRESSIVE_NSEC3_MAX_DEPTH) {
            return null;
        }
        Denial hasher = new Denial(z.zone(), List.of(), List.of(z.params()), budget);
        List<NsecCache.Entry> entries = new ArrayList<>();
        for (int up = 0; up <= name.labels() - z.zone().labels(); up++) {
            Name ancestor = new Name(name, up);
            List<Name> look = new ArrayList<>(List.of(ancestor));
            if (up > 0) {
                try {
                    look.add(Name.concatenate(Name.fromConstantString("*"), ancestor));
                } catch (NameTooLongException e) {
                    // no such wildcard can exist
                }
            }
            for (Name n : look) {
                String hash = hasher.hashOf(n, z.params());
                if (hash == null) {
                    return null; // budget spent: let the upstream's proof decide
                }
                NsecCache.Entry e = cache.nsec3AtOrBefore(z.zone(), hash);
                if (e != null && !entries.contains(e)) {
                    entries.add(e);
                }
            }
        }
        List<NSEC3Record> records = entries.stream().map(e -> (NSEC3Record) e.record()).toList();
        return proven(z.zone(), hasher.withNsec3(records), entries, name, qtype);
    }

    /** The cached denial {@code d} gives for the question, with the zone's keys still Secure; else null. */
    private CachedDenial proven(Name zone, Denial d, List<NsecCache.Entry> entries, Name name, int qtype) {
        int rcode;
        if (d.provesNxdomain(name)) {
            rcode = Rcode.NXDOMAIN;
        } else if (d.provesNodata(name, qtype)) {
            rcode = Rcode.NOERROR;
        } else {
            return null;
        }
        if (d.optOutUsed()) {
            return null; // an opt-out span proves nothing Secure (RFC 5155 §9.2); the upstream's answer decides
        }
        KeyEntry keys = chain.walk(zone, true);
        if (!(keys instanceof KeyEntry.Secure k)) {
            return null;
        }
        include(entries.stream().map(NsecCache.Entry::exchange).distinct().toList());
        long ttl = Math.min(NsecCache.ttlLeft(entries, now.toEpochMilli()), k.ttl());
        return new CachedDenial(Verdict.secure(k.algorithms(), ttl, k.viaDlv()), rcode);
    }

    private Answer finish(Name qname, int qtype, Verdict verdict, int rcode, List<Record> records, List<Record> chain) {
        if (rcode == Rcode.NXDOMAIN && !records.isEmpty() && verdict.isSecure() && qtype != Type.CNAME) {
            // The rcode sits in the unsigned header: flipping it must not turn proven data into a "Secure
            // NXDOMAIN", a proof of nonexistence the signed records contradict. (A CNAME asked for by type
            // may stand beside an NXDOMAIN for its target, which targetDenial has then proven.)
            verdict = Verdict.bogus(Reason.DNSSEC_BOGUS, "the response says NXDOMAIN but carries the signed "
                    + Type.string(qtype) + " RRset of " + records.get(0).getName() + "; its unsigned header was changed");
        }
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
            KeyEntry zone = chain.walk(owner, false);
            if (zone instanceof KeyEntry.Secure s) {
                return Verdict.bogus(Reason.RRSIGS_MISSING, Type.string(set.getType()) + " " + owner
                        + " has no RRSIG, but its zone " + s.zone() + " is signed");
            }
            return Engine.cap(Verdict.of(zone), set.getTTL());
        }
        Name signer = sigs.get(0).getSigner();
        KeyEntry keys = chain.walk(signer, true);
        if (!(keys instanceof KeyEntry.Secure k)) {
            return Engine.cap(Verdict.of(keys), set.getTTL());
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
                return Verdict.bogus(d.failure(), "wildcard answer " + owner + ": " + d.why());
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
        CachedDenial cached = cachedDenial(name, qtype);
        if (cached != null) {
            rcodeOverride = cached.rcode();
            return cached.verdict();
        }
        Name signer = null;
        for (RRset set : response.getSectionRRsets(Section.AUTHORITY)) {
            for (RRSIGRecord sig : set.sigs()) {
                if (name.subdomain(sig.getSigner()) && (signer == null || sig.getSigner().labels() > signer.labels())) {
                    signer = sig.getSigner();
                }
            }
        }
        long soaTtl = Engine.soaTtl(response);
        if (signer == null) {
            KeyEntry zone = chain.walk(name, false);
            if (zone instanceof KeyEntry.Secure s) {
                return Verdict.bogus(Reason.NSEC_MISSING, (response.getRcode() == Rcode.NXDOMAIN ? "NXDOMAIN" : "NODATA")
                        + " for " + name + " carries no signed proof, but zone " + s.zone() + " is signed");
            }
            return Engine.cap(Verdict.of(zone), soaTtl);
        }
        KeyEntry keys = chain.walk(signer, true);
        if (!(keys instanceof KeyEntry.Secure k)) {
            return Engine.cap(Verdict.of(keys), soaTtl);
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
            return Verdict.bogus(d.failure(), (response.getRcode() == Rcode.NXDOMAIN ? "NXDOMAIN" : "NODATA")
                    + " for " + name + "/" + Type.string(qtype) + " not proven: " + d.why());
        }
        if (d.optOutUsed()) {
            return optOutInsecure(k.zone(), name, Math.min(proof.ttl, soaTtl));
        }
        NsecCache cache = engine.nsecCache;
        if (cache != null && !response.getSection(Section.QUESTION).isEmpty()) {
            Record q = response.getQuestion();
            cache.put(k.zone(), d.nsecs(), d.nsec3s(), new ValidationChain.Exchange(q.getName(), q.getType(), response),
                    Math.min(proof.ttl, soaTtl));
        }
        return Engine.cap(proof, soaTtl);
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
     * or, above the hard limit, Bogus. Null when the proof is within the engine.limits.
     */
    Verdict iterationPolicy(Denial d, Name zone, long ttl) {
        int iterations = d.maxNsec3Iterations();
        if (iterations > engine.limits.nsec3IterationsBogusAbove()) {
            return Verdict.bogus(Reason.UNSUPPORTED_NSEC3_ITERATIONS, "NSEC3 of " + zone + " uses " + iterations
                    + " iterations, above the limit of " + engine.limits.nsec3IterationsBogusAbove() + " (RFC 9276)");
        }
        if (iterations > engine.limits.nsec3IterationsInsecureAbove()) {
            return Verdict.insecure(zone, Reason.UNSUPPORTED_NSEC3_ITERATIONS, "NSEC3 of " + zone + " uses " + iterations
                    + " iterations, above " + engine.limits.nsec3IterationsInsecureAbove() + ": treated as insecure (RFC 9276 §3.2)", ttl);
        }
        return null;
    }

    /** Verifies every signed SOA, NSEC and NSEC3 RRset of the authority section with the zone's keys. */
    Verdict proofs(Message response, KeyEntry.Secure k) {
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
    Denial denial(Message response, KeyEntry.Secure k) {
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
}
