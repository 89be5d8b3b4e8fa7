package dev.daneel.bench;

import dev.daneel.testkit.World;
import dev.daneel.testkit.Zone;
import dev.daneel.testkit.ZoneKey;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Type;

/**
 * One RRSIG verification per algorithm — RSA/SHA-256 (8), ECDSA P-256 (13), Ed25519 (15) — over an
 * A RRset signed by a testkit zone's ZSK: {@code daneel} is the validator's primitive ({@code
 * Crypto.STANDARD}: Bouncy Castle's curve code for ECDSA and EdDSA, dnsjava for RSA), {@code jdk}
 * is dnsjava's {@link DNSSEC#verify} on the JDK's providers. The cost a cold lookup pays per
 * signature (once: the validator remembers verified signatures); a warm lookup pays none. The
 * validator's internal class is reached reflectively (the benchmarks run on the class path), so
 * nothing is exported for it.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar SignatureBenchmark
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SignatureBenchmark {

    /** DNSSEC algorithm number. */
    @Param({"8", "13", "15"})
    public int algorithm;

    /** Whose implementation: the validator's or the JDK's through dnsjava. */
    @Param({"daneel", "jdk"})
    public String implementation;

    private MethodHandle daneel;

    private RRset set;
    private RRSIGRecord signature;
    private DNSKEYRecord key;
    private Instant now;

    /** Signs a one-zone world with the algorithm. */
    @Setup
    public void sign() {
        World world =
                World.builder()
                        .zone("bench.", z -> z.algorithm(algorithm).record("www A 192.0.2.1"))
                        .build();
        Zone zone = world.zone("bench.");
        set = zone.rrset("www", Type.A).orElseThrow();
        signature = set.sigs().get(0);
        key =
                zone.keys().stream()
                        .filter(ZoneKey::signsData)
                        .map(ZoneKey::dnskey)
                        .filter(k -> k.getFootprint() == signature.getFootprint())
                        .findFirst()
                        .orElseThrow();
        now = Instant.now();
        try {
            Class<?> crypto = Class.forName("dev.daneel.validator.internal.Crypto");
            Object standard = crypto.getField("STANDARD").get(null);
            daneel =
                    MethodHandles.publicLookup()
                            .findVirtual(
                                    crypto,
                                    "verify",
                                    MethodType.methodType(
                                            void.class,
                                            RRset.class,
                                            RRSIGRecord.class,
                                            DNSKEYRecord.class,
                                            Instant.class))
                            .bindTo(standard);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(
                    "the validator's Crypto.STANDARD is not reachable: " + e, e);
        }
    }

    /** Verifies the RRSIG; throws (failing the run) if it does not verify. */
    @Benchmark
    public RRSIGRecord verify() throws Throwable {
        if (implementation.equals("daneel")) {
            daneel.invokeExact(set, signature, key, now);
        } else {
            DNSSEC.verify(set, signature, key, now);
        }
        return signature;
    }
}
