package dev.daneel.testkit.internal;

import dev.daneel.testkit.DenialBreakage;
import dev.daneel.testkit.ZoneKey;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Set;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.NSEC3PARAMRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.utils.base32;

/**
 * One built zone as it is served: every RRset with its signatures (already broken where a breakage
 * asked for it), the denial chain, and what the parent needs (DS records, keys).
 *
 * <p>Immutable after {@link ZoneSigner} returns it, so the server reads it from many threads.
 */
public final class ZoneData {

    private static final base32 B32HEX = new base32(base32.Alphabet.BASE32HEX, false, true);

    final Name origin;
    final boolean signed;
    final NavigableMap<Name, Map<Integer, RRset>> nodes;
    final Set<Name> delegations;
    final NavigableSet<Name> existing;
    final NavigableMap<Name, RRset> nsec;
    final NavigableMap<Name, RRset> nsec3;
    final NSEC3PARAMRecord nsec3param;
    final DenialBreakage denialBreakage;
    final List<ZoneKey> keys;
    final List<DSRecord> dsForParent;

    ZoneData(
            Name origin,
            boolean signed,
            NavigableMap<Name, Map<Integer, RRset>> nodes,
            Set<Name> delegations,
            NavigableSet<Name> existing,
            NavigableMap<Name, RRset> nsec,
            NavigableMap<Name, RRset> nsec3,
            NSEC3PARAMRecord nsec3param,
            DenialBreakage denialBreakage,
            List<ZoneKey> keys,
            List<DSRecord> dsForParent) {
        this.origin = origin;
        this.signed = signed;
        this.nodes = Collections.unmodifiableNavigableMap(nodes);
        this.delegations = Set.copyOf(delegations);
        this.existing = Collections.unmodifiableNavigableSet(existing);
        this.nsec = Collections.unmodifiableNavigableMap(nsec);
        this.nsec3 = Collections.unmodifiableNavigableMap(nsec3);
        this.nsec3param = nsec3param;
        this.denialBreakage = denialBreakage;
        this.keys = List.copyOf(keys);
        this.dsForParent = List.copyOf(dsForParent);
    }

    public Name origin() {
        return origin;
    }

    public boolean signed() {
        return signed;
    }

    public List<ZoneKey> keys() {
        return keys;
    }

    /**
     * DS records for this zone that its parent publishes (empty for unsigned zones and islands).
     */
    public List<DSRecord> dsForParent() {
        return dsForParent;
    }

    /**
     * The RRset of {@code type} at {@code name} (with its RRSIGs), or null. NSEC3 RRsets are found
     * by hashed owner.
     */
    public RRset rrset(Name name, int type) {
        if (type == Type.NSEC3) {
            return nsec3.get(name);
        }
        Map<Integer, RRset> node = nodes.get(name);
        return node == null ? null : node.get(type);
    }

    public SOARecord soa() {
        return (SOARecord) rrset(origin, Type.SOA).first();
    }

    /** Every record of the zone, in canonical order: data, glue, denial chain and signatures. */
    public List<Record> allRecords() {
        List<Record> out = new ArrayList<>();
        for (Map<Integer, RRset> node : nodes.values()) {
            for (RRset set : node.values()) {
                addAll(out, set);
            }
        }
        for (RRset set : nsec3.values()) {
            addAll(out, set);
        }
        return out;
    }

    private static void addAll(List<Record> out, RRset set) {
        out.addAll(set.rrs(false));
        out.addAll(set.sigs());
    }

    /** The NSEC3 owner name of {@code name} in this zone. */
    Name hashedOwner(Name name) {
        return hashedOwner(nsec3param, name, origin);
    }

    static Name hashedOwner(NSEC3PARAMRecord param, Name name, Name origin) {
        try {
            return Name.fromString(B32HEX.toString(param.hashName(name)), origin);
        } catch (NoSuchAlgorithmException | java.io.IOException e) {
            throw new IllegalStateException("cannot hash " + name + " for NSEC3", e);
        }
    }
}
