package dev.daneel.testkit.internal;

import dev.daneel.testkit.Breakage;
import dev.daneel.testkit.ZoneKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.NSEC3PARAMRecord;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * Turns a {@link ZoneSpec}, its keys and the delegation records of its children into a signed
 * {@link ZoneData}: apex records, NSEC or NSEC3 chain, RRSIGs, then the requested breakage.
 *
 * <p>Stateless; one call per zone, so zones are signed in parallel.
 */
public final class ZoneSigner {

    /** RRSIGs start an hour before the world's clock, so small clock differences never matter. */
    static final Duration INCEPTION_BACKDATE = Duration.ofHours(1);

    /** Broken windows sit a week off the clock: far past any validator's allowed skew. */
    static final Duration BROKEN_OFFSET = Duration.ofDays(7);

    private ZoneSigner() {}

    /** Signing instants for one world. */
    public record Times(Instant now, Duration validity) {}

    /**
     * Builds and signs one zone.
     *
     * @param fromChildren NS, glue and DS records the zone publishes for its child zones
     */
    public static ZoneData sign(
            ZoneSpec spec, ZoneKeys keys, List<Record> fromChildren, Times times) {
        Name origin = spec.origin();
        Name ns1 = child("ns1", origin);
        List<Record> records = new ArrayList<>();
        records.add(
                new SOARecord(
                        origin,
                        DClass.IN,
                        spec.ttl(),
                        ns1,
                        child("hostmaster", origin),
                        2026112101L,
                        7200,
                        3600,
                        1209600,
                        spec.negativeTtl()));
        records.add(new NSRecord(origin, DClass.IN, spec.ttl(), ns1));
        records.add(
                new ARecord(
                        ns1, DClass.IN, spec.ttl(), RecordFactory.ipv4(spec.nameserverAddress())));
        records.addAll(spec.records());
        records.addAll(fromChildren);
        NSEC3PARAMRecord param = null;
        if (spec.signed()) {
            for (ZoneKey k : keys.published()) {
                records.add(k.dnskey());
            }
            if (spec.nsec3() != null) {
                param =
                        new NSEC3PARAMRecord(
                                origin,
                                DClass.IN,
                                0,
                                NSEC3Record.SHA1_DIGEST_ID,
                                0,
                                spec.nsec3().iterations(),
                                spec.nsec3().salt());
                records.add(param);
            }
        }

        NavigableMap<Name, Map<Integer, RRset>> nodes = new TreeMap<>();
        for (Record r : records) {
            nodes.computeIfAbsent(r.getName(), n -> new LinkedHashMap<>())
                    .computeIfAbsent(r.getType(), t -> new RRset())
                    .addRR(r);
        }
        Set<Name> delegations = new HashSet<>();
        for (Map.Entry<Name, Map<Integer, RRset>> e : nodes.entrySet()) {
            if (!e.getKey().equals(origin) && e.getValue().containsKey(Type.NS)) {
                delegations.add(e.getKey());
            }
        }
        NavigableSet<Name> authoritative = new TreeSet<>();
        for (Name n : nodes.keySet()) {
            if (!occluded(n, origin, delegations)) {
                authoritative.add(n);
            }
        }
        NavigableSet<Name> existing = new TreeSet<>(authoritative);
        for (Name n : authoritative) {
            for (Name p = parent(n); p.subdomain(origin) && !p.equals(origin); p = parent(p)) {
                existing.add(p);
            }
        }

        NavigableMap<Name, RRset> nsec = new TreeMap<>();
        NavigableMap<Name, RRset> nsec3 = new TreeMap<>();
        if (spec.signed()) {
            Signer signer = new Signer(spec, keys, times);
            for (Name n : authoritative) {
                boolean delegation = delegations.contains(n);
                Map<Integer, RRset> node = nodes.get(n);
                for (Map.Entry<Integer, RRset> e : node.entrySet()) {
                    int type = e.getKey();
                    if (delegation && type != Type.DS) {
                        continue; // delegation NS and anything else at a cut is not the parent's to
                        // sign
                    }
                    e.setValue(signer.sign(e.getValue()));
                }
            }
            if (param == null) {
                buildNsec(spec, nodes, authoritative, delegations, nsec, signer);
            } else {
                buildNsec3(spec, param, nodes, existing, delegations, nsec3, signer);
            }
        }
        return new ZoneData(
                origin,
                spec.signed(),
                nodes,
                delegations,
                existing,
                nsec,
                nsec3,
                param,
                spec.denialBreakage(),
                keys.published(),
                keys.dsRecords(spec));
    }

