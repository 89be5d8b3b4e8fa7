package dev.daneel.validator.internal;

import dev.daneel.validator.Limits;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Turns a response's authority section into a {@link DenialProof} for one zone: verifies every
 * signed SOA, NSEC and NSEC3 RRset of the zone with its keys (RFC 4035 §5.4), keeps the denial
 * records that are not wildcard expansions (an NSEC expanded from a wildcard proves nothing about
 * other names, the CVE-2017-15105 class), and applies the RFC 9276 iteration policy ({@link
 * Nsec3Policy}).
 *
 * <p>One per lookup: it spends the lookup's budget. Not thread-safe.
 */
final class ProofChecker {

    private final SignatureVerifier verifier;
    private final Nsec3Hasher hasher;
    private final Limits limits;
    private final Instant now;

    ProofChecker(SignatureVerifier verifier, Nsec3Hasher hasher, Limits limits, Instant now) {
        this.verifier = verifier;
        this.hasher = hasher;
        this.limits = limits;
        this.now = now;
    }

    /** The hasher this lookup's proofs share (for proofs over cached records). */
    Nsec3Hasher hasher() {
        return hasher;
    }

    Limits limits() {
        return limits;
    }

    /**
     * Verifies every signed SOA, NSEC and NSEC3 RRset of {@code k}'s zone in the authority section
     * with its keys: Secure (capped by their TTLs) when all verify, else the first failure.
     */
    Judgement verifyAuthority(Message response, KeyEntry.Secure k) {
        Judgement v = Judgement.secure(k.algorithms(), k.ttl(), k.viaDlv());
        for (RRset set : response.getSectionRRsets(Section.AUTHORITY)) {
            int t = set.getType();
            // A child zone's own records (signed by a zone below this one that holds them) are not
            // ours to
            // check; anything else under this zone must verify with its keys, whatever signer it
            // claims.
            boolean childZones =
                    !set.sigs().isEmpty()
                            && set.sigs().stream()
                                    .allMatch(
                                            x ->
                                                    !x.getSigner().equals(k.zone())
                                                            && x.getSigner().subdomain(k.zone())
                                                            && set.getName()
                                                                    .subdomain(x.getSigner()));
            if (t != Type.NSEC && t != Type.NSEC3 && t != Type.SOA
                    || !set.getName().subdomain(k.zone())
                    || childZones) {
                continue;
            }
            SignatureVerifier.Outcome o = verifier.verify(set, k.zone(), k.keys());
            if (!o.secure()) {
                return Judgement.failed(o, "");
            }
            v = v.and(Judgement.secure(Set.of(o.signature().getAlgorithm()), o.ttl(set, now)));
        }
        return v;
    }

    /**
     * The denial records of {@code k}'s zone in the authority section (their signatures checked by
     * {@link #verifyAuthority}).
     */
    DenialProof denial(Message response, KeyEntry.Secure k) {
        List<NSECRecord> nsecs = new ArrayList<>();
        List<NSEC3Record> nsec3s = new ArrayList<>();
        for (RRset set : response.getSectionRRsets(Section.AUTHORITY)) {
            if (!set.getName().subdomain(k.zone())
                    || set.sigs().stream().noneMatch(s -> s.getSigner().equals(k.zone()))) {
                continue;
            }
            if (set.sigs().stream()
                    .anyMatch(
                            x ->
                                    x.getLabels()
                                            < SignatureVerifier.labelsWithoutWildcard(
                                                    set.getName()))) {
                continue; // CVE-2017-15105 class: an NSEC expanded from a wildcard proves nothing
                // about other names
            }
            for (Record r : set.rrs(false)) {
                if (r instanceof NSECRecord n) {
                    nsecs.add(n);
                } else if (r instanceof NSEC3Record n3) {
                    nsec3s.add(n3);
                }
            }
        }
        return DenialProof.of(k.zone(), nsecs, nsec3s, hasher, limits);
    }

    /**
     * The verdict the RFC 9276 policy makes of a proof that holds, or empty ({@link
     * Nsec3Policy#afterProof}).
     */
    Optional<Judgement> iterationPolicy(DenialProof.Proof proof, Name zone, long ttl) {
        return Nsec3Policy.afterProof(proof, zone, ttl, limits);
    }

    /**
     * The Bogus verdict for a denial (NXDOMAIN, NODATA, DS absence) whose proof does not hold
     * ({@link Nsec3Policy#unproven}): NSEC Missing when {@code response} carried no NSEC or NSEC3
     * record at all, usable or not.
     */
    Judgement unproven(
            Message response, DenialProof records, DenialProof.Proof proof, String what) {
        boolean offered = false;
        for (RRset set : response.getSectionRRsets(Section.AUTHORITY)) {
            offered |= set.getType() == Type.NSEC || set.getType() == Type.NSEC3;
        }
        return Nsec3Policy.unproven(records, !offered, proof, what, limits);
    }

    /**
     * The Bogus verdict for a wildcard expansion whose proof does not hold: the data is there, so
     * never NSEC Missing (RFC 8914 §4.13 is about denied data); DNSSEC Bogus, as Unbound says.
     */
    Judgement unprovenExpansion(DenialProof records, DenialProof.Proof proof, String what) {
        return Nsec3Policy.unproven(records, false, proof, what, limits);
    }
}
