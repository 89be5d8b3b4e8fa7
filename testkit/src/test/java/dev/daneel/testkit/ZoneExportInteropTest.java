package dev.daneel.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * Exported zones checked by two independent DNSSEC implementations: BIND's {@code dnssec-verify}
 * (signatures, NSEC/NSEC3 chain completeness, KSK/ZSK roles) and ldns's {@code ldns-verify-zone}.
 */
class ZoneExportInteropTest {

    private static World world(java.util.function.Consumer<ZoneBuilder> zone) {
        return World.builder()
                .zone("test.")
                .zone(
                        "example.test.",
                        z -> {
                            z.record(
                                    "www 300 A 192.0.2.1\nwww AAAA 2001:db8::1\n*.wild TXT \"w\"\nalias CNAME www\n"
                                            + "a.b.c.deep TXT \"ent above\"\nmail MX 10 www");
                            zone.accept(z);
                        })
                .zone("signed.example.test.")
                .zone("unsigned.example.test.", ZoneBuilder::unsigned)
                .build();
    }

    private static ExternalTools.Result dnssecVerify(World world, Path dir) throws Exception {
        Map<Name, Path> files = world.exportZones(dir);
        Path file = files.get(Name.fromConstantString("example.test."));
        return ExternalTools.run(dir, "dnssec-verify", "-o", "example.test.", file.toString());
    }

    @ParameterizedTest(name = "algorithm {0}")
    @ValueSource(ints = {8, 13, 15})
    void bindDnssecVerifyAcceptsNsecZones(int algorithm, @TempDir Path dir) throws Exception {
        ExternalTools.Result r =
                dnssecVerify(world(z -> z.algorithm(algorithm).rsaKeyBits(2048)), dir);
        assertEquals(0, r.exitCode(), r.output());
    }

    @Test
    void bindDnssecVerifyAcceptsNsec3ZonesWithSaltAndIterations(@TempDir Path dir)
            throws Exception {
        ExternalTools.Result r = dnssecVerify(world(z -> z.nsec3(10, "aabbccdd", false)), dir);
        assertEquals(0, r.exitCode(), r.output());
    }

    @Test
    void bindDnssecVerifyAcceptsNsec3OptOutZones(@TempDir Path dir) throws Exception {
        ExternalTools.Result r = dnssecVerify(world(z -> z.nsec3(0, "", true)), dir);
        assertEquals(0, r.exitCode(), r.output());
    }

    @Test
    void bindDnssecVerifyRejectsATamperedZone(@TempDir Path dir) throws Exception {
        // Shows the tool really checks what we export: the same zone with one tampered RRset fails.
        ExternalTools.Result r =
                dnssecVerify(world(z -> z.breakRRset("www", Type.A, Breakage.TAMPERED_DATA)), dir);
        assertNotEquals(0, r.exitCode(), r.output());
    }

    @ParameterizedTest(name = "nsec3={0}")
    @ValueSource(booleans = {false, true})
    void ldnsVerifyZoneAcceptsTheExportAtTheWorldsTime(boolean nsec3, @TempDir Path dir)
            throws Exception {
        World world =
                world(
                        z -> {
                            if (nsec3) {
                                z.nsec3(0, "", false);
                            }
                        });
        Path file = world.exportZones(dir).get(Name.fromConstantString("example.test."));
        String at =
                DateTimeFormatter.ofPattern("yyyyMMddHHmmss")
                        .withZone(ZoneOffset.UTC)
                        .format(world.clock().instant());
        ExternalTools.Result r =
                ExternalTools.run(dir, "ldns-verify-zone", "-t", at, file.toString());
        assertEquals(0, r.exitCode(), r.output());
    }

    @Test
    void nsdLoadsEveryExportedZoneIncludingTheRoot(@TempDir Path dir) throws Exception {
        World world = world(z -> z.nsec3(0, "", true));
        for (Map.Entry<Name, Path> e : world.exportZones(dir).entrySet()) {
            ExternalTools.Result r =
                    ExternalTools.run(
                            dir, "nsd-checkzone", e.getKey().toString(), e.getValue().toString());
            assertEquals(0, r.exitCode(), e.getKey() + ": " + r.output());
        }
    }

    @Test
    void ldnsVerifyZoneRejectsExpiredSignatures(@TempDir Path dir) throws Exception {
        World world = world(z -> z.breakRRset("mail", Type.MX, Breakage.EXPIRED_SIGNATURES));
        Path file = world.exportZones(dir).get(Name.fromConstantString("example.test."));
        ExternalTools.Result r = ExternalTools.run(dir, "ldns-verify-zone", file.toString());
        assertNotEquals(0, r.exitCode(), r.output());
    }
}