    private static void buildNsec(
            ZoneSpec spec,
            NavigableMap<Name, Map<Integer, RRset>> nodes,
            NavigableSet<Name> authoritative,
            Set<Name> delegations,
            NavigableMap<Name, RRset> out,
            Signer signer) {
        List<Name> names = new ArrayList<>(authoritative);
        for (int i = 0; i < names.size(); i++) {
            Name owner = names.get(i);
            Name next = names.get((i + 1) % names.size());
            Set<Integer> types =
                    new TreeSet<>(bitmapTypes(nodes.get(owner), delegations.contains(owner)));
            types.add(Type.NSEC);
            types.add(Type.RRSIG);
            NSECRecord rec =
                    new NSECRecord(owner, DClass.IN, spec.negativeTtl(), next, toArray(types));
            RRset signed = signer.sign(new RRset(rec));
            nodes.get(owner).put(Type.NSEC, signed);
            out.put(owner, signed);
        }
    }

    private static void buildNsec3(
            ZoneSpec spec,
            NSEC3PARAMRecord param,
            NavigableMap<Name, Map<Integer, RRset>> nodes,
            NavigableSet<Name> existing,
            Set<Name> delegations,
            NavigableMap<Name, RRset> out,
            Signer signer) {
        boolean optOut = spec.nsec3().optOut();
        TreeMap<Name, Set<Integer>> hashed = new TreeMap<>();
        for (Name n : existing) {
            Map<Integer, RRset> node = nodes.get(n);
            boolean delegation = delegations.contains(n);
            if (optOut && delegation && !node.containsKey(Type.DS)) {
                continue; // RFC 5155 §7.1: opt-out leaves insecure delegations out of the chain
            }
            Set<Integer> types = node == null ? Set.of() : bitmapTypes(node, delegation);
            Name owner = ZoneData.hashedOwner(param, n, spec.origin());
            if (hashed.put(owner, types) != null) {
                throw new IllegalStateException(
                        "NSEC3 hash collision at " + owner + " in zone " + spec.origin());
            }
        }
        List<Name> owners = new ArrayList<>(hashed.keySet());
        for (int i = 0; i < owners.size(); i++) {
            Name owner = owners.get(i);
            Name next = owners.get((i + 1) % owners.size());
            Set<Integer> types = new TreeSet<>(hashed.get(owner));
            if (!types.isEmpty() && !(types.size() == 1 && types.contains(Type.NS))) {
                types.add(Type.RRSIG);
            }
            byte[] nextHash =
                    new org.xbill.DNS.utils.base32(
                                    org.xbill.DNS.utils.base32.Alphabet.BASE32HEX, false, true)
                            .fromString(next.getLabelString(0));
            NSEC3Record rec =
                    new NSEC3Record(
                            owner,
                            DClass.IN,
                            spec.negativeTtl(),
                            NSEC3Record.SHA1_DIGEST_ID,
                            optOut ? 1 : 0,
                            param.getIterations(),
                            param.getSalt(),
                            nextHash,
                            toArray(types));
            out.put(owner, signer.sign(new RRset(rec)));
        }
    }

    /** Types a denial record lists for a node: at a cut only NS and DS, since the rest is glue. */
    private static Set<Integer> bitmapTypes(Map<Integer, RRset> node, boolean delegation) {
        Set<Integer> types = new TreeSet<>();
        for (int t : node.keySet()) {
            if (!delegation || t == Type.NS || t == Type.DS) {
                types.add(t);
            }
        }
        if (delegation && types.contains(Type.DS)) {
            types.add(Type.RRSIG);
        }
        return types;
    }

