package dev.daneel.testkit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.SSHFPRecord;
import org.xbill.DNS.Type;

/**
 * Every {@link ZoneBuilder} setter refuses a bad argument at the call, with an {@link
 * IllegalArgumentException} that names the allowed range and the value given; combinations that
 * only make sense together are refused when the world is built, naming the zone.
 */
class ZoneBuilderTest {

    private static final String ZONE = "example.test.";

    /** A fresh builder for {@link #ZONE}, obtained the only way users get one. */
    private static ZoneBuilder zone() {
        ZoneBuilder[] out = new ZoneBuilder[1];
        World.builder().zone(ZONE, z -> out[0] = z);
        return out[0];
    }

    /** Asserts that {@code call} throws at once and that the message contains every fragment. */
    private static void assertRejected(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String fragment : fragments) {
            assertTrue(
                    e.getMessage().contains(fragment),
                    "message should contain \"" + fragment + "\": " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------------------------------
    // Setters

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 1, 3, 6, 9, 12, 17, 253, 256})
    void algorithmRefusesWhatTheTestkitCannotSignAndPointsToUnsupportedAlgorithm(int algorithm) {
        assertRejected(
                () -> zone().algorithm(algorithm),
                "5, 7, 8, 10, 13, 14, 15, 16",
                "got " + algorithm,
                "unsupportedAlgorithm(" + algorithm + ")");
    }

