package dev.daneel.bench;

import dev.daneel.anchors.TrustAnchors;
import dev.daneel.testkit.World;
import dev.daneel.validator.Answer;
import dev.daneel.validator.Status;
import dev.daneel.validator.ValidatingResolver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * How much heap Daneel's caches take for many distinct validated answers, and whether the cache
 * bound holds. A testkit zone with a wildcard answers {@code n0.big.mem.} … {@code n99999.big.mem.}
 * (each a Secure wildcard expansion, ECDSA P-256, with its NSEC proof); one resolver sized to keep
 * them all is filled and the heap it holds is measured after full collections; a second one, with
 * the default bound of 10,000 entries, is filled with three times as many names and must have
 * evicted the earliest (asking for it goes upstream again) while keeping the latest (no query).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.daneel.bench.MemoryCheck [answers]
 * </pre>
 */
public final class MemoryCheck {

    /** The default bound of {@link ValidatingResolver.Builder#cacheSize(int)}. */
    static final int BOUND = ValidatingResolver.Builder.DEFAULT_CACHE_SIZE;

    /**
     * @param answers distinct cached answers
     * @param heapBytes heap held by the resolver that caches them all
     * @param bound the bounded resolver's cache size
     * @param boundedFill how many of the names the bounded resolver was asked (3 × its bound, or
     *     all)
     * @param boundedHeapBytes heap held by the bounded resolver after them
     * @param earliestEvicted whether the bounded resolver asked upstream again for the first name
     * @param latestCached whether it answered the last name without a query
     * @param seconds how long filling both took
     */
    public record Result(
            int answers,
            long heapBytes,
            int bound,
            int boundedFill,
            long boundedHeapBytes,
            boolean earliestEvicted,
            boolean latestCached,
            double seconds) {}

    private MemoryCheck() {}

    /** Prints the figures. */
    public static void main(String[] args) {
        Result r = run(args.length > 0 ? Integer.parseInt(args[0]) : 100_000);
        System.out.printf(
                "%,d cached answers: %.1f MB of heap (%.0f bytes each); bound %,d after %,d answers: %.1f MB,"
                        + " earliest evicted %s, latest cached %s; %.1f s%n",
                r.answers(),
                r.heapBytes() / 1e6,
                (double) r.heapBytes() / r.answers(),
                r.bound(),
                r.boundedFill(),
                r.boundedHeapBytes() / 1e6,
                r.earliestEvicted(),
                r.latestCached(),
                r.seconds());
    }

    /** Fills two resolvers with {@code answers} distinct answers and measures them. */
    public static Result run(int answers) {
        if (answers <= BOUND) {
            throw new IllegalArgumentException(
                    "answers must exceed the cache bound " + BOUND + ", got " + answers);
        }
        long t0 = System.nanoTime();
        try (World world =
                World.builder()
                        .zone("mem.")
                        .zone(
                                "big.mem.",
                                z -> z.record("*.big.mem. 3600 A 192.0.2.7")) // algorithm 13, the
                        // testkit's default
                        .build()
                        .signAll()
                        .start()) {
            List<Name> names = new ArrayList<>(answers);
            for (int i = 0; i < answers; i++) {
                names.add(Name.fromConstantString("n" + i + ".big.mem."));
            }
            TrustAnchors anchors = TrustAnchors.of(world.trustAnchors());
            int boundedFill = Math.min(answers, 3 * BOUND);
            long before = Runs.usedHeap();
            long heap;
            try (ValidatingResolver all =
                    ValidatingResolver.builder()
                            .upstream(world.address())
                            .trustAnchors(anchors)
                            .cacheSize(answers + 1_000)
                            .build()) {
                fill(all, names);
                world.server().log().clear(); // the server's query log is not the resolver's
                heap = Runs.usedHeap() - before;
                world.server().log().clear();
                all.lookup(names.get(0), Type.A).toCompletableFuture().join();
                if (world.server().log().size() != 0) {
                    throw new IllegalStateException(
                            "the unbounded resolver lost " + names.get(0) + " from its cache");
                }
            }
            world.server().log().clear();
            before = Runs.usedHeap();
            long bounded;
            boolean earliestEvicted;
            boolean latestCached;
            try (ValidatingResolver limited =
                    ValidatingResolver.builder()
                            .upstream(world.address())
                            .trustAnchors(anchors)
                            .cacheSize(BOUND)
                            .build()) {
                fill(limited, names.subList(0, boundedFill));
                world.server().log().clear();
                bounded = Runs.usedHeap() - before;
                world.server().log().clear();
                limited.lookup(names.get(boundedFill - 1), Type.A).toCompletableFuture().join();
                latestCached = world.server().log().size() == 0;
                limited.lookup(names.get(0), Type.A).toCompletableFuture().join();
                earliestEvicted = world.server().log().size() > 0;
            }
            return new Result(
                    answers,
                    heap,
                    BOUND,
                    boundedFill,
                    bounded,
                    earliestEvicted,
                    latestCached,
                    (System.nanoTime() - t0) / 1e9);
        }
    }

    /** Looks every name up from 8 threads; each must be Secure. */
    private static void fill(ValidatingResolver resolver, List<Name> names) {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                futures.add(
                        pool.submit(
                                () -> {
                                    for (int i = next.getAndIncrement();
                                            i < names.size();
                                            i = next.getAndIncrement()) {
                                        Answer a =
                                                resolver.lookup(names.get(i), Type.A)
                                                        .toCompletableFuture()
                                                        .join();
                                        if (a.status() != Status.SECURE
                                                || a.records().size() != 1) {
                                            throw new IllegalStateException(
                                                    names.get(i)
                                                            + " is not a Secure answer: "
                                                            + a.verdict());
                                        }
                                    }
                                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(
                    "filling the cache failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