    private static boolean occluded(Name n, Name origin, Set<Name> delegations) {
        for (Name p = parent(n); p.subdomain(origin) && !p.equals(origin); p = parent(p)) {
            if (delegations.contains(p)) {
                return true;
            }
        }
        return false;
    }

    static Name parent(Name n) {
        return new Name(n, 1);
    }

    static Name child(String label, Name origin) {
        try {
            return Name.fromString(label, origin);
        } catch (org.xbill.DNS.TextParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static int[] toArray(Set<Integer> types) {
        return types.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Signs RRsets of one zone, applying that zone's breakages. */
    static final class Signer {
        private final ZoneSpec spec;
        private final ZoneKeys keys;
        private final Times times;
        private final Random random;

        Signer(ZoneSpec spec, ZoneKeys keys, Times times) {
            this.spec = spec;
            this.keys = keys;
            this.times = times;
            this.random = new Random(spec.origin().hashCode());
        }

        RRset sign(RRset unsigned) {
            Name owner = unsigned.getName();
            int type = unsigned.getType();
            Breakage breakage = spec.breakageOf(owner, type);
            Instant inception = times.now().minus(INCEPTION_BACKDATE);
            Instant expiration = times.now().plus(times.validity());
            if (breakage == Breakage.EXPIRED_SIGNATURES) {
                expiration = times.now().minus(BROKEN_OFFSET);
                inception = expiration.minus(times.validity());
            } else if (breakage == Breakage.NOT_YET_VALID_SIGNATURES) {
                inception = times.now().plus(BROKEN_OFFSET);
                expiration = inception.plus(times.validity());
            }
            RRset out = new RRset();
            for (Record r : unsigned.rrs(false)) {
                out.addRR(r);
            }
            if (breakage == Breakage.MISSING_RRSIGS) {
                return out;
            }
            List<ZoneKey> signers = type == Type.DNSKEY ? keys.keySigners() : keys.dataSigners();
            if (breakage == Breakage.UNKNOWN_SIGNING_KEY) {
                signers = List.of(keys.unpublished());
            }
            for (ZoneKey k : signers) {
                for (int i = 0; i < spec.keyTrapSignatures(); i++) {
                    out.addRR(garbage(unsigned, k, inception, expiration));
                }
                out.addRR(
                        k.privateKey() == null
                                ? garbage(unsigned, k, inception, expiration)
                                : real(unsigned, k, inception, expiration));
            }
            if (breakage == Breakage.TAMPERED_DATA) {
                return Tamper.tamper(out);
            }
            return out;
        }

        private static RRSIGRecord real(
                RRset set, ZoneKey k, Instant inception, Instant expiration) {
            try {
                return DNSSEC.sign(set, k.dnskey(), k.privateKey(), inception, expiration);
            } catch (DNSSEC.DNSSECException e) {
                throw new IllegalStateException(
                        "cannot sign "
                                + set.getName()
                                + "/"
                                + Type.string(set.getType())
                                + " with key "
                                + k.keyTag()
                                + ": "
                                + e.getMessage(),
                        e);
            }
        }

        private RRSIGRecord garbage(RRset set, ZoneKey k, Instant inception, Instant expiration) {
            return new RRSIGRecord(
                    set.getName(),
                    DClass.IN,
                    set.getTTL(),
                    set.getType(),
                    k.algorithm(),
                    set.getTTL(),
                    expiration,
                    inception,
                    k.keyTag(),
                    k.dnskey().getName(),
                    KeyMaker.randomBytes(KeyMaker.signatureLength(k.algorithm()), random));
        }
    }

    /** Parent-side records for a delegation to {@code child}: NS, glue and (when published) DS. */
    public static List<Record> delegation(ZoneSpec child, List<DSRecord> ds) {
        List<Record> out = new ArrayList<>();
        Name ns1 = child("ns1", child.origin());
        out.add(new NSRecord(child.origin(), DClass.IN, child.ttl(), ns1));
        out.add(
                new ARecord(
                        ns1,
                        DClass.IN,
                        child.ttl(),
                        RecordFactory.ipv4(child.nameserverAddress())));
        out.addAll(ds);
        return out;
    }
}
