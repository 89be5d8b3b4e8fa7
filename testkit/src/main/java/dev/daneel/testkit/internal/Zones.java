package dev.daneel.testkit.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * The zones of one world, each keyed and signed on first use: a world of a hundred zones starts at
 * once, and a test pays only for the zones its queries reach. {@link #signAll()} does everything up
 * front, in parallel, for callers that measure something else (benchmarks) or need every zone
 * (export).
 *
 * <p>Thread-safe: each zone's keys and data are computed at most once, whichever thread asks first.
 */
public final class Zones {

    private final Map<Name, ZoneSpec> specs;
    private final Map<Name, Name> parents;
    private final ZoneSigner.Times times;
    private final String cachePrefix;
    private final ConcurrentHashMap<Name, ZoneKeys> keys = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Name, ZoneData> data = new ConcurrentHashMap<>();

    /**
     * @param specs every zone by apex, the root included
     * @param cachePrefix when not null, keys come from the JVM-wide cache
     */
    public Zones(Map<Name, ZoneSpec> specs, ZoneSigner.Times times, String cachePrefix) {
        if (!specs.containsKey(Name.root)) {
            throw new IllegalArgumentException("a world needs a root zone");
        }
        this.specs = Map.copyOf(specs);
        this.times = times;
        this.cachePrefix = cachePrefix;
        Map<Name, Name> p = new ConcurrentHashMap<>();
        for (Name origin : specs.keySet()) {
            if (!origin.equals(Name.root)) {
                p.put(origin, closestEnclosingZone(origin));
            }
        }
        this.parents = Map.copyOf(p);
    }

    /** Every zone apex. */
    public Set<Name> origins() {
        return specs.keySet();
    }

    /** Whether a zone has this apex. */
    public boolean contains(Name origin) {
        return specs.containsKey(origin);
    }

    /** The signed zone with this apex, built now if no one asked before; null if there is none. */
    public ZoneData get(Name origin) {
        if (!specs.containsKey(origin)) {
            return null;
        }
        ZoneData z = data.get(origin);
        return z != null ? z : data.computeIfAbsent(origin, this::build);
    }

    /** Builds every zone now, in parallel. */
    public void signAll() {
        specs.keySet().parallelStream().forEach(this::get);
    }

    private ZoneKeys keys(Name origin) {
        ZoneKeys k = keys.get(origin);
        return k != null
                ? k
                : keys.computeIfAbsent(origin, o -> ZoneKeys.create(specs.get(o), cachePrefix));
    }

    private ZoneData build(Name origin) {
        List<Record> fromChildren = new ArrayList<>();
        for (Map.Entry<Name, Name> e : parents.entrySet()) {
            if (e.getValue().equals(origin)) {
                ZoneSpec child = specs.get(e.getKey());
                fromChildren.addAll(
                        ZoneSigner.delegation(child, keys(child.origin()).dsRecords(child)));
            }
        }
        ZoneSpec spec = specs.get(origin);
        for (Name registered : spec.dlvFor()) {
            ZoneSpec target = specs.get(registered);
            if (target == null) {
                throw new IllegalArgumentException(
                        "zone "
                                + origin
                                + " lists DLV for "
                                + registered
                                + ", which is not a zone of this world");
            }
            for (org.xbill.DNS.DSRecord ds : keys(registered).dsData(target)) {
                try {
                    fromChildren.add(
                            new org.xbill.DNS.DLVRecord(
                                    Name.concatenate(registered.relativize(Name.root), origin),
                                    org.xbill.DNS.DClass.IN,
                                    ds.getTTL(),
                                    ds.getFootprint(),
                                    ds.getAlgorithm(),
                                    ds.getDigestID(),
                                    ds.getDigest()));
                } catch (org.xbill.DNS.NameTooLongException e) {
                    throw new IllegalArgumentException(
                            "DLV owner for " + registered + " under " + origin + " is too long", e);
                }
            }
        }
        return ZoneSigner.sign(spec, keys(origin), fromChildren, times);
    }

    private Name closestEnclosingZone(Name child) {
        for (Name n = new Name(child, 1); ; n = new Name(n, 1)) {
            if (specs.containsKey(n)) {
                return n;
            }
        }
    }
}
