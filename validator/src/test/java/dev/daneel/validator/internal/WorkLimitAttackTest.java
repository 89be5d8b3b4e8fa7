package dev.daneel.validator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.anchors.TrustAnchors;
import dev.daneel.testkit.World;
import dev.daneel.validator.Answer;
import dev.daneel.validator.Limits;
import dev.daneel.validator.Reason;
import dev.daneel.validator.Status;
import dev.daneel.validator.ValidatingResolver;
import dev.daneel.validator.Verdict;
import dev.daneel.validator.internal.transport.UpstreamClient;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Type;

/**
 * The algorithmic-complexity attacks on DNSSEC validation, against testkit worlds built for them:
 * KeyTrap (CVE-2023-50387: many DNSKEYs sharing a key tag, many RRSIGs per RRset) and NSEC3
 * closest-encloser hashing (CVE-2023-50868: many labels, high iterations). Work is counted, not
 * timed: every signature verification passes through a counting {@link Crypto}, and the NSEC3
 * hashes an answer needs are found by lowering {@link Limits#maxNsec3Hashes()} until the answer
 * changes. CPU time is measured and printed as a figure, never asserted.
 */
class WorkLimitAttackTest {

    static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    /**
     * Every work limit at its maximum: what the attack would cost with the limits out of the way.
     */
    static final Limits LIMITS_AT_MAXIMUM =
            new Limits(64, 64, 10_000, 127, 64, 10_000, 100, 500, 256);

    static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private static World world;
    private static ExecutorService io;
    private static UpstreamClient client;

    @BeforeAll
    static void start() {
        world =
                World.builder()
                        .clock(CLOCK)
                        .zone("test.")
                        .zone("keytrap.test.", z -> z.record("www A 192.0.2.1").keyTrap(30, 20))
                        .zone("collisions.test.", z -> z.record("www A 192.0.2.1").keyTrap(200, 1))
                        .zone("signatures.test.", z -> z.record("www A 192.0.2.1").keyTrap(0, 60))
                        .zone("nsec3.test.", z -> z.nsec3(0, "", false).record("www A 192.0.2.1"))
                        .zone(
                                "nsec3-100.test.",
                                z -> z.nsec3(100, "aabbccdd", false).record("www A 192.0.2.1"))
                        .zone(
                                "nsec3-500.test.",
                                z -> z.nsec3(500, "aabbccdd", false).record("www A 192.0.2.1"))
                        .start();
        world.signAll();
        io = Executors.newCachedThreadPool();
        client = new UpstreamClient(List.of(world.address()), Duration.ofSeconds(5), io, false);
    }

    @AfterAll
    static void stop() {
        client.close();
        io.shutdownNow();
        world.close();
    }

    /**
     * The real primitive, counting calls and the CPU time they take on whichever thread runs them.
     */
    static final class CountingCrypto implements Crypto {
        final AtomicInteger verifications = new AtomicInteger();
        final AtomicLong cpuNanos = new AtomicLong();

        @Override
        public boolean supported(int algorithm) {
            return STANDARD.supported(algorithm);
        }

        @Override
        public java.util.Optional<String> check(
                RRset set, RRSIGRecord signature, DNSKEYRecord key, Instant at) {
            verifications.incrementAndGet();
            long before = THREADS.getCurrentThreadCpuTime();
            try {
                return STANDARD.check(set, signature, key, at);
            } finally {
                cpuNanos.addAndGet(THREADS.getCurrentThreadCpuTime() - before);
            }
        }
    }

    /** One cold lookup, with its verdict and its cost. */
    record Cost(Answer answer, int verifications, long verifyCpuNanos, long processCpuNanos) {
        @Override
        public String toString() {
            return String.format(
                    "%s: %d signature verifications, %.1f ms CPU in verification, %.1f ms CPU in the process",
                    answer.verdict(), verifications, verifyCpuNanos / 1e6, processCpuNanos / 1e6);
        }
    }

    static Cost lookup(String name, int type, Limits limits) {
        CountingCrypto crypto = new CountingCrypto();
        Engine engine =
                new Engine(
                        EngineConfig.of(client::query, TrustAnchors.of(world.trustAnchors()), CLOCK)
                                .withSkew(ValidatingResolver.Builder.DEFAULT_SKEW)
                                .withLimits(limits)
                                .withCacheSize(64),
                        crypto);
        long cpu = processCpu();
        Answer a = engine.lookup(Name.fromConstantString(name), type);
        return new Cost(a, crypto.verifications.get(), crypto.cpuNanos.get(), processCpu() - cpu);
    }

