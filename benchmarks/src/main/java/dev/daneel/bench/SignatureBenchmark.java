package dev.daneel.bench;

import dev.daneel.testkit.World;
import dev.daneel.testkit.Zone;
import dev.daneel.testkit.ZoneKey;
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
 * One RRSIG verification per algorithm — RSA/SHA-256 (8), ECDSA P-256 (13), Ed25519 (15) — over an A
 * RRset signed by a testkit zone's ZSK, through {@link DNSSEC#verify}, the primitive Daneel's validator
 * calls for every signature (its {@code Crypto.STANDARD}). The cost a cold lookup pays per signature; a
 * warm lookup pays none.
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

    private RRset set;
    private RRSIGRecord signature;
    private DNSKEYRecord key;
    private Instant now;

    /** Signs a one-zone world with the algorithm. */
    @Setup
    public void sign() {
        World world = World.builder().zone("bench.", z -> z.algorithm(algorithm).record("www A 192.0.2.1")).build();
        Zone zone = world.zone("bench.");
        set = zone.rrset("www", Type.A).orElseThrow();
        signature = set.sigs().get(0);
        key = zone.keys().stream().filter(ZoneKey::signsData).map(ZoneKey::dnskey)
                .filter(k -> k.getFootprint() == signature.getFootprint()).findFirst().orElseThrow();
        now = Instant.now();
    }

    /** Verifies the RRSIG; throws (failing the run) if it does not verify. */
    @Benchmark
    public RRSIGRecord verify() throws DNSSEC.DNSSECException {
        DNSSEC.verify(set, signature, key, now);
        return signature;
    }
}
