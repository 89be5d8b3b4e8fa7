package dev.daneel.validator.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.daneel.anchors.TrustAnchors;
import dev.daneel.testkit.Fault;
import dev.daneel.testkit.World;
import dev.daneel.validator.Answer;
import dev.daneel.validator.ValidatingResolver;
import dev.daneel.validator.Verdict;
import dev.daneel.validator.internal.transport.WireMutations.Kind;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * The fuzzing of {@link HostileResponseProperties} over real loopback UDP and TCP, through a whole
 * {@link ValidatingResolver}: a testkit server damages its answers with {@link Fault#mangle}, the
 * resolver's transport receives them. Each case asks a fresh name under a wildcard, so the answer
 * is never cached and its damaged response always goes through the socket, the response matcher,
 * the TC-to-TCP repeat (also damaged) and validation. Fewer cases than the in-process fuzzing:
 * every ignored packet costs a timeout.
 */
class HostileUpstreamTest {

    static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final Name WILD = Name.fromConstantString("wild.example.test.");

    record Damage(Kind kind, long seed) {}

    private static World world;
    private static ValidatingResolver resolver;
    private static final AtomicReference<Damage> CURRENT = new AtomicReference<>();
    private static final AtomicInteger CASE = new AtomicInteger();
    private static long started;

    @BeforeContainer
    static void start() {
        world =
                World.builder()
                        .clock(CLOCK)
                        .zone("test.", z -> z.algorithm(8).rsaKeyBits(1024))
                        .zone(
                                "example.test.",
                                z -> z.algorithm(8).rsaKeyBits(1024).record("*.wild TXT \"w\""))
                        .start();
        world.signAll();
        world.server().inject(Fault.mangle(HostileUpstreamTest::damage));
        resolver =
                ValidatingResolver.builder()
                        .upstream(world.address())
                        .trustAnchors(TrustAnchors.of(world.trustAnchors()))
                        .clock(CLOCK)
                        .timeout(Duration.ofMillis(25))
                        .build();
        started = System.nanoTime();
    }

    @AfterContainer
    static void stop() {
        System.out.printf(
                "fuzz over loopback: %,d damaged answers through ValidatingResolver in %.1f s%n",
                CASE.get(), (System.nanoTime() - started) / 1e9);
        resolver.close();
        world.close();
    }

    /**
     * Damages answers for names under the wildcard only, so the chain above stays intact (and
     * cached).
     */
    static byte[] damage(byte[] wire) {
        Damage d = CURRENT.get();
        try {
            Message m = new Message(wire);
            if (d == null || !m.getQuestion().getName().subdomain(WILD)) {
                return wire;
            }
            return WireMutations.apply(d.kind(), m, wire, d.seed());
        } catch (IOException e) {
            return wire;
        }
    }

    @Property(tries = 500)
    void damagedAnswersOverTheNetworkEndTypedAndNeverSecureUnlessUnchangedInMeaning(
            @ForAll("damages") Damage d) throws Exception {
        Name name = Name.fromConstantString("f" + CASE.incrementAndGet() + ".wild.example.test.");
        CURRENT.set(d);
        Answer a =
                resolver.lookup(name, Type.TXT)
                        .toCompletableFuture()
                        .get(30, TimeUnit.SECONDS); // hang guard only
        assertNotNull(a.verdict());
        Statistics.collect(a.status());
        if (a.verdict() instanceof Verdict.Secure) {
            assertEquals(Rcode.NOERROR, a.rcode(), a.toString());
            assertEquals(
                    List.of(new TXTRecord(name, org.xbill.DNS.DClass.IN, 0, "w")),
                    a.records(),
                    d + ": " + a);
        }
    }

    @Provide
    Arbitrary<Damage> damages() {
        return Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.longs()).as(Damage::new);
    }
}
