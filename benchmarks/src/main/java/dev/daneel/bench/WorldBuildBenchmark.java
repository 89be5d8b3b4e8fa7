package dev.daneel.bench;

import dev.daneel.testkit.World;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * How long a testkit world takes to start serving on loopback and stop — the fixed cost every test
 * that uses a world pays — with zones signed on first use and with every zone signed up front.
 * Zones are ten TLDs with children below them, algorithm 13 KSK+ZSK, a third of them NSEC3. Sends
 * packets only to the world's own server on 127.0.0.1.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar WorldBuildBenchmark
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 10)
@Fork(1)
public class WorldBuildBenchmark {

    /** Zones in the world, root included. */
    @Param({"11", "101"})
    public int zones;

    /**
     * Build, start, answer one query for a name three zones deep (keys and signs root, TLD, zone),
     * close.
     */
    @Benchmark
    public int startAndAnswerOneDeepName() throws IOException {
        try (World world = builder().start()) {
            SimpleResolver resolver = new SimpleResolver(world.address());
            resolver.setEDNS(0, 1232, ExtendedFlags.DO);
            Message m =
                    resolver.send(
                            Message.newQuery(
                                    org.xbill.DNS.Record.newRecord(
                                            Name.fromConstantString("www.zone0.tld9."),
                                            Type.A,
                                            DClass.IN)));
            return m.getRcode();
        }
    }

    /** Build, key and sign every zone, start, close: the cost when a test needs the whole world. */
    @Benchmark
    public int signEverythingAndStart() {
        try (World world = builder().build().signAll().start()) {
            return world.server().port();
        }
    }

    private World.Builder builder() {
        World.Builder builder = World.builder();
        int tlds = 10;
        int perTld = (zones - 1 - tlds) / tlds;
        for (int t = 0; t < tlds; t++) {
            builder.zone("tld" + t + ".");
            for (int c = 0; c < perTld; c++) {
                int child = c;
                builder.zone(
                        "zone" + c + ".tld" + t + ".",
                        z -> {
                            z.record("www A 192.0.2.1\nmail MX 10 www\n*.wild TXT \"w\"");
                            if (child % 3 == 0) {
                                z.nsec3(0, "", false);
                            }
                        });
            }
        }
        return builder;
    }
}
