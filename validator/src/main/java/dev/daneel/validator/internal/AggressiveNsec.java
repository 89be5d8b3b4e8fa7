package dev.daneel.validator.internal;

import dev.daneel.validator.Evidence;
import dev.daneel.validator.Limits;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * Aggressive use of validated NSEC and NSEC3 records (RFC 8198), all of it: records of a Secure
 * negative proof are kept (never from an opt-out proof, RFC 5155 §9.2) and a later question whose
 * name falls in a kept span, with its wildcard denied too, is answered NXDOMAIN — or NODATA from a
 * matching record — without asking upstream (RFC 8198 §5.1, §5.2), while the zone's keys are still
 * Secure.
 *
 * <p>Thread-safe: the records live in an {@link NsecCache}; proofs over them run on the asking
 * lookup's thread with its budget. One per engine.
 */
final class AggressiveNsec {

    /**
     * Deepest name, in labels below its zone, that aggressive NSEC3 use hashes for (2 hashes per
     * label): deeper names are left to the upstream, so that this attempt can never eat the NSEC3
     * hash budget the real proof needs (CVE-2023-50868).
     */
    static final int MAX_NSEC3_DEPTH = 16;

    /** A negative answer proven by cached NSEC or NSEC3 records, with its rcode. */
    record CachedDenial(Judgement judgement, int rcode) {}

    private final NsecCache cache;
    private final Limits limits;
    private final KeyStore keys;

    AggressiveNsec(Clock clock, int maxRecords, Limits limits, KeyStore keys) {
        this.cache = new NsecCache(clock, maxRecords);
        this.limits = limits;
        this.keys = keys;
    }

    /** Keeps the records of a Secure, non-opt-out negative proof for {@code ttl} seconds. */
    void remember(DenialProof proof, Evidence.Exchange exchange, long ttl) {
        cache.put(proof.zone(), proof.nsecs(), proof.nsec3s(), exchange, ttl);
    }

    /**
     * NXDOMAIN (a covering record and a covered wildcard) or NODATA (a matching record without the
     * type) from validated records of the closest zone that has some cached; the zone's keys must
     * still be Secure. Empty when the cache proves nothing for the name.
     */
    Optional<CachedDenial> prove(Name name, int qtype, LookupState state, ChainOfTrust chain) {
        if (keys.negativeAnchorFor(name, state.now) != null) {
            return Optional
                    .empty(); // RFC 7646: nothing is proven under a negative trust anchor, not even
            // absence
        }
        if (qtype == Type.DS || qtype == Type.ANY) {
            // A DS absence is the parent's to prove (its NSEC sits at the child's name); ANY has no
            // NODATA.
            return Optional.empty();
        }
        NsecCache.Candidates found = cache.candidates(name);
        if (found.zone() != null && !found.entries().isEmpty()) {
            Optional<CachedDenial> c =
                    proven(
                            new NsecProof(found.zone(), found.records(), -1),
                            found.entries(),
                            name,
                            qtype,
                            state,
                            chain);
            if (c.isPresent()) {
                return c;
            }
        }
        return proveNsec3(name, qtype, state, chain);
    }

    /**
     * The NSEC3 side: the cached record at or before the hash of the name and of each ancestor
     * (closest encloser, next closer) and of the wildcard below each ancestor.
     */
    private Optional<CachedDenial> proveNsec3(
            Name name, int qtype, LookupState state, ChainOfTrust chain) {
        NsecCache.Nsec3Zone z = cache.nsec3Zone(name);
        if (z == null || name.labels() - z.zone().labels() > MAX_NSEC3_DEPTH) {
            return Optional.empty();
        }
        Nsec3Hasher hasher = state.proofs.hasher();
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
                String hash = hasher.hash(n, z.params());
                if (hash == null) {
                    return Optional.empty(); // budget spent: let the upstream's proof decide
                }
                NsecCache.Entry e = cache.nsec3AtOrBefore(z.zone(), hash);
                if (e != null && !entries.contains(e)) {
                    entries.add(e);
                }
            }
        }
        List<NSEC3Record> records = entries.stream().map(e -> (NSEC3Record) e.record()).toList();
        return proven(
                new Nsec3Proof(z.zone(), records, hasher, limits),
                entries,
                name,
                qtype,
                state,
                chain);
    }

    /** The cached denial {@code d} gives for the question, with the zone's keys still Secure. */
    private Optional<CachedDenial> proven(
            DenialProof d,
            List<NsecCache.Entry> entries,
            Name name,
            int qtype,
            LookupState state,
            ChainOfTrust chain) {
        DenialProof.Proof p = d.nxdomain(name);
        int rcode = Rcode.NXDOMAIN;
        if (!p.proven()) {
            p = d.nodata(name, qtype);
            rcode = Rcode.NOERROR;
        }
        if (!p.proven() || p.optOut()) {
            return Optional
                    .empty(); // an opt-out span proves nothing Secure (RFC 5155 §9.2); the upstream
            // decides
        }
        KeyEntry keys = chain.walk(d.zone(), true);
        if (!(keys instanceof KeyEntry.Secure k)) {
            return Optional.empty();
        }
        state.include(
                entries.stream()
                        .map(NsecCache.Entry::exchange)
                        .distinct()
                        .collect(java.util.stream.Collectors.toList()));
        long ttl = Math.min(NsecCache.ttlLeft(entries, state.now.toEpochMilli()), k.ttl());
        return Optional.of(
                new CachedDenial(Judgement.secure(k.algorithms(), ttl, k.viaDlv()), rcode));
    }
}
