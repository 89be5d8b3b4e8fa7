package dev.daneel.validator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.anchors.TrustAnchors;
import dev.daneel.testkit.Breakage;
import dev.daneel.testkit.World;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Many threads on one cold resolver: 64 threads, each doing a run of mixed lookups (Secure answers
 * and NXDOMAINs from NSEC and NSEC3 zones, a CNAME, Insecure, Bogus) drawn at random from a set of
 * questions, all starting at once so the first lookups race on an empty cache and on coalesced
 * in-flight queries. No deadlock (checked with {@link ThreadMXBean#findDeadlockedThreads()}), no
 * exception, and every verdict equals the one a fresh resolver gives for that question alone.
 * {@code mvn verify} runs 64 x 10,000 lookups; the {@code soak} profile ({@code
 * -Ddaneel.load.lookups=100000}) 64 x 100,000.
 */
class LoadTest {

    static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final int THREADS = 64;
    static final int LOOKUPS_PER_THREAD = Integer.getInteger("daneel.load.lookups", 10_000);

    /** What must not change under load: the verdict, its reason, the rcode and the records. */
    record Outcome(Status status, Reason reason, int rcode, Set<Record> records) {
        static Outcome of(Answer a) {
            return new Outcome(
                    a.status(),
                    a.verdict() instanceof Verdict.Bogus b ? b.reason() : null,
                    a.rcode(),
                    new HashSet<>(a.records()));
        }
    }

    record Q(String name, int type) {}

    static List<Q> questions() {
        List<Q> q = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            q.add(new Q("host" + i + ".example.test.", Type.A));
            q.add(new Q("nx" + i + ".example.test.", Type.A));
            q.add(new Q("nx" + i + ".hashed.test.", Type.AAAA));
        }
        q.add(new Q("www.hashed.test.", Type.AAAA));
        q.add(new Q("alias.example.test.", Type.A));
        q.add(new Q("host1.example.test.", Type.MX));
        q.add(new Q("www.unsigned.test.", Type.A));
        q.add(new Q("nope.unsigned.test.", Type.A));
        q.add(new Q("www.tampered.test.", Type.A));
        q.add(new Q("www.expired.test.", Type.A));
        return q;
    }

    static World world() {
        StringBuilder hosts = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            hosts.append("host").append(i).append(" A 192.0.2.").append(i + 1).append('\n');
        }
        return World.builder()
                .clock(CLOCK)
                .zone("test.")
                .zone("example.test.", z -> z.record(hosts + "alias CNAME www.hashed.test."))
                .zone("hashed.test.", z -> z.nsec3(0, "", false).record("www AAAA 2001:db8::1"))
                .zone("unsigned.test.", z -> z.unsigned().record("www A 192.0.2.200"))
                .zone(
                        "tampered.test.",
                        z ->
                                z.record("www A 192.0.2.201")
                                        .breakRRset("www", Type.A, Breakage.TAMPERED_DATA))
                .zone(
                        "expired.test.",
                        z ->
                                z.record("www A 192.0.2.202")
                                        .breakRRset("www", Type.A, Breakage.EXPIRED_SIGNATURES))
                .start();
    }

    static ValidatingResolver resolver(World w) {
        return ValidatingResolver.builder()
                .upstream(w.address())
                .trustAnchors(TrustAnchors.of(w.trustAnchors()))
                .clock(CLOCK)
                .timeout(Duration.ofSeconds(5))
                .build();
    }

    @Test
    void sixtyFourThreadsOfMixedLookupsGiveTheSingleThreadedVerdictsWithoutDeadlock()
            throws Exception {
        List<Q> questions = questions();
        try (World world = world()) {
            world.signAll();
            Map<Q, Outcome> expected = new LinkedHashMap<>();
            for (Q q : questions) {
                try (ValidatingResolver alone = resolver(world)) {
                    expected.put(q, Outcome.of(alone.resolve(q.name(), q.type())));
                }
            }
            assertEquals(
                    Set.of(Status.SECURE, Status.INSECURE, Status.BOGUS),
                    Set.copyOf(expected.values().stream().map(Outcome::status).toList()),
                    "the mix must hold every kind");

            world.server().log().clear();
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
            long[] latencies = new long[THREADS * LOOKUPS_PER_THREAD];
            AtomicLong done = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            long t0;
            long elapsed;
            try (ValidatingResolver shared = resolver(world)) {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    futures.add(
                            pool.submit(
                                    () -> {
                                        SplittableRandom random = new SplittableRandom(thread);
                                        go.await();
                                        for (int i = 0; i < LOOKUPS_PER_THREAD; i++) {
                                            Q q = questions.get(random.nextInt(questions.size()));
                                            long s = System.nanoTime();
                                            Outcome v =
                                                    Outcome.of(shared.resolve(q.name(), q.type()));
                                            latencies[thread * LOOKUPS_PER_THREAD + i] =
                                                    System.nanoTime() - s;
                                            done.incrementAndGet();
                                            if (!v.equals(expected.get(q))) {
                                                wrong.add(
                                                        q
                                                                + ": "
                                                                + v
                                                                + " under load, "
                                                                + expected.get(q)
                                                                + " alone");
                                            }
                                        }
                                        return null;
                                    }));
                }
                t0 = System.nanoTime();
                go.countDown();
                for (Future<?> f : futures) {
                    long[] stuck = null;
                    while (true) {
                        try {
                            f.get(10, TimeUnit.SECONDS);
                            break;
                        } catch (java.util.concurrent.TimeoutException e) {
                            stuck = mx.findDeadlockedThreads();
                            assertNull(stuck, "deadlocked threads: " + Arrays.toString(stuck));
                        }
                    }
                }
                elapsed = System.nanoTime() - t0;
            } finally {
                pool.shutdownNow();
            }
            assertNull(mx.findDeadlockedThreads());
            assertTrue(wrong.isEmpty(), wrong.size() + " verdicts differ, e.g. " + wrong.peek());
            assertEquals((long) THREADS * LOOKUPS_PER_THREAD, done.get());
            Arrays.sort(latencies);
            System.out.printf(
                    "load: %d threads x %,d mixed lookups (%d questions) in %.1f s = %,.0f lookups/s;"
                            + " latency p50 %.3f ms, p99 %.3f ms, max %.1f ms; %,d upstream queries%n",
                    THREADS,
                    LOOKUPS_PER_THREAD,
                    questions.size(),
                    elapsed / 1e9,
                    done.get() / (elapsed / 1e9),
                    latencies[latencies.length / 2] / 1e6,
                    latencies[(int) (latencies.length * 0.99)] / 1e6,
                    latencies[latencies.length - 1] / 1e6,
                    world.server().log().size());
        }
    }
}
