package dev.daneel.anchors;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * The trust anchors a validator starts from: DS or DNSKEY records, grouped by the zone they anchor.
 *
 * <pre>{@code
 * TrustAnchors anchors = TrustAnchors.of(world.trustAnchors());
 * Optional<Anchor> a = anchors.closestEnclosing(Name.fromString("www.example.test."));
 * }</pre>
 *
 * <p>This is the minimal anchor set the validator needs; the built-in IANA root anchors, file formats and
 * RFC 5011 tracking arrive with the trust-anchor issue. An empty set is refused: a validator without an
 * anchor would silently validate nothing. Immutable and thread-safe.
 */
public final class TrustAnchors {

    private final Map<Name, Anchor> byZone;

    private TrustAnchors(Map<Name, Anchor> byZone) {
        this.byZone = Map.copyOf(byZone);
    }

    /** Anchors from DS and DNSKEY records (other types are refused, naming the record). */
    public static TrustAnchors of(Collection<? extends Record> records) {
        if (records.isEmpty()) {
            throw new IllegalArgumentException("no trust anchors given: a validator needs at least one DS or DNSKEY anchor");
        }
        Map<Name, List<DSRecord>> ds = new LinkedHashMap<>();
        Map<Name, List<DNSKEYRecord>> keys = new LinkedHashMap<>();
        for (Record r : records) {
            if (r instanceof DSRecord) {
                ds.computeIfAbsent(r.getName(), n -> new ArrayList<>()).add((DSRecord) r);
            } else if (r instanceof DNSKEYRecord) {
                keys.computeIfAbsent(r.getName(), n -> new ArrayList<>()).add((DNSKEYRecord) r);
            } else {
                throw new IllegalArgumentException("a trust anchor must be a DS or DNSKEY record, got " + r);
            }
        }
        Map<Name, Anchor> byZone = new LinkedHashMap<>();
        for (Name zone : union(ds.keySet(), keys.keySet())) {
            byZone.put(zone, new Anchor(zone, ds.getOrDefault(zone, List.of()), keys.getOrDefault(zone, List.of())));
        }
        return new TrustAnchors(byZone);
    }

    /** Anchors from DS and DNSKEY records. */
    public static TrustAnchors of(Record... records) {
        return of(List.of(records));
    }

    /** The anchor of the deepest anchored zone at or above {@code name}, if any. */
    public Optional<Anchor> closestEnclosing(Name name) {
        for (int strip = 0; strip < name.labels(); strip++) {
            Anchor a = byZone.get(strip == 0 ? name : new Name(name, strip));
            if (a != null) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** The anchored zones. */
    public Set<Name> zones() {
        return byZone.keySet();
    }

    /** The anchor for exactly this zone, if any. */
    public Optional<Anchor> forZone(Name zone) {
        return Optional.ofNullable(byZone.get(zone));
    }

    private static Set<Name> union(Set<Name> a, Set<Name> b) {
        Set<Name> out = new java.util.LinkedHashSet<>(a);
        out.addAll(b);
        return out;
    }

    @Override
    public String toString() {
        return "TrustAnchors" + byZone.values();
    }
}
