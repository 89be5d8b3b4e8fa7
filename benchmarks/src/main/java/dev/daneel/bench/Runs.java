package dev.daneel.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Drives a {@link JavaPeer} over a list of questions from 1 or more threads and times every lookup;
 * summarises latencies; reads the heap. Used by {@link SideBySide} and {@link MemoryCheck}.
 */
final class Runs {

    /** The most threads a pass may use. */
    static final int POOL_THREADS = 8;

    /** Started once: thread start-up is not part of a pass. */
    private static final ExecutorService POOL =
            Executors.newFixedThreadPool(
                    POOL_THREADS,
                    r -> {
                        Thread t = new Thread(r, "bench-client");
                        t.setDaemon(true);
                        return t;
                    });

    private Runs() {}

    /** One pass or several: wall time and every lookup's latency in nanoseconds. */
    record Pass(long wallNanos, long[] latencies) {
        int lookups() {
            return latencies.length;
        }

        Pass plus(Pass other) {
            long[] all = Arrays.copyOf(latencies, latencies.length + other.latencies.length);
            System.arraycopy(other.latencies, 0, all, latencies.length, other.latencies.length);
            return new Pass(wallNanos + other.wallNanos, all);
        }
    }

    /** Summary figures of a set of lookups. */
    record Stats(long lookups, double wallSeconds, double medianMicros, double p99Micros) {
        double perSecond() {
            return lookups / wallSeconds;
        }

        static Stats of(Pass p) {
            long[] sorted = p.latencies().clone();
            Arrays.sort(sorted);
            return new Stats(
                    sorted.length,
                    p.wallNanos() / 1e9,
                    sorted[sorted.length / 2] / 1e3,
                    sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))] / 1e3);
        }
    }

    /**
     * Asks every question once, spread over {@code threads} threads; {@code verdicts}, when not
     * null, receives each verdict in question order.
     */
    static Pass pass(
            JavaPeer peer, List<BenchWorld.Question> questions, int threads, String[] verdicts) {
        int n = questions.size();
        long[] latencies = new long[n];
        AtomicInteger next = new AtomicInteger();
        Runnable worker =
                () -> {
                    for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                        BenchWorld.Question q = questions.get(i);
                        long t0 = System.nanoTime();
                        String v = peer.resolve(q.name(), q.type());
                        latencies[i] = System.nanoTime() - t0;
                        if (verdicts != null) {
                            verdicts[i] = v;
                        }
                    }
                };
        if (threads > POOL_THREADS) {
            throw new IllegalArgumentException(
                    "at most " + POOL_THREADS + " threads, got " + threads);
        }
        long start = System.nanoTime();
        if (threads == 1) {
            worker.run();
        } else {
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    futures.add(POOL.submit(worker));
                }
                for (Future<?> f : futures) {
                    f.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("a lookup failed: " + e.getCause(), e.getCause());
            }
        }
        return new Pass(System.nanoTime() - start, latencies);
    }

    /**
     * Repeats {@link #pass} until at least {@code seconds} have gone by and at least two passes
     * ran.
     */
    static Pass repeat(
            JavaPeer peer, List<BenchWorld.Question> questions, int threads, double seconds) {
        Pass total = pass(peer, questions, threads, null);
        do {
            total = total.plus(pass(peer, questions, threads, null));
        } while (total.wallNanos() < seconds * 1e9);
        return total;
    }

    /** Heap in use after full collections: what is reachable, give or take a few kilobytes. */
    static long usedHeap() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            used =
                    Math.min(
                            used,
                            ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /**
     * CPU time this JVM has used, every thread (the testkit server's included), in nanoseconds; -1
     * where the runtime cannot tell.
     */
    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }
}
