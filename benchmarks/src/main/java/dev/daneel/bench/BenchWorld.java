package dev.daneel.bench;

import dev.daneel.testkit.Breakage;
import dev.daneel.testkit.World;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * The world the side-by-side benchmark resolves: a root, {@code tlds} TLDs and {@code perTld} zones
 * under each, with algorithms 8, 13 and 15 mixed, NSEC and NSEC3 (some salted), one zone in ten an
 * unsigned (provably insecure) delegation and, optionally, one zone with expired signatures
 * (Bogus). Ten questions per child zone cover positive answers, a CNAME, wildcard expansions,
 * NODATA and NXDOMAIN; two per TLD.
 *
 * <pre>{@code
 * BenchWorld bench = BenchWorld.of(10, 10, true);   // 111 zones, 1,020 questions
 * try (World world = bench.build().signAll().start()) { ... bench.questions() ... }
 * }</pre>
 *
 * <p>Immutable.
 */
public final class BenchWorld {

    /** One question the peers answer. */
    public record Question(Name name, int type) {
        /** {@code name type} as libunbound's script reads it. */
        String line() {
            return name + " " + type;
        }

        @Override
        public String toString() {
            return name + "/" + Type.string(type);
        }
    }

    private static final int[] ALGORITHMS = {13, 8, 15};

    private final int tlds;
    private final int perTld;
    private final boolean withBogusZone;

    private BenchWorld(int tlds, int perTld, boolean withBogusZone) {
        this.tlds = tlds;
        this.perTld = perTld;
        this.withBogusZone = withBogusZone;
    }

    /**
     * @param tlds how many TLDs (1..26)
     * @param perTld zones under each TLD (1..1000)
     * @param withBogusZone whether the last child of the last TLD has expired signatures
     */
    public static BenchWorld of(int tlds, int perTld, boolean withBogusZone) {
        if (tlds < 1 || tlds > 26 || perTld < 1 || perTld > 1000) {
            throw new IllegalArgumentException(
                    "tlds must be 1..26 and perTld 1..1000, got " + tlds + " and " + perTld);
        }
        return new BenchWorld(tlds, perTld, withBogusZone);
    }

    /** Zones in the world, the root included. */
    public int zoneCount() {
        return 1 + tlds + tlds * perTld;
    }

    /** How zone {@code c} of TLD {@code t} is made. */
    private enum Kind {
        SIGNED,
        UNSIGNED,
        BOGUS
    }

    private Kind kind(int t, int c) {
        if (withBogusZone && t == tlds - 1 && c == perTld - 1) {
            return Kind.BOGUS;
        }
        return (t * perTld + c) % 10 == 9 ? Kind.UNSIGNED : Kind.SIGNED;
    }

    /** The world, not yet signed or started. */
    public World.Builder builder() {
        World.Builder b = World.builder();
        for (int t = 0; t < tlds; t++) {
            int tldAlgorithm = ALGORITHMS[t % ALGORITHMS.length];
            b.zone(
                    tld(t),
                    z -> {
                        z.algorithm(tldAlgorithm).record("www A 192.0.2.53");
                        if (tldAlgorithm == 8) {
                            z.nsec3(0, "", false);
                        }
                    });
            for (int c = 0; c < perTld; c++) {
                int algorithm = ALGORITHMS[(t + c) % ALGORITHMS.length];
                int child = c;
                Kind kind = kind(t, c);
                b.zone(
                        zone(t, c),
                        z -> {
                            z.record(
                                    """
                            @ MX 10 mail
                            www A 192.0.2.1
                            www AAAA 2001:db8::1
                            mail A 192.0.2.2
                            txt TXT "benchmark"
                            *.wild TXT "wildcard"
                            alias CNAME www
                            """);
                            if (kind == Kind.UNSIGNED) {
                                z.unsigned();
                                return;
                            }
                            z.algorithm(algorithm);
                            if (child % 3 == 1) {
                                z.nsec3(0, "", false);
                            } else if (child % 6 == 2) {
                                z.nsec3(5, "cafe", false);
                            }
                            if (kind == Kind.BOGUS) {
                                z.breakAll(Breakage.EXPIRED_SIGNATURES);
                            }
                        });
            }
        }
        return b;
    }

    /** Every question, zone by zone: ten per child zone, two per TLD. */
    public List<Question> questions() {
        List<Question> q = new ArrayList<>();
        for (int t = 0; t < tlds; t++) {
            q.add(question("www." + tld(t), Type.A));
            q.add(question("nx." + tld(t), Type.A));
            for (int c = 0; c < perTld; c++) {
                String z = zone(t, c);
                q.add(question("www." + z, Type.A));
                q.add(question("www." + z, Type.AAAA));
                q.add(question("mail." + z, Type.A));
                q.add(question(z, Type.MX));
                q.add(question("txt." + z, Type.TXT));
                q.add(question("a.wild." + z, Type.TXT));
                q.add(question("b.wild." + z, Type.TXT));
                q.add(question("alias." + z, Type.A));
                q.add(question("www." + z, Type.TXT)); // NODATA
                q.add(question("nx." + z, Type.A)); // NXDOMAIN
            }
        }
        return q;
    }

    /**
     * Names three zones deep (root, TLD, zone) in signed zones of different algorithms, for the
     * critical path of a cold lookup.
     */
    public List<Name> deepNames(int count) {
        List<Name> out = new ArrayList<>();
        for (int i = 0; i < tlds * perTld && out.size() < count; i++) {
            int t = i % tlds;
            int c = (i / tlds + t) % perTld; // across TLDs first: algorithms, NSEC and NSEC3 mixed
            if (kind(t, c) == Kind.SIGNED) {
                out.add(question("www." + zone(t, c), Type.A).name());
            }
        }
        return out;
    }

    private static String tld(int t) {
        return "tld" + t + ".";
    }

    private static String zone(int t, int c) {
        return "zone" + c + ".tld" + t + ".";
    }

    private static Question question(String name, int type) {
        return new Question(Name.fromConstantString(name), type);
    }
}
