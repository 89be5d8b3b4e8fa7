package dev.daneel.bench;

import dev.daneel.anchors.TrustAnchors;
import dev.daneel.testkit.World;
import dev.daneel.validator.Answer;
import dev.daneel.validator.Status;
import dev.daneel.validator.ValidatingResolver;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * A warm validated lookup: {@link ValidatingResolver#resolve} of a name whose Secure answer is
 * already in the validated-answer cache — no packet, no signature — from 1 thread and from 4. The
 * world's server (on 127.0.0.1) is only asked during setup; the benchmark fails if a measured
 * lookup is not Secure.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar CacheHitBenchmark
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CacheHitBenchmark {

    private World world;
    private ValidatingResolver resolver;
    private Name name;

    /** Starts a three-zone world and validates the name once. */
    @Setup
    public void warm() {
        world =
                World.builder()
                        .zone("test.")
                        .zone("example.test.", z -> z.record("www 3600 A 192.0.2.1"))
                        .build()
                        .signAll()
                        .start();
        resolver =
                ValidatingResolver.builder()
                        .upstream(world.address())
                        .trustAnchors(TrustAnchors.of(world.trustAnchors()))
                        .build();
        name = Name.fromConstantString("www.example.test.");
        if (resolver.lookup(name, Type.A).toCompletableFuture().join().status() != Status.SECURE) {
            throw new IllegalStateException("the benchmark name does not validate");
        }
    }

    /** Closes the resolver and the world. */
    @TearDown
    public void close() {
        resolver.close();
        world.close();
    }

    /** One cached lookup, one thread. */
    @Benchmark
    public Answer hit() {
        return check(resolver.lookup(name, Type.A).toCompletableFuture().join());
    }

    /** One cached lookup, four threads at once. */
    @Benchmark
    @Threads(4)
    public Answer hitFourThreads() {
        return check(resolver.lookup(name, Type.A).toCompletableFuture().join());
    }

    private static Answer check(Answer a) {
        if (a.status() != Status.SECURE) {
            throw new IllegalStateException("a cached lookup was " + a.verdict());
        }
        return a;
    }
}