    @ParameterizedTest
    @ValueSource(ints = {5, 7, 8, 10, 13, 14, 15, 16})
    void algorithmAcceptsEverySigningAlgorithm(int algorithm) {
        assertDoesNotThrow(() -> zone().algorithm(algorithm));
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 256, DNSSEC.Algorithm.ECDSAP256SHA256, DNSSEC.Algorithm.ED25519})
    void unsupportedAlgorithmRefusesOutOfRangeAndSignableNumbers(int algorithm) {
        assertRejected(() -> zone().unsupportedAlgorithm(algorithm), "1..255", "got " + algorithm);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 12, 253, 255})
    void unsupportedAlgorithmAcceptsNumbersTheTestkitCannotSign(int algorithm) {
        assertDoesNotThrow(() -> zone().unsupportedAlgorithm(algorithm));
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 512, 1023, 4097, 8192})
    void rsaKeyBitsRefusesSizesOutside1024To4096(int bits) {
        assertRejected(() -> zone().rsaKeyBits(bits), "1024..4096", "got " + bits);
    }

    @ParameterizedTest
    @ValueSource(ints = {1024, 4096})
    void rsaKeyBitsAcceptsItsBounds(int bits) {
        assertDoesNotThrow(() -> zone().rsaKeyBits(bits));
    }

    @ParameterizedTest
    @ValueSource(ints = {Integer.MIN_VALUE, -1, 65536, Integer.MAX_VALUE})
    void nsec3RefusesIterationsOutside0To65535(int iterations) {
        assertRejected(() -> zone().nsec3(iterations, "", false), "0..65535", "got " + iterations);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 65535})
    void nsec3AcceptsTheBoundsOfIterations(int iterations) {
        assertDoesNotThrow(() -> zone().nsec3(iterations, "-", true));
    }

    @Test
    void nsec3RefusesASaltLongerThan255Octets() {
        assertRejected(
                () -> zone().nsec3(0, "ab".repeat(256), false), "at most 255 octets", "got 256");
        assertDoesNotThrow(() -> zone().nsec3(0, "ab".repeat(255), false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"zz", "abc", "0x01"})
    void nsec3RefusesASaltThatIsNotHexNamingTheSalt(String salt) {
        assertRejected(() -> zone().nsec3(0, salt, false), "salt", salt);
    }

    @ParameterizedTest
    @ValueSource(longs = {Long.MIN_VALUE, -1, 0, 1L << 31, Long.MAX_VALUE})
    void ttlAndNegativeTtlRefuseValuesOutside1To2147483647(long seconds) {
        assertRejected(() -> zone().ttl(seconds), "ttl", "1..2147483647", "got " + seconds);
        assertRejected(
                () -> zone().negativeTtl(seconds),
                "negativeTtl",
                "1..2147483647",
                "got " + seconds);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, Integer.MAX_VALUE})
    void ttlAndNegativeTtlAcceptTheirBounds(long seconds) {
        assertDoesNotThrow(() -> zone().ttl(seconds).negativeTtl(seconds));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "::1",
                "2001:db8::53",
                "localhost",
                "",
                "192.0.2",
                "192.0.2.1.5",
                " 192.0.2.1"
            })
    void nameserverAddressRefusesAnythingButADottedIpv4(String address) {
        assertRejected(
                () -> zone().nameserverAddress(address), "dotted IPv4", "\"" + address + "\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"999.1.1.1", "192.0.2.256"})
    void nameserverAddressRefusesOctetsAbove255(String address) {
        assertRejected(
                () -> zone().nameserverAddress(address), "dotted IPv4", "\"" + address + "\"");
    }

    @Test
    void keyTrapRefusesCountsOutside0To10000NamingBoth() {
        assertRejected(() -> zone().keyTrap(-1, 0), "0..10000", "-1 keys", "0 signatures");
        assertRejected(() -> zone().keyTrap(0, -1), "0..10000", "0 keys", "-1 signatures");
        assertRejected(() -> zone().keyTrap(10001, 5), "0..10000", "10001 keys");
        assertRejected(() -> zone().keyTrap(5, 10001), "0..10000", "10001 signatures");
        assertDoesNotThrow(() -> zone().keyTrap(0, 0).keyTrap(10000, 10000));
    }

    @Test
    void dsDigestsRefusesAnEmptyListAndPointsToWithoutDsInParent() {
        assertRejected(() -> zone().dsDigests(), "at least one digest type", "withoutDsInParent()");
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 256})
    void dsDigestsRefusesTypesOutside1To255(int digestType) {
        assertRejected(() -> zone().dsDigests(2, digestType), "1..255", "got " + digestType);
    }

    @Test
    void recordNamesTheLineThatDoesNotParse() {
        assertRejected(() -> zone().record("www IN A not-an-ip"), "\"www IN A not-an-ip\"", ZONE);
    }

    @Test
    void recordNamesTheBadLineAmongGoodOnes() {
        assertRejected(
                () ->
                        zone().record(
                                        "ok A 192.0.2.1\n  mail MX ten mail.example.test.\nok2 A 192.0.2.2"),
                "\"mail MX ten mail.example.test.\"");
    }

    @Test
    void recordRefusesAnOwnerOutsideTheZone() {
        assertRejected(
                () -> zone().record("www.other.test. A 192.0.2.1"),
                "www.other.test.",
                "outside zone " + ZONE);
        assertRejected(() -> zone().record("test. A 192.0.2.1"), "outside zone " + ZONE);
    }

    @Test
    void recordRefusesClassesOtherThanIn() {
        assertRejected(() -> zone().record("www CH TXT \"chaos\""), "only class IN");
    }

    @Test
    void openpgpkeyRefusesAnAddressWhoseDomainIsNotInTheZone() {
        assertRejected(
                () -> zone().openpgpkey("hugh@example.com", new byte[] {1}),
                "outside zone " + ZONE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"no-at-sign", "@example.test", "hugh@"})
    void openpgpkeyRefusesWhatIsNotAnAddress(String address) {
        assertRejected(
                () -> zone().openpgpkey(address, new byte[] {1}),
                "local@domain",
                "\"" + address + "\"");
    }

    @Test
    void sshfpRefusesAnUnknownFingerprintType() {
        String ed25519 =
                "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKqHnm8obRh2sj5xnvzQjUlpzf4ZRqaEV9Hr4M9B4NtE test";
        assertRejected(() -> zone().sshfp("www", ed25519, 3), "1 (SHA-1) or 2 (SHA-256)", "got 3");
    }

    // ------------------------------------------------------------------------------------------
    // Combinations refused when the world is built

    static Stream<Arguments> signatureBreakages() {
        List<Arguments> all =
                List.of(
                        Arguments.of(
                                "breakAll",
                                (Consumer<ZoneBuilder>) z -> z.breakAll(Breakage.TAMPERED_DATA)),
                        Arguments.of(
                                "breakRRset",
                                (Consumer<ZoneBuilder>)
                                        z ->
                                                z.breakRRset(
                                                        "@",
                                                        Type.SOA,
                                                        Breakage.EXPIRED_SIGNATURES)),
                        Arguments.of("revokedKsk", (Consumer<ZoneBuilder>) ZoneBuilder::revokedKsk),
                        Arguments.of("keyTrap keys", (Consumer<ZoneBuilder>) z -> z.keyTrap(1, 0)),
                        Arguments.of(
                                "keyTrap signatures", (Consumer<ZoneBuilder>) z -> z.keyTrap(0, 1)),
                        Arguments.of(
                                "dsPointsToNoKey",
                                (Consumer<ZoneBuilder>) ZoneBuilder::dsPointsToNoKey),
                        Arguments.of(
                                "denialBreakage",
                                (Consumer<ZoneBuilder>)
                                        z -> z.denialBreakage(DenialBreakage.MISSING)),
                        Arguments.of(
                                "unsupportedAlgorithm",
                                (Consumer<ZoneBuilder>) z -> z.unsupportedAlgorithm(3)));
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signatureBreakages")
    void unsignedZoneWithASignatureBreakageFailsAtBuildNamingTheZone(
            String name, Consumer<ZoneBuilder> breakage) {
        World.Builder before =
                World.builder().zone("plain.test.", z -> breakage.accept(z.unsigned()));
        IllegalStateException e = assertThrows(IllegalStateException.class, before::build);
        assertTrue(
                e.getMessage().contains("plain.test.") && e.getMessage().contains("unsigned"),
                e.getMessage());

        // The order of the calls does not matter.
        World.Builder after =
                World.builder()
                        .zone(
                                "plain.test.",
                                z -> {
                                    breakage.accept(z);
                                    z.unsigned();
                                });
        assertThrows(IllegalStateException.class, after::build);
    }

    @Test
    void unsignedRootFailsAtBuild() {
        IllegalStateException e =
                assertThrows(
                        IllegalStateException.class,
                        () -> World.builder().zone(".", ZoneBuilder::unsigned).build());
        assertTrue(e.getMessage().contains("root zone must be signed"), e.getMessage());
    }

    @Test
    void unsignedZoneWithoutBreakageBuildsAndPublishesNoSignatures() {
        try (World world =
                World.builder()
                        .zone("plain.test.", z -> z.unsigned().record("www A 192.0.2.1"))
                        .build()) {
            Zone plain = world.zone("plain.test.");
            assertFalse(plain.signed());
            RRset www = plain.rrset("www", Type.A).orElseThrow();
            assertEquals(0, www.sigs().size());
        }
    }

    // ------------------------------------------------------------------------------------------
    // Conveniences, owner names

    @Test
    void sshfpWithoutTypesAddsSha1AndSha256AtTheHost() {
        String ed25519 =
                "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKqHnm8obRh2sj5xnvzQjUlpzf4ZRqaEV9Hr4M9B4NtE test";
        try (World world = World.builder().zone(ZONE, z -> z.sshfp("www", ed25519)).build()) {
            RRset set = world.zone(ZONE).rrset("www", Type.SSHFP).orElseThrow();
            assertEquals(Name.fromConstantString("www." + ZONE), set.getName());
            assertEquals(
                    List.of(1, 2),
                    set.rrs().stream()
                            .map(r -> ((SSHFPRecord) r).getDigestType())
                            .sorted()
                            .toList());
        }
    }
}
