package dev.daneel.validator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.anchors.TrustAnchors;
import dev.daneel.testkit.Fault;
import dev.daneel.testkit.Transport;
import dev.daneel.testkit.World;
import dev.daneel.testkit.WorldServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * Upstream faults from the testkit (drops, delays past the timeout, SERVFAIL, garbage, a cut-off
 * packet, truncation whose TCP repeat fails): with a second, healthy upstream the lookup fails over
 * and is Secure; with no healthy upstream it is Indeterminate, each upstream asked once. Nothing
 * hangs (every lookup is awaited with a generous guard), and repeating every scenario leaks neither
 * threads nor sockets (counted with {@link Thread#getAllStackTraces()} and {@code /proc/self/fd}).
 * Times are printed as figures, never asserted.
 */
class UpstreamFaultTest {

    static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final Duration TIMEOUT = Duration.ofMillis(100);
    static final String WWW = "www.example.test.";

    private static World world;

    @BeforeAll
    static void start() {
        world =
                World.builder()
                        .clock(CLOCK)
                        .zone("test.")
                        .zone("example.test.", z -> z.record("www A 192.0.2.1"))
                        .start();
        world.signAll();
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    /** Each fault as a way to break a server, applied to every query it gets. */
    static Map<String, Consumer<WorldServer>> faults() {
        Map<String, Consumer<WorldServer>> f = new LinkedHashMap<>();
        f.put("drop", s -> s.inject(Fault.drop()));
        f.put("delay past the timeout", s -> s.inject(Fault.delay(TIMEOUT.multipliedBy(3))));
        f.put("SERVFAIL", s -> s.inject(Fault.servfail()));
        f.put("garbage", s -> s.inject(Fault.garbage()));
        f.put("cut-off packet", s -> s.inject(Fault.truncatedPacket()));
        f.put(
                "TC=1 and TCP refused",
                s ->
                        s.inject(Fault.forceTruncation().over(Transport.UDP))
                                .inject(Fault.drop().over(Transport.TCP)));
        return f;
    }

    static ValidatingResolver resolver(WorldServer... upstreams) {
        ValidatingResolver.Builder b =
                ValidatingResolver.builder()
                        .trustAnchors(TrustAnchors.of(world.trustAnchors()))
                        .clock(CLOCK)
                        .timeout(TIMEOUT);
        for (WorldServer s : upstreams) {
            b.upstream(s.address());
        }
        return b.build();
    }

    /**
     * A lookup awaited with a guard far above any timeout: a hang detector, not a time assertion.
     */
    static Answer resolve(ValidatingResolver r, String name) throws Exception {
        return r.lookup(name, Type.A).toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    /**
     * One round of every fault: failover with a healthy second upstream, and no healthy upstream at
     * all.
     */
    static List<String> round() throws Exception {
        List<String> figures = new ArrayList<>();
        for (Map.Entry<String, Consumer<WorldServer>> fault : faults().entrySet()) {
            WorldServer bad = world.newServer();
            WorldServer worse = world.newServer();
            WorldServer good = world.newServer();
            try {
                fault.getValue().accept(bad);
                fault.getValue().accept(worse);
                long t0 = System.nanoTime();
                try (ValidatingResolver r = resolver(bad, good)) {
                    Answer a = resolve(r, WWW);
                    assertEquals(
                            Status.SECURE,
                            a.status(),
                            fault.getKey() + ", then a healthy upstream: " + a);
                }
                long failover = System.nanoTime() - t0;
                // Asked first: the question itself, or only the capability probe when that found it
                // dead.
                assertTrue(
                        bad.log().count(WWW, Type.A) >= 1
                                || bad.log().count(q -> q.type() == Type.DNSKEY) >= 1,
                        fault.getKey() + ": the faulty upstream was asked first");

                t0 = System.nanoTime();
                try (ValidatingResolver r = resolver(bad, worse)) {
                    Answer a = resolve(r, "mail.example.test.");
                    Verdict.Indeterminate i =
                            assertInstanceOf(
                                    Verdict.Indeterminate.class,
                                    a.verdict(),
                                    fault.getKey() + ": " + a);
                    assertEquals(Verdict.Cause.UNAVAILABLE, i.cause(), i.detail());
                }
                long dead = System.nanoTime() - t0;
                for (WorldServer s : List.of(bad, worse)) {
                    // Once over UDP; not at all when the capability probe found the upstream dead
                    // (it is passed over).
                    long udp =
                            s.log()
                                    .count(
                                            q ->
                                                    q.name() != null
                                                            && q.name()
                                                                    .equals(
                                                                            Name.fromConstantString(
                                                                                    "mail.example.test."))
                                                            && q.transport() == Transport.UDP);
                    assertTrue(
                            udp == 1
                                    || udp == 0 && s.log().count(q -> q.type() == Type.DNSKEY) >= 1,
                            fault.getKey() + ": each upstream is asked once over UDP, got " + udp);
                }
                figures.add(
                        String.format(
                                "%-22s failover to the second upstream %4d ms; every upstream faulty: Indeterminate after %4d ms"
                                        + " (timeout %d ms per upstream)",
                                fault.getKey(),
                                failover / 1_000_000,
                                dead / 1_000_000,
                                TIMEOUT.toMillis()));
            } finally {
                bad.close();
                worse.close();
                good.close();
            }
        }
        return figures;
    }

    /**
     * The resolvers share one static, cached pool for socket I/O; its idle threads live on for a
     * minute.
     */
    static final String SHARED_IO_POOL = "daneel-dns-io";

    /**
     * Live threads, apart from the shared I/O pool's and the JDK's common fork-join pool's (other
     * tests in this JVM start and idle those on demand).
     */
    static int threads() {
        return (int)
                Thread.getAllStackTraces().keySet().stream()
                        .filter(
                                t ->
                                        !t.getName().startsWith(SHARED_IO_POOL)
                                                && !t.getName().startsWith("ForkJoinPool"))
                        .count();
    }

    static int sharedIoThreads() {
        return (int)
                Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> t.getName().startsWith(SHARED_IO_POOL))
                        .count();
    }

    static int openFiles() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return (int) fds.count();
        }
    }

    @Test
    void everyFaultFailsOverOrEndsIndeterminateAndNothingLeaks() throws Exception {
        round(); // warm up: thread pools, class loading, the resolver's shared I/O pool
        Thread.sleep(200);
        int threadsBefore = threads();
        int ioBefore = sharedIoThreads();
        int filesBefore = Files.isDirectory(Path.of("/proc/self/fd")) ? openFiles() : -1;
        List<String> figures = null;
        int rounds = 2;
        for (int i = 0; i < rounds; i++) {
            figures = round();
        }
        figures.forEach(System.out::println);
        // threads of closed resolvers and servers end asynchronously: give them a moment
        int threadsAfter = threads();
        int filesAfter = filesBefore < 0 ? -1 : openFiles();
        for (int wait = 0;
                wait < 50 && (threadsAfter > threadsBefore || filesAfter > filesBefore);
                wait++) {
            Thread.sleep(100);
            threadsAfter = threads();
            filesAfter = filesBefore < 0 ? -1 : openFiles();
        }
        int ioAfter = sharedIoThreads();
        System.out.printf(
                "after %d more rounds (%d resolvers, %d servers): threads %d -> %d (shared I/O pool %d -> %d),"
                        + " open files %d -> %d%n",
                rounds,
                rounds * faults().size() * 2,
                rounds * faults().size() * 3,
                threadsBefore,
                threadsAfter,
                ioBefore,
                ioAfter,
                filesBefore,
                filesAfter);
        // a leak of one thread or socket per resolver, server or query would add dozens
        assertTrue(
                threadsAfter <= threadsBefore + 2,
                "threads "
                        + threadsBefore
                        + " -> "
                        + threadsAfter
                        + ": "
                        + Thread.getAllStackTraces().keySet().stream()
                                .map(Thread::getName)
                                .sorted()
                                .toList());
        // the pool grows to the most queries ever in flight at once, here a handful, not with every
        // query
        assertTrue(
                ioAfter <= ioBefore + 8, "shared I/O pool threads " + ioBefore + " -> " + ioAfter);
        if (filesBefore >= 0) {
            assertTrue(
                    filesAfter <= filesBefore + 2,
                    "open files " + filesBefore + " -> " + filesAfter);
        }
    }
}
