package dev.daneel.bench;

import java.security.NoSuchAlgorithmException;
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
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSEC3PARAMRecord;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.Name;

/**
 * One NSEC3 owner-name hash (RFC 5155 §5: SHA-1 over the name and salt, then {@code iterations}
 * more times), as Daneel's denial proofs compute it ({@link NSEC3PARAMRecord#hashName}), at 0
 * iterations (RFC 9276's recommendation) and 10. A proof needs up to three hashes per candidate
 * closest encloser; the validator caps them per lookup ({@code Limits.maxNsec3Hashes},
 * CVE-2023-50868).
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar Nsec3HashBenchmark
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class Nsec3HashBenchmark {

    /** Additional hash iterations. */
    @Param({"0", "10"})
    public int iterations;

    private NSEC3PARAMRecord params;
    private Name name;

    /** An 8-octet salt and a three-label name. */
    @Setup
    public void params() {
        params =
                new NSEC3PARAMRecord(
                        Name.fromConstantString("example.test."),
                        DClass.IN,
                        0,
                        NSEC3Record.SHA1_DIGEST_ID,
                        0,
                        iterations,
                        new byte[] {
                            (byte) 0xca,
                            (byte) 0xfe,
                            0x12,
                            0x34,
                            0x56,
                            0x78,
                            (byte) 0x9a,
                            (byte) 0xbc
                        });
        name = Name.fromConstantString("www.example.test.");
    }

    /** Hashes the name. */
    @Benchmark
    public byte[] hash() throws NoSuchAlgorithmException {
        return params.hashName(name);
    }
}
