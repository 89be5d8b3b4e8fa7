package dev.daneel.testkit;

import dev.daneel.testkit.internal.ZoneData;
import java.util.List;
import java.util.Optional;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A built zone of a {@link World}, read-only: its keys, the DS records its parent publishes, and
 * every record as served (signatures and breakage included), also as a master file for other
 * servers.
 *
 * <pre>{@code
 * Zone zone = world.zone("example.test.");
 * RRset www = zone.rrset("www", Type.A).orElseThrow();   // records and RRSIGs
 * Files.writeString(dir.resolve("example.test.zone"), zone.toMasterFile());
 * }</pre>
 *
 * <p>Immutable and thread-safe; returned RRsets are copies.
 */
public final class Zone {

    private final ZoneData data;

    Zone(ZoneData data) {
        this.data = data;
    }

    /** The apex. */
    public Name origin() {
        return data.origin();
    }

    /** Whether the zone is signed. */
    public boolean signed() {
        return data.signed();
    }

    /**
     * The keys in the DNSKEY RRset: the KSK (and a standby KSK), then the ZSK, then any KeyTrap
     * decoys.
     */
    public List<ZoneKey> keys() {
        return data.keys();
    }

    /** The DS records the parent publishes for this zone (empty for unsigned zones and islands). */
    public List<DSRecord> dsRecords() {
        return data.dsForParent();
    }

    /**
     * The RRset of {@code type} at {@code owner} (relative to the apex, absolute, or {@code @})
     * with its RRSIGs, as served; for NSEC3, {@code owner} is the hashed owner name.
     */
    public Optional<RRset> rrset(String owner, int type) {
        Name name;
        try {
            name = owner.equals("@") ? origin() : Name.fromString(owner, origin());
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a domain name: \"" + owner + "\"", e);
        }
        RRset set = data.rrset(name, type);
        return Optional.ofNullable(set).map(RRset::new);
    }

    /** Every NSEC3 RRset of the zone in hash order (empty for NSEC and unsigned zones). */
    public List<RRset> nsec3Chain() {
        return data.allRecords().stream()
                .filter(r -> r.getType() == Type.NSEC3)
                .map(r -> data.rrset(r.getName(), Type.NSEC3))
                .map(RRset::new)
                .toList();
    }

    /** Every record as served, in canonical order, RRSIGs after the RRset they cover. */
    public List<Record> records() {
        return data.allRecords();
    }

    /** The zone in master-file format (absolute names, one record per line), signed as served. */
    public String toMasterFile() {
        StringBuilder sb = new StringBuilder();
        sb.append("; zone ").append(origin()).append(" exported by the Daneel testkit\n");
        sb.append("$ORIGIN ").append(origin()).append('\n');
        for (Record r : data.allRecords()) {
            sb.append(r).append('\n');
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "Zone[" + origin() + (signed() ? ", signed" : ", unsigned") + "]";
    }
}
