package dev.daneel.validator.internal;

import dev.daneel.validator.Answer;
import dev.daneel.validator.Evidence;
import dev.daneel.validator.InsecureCause;
import dev.daneel.validator.Verdict;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.xbill.DNS.DLVRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * DNSSEC Lookaside Validation (RFC 4431, RFC 5074; Historic per RFC 8749), all of it: when a chain
 * ends at an unsigned delegation, the closest enclosing zone's DLV record under the registry (a
 * validated lookup, from the registry's own anchor) stands in for that zone's DS (RFC 5074 §5). A
 * Bogus DLV answer makes the zone Bogus; no DLV record leaves it Insecure; a Secure NSEC or NSEC3
 * from the registry that already shows no DLV at a name saves asking for it (RFC 5074 §5.3).
 *
 * <p>Immutable and thread-safe; one per engine.
 */
final class DlvLookaside {

    /** A validated lookup the lookaside may make: the same lookup's state, budget and deadline. */
    @FunctionalInterface
    interface SubLookup {
        Answer lookup(Name name, int type);
    }

    /** What the registry says about a name's enclosing zones. */
    sealed interface Found {
        /** No usable DLV record: the chain stays Insecure. */
        record None() implements Found {}

        /** The registry's answer failed validation: the zone is Bogus. */
        record Failed(KeyEntry.Bogus entry) implements Found {}

        /** Usable DS records for {@code zone}, taken from its Secure DLV RRset. */
        record Ds(Name zone, List<DSRecord> usable, Set<Integer> algorithms, long ttl)
                implements Found {}
    }

    private final Name registry;
    private final Crypto crypto;

    DlvLookaside(Name registry, Crypto crypto) {
        this.registry = registry;
        this.crypto = crypto;
    }

    /** Whether a chain that ended this way at {@code target} may be continued from the registry. */
    boolean applies(Name target, KeyEntry.Insecure insecure) {
        boolean unsigned =
                insecure.cause() == InsecureCause.UNSIGNED_DELEGATION
                        || insecure.cause() == InsecureCause.OPT_OUT;
        // No lookaside for the registry's own names: its chain comes from its own anchor.
        return unsigned && insecure.delegation() != null && !target.subdomain(registry);
    }

    /**
     * Asks the registry for the closest enclosing zone of {@code target} at or below the insecure
     * delegation.
     */
    Found find(
            Name target,
            KeyEntry.Insecure insecure,
            SubLookup lookup,
            Nsec3Hasher hasher,
            dev.daneel.validator.Limits limits) {
        List<NSECRecord> nsecGaps = new ArrayList<>();
        Map<Name, List<NSEC3Record>> nsec3Gaps = new HashMap<>();
        for (Name zone = target; zone.subdomain(insecure.delegation()); zone = new Name(zone, 1)) {
            Name owner;
            try {
                owner = Name.concatenate(zone.relativize(Name.root), registry);
            } catch (NameTooLongException e) {
                continue;
            }
            if (provenAbsent(owner, nsecGaps, nsec3Gaps, hasher, limits)) {
                continue; // RFC 5074 §5.3: a Secure NSEC from the registry already shows no DLV
                // here
            }
            Answer dlv = lookup.lookup(owner, Type.DLV);
            if (dlv.verdict() instanceof Verdict.Bogus b) {
                return new Found.Failed(
                        KeyEntry.Bogus.at("DLV for " + zone + " at " + owner + ": ", b));
            }
            if (!(dlv.verdict() instanceof Verdict.Secure secure)) {
                continue;
            }
            if (dlv.records().isEmpty()) {
                collectGaps(dlv.evidence(), owner, nsecGaps, nsec3Gaps);
                continue;
            }
            List<DSRecord> ds = new ArrayList<>();
            for (Record r : dlv.records()) {
                DLVRecord d = (DLVRecord) r;
                ds.add(
                        new DSRecord(
                                zone,
                                d.getDClass(),
                                d.getTTL(),
                                d.getFootprint(),
                                d.getAlgorithm(),
                                d.getDigestID(),
                                d.getDigest()));
            }
            List<DSRecord> usable = DsMatcher.usable(ds, crypto);
            return usable.isEmpty()
                    ? new Found.None()
                    : new Found.Ds(zone, usable, secure.algorithms(), dlv.ttl());
        }
        return new Found.None();
    }

    private static void collectGaps(
            Evidence evidence,
            Name owner,
            List<NSECRecord> nsecGaps,
            Map<Name, List<NSEC3Record>> nsec3Gaps) {
        for (Evidence.Exchange e : evidence.exchanges()) {
            if (e.name().equals(owner) && e.type() == Type.DLV) {
                for (Record r : e.response().getSection(Section.AUTHORITY)) {
                    if (r instanceof NSECRecord n) {
                        nsecGaps.add(n);
                    } else if (r instanceof NSEC3Record n3) {
                        nsec3Gaps
                                .computeIfAbsent(new Name(n3.getName(), 1), z -> new ArrayList<>())
                                .add(n3);
                    }
                }
            }
        }
    }

    private boolean provenAbsent(
            Name owner,
            List<NSECRecord> nsecGaps,
            Map<Name, List<NSEC3Record>> nsec3Gaps,
            Nsec3Hasher hasher,
            dev.daneel.validator.Limits limits) {
        if (!nsecGaps.isEmpty() && new NsecProof(registry, nsecGaps, -1).covers(owner)) {
            return true;
        }
        for (Map.Entry<Name, List<NSEC3Record>> z : nsec3Gaps.entrySet()) {
            if (new Nsec3Proof(z.getKey(), z.getValue(), hasher, limits).covers(owner)) {
                return true;
            }
        }
        return false;
    }
}
