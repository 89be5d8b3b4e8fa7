package dev.daneel.validator.internal;

import dev.daneel.validator.Answer;
import dev.daneel.validator.Evidence;
import dev.daneel.validator.InsecureCause;
import dev.daneel.validator.Reason;
import dev.daneel.validator.Verdict;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Validates a {@link Classification.Answered} response (Unbound's VALIDATE state): each CNAME/DNAME
 * link, then, by kind, the positive RRsets (with the proof a wildcard expansion needs, RFC 4035
 * §5.3.4) or the negative answer's NSEC/NSEC3 proof (RFC 4035 §5.4, RFC 5155 §8). Keys come from
 * the lookup's {@link ChainOfTrust}; proofs from its {@link ProofChecker}.
 *
 * <p>One per lookup, used by that lookup's thread.
 */
final class AnswerValidator {

    private final LookupState state;
    private final ChainOfTrust chain;
    private final AggressiveNsec aggressive;

    /**
     * @param aggressive the RFC 8198 cache, or null when off
     */
    AnswerValidator(LookupState state, ChainOfTrust chain, AggressiveNsec aggressive) {
        this.state = state;
        this.chain = chain;
        this.aggressive = aggressive;
    }

    /** A negative verdict and the rcode it proves (which may correct the upstream's). */
    private record Negative(Judgement judgement, int rcode) {}

    Answer validate(Name qname, int qtype, Message response, Classification.Answered c) {
        Judgement verdict = Judgement.NEUTRAL;
        for (Classification.Link link : c.links()) {
            verdict = verdict.and(rrset(link.signed(), response));
        }
        int rcode = response.getRcode();
        List<Record> records = new ArrayList<>();
        switch (c.kind()) {
            case POSITIVE, ANY -> {
                List<RRset> sets = c.finalSets();
                if (c.kind() == Classification.Kind.ANY
                        && sets.size() > state.limits.maxAnyRRsets()) {
                    // Shortened before any signature is checked, so the work stays bounded; the
                    // answer to ANY need not be complete (RFC 8482), only validated.
                    sets = sets.subList(0, state.limits.maxAnyRRsets());
                }
                for (RRset set : sets) {
                    verdict = verdict.and(rrset(set, response));
                    records.addAll(set.rrs(false));
                }
                if (c.synthesized() != null) {
                    records.add(c.synthesized());
                }
                if (qtype == Type.CNAME && response.getRcode() == Rcode.NXDOMAIN) {
                    // A CNAME asked for by type with an NXDOMAIN beside it: the rcode speaks of the
                    // CNAME's
                    // target (RFC 6604 §2), so that absence is proven like any other, as Unbound
                    // does.
                    Name target =
                            c.synthesized() != null
                                    ? c.synthesized().getTarget()
                                    : ((CNAMERecord) c.finalSets().get(0).first()).getTarget();
                    Negative n = negative(target, Type.CNAME, response);
                    verdict = verdict.and(n.judgement());
                    rcode = n.rcode();
                }
            }
            case NXDOMAIN, NODATA, REFERRAL -> {
                Negative n = negative(c.finalName(), qtype, response);
                verdict = verdict.and(n.judgement());
                rcode = n.rcode();
            }
        }
        return finish(qname, qtype, verdict, rcode, records, c.chain());
    }

    /**
     * The answer for a negative verdict synthesised from the RFC 8198 cache before anything was
     * asked, if any.
     */
    Optional<Answer> fromCache(Name qname, int qtype) {
        if (aggressive == null) {
            return Optional.empty();
        }
        return aggressive
                .prove(qname, qtype, state, chain)
                .map(d -> finish(qname, qtype, d.judgement(), d.rcode(), List.of(), List.of()));
    }

    private Answer finish(
            Name qname,
            int qtype,
            Judgement verdict,
            int rcode,
            List<Record> records,
            List<Record> links) {
        if (rcode == Rcode.NXDOMAIN
                && !records.isEmpty()
                && verdict.isSecure()
                && qtype != Type.CNAME) {
            // The rcode sits in the unsigned header: flipping it must not turn proven data into a
            // "Secure
            // NXDOMAIN", a proof of nonexistence the signed records contradict. (A CNAME asked for
            // by type
            // may stand beside an NXDOMAIN for its target, which has then been proven.)
            verdict =
                    Judgement.bogus(
                            Reason.DNSSEC_BOGUS,
                            "the response says NXDOMAIN but carries the signed "
                                    + Type.string(qtype)
                                    + " RRset of "
                                    + records.get(0).getName()
                                    + "; its unsigned header was changed");
        }
        long ttl = verdict.ttl == Long.MAX_VALUE ? 0 : verdict.ttl;
        Judgement v =
                verdict.isSecure() || verdict.verdict instanceof Verdict.Insecure
                        ? verdict.withTtl(ttl)
                        : verdict;
        return state.answer(qname, qtype, v, rcode, records, links);
    }

    /** Validates one RRset of the answer section. */
    private Judgement rrset(RRset set, Message response) {
        Name owner = set.getName();
        List<RRSIGRecord> sigs =
                set.sigs().stream().filter(s -> owner.subdomain(s.getSigner())).toList();
        if (sigs.isEmpty()) {
            KeyEntry zone = chain.walk(owner, false);
            if (zone instanceof KeyEntry.Secure s) {
                return Judgement.bogus(
                        Reason.RRSIGS_MISSING,
                        Type.string(set.getType())
                                + " "
                                + owner
                                + " has no RRSIG, but its zone "
                                + s.zone()
                                + " is signed");
            }
            return Judgement.of(zone).capped(set.getTTL());
        }
        Name signer = sigs.get(0).getSigner();
        KeyEntry keys = chain.walk(signer, true);
        if (!(keys instanceof KeyEntry.Secure k)) {
            return Judgement.of(keys).capped(set.getTTL());
        }
        SignatureVerifier.Outcome o = state.verifier.verify(set, signer, k.keys());
        if (!o.secure()) {
            return Judgement.failed(o, "");
        }
        Set<Integer> algs = new HashSet<>(k.algorithms());
        algs.add(o.signature().getAlgorithm());
        Judgement v = Judgement.secure(algs, Math.min(o.ttl(set, state.now), k.ttl()), k.viaDlv());
        if (o.signature().getLabels() < SignatureVerifier.labelsWithoutWildcard(owner)) {
            Judgement proof = state.proofs.verifyAuthority(response, k);
            if (!proof.isSecure()) {
                return proof;
            }
            DenialProof d = state.proofs.denial(response, k);
            DenialProof.Proof expansion = d.wildcardExpansion(owner, o.signature().getLabels());
            if (!expansion.proven()) {
                return state.proofs.unprovenExpansion(
                        d, expansion, "wildcard answer " + owner + ": ");
            }
            Optional<Judgement> policy = state.proofs.iterationPolicy(expansion, k.zone(), v.ttl);
            if (policy.isPresent()) {
                return policy.get();
            }
            if (expansion.optOut()) {
                return optOutInsecure(k.zone(), owner, v.ttl);
            }
            v = v.and(proof);
        }
        return v;
    }

    /**
     * Validates a negative answer (NXDOMAIN or NODATA) for {@code name} at the end of the chain.
     */
    private Negative negative(Name name, int qtype, Message response) {
        if (aggressive != null) {
            Optional<AggressiveNsec.CachedDenial> cached =
                    aggressive.prove(name, qtype, state, chain);
            if (cached.isPresent()) {
                return new Negative(cached.get().judgement(), cached.get().rcode());
            }
        }
        int rcode = response.getRcode();
        Name signer = null;
        for (RRset set : response.getSectionRRsets(Section.AUTHORITY)) {
            for (RRSIGRecord sig : set.sigs()) {
                if (name.subdomain(sig.getSigner())
                        && (signer == null || sig.getSigner().labels() > signer.labels())) {
                    signer = sig.getSigner();
                }
            }
        }
        long soaTtl = Responses.soaTtl(response);
        String what = rcode == Rcode.NXDOMAIN ? "NXDOMAIN" : "NODATA";
        if (signer == null) {
            KeyEntry zone = chain.walk(name, false);
            if (zone instanceof KeyEntry.Secure s) {
                return new Negative(
                        Judgement.bogus(
                                // nothing in it is signed: RRSIGs missing (RFC 8914 §4.11), as
                                // Unbound reports a response without a signer
                                Reason.RRSIGS_MISSING,
                                what
                                        + " for "
                                        + name
                                        + " carries no signed proof, but zone "
                                        + s.zone()
                                        + " is signed"),
                        rcode);
            }
            return new Negative(Judgement.of(zone).capped(soaTtl), rcode);
        }
        KeyEntry keys = chain.walk(signer, true);
        if (!(keys instanceof KeyEntry.Secure k)) {
            return new Negative(Judgement.of(keys).capped(soaTtl), rcode);
        }
        Judgement proof = state.proofs.verifyAuthority(response, k);
        if (!proof.isSecure()) {
            return new Negative(proof, rcode);
        }
        DenialProof d = state.proofs.denial(response, k);
        long ttl = Math.min(proof.ttl, soaTtl);
        if (qtype != Type.DS) {
            DenialProof.Proof delegation = d.insecureDelegationAt(name);
            Optional<Judgement> policy = state.proofs.iterationPolicy(delegation, k.zone(), ttl);
            if (policy.isPresent()) {
                return new Negative(policy.get(), rcode);
            }
            if (delegation.proven()) {
                // The parent's NSEC shows an unsigned delegation at the name: its data lives in an
                // insecure zone.
                return new Negative(
                        Judgement.insecure(
                                InsecureCause.UNSIGNED_DELEGATION,
                                name,
                                "no DS at "
                                        + name
                                        + ", proven by "
                                        + k.zone()
                                        + ": "
                                        + delegation.why(),
                                ttl),
                        rcode);
            }
        }
        DenialProof.Proof p = rcode == Rcode.NXDOMAIN ? d.nxdomain(name) : d.nodata(name, qtype);
        if (!p.proven() && rcode == Rcode.NXDOMAIN) {
            DenialProof.Proof ent = d.emptyNonTerminal(name);
            if (ent.proven()) {
                // RFC 4035 §3.1.3.2: the name exists as an empty non-terminal; the NXDOMAIN was
                // wrong, the
                // proven fact is NODATA (as Unbound reports it).
                p = ent;
                rcode = Rcode.NOERROR;
            }
        }
        if (!p.proven()) {
            return new Negative(
                    state.proofs.unproven(
                            response,
                            d,
                            p,
                            what + " for " + name + "/" + Type.string(qtype) + " not proven: "),
                    rcode);
        }
        Optional<Judgement> policy = state.proofs.iterationPolicy(p, k.zone(), ttl);
        if (policy.isPresent()) {
            return new Negative(policy.get(), rcode);
        }
        if (p.optOut()) {
            return new Negative(optOutInsecure(k.zone(), name, ttl), rcode);
        }
        if (aggressive != null && !response.getSection(Section.QUESTION).isEmpty()) {
            Record q = response.getQuestion();
            aggressive.remember(d, new Evidence.Exchange(q.getName(), q.getType(), response), ttl);
        }
        return new Negative(proof.capped(soaTtl), rcode);
    }

    /**
     * RFC 5155 §9.2: a proof whose next closer name is covered by an opt-out NSEC3 leaves room for
     * an unsigned delegation there, so the answer is Insecure, never Secure.
     */
    private static Judgement optOutInsecure(Name zone, Name name, long ttl) {
        return Judgement.insecure(
                InsecureCause.OPT_OUT,
                zone,
                "the proof for "
                        + name
                        + " rests on an opt-out NSEC3 span of "
                        + zone
                        + " (RFC 5155 §9.2)",
                ttl);
    }
}
