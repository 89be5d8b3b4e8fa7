package dev.daneel.validator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.anchors.TrustAnchors;
import dev.daneel.testkit.World;
import dev.daneel.validator.Answer;
import dev.daneel.validator.Limits;
import dev.daneel.validator.Status;
import dev.daneel.validator.ValidatingResolver;
import dev.daneel.validator.internal.transport.UpstreamClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Heap stays bounded while distinct names flow through the caches. The names are wildcard answers,
 * each a new question that is fetched, validated (its RRSIG and NSEC proof) and cached; the engine
 * gets them from a source that renames one genuine wildcard response recorded from a testkit world
 * (the wildcard's RRSIG and NSEC hold for every name below it), so a million names do not need a
 * million loopback round trips. {@code mvn verify} sends 30,000 names through caches of 1,000
 * entries; the {@code soak} profile ({@code -Ddaneel.heap.names=1000000 -Ddaneel.heap.cache=10000})
 * a million through the default 10,000.
 */
class CacheHeapTest {

    static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final int NAMES = Integer.getInteger("daneel.heap.names", 30_000);
    static final int CACHE = Integer.getInteger("daneel.heap.cache", 1_000);
    static final Name TEMPLATE = Name.fromConstantString("x.wild.example.test.");
    static final Name WILD = Name.fromConstantString("wild.example.test.");

    record Q(Name name, int type) {}

    static Map<Q, Message> record() {
        Map<Q, Message> seen = new ConcurrentHashMap<>();
        try (World world =
                World.builder()
                        .clock(CLOCK)
                        .zone("test.", z -> z.algorithm(8).rsaKeyBits(1024))
                        .zone(
                                "example.test.",
                                z ->
                                        z.algorithm(8)
                                                .rsaKeyBits(1024)
                                                .nsec()
                                                .record("*.wild TXT \"w\"\nwww A 192.0.2.1"))
                        .start()) {
            ExecutorService io = Executors.newCachedThreadPool();
            try (UpstreamClient client =
                    new UpstreamClient(
                            List.of(world.address()), Duration.ofSeconds(5), io, false)) {
                Fetcher recorder =
                        (name, type) ->
                                client.query(name, type)
                                        .thenApply(
                                                m -> {
                                                    seen.put(new Q(name, type), m);
                                                    return m;
                                                });
                Answer a =
                        new Engine(
                                        EngineConfig.of(
                                                        recorder,
                                                        TrustAnchors.of(world.trustAnchors()),
                                                        CLOCK)
                                                .withSkew(ValidatingResolver.Builder.DEFAULT_SKEW)
                                                .withLimits(Limits.DEFAULT)
                                                .withCacheSize(16))
                                .lookup(TEMPLATE, Type.TXT);
                assertEquals(Status.SECURE, a.status(), a.toString());
                seen.put(new Q(null, 0), anchorCarrier(world));
            } finally {
                io.shutdownNow();
            }
        }
        return seen;
    }

    /** The world's root DS, carried in a message so the recording is one map. */
    private static Message anchorCarrier(World world) {
        Message m = new Message();
        world.trustAnchors().forEach(ds -> m.addRecord(ds, Section.ANSWER));
        return m;
    }

    /** The template response with every record of the template name renamed to {@code name}. */
    static Message renamed(Message template, Name name) {
        Message m = template.clone();
        for (int section : new int[] {Section.QUESTION, Section.ANSWER}) {
            for (Record r : new ArrayList<>(m.getSection(section))) {
                if (r.getName().equals(TEMPLATE)) {
                    m.removeRecord(r, section);
                    m.addRecord(
                            section == Section.QUESTION
                                    ? Record.newRecord(name, r.getType(), DClass.IN)
                                    : r.withName(name),
                            section);
                }
            }
        }
        return m;
    }

    static long usedHeapAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }

    @Test
    void distinctNamesFlowingThroughTheCachesKeepTheHeapBounded() throws Exception {
        Map<Q, Message> recorded = record();
        List<org.xbill.DNS.DSRecord> root =
                recorded.remove(new Q(null, 0)).getSection(Section.ANSWER).stream()
                        .map(r -> (org.xbill.DNS.DSRecord) r)
                        .toList();
        Message template = recorded.get(new Q(TEMPLATE, Type.TXT));
        Fetcher source =
                (name, type) -> {
                    Message m = recorded.get(new Q(name, type));
                    if (m == null && type == Type.TXT && name.subdomain(WILD)) {
                        m = renamed(template, name);
                    }
                    return m != null
                            ? CompletableFuture.completedFuture(m)
                            : CompletableFuture.failedFuture(
                                    new IllegalStateException(
                                            "not recorded: " + name + "/" + Type.string(type)));
                };
        Engine engine =
                new Engine(
                        EngineConfig.of(source, TrustAnchors.of(root), CLOCK)
                                .withSkew(ValidatingResolver.Builder.DEFAULT_SKEW)
                                .withLimits(Limits.DEFAULT)
                                .withCacheSize(CACHE));
        int warm = Math.min(NAMES, 3 * CACHE);
        long baseline = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < NAMES; i++) {
            if (i == warm) {
                baseline = usedHeapAfterGc();
            }
            Answer a =
                    engine.lookup(
                            Name.fromConstantString("n" + i + ".wild.example.test."), Type.TXT);
            if (a.status() != Status.SECURE) {
                throw new AssertionError("name " + i + ": " + a);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long after = usedHeapAfterGc();
        System.out.printf(
                "heap: %,d distinct names through caches of %,d entries in %.1f s (%,.0f lookups/s): used heap"
                        + " after GC %.1f MB once the caches were full (%,d names), %.1f MB at the end%n",
                NAMES, CACHE, seconds, NAMES / seconds, baseline / 1e6, warm, after / 1e6);
        // the caches were full at the baseline; a leak of even 500 octets per name would add 13 MB
        // over 27,000 more
        long slack = 8_000_000L + 100L * NAMES;
        assertTrue(
                after <= baseline + slack,
                "heap grew from " + baseline + " to " + after + " octets");
        assertTrue(engine.keyEntries() <= CACHE);
    }
}