    static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean)
                        ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    @Test
    void keyTrapAnswersStayWithinTheSignatureBudgetAndAreBogusWorkLimitExceeded() {
        lookup("www.test.", Type.A, Limits.DEFAULT); // warm up the JIT and the crypto providers
        for (String zone : List.of("keytrap.test.", "collisions.test.", "signatures.test.")) {
            Cost bounded = lookup("www." + zone, Type.A, Limits.DEFAULT);
            Cost unbounded = lookup("www." + zone, Type.A, LIMITS_AT_MAXIMUM);
            System.out.printf(
                    "KeyTrap %s with Limits.DEFAULT: %s%n        with every limit at its maximum: %s%n",
                    zone, bounded, unbounded);
            Verdict.Bogus b =
                    assertInstanceOf(
                            Verdict.Bogus.class, bounded.answer().verdict(), bounded.toString());
            assertEquals(Reason.WORK_LIMIT_EXCEEDED, b.reason(), b.detail());
            assertTrue(
                    bounded.verifications() <= Limits.DEFAULT.maxSignatureChecks(),
                    bounded.toString());
            // per RRset at most maxSignaturesPerRRset x maxKeyTagCollisions; four RRsets on this
            // chain
            // (DNSKEY and DS of test., DNSKEY of the zone, the answer) before the attack's first
            // RRset stops it
            assertTrue(
                    bounded.verifications()
                            <= 4
                                    * Limits.DEFAULT.maxSignaturesPerRRset()
                                    * Limits.DEFAULT.maxKeyTagCollisions());
            assertTrue(
                    unbounded.verifications() > bounded.verifications(),
                    "the world must really attack: without the limits it costs more, " + unbounded);
        }
    }

    @Test
    void ordinaryAnswersNeedFewSignatureChecks() {
        Cost plain = lookup("www.test.", Type.A, Limits.DEFAULT);
        System.out.println("ordinary answer two zones deep: " + plain);
        assertEquals(Status.SECURE, plain.answer().status());
        // DNSKEY of . and test., DS of test., the A RRset, and the NSEC and SOA proving no cut at
        // www.test.
        assertTrue(plain.verifications() <= 6, plain.toString());
    }

    /**
     * The NSEC3 hashes an answer needs: the smallest {@code maxNsec3Hashes} that gives the
     * unlimited verdict.
     */
    static int hashesNeeded(String name, int type) {
        Answer unlimited = lookup(name, type, LIMITS_AT_MAXIMUM).answer();
        assertNotEquals(
                Reason.WORK_LIMIT_EXCEEDED,
                unlimited.verdict() instanceof Verdict.Bogus b ? b.reason() : null);
        int low = 1;
        int high = LIMITS_AT_MAXIMUM.maxNsec3Hashes();
        while (low < high) {
            int mid = (low + high) / 2;
            Answer a = lookup(name, type, LIMITS_AT_MAXIMUM.withMaxNsec3Hashes(mid)).answer();
            if (a.status() == unlimited.status()) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        Answer below =
                low == 1
                        ? null
                        : lookup(name, type, LIMITS_AT_MAXIMUM.withMaxNsec3Hashes(low - 1))
                                .answer();
        if (below != null) {
            Verdict.Bogus b =
                    assertInstanceOf(Verdict.Bogus.class, below.verdict(), below.toString());
            assertEquals(Reason.WORK_LIMIT_EXCEEDED, b.reason(), b.detail());
        }
        return low;
    }

    @Test
    void nsec3ClosestEncloserHashesGrowWithLabelsAndStayBounded() {
        for (String zone : List.of("nsec3.test.", "nsec3-100.test.", "nsec3-500.test.")) {
            for (int labels : new int[] {1, 10, 40, 118}) {
                String name = "x.".repeat(labels) + zone;
                int hashes = hashesNeeded(name, Type.A);
                Cost bounded = lookup(name, Type.A, Limits.DEFAULT);
                System.out.printf(
                        "NSEC3 %s NXDOMAIN %d labels below the zone: %d hashes needed; with Limits.DEFAULT"
                                + " %s, %.1f ms CPU%n",
                        zone,
                        labels,
                        hashes,
                        bounded.answer().verdict(),
                        bounded.processCpuNanos() / 1e6);
                // RFC 5155 §8.3: one hash per ancestor tried for the closest encloser, plus next
                // closer and wildcard
                assertTrue(hashes <= labels + 3, labels + " labels needed " + hashes + " hashes");
                if (hashes > Limits.DEFAULT.maxNsec3Hashes()) {
                    Verdict.Bogus b =
                            assertInstanceOf(Verdict.Bogus.class, bounded.answer().verdict());
                    assertEquals(Reason.WORK_LIMIT_EXCEEDED, b.reason());
                } else {
                    assertNotEquals(Status.BOGUS, bounded.answer().status(), bounded.toString());
                }
            }
        }
    }
}
