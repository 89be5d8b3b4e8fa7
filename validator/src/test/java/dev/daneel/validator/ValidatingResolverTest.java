package dev.daneel.validator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.anchors.TrustAnchors;
import dev.daneel.testkit.Breakage;
import dev.daneel.testkit.DenialBreakage;
import dev.daneel.testkit.Fault;
import dev.daneel.testkit.Transport;
import dev.daneel.testkit.World;
import dev.daneel.testkit.ZoneBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

class ValidatingResolverTest {

    static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private static World world;

    @BeforeAll
    static void start() {
        world =
                World.builder()
                        .clock(CLOCK)
                        .zone("test.")
                        .zone(
                                "example.test.",
                                z ->
                                        z.record(
                                                "www 300 A 192.0.2.1\n*.wild TXT \"w\"\nalias CNAME www.hashed.test.\n"
                                                        + "toinsecure CNAME www.unsigned.test.\nredir DNAME hashed.test.\nempty.ent.deep TXT \"x\"\n"
                                                        + "big TXT \""
                                                        + "a".repeat(200)
                                                        + "\"\n"
                                                        + bigTxt()))
                        .zone(
                                "hashed.test.",
                                z ->
                                        z.nsec3(0, "", true)
                                                .record("www A 192.0.2.2\n*.wild A 192.0.2.3"))
                        .zone(
                                "strict3.test.",
                                z ->
                                        z.nsec3(0, "", false)
                                                .record("www A 192.0.2.2\n*.wild A 192.0.2.3"))
                        .zone("unsigned.test.", z -> z.unsigned().record("www A 192.0.2.4"))
                        .zone("optout.hashed.test.", z -> z.unsigned().record("www A 192.0.2.5"))
                        .zone(
                                "expired.test.",
                                z ->
                                        z.record("www A 192.0.2.6")
                                                .breakRRset(
                                                        "www", Type.A, Breakage.EXPIRED_SIGNATURES))
                        .zone(
                                "future.test.",
                                z ->
                                        z.record("www A 192.0.2.6")
                                                .breakRRset(
                                                        "www",
                                                        Type.A,
                                                        Breakage.NOT_YET_VALID_SIGNATURES))
                        .zone(
                                "tampered.test.",
                                z ->
                                        z.record("www A 192.0.2.6")
                                                .breakRRset("www", Type.A, Breakage.TAMPERED_DATA))
                        .zone(
                                "stripped.test.",
                                z ->
                                        z.record("www A 192.0.2.6")
                                                .breakRRset("www", Type.A, Breakage.MISSING_RRSIGS))
                        .zone(
                                "allstripped.test.",
                                z -> z.record("www A 192.0.2.6").breakAll(Breakage.MISSING_RRSIGS))
                        .zone(
                                "unknownkey.test.",
                                z ->
                                        z.record("www A 192.0.2.6")
                                                .breakRRset(
                                                        "www",
                                                        Type.A,
                                                        Breakage.UNKNOWN_SIGNING_KEY))
                        .zone("decoyds.test.", z -> z.record("www A 192.0.2.6").dsPointsToNoKey())
                        .zone("gostds.test.", z -> z.record("www A 192.0.2.6").dsDigests(3))
                        .zone("mixedds.test.", z -> z.record("www A 192.0.2.6").dsDigests(3, 2))
                        .zone(
                                "decoymixed.test.",
                                z -> z.record("www A 192.0.2.6").dsDigests(3, 2).dsPointsToNoKey())
                        .zone(
                                "alg253.test.",
                                z -> z.record("www A 192.0.2.6").unsupportedAlgorithm(253))
                        .zone("revoked.test.", z -> z.record("www A 192.0.2.6").revokedKsk())
                        .zone("keytrap.test.", z -> z.record("www A 192.0.2.6").keyTrap(30, 20))
                        .zone(
                                "expiredkeys.test.",
                                z ->
                                        z.record("www A 192.0.2.6")
                                                .breakRRset(
                                                        "@",
                                                        Type.DNSKEY,
                                                        Breakage.EXPIRED_SIGNATURES))
                        .zone(
                                "nodenial.test.",
                                z ->
                                        z.record("www A 192.0.2.6\n*.wild A 192.0.2.7")
                                                .denialBreakage(DenialBreakage.MISSING))
                        .zone(
                                "wrongdenial.test.",
                                z ->
                                        z.record(
                                                        "www A 192.0.2.6\nmail A 192.0.2.8\nzzz A 192.0.2.9")
                                                .denialBreakage(DenialBreakage.WRONG))
                        .zone("island.test.", z -> z.record("www A 192.0.2.6").withoutDsInParent())
                        .start();
        world.signAll(); // sign up front: lazy signing inside a query would eat into the
        // upstream timeout
    }

    private static String bigTxt() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            sb.append("huge TXT \"").append(i).append("-").append("x".repeat(200)).append("\"\n");
        }
        return sb.toString();
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    private static ValidatingResolver.Builder resolverFor(World w) {
        return ValidatingResolver.builder()
                .upstream(w.address())
                .trustAnchors(TrustAnchors.of(w.trustAnchors()))
                .clock(CLOCK)
                .timeout(Duration.ofSeconds(3));
    }

    private static Answer resolve(String name, int type) {
        try (ValidatingResolver r = resolverFor(world).build()) {
            return r.resolve(name, type);
        }
    }

    private static Verdict.Bogus bogus(Answer a) {
        return assertInstanceOf(Verdict.Bogus.class, a.verdict(), a.toString());
    }

    @Test
    void signedAnswerIsSecureWithItsRecordsAndATtlNoLongerThanTheRRset() {
        Answer a = resolve("www.example.test.", Type.A);
        assertEquals(Status.SECURE, a.status(), a.toString());
        assertEquals(Rcode.NOERROR, a.rcode());
        assertEquals("192.0.2.1", ((ARecord) a.records().get(0)).getAddress().getHostAddress());
        assertTrue(a.ttl() > 0 && a.ttl() <= 300, "ttl " + a.ttl());
        assertEquals(Set.of(13), ((Verdict.Secure) a.verdict()).algorithms());
    }

    @Test
    void nsec3OptOutZoneAnswerIsSecure() {
        assertEquals(Status.SECURE, resolve("www.hashed.test.", Type.A).status());
    }

    @Test
    void unsignedChildOfAnNsecParentIsInsecureAtTheProvenDelegation() {
        Answer a = resolve("www.unsigned.test.", Type.A);
        Verdict.Insecure i = assertInstanceOf(Verdict.Insecure.class, a.verdict(), a.toString());
        assertEquals(Name.fromConstantString("unsigned.test."), i.delegation().orElse(null));
        assertEquals(
                InsecureCause.UNSIGNED_DELEGATION,
                i.cause(),
                "a plain unsigned delegation has no EDE");
        assertEquals(1, a.records().size());
    }

    @Test
    void unsignedChildCoveredByAnNsec3OptOutSpanIsInsecure() {
        Answer a = resolve("www.optout.hashed.test.", Type.A);
        Verdict.Insecure i = assertInstanceOf(Verdict.Insecure.class, a.verdict(), a.toString());
        assertEquals(Name.fromConstantString("optout.hashed.test."), i.delegation().orElse(null));
        assertTrue(i.detail().contains("opt-out"), i.detail());
    }

    @Test
    void proofsRestingOnAnOptOutSpanAreInsecureNeverSecure() {
        // RFC 5155 §9.2: an opt-out NSEC3 covering the next closer name leaves room for an unsigned
        // delegation.
        for (String[] q :
                new String[][] {
                    {"nope.hashed.test.", "A"},
                    {"x.y.wild.hashed.test.", "A"},
                    {"x.wild.hashed.test.", "TXT"}
                }) {
            Answer a = resolve(q[0], Type.value(q[1]));
            Verdict.Insecure i =
                    assertInstanceOf(Verdict.Insecure.class, a.verdict(), a.toString());
            assertTrue(i.detail().contains("opt-out"), i.detail());
        }
        assertEquals(
                Status.SECURE,
                resolve("www.hashed.test.", Type.TXT).status(),
                "an exact NSEC3 match needs no opt-out span");
    }

    @Test
    void evidenceFromAWarmResolverStillReverifiesOffline() {
        try (ValidatingResolver r = resolverFor(world).build()) {
            r.resolve("www.example.test.", Type.A);
            Answer warm = r.resolve("mail.example.test.", Type.A); // keys come from the cache now
            Answer again =
                    ValidatingResolver.verifyOffline(
                            warm.evidence(),
                            Name.fromConstantString("mail.example.test."),
                            Type.A,
                            TrustAnchors.of(world.trustAnchors()),
                            NOW);
            assertEquals(warm.status(), again.status(), again.toString());
            assertEquals(Status.SECURE, again.status());
        }
    }

    @Test
    void islandOfSecurityWithoutDsIsInsecure() {
        Answer a = resolve("www.island.test.", Type.A);
        assertInstanceOf(Verdict.Insecure.class, a.verdict(), a.toString());
    }

    @Test
    void expiredSignatureIsBogusSignatureExpiredNamingZoneRecordAndKey() {
        Verdict.Bogus b = bogus(resolve("www.expired.test.", Type.A));
        assertEquals(Reason.SIGNATURE_EXPIRED, b.reason());
        assertEquals(7, b.reason().edeCode());
        assertTrue(
                b.detail().contains("www.expired.test.") && b.detail().contains("key "),
                b.detail());
    }

    @Test
    void notYetValidSignatureIsBogusSignatureNotYetValid() {
        assertEquals(
                Reason.SIGNATURE_NOT_YET_VALID,
                bogus(resolve("www.future.test.", Type.A)).reason());
    }

    @Test
    void tamperedDataIsBogus() {
        Answer a = resolve("www.tampered.test.", Type.A);
        assertEquals(Reason.DNSSEC_BOGUS, bogus(a).reason());
    }

    @Test
    void strippedRrsigsInASignedZoneAreBogusNeverInsecure() {
        assertEquals(Reason.RRSIGS_MISSING, bogus(resolve("www.stripped.test.", Type.A)).reason());
        assertEquals(Status.BOGUS, resolve("www.allstripped.test.", Type.A).status());
    }

    @Test
    void signatureByAnUnpublishedKeyIsDnskeyMissing() {
        assertEquals(
                Reason.DNSKEY_MISSING, bogus(resolve("www.unknownkey.test.", Type.A)).reason());
    }

    @Test
    void dsPointingAtNoKeyIsDnskeyMissing() {
        Verdict.Bogus b = bogus(resolve("www.decoyds.test.", Type.A));
        assertEquals(Reason.DNSKEY_MISSING, b.reason());
        assertTrue(b.detail().contains("decoyds.test."), b.detail());
    }

    @Test
    void onlyUnsupportedDsDigestsMakeTheZoneInsecure() {
        Answer a = resolve("www.gostds.test.", Type.A);
        Verdict.Insecure i = assertInstanceOf(Verdict.Insecure.class, a.verdict(), a.toString());
        assertEquals(Name.fromConstantString("gostds.test."), i.delegation().orElse(null));
        assertEquals(InsecureCause.UNSUPPORTED_DIGEST, i.cause());
        assertEquals(2, i.cause().edeCode().getAsInt());
    }

    @Test
    void aSupportedDigestBesideAnUnsupportedOneStillValidates() {
        assertEquals(Status.SECURE, resolve("www.mixedds.test.", Type.A).status());
    }

    @Test
    void aFailingSupportedDigestBesideAnUnsupportedOneIsBogusNeverInsecure() {
        // RFC 4035 §5.2 / RFC 6840 §5.2: Insecure only when no DS is usable; a usable one that
        // fails breaks the chain, or stripping the key would downgrade the zone.
        Verdict.Bogus b = bogus(resolve("www.decoymixed.test.", Type.A));
        assertEquals(Reason.DNSKEY_MISSING, b.reason());
    }

    @Test
    void unsupportedDnskeyAlgorithmMakesTheZoneInsecureNotBogus() {
        Answer a = resolve("www.alg253.test.", Type.A);
        Verdict.Insecure i = assertInstanceOf(Verdict.Insecure.class, a.verdict(), a.toString());
        assertEquals(InsecureCause.UNSUPPORTED_ALGORITHM, i.cause());
    }

    @Test
    void revokedKskNoLongerMatchesTheDs() {
        assertEquals(Reason.DNSKEY_MISSING, bogus(resolve("www.revoked.test.", Type.A)).reason());
    }

    @Test
    void keyTrapStopsAtTheWorkLimitWithATypedResult() {
        Verdict.Bogus b = bogus(resolve("www.keytrap.test.", Type.A));
        assertEquals(Reason.WORK_LIMIT_EXCEEDED, b.reason());
        assertTrue(b.detail().contains("KeyTrap"), b.detail());
    }

    @Test
    void expiredDnskeySignatureBreaksTheWholeZone() {
        Verdict.Bogus b = bogus(resolve("www.expiredkeys.test.", Type.A));
        assertEquals(Reason.SIGNATURE_EXPIRED, b.reason());
        assertTrue(b.detail().contains("DNSKEY"), b.detail());
    }

    @Test
    void secureNxdomainIsAProvenFact() {
        Answer a = resolve("nope.example.test.", Type.A);
        assertEquals(Status.SECURE, a.status(), a.toString());
        assertEquals(Rcode.NXDOMAIN, a.rcode());
        assertTrue(a.records().isEmpty() && a.nonexistent());
        Answer h = resolve("nope.strict3.test.", Type.A);
        assertEquals(Status.SECURE, h.status(), h.toString());
        assertEquals(Rcode.NXDOMAIN, h.rcode());
    }

    @Test
    void secureNodataAndEmptyNonTerminal() {
        Answer a = resolve("www.example.test.", Type.MX);
        assertEquals(Status.SECURE, a.status(), a.toString());
        assertEquals(Rcode.NOERROR, a.rcode());
        assertTrue(a.records().isEmpty());
        assertEquals(Status.SECURE, resolve("ent.deep.example.test.", Type.A).status());
        assertEquals(Status.SECURE, resolve("www.hashed.test.", Type.TXT).status());
    }

    @Test
    void missingDenialIsBogusNsecMissingAndWrongDenialIsBogusDnssecBogus() {
        // RFC 8914 §4.13: no NSEC or NSEC3 came; §4.7: records came and do not prove it.
        assertEquals(Reason.NSEC_MISSING, bogus(resolve("nope.nodenial.test.", Type.A)).reason());
        assertEquals(
                Reason.DNSSEC_BOGUS, bogus(resolve("nope.wrongdenial.test.", Type.A)).reason());
        assertEquals(
                Reason.DNSSEC_BOGUS, bogus(resolve("www.wrongdenial.test.", Type.MX)).reason());
    }

    @Test
    void wildcardAnswerIsSecureOnlyWithProofThatTheNameDoesNotExist() {
        Answer a = resolve("anything.wild.example.test.", Type.TXT);
        assertEquals(Status.SECURE, a.status(), a.toString());
        assertEquals(Status.SECURE, resolve("x.y.wild.strict3.test.", Type.A).status());
        Verdict.Bogus b = bogus(resolve("any.wild.nodenial.test.", Type.A));
        assertEquals(Reason.DNSSEC_BOGUS, b.reason(), "positive data: never NSEC Missing");
    }

    @Test
    void cnameChainAcrossSecureZonesIsSecureAndReported() {
        Answer a = resolve("alias.example.test.", Type.A);
        assertEquals(Status.SECURE, a.status(), a.toString());
        assertEquals(1, a.chain().size());
        assertEquals(Name.fromConstantString("www.hashed.test."), a.records().get(0).getName());
    }

    @Test
    void cnameFromASecureIntoAnInsecureZoneIsInsecure() {
        Answer a = resolve("toinsecure.example.test.", Type.A);
        Verdict.Insecure i = assertInstanceOf(Verdict.Insecure.class, a.verdict(), a.toString());
        assertEquals(Name.fromConstantString("unsigned.test."), i.delegation().orElse(null));
    }

    @Test
    void dnameIsValidatedAndItsSynthesisedCnameChecked() {
        Answer a = resolve("www.redir.example.test.", Type.A);
        assertEquals(Status.SECURE, a.status(), a.toString());
        assertEquals(2, a.chain().size(), a.chain().toString());
        assertEquals(Type.DNAME, a.chain().get(0).getType());
    }

    @Test
    void truncatedUdpAnswerIsFetchedOverTcpAndValidated() {
        world.server().log().clear();
        Answer a = resolve("huge.example.test.", Type.TXT);
        assertEquals(Status.SECURE, a.status(), a.toString());
        assertEquals(30, a.records().size());
        assertTrue(world.server().log().count(q -> q.transport() == Transport.TCP) > 0);
    }

    @Test
    void lyingAdBitNeverMakesBogusDataSecure() {
        var server = world.newServer();
        try {
            server.inject(Fault.adBit());
            try (ValidatingResolver r =
                    ValidatingResolver.builder()
                            .upstream(server.address())
                            .trustAnchors(TrustAnchors.of(world.trustAnchors()))
                            .clock(CLOCK)
                            .build()) {
                assertEquals(Status.BOGUS, r.resolve("www.tampered.test.", Type.A).status());
                assertEquals(Status.INSECURE, r.resolve("www.unsigned.test.", Type.A).status());
            }
        } finally {
            server.close();
        }
    }

    @Test
    void failsOverToTheNextUpstreamWhenTheFirstIsSilent() {
        var dead = world.newServer();
        dead.inject(Fault.drop());
        try (ValidatingResolver r =
                ValidatingResolver.builder()
                        .upstream(dead.address())
                        .upstream(world.address())
                        .trustAnchors(TrustAnchors.of(world.trustAnchors()))
                        .clock(CLOCK)
                        .timeout(Duration.ofMillis(200))
                        .build()) {
            assertEquals(Status.SECURE, r.resolve("www.example.test.", Type.A).status());
        } finally {
            dead.close();
        }
    }

    @Test
    void unreachableUpstreamIsIndeterminateNotAnException() {
        var dead = world.newServer();
        dead.inject(Fault.drop());
        try (ValidatingResolver r =
                ValidatingResolver.builder()
                        .upstream(dead.address())
                        .trustAnchors(TrustAnchors.of(world.trustAnchors()))
                        .clock(CLOCK)
                        .timeout(Duration.ofMillis(100))
                        .build()) {
            Answer a = r.resolve("www.example.test.", Type.A);
            Verdict.Indeterminate i =
                    assertInstanceOf(Verdict.Indeterminate.class, a.verdict(), a.toString());
            assertTrue(i.detail().contains("no upstream answered"), i.detail());
        } finally {
            dead.close();
        }
    }

    @Test
    void withoutConfiguredAnchorsTheBuiltInRootAnchorsApplyAndAnEmptySetIsRefused() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> TrustAnchors.of(List.of()));
        assertTrue(e.getMessage().contains("no trust anchors"), e.getMessage());
        // The testkit's root is not IANA's: with the built-in anchors every name of this world is
        // Bogus
        // (the root DNSKEY matches neither KSK-2017 nor KSK-2024), never Secure and never silently
        // unchecked.
        try (ValidatingResolver r =
                ValidatingResolver.builder().upstream(world.address()).clock(CLOCK).build()) {
            Verdict.Bogus b = bogus(r.resolve("www.example.test.", Type.A));
            assertEquals(Reason.DNSKEY_MISSING, b.reason());
            assertTrue(b.detail().contains("20326") && b.detail().contains("38696"), b.detail());
        }
    }

    @Test
    void nameOutsideEveryAnchorIsIndeterminate() {
        try (ValidatingResolver r =
                ValidatingResolver.builder()
                        .upstream(world.address())
                        .trustAnchors(TrustAnchors.of(world.zone("example.test.").dsRecords()))
                        .clock(CLOCK)
                        .build()) {
            assertEquals(
                    Status.SECURE,
                    r.resolve("www.example.test.", Type.A).status(),
                    "anchored at example.test.");
            Answer a = r.resolve("www.hashed.test.", Type.A);
            assertEquals(Status.INDETERMINATE, a.status(), a.toString());
        }
    }

    @Test
    void warmLookupSendsNothingUpstream() {
        try (ValidatingResolver r = resolverFor(world).build()) {
            assertEquals(Status.SECURE, r.resolve("www.example.test.", Type.A).status());
            int before = world.server().log().size();
            for (int i = 0; i < 5; i++) {
                assertEquals(Status.SECURE, r.resolve("www.example.test.", Type.A).status());
            }
            assertEquals(
                    Status.SECURE,
                    r.resolve("www.example.test.", Type.TXT).status(),
                    "NODATA, keys cached");
            assertEquals(
                    before + 1,
                    world.server().log().size(),
                    "only the TXT question itself went upstream");
        }
    }

    @Test
    void concurrentIdenticalLookupsShareOneUpstreamQuery() {
        var server = world.newServer();
        server.inject(
                Fault.delay(Duration.ofMillis(200)).forName("www.hashed.test.").forType(Type.A));
        try (ValidatingResolver r =
                ValidatingResolver.builder()
                        .upstream(server.address())
                        .probeUpstreams(false) // the probe's queries are not counted here
                        .trustAnchors(TrustAnchors.of(world.trustAnchors()))
                        .clock(CLOCK)
                        .build()) {
            List<CompletableFuture<Answer>> all = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                all.add(r.lookup("www.hashed.test.", Type.A).toCompletableFuture());
            }
            for (CompletableFuture<Answer> f : all) {
                assertEquals(Status.SECURE, f.join().status());
            }
            assertEquals(1, server.log().count("www.hashed.test.", Type.A));
            assertEquals(1, server.log().count(".", Type.DNSKEY));
        } finally {
            server.close();
        }
    }

    @Test
    void aColdLookupAsksEachQuestionOnceAndTheChainInParallel() {
        var server = world.newServer();
        try (ValidatingResolver r =
                ValidatingResolver.builder()
                        .upstream(server.address())
                        .probeUpstreams(false) // the probe's queries are not counted here
                        .trustAnchors(TrustAnchors.of(world.trustAnchors()))
                        .clock(CLOCK)
                        .build()) {
            assertEquals(Status.SECURE, r.resolve("www.example.test.", Type.A).status());
            var questions =
                    server.log().entries().stream()
                            .map(q -> q.name() + "/" + Type.string(q.type()))
                            .toList();
            assertEquals(
                    questions.size(),
                    new java.util.HashSet<>(questions).size(),
                    "asked twice: " + questions);
            assertEquals(
                    Set.of(
                            "www.example.test./A",
                            "./DNSKEY",
                            "test./DS",
                            "example.test./DS",
                            "test./DNSKEY",
                            "example.test./DNSKEY"),
                    new java.util.HashSet<>(questions));
        } finally {
            server.close();
        }
    }

    @Test
    void queriesCarryDoAndCd() {
        var server = world.newServer();
        try (ValidatingResolver r =
                ValidatingResolver.builder()
                        .upstream(server.address())
                        .trustAnchors(TrustAnchors.of(world.trustAnchors()))
                        .clock(CLOCK)
                        .build()) {
            r.resolve("www.example.test.", Type.A);
            assertTrue(server.log().size() >= 4);
            server.log()
                    .entries()
                    .forEach(q -> assertTrue(q.dnssecOk() && q.checkingDisabled(), q.toString()));
        } finally {
            server.close();
        }
    }

    @Test
    void ttlIsCappedBySignatureExpiryAndSkewIsHonoured() {
        try (World shortLived =
                World.builder()
                        .clock(CLOCK)
                        .signatureValidity(Duration.ofHours(1))
                        .zone("test.", z -> z.record("www 86400 A 192.0.2.1"))
                        .start()) {
            Instant at = NOW.plus(Duration.ofMinutes(50));
            try (ValidatingResolver r =
                    resolverFor(shortLived).clock(Clock.fixed(at, ZoneOffset.UTC)).build()) {
                Answer a = r.resolve("www.test.", Type.A);
                assertEquals(Status.SECURE, a.status(), a.toString());
                assertTrue(
                        a.ttl() <= 600,
                        "ttl " + a.ttl() + " must not outlive the signature (10 minutes left)");
            }
            Instant justAfter = NOW.plus(Duration.ofMinutes(62));
            try (ValidatingResolver r =
                    resolverFor(shortLived).clock(Clock.fixed(justAfter, ZoneOffset.UTC)).build()) {
                assertEquals(
                        Status.SECURE,
                        r.resolve("www.test.", Type.A).status(),
                        "2 minutes past expiry, within 5 minutes skew");
            }
            try (ValidatingResolver r =
                    resolverFor(shortLived)
                            .clock(Clock.fixed(justAfter, ZoneOffset.UTC))
                            .signatureSkew(Duration.ZERO)
                            .build()) {
                assertEquals(
                        Reason.SIGNATURE_EXPIRED, bogus(r.resolve("www.test.", Type.A)).reason());
            }
        }
    }

    @ParameterizedTest(name = "algorithm {0}")
    @ValueSource(ints = {5, 7, 8, 10, 13, 14, 15, 16})
    void everyRequiredAlgorithmValidates(int algorithm) {
        try (World w =
                        World.builder()
                                .clock(CLOCK)
                                .reuseKeysAcrossWorlds()
                                .zone(".", z -> z.algorithm(algorithm).rsaKeyBits(1024))
                                .zone(
                                        "test.",
                                        z ->
                                                z.algorithm(algorithm)
                                                        .rsaKeyBits(1024)
                                                        .record("www A 192.0.2.1"))
                                .start();
                ValidatingResolver r = resolverFor(w).build()) {
            Answer a = r.resolve("www.test.", Type.A);
            assertEquals(Status.SECURE, a.status(), a.toString());
            assertEquals(Set.of(algorithm), ((Verdict.Secure) a.verdict()).algorithms());
            assertEquals(
                    Status.SECURE,
                    r.resolve("nope.test.", Type.A).status(),
                    "NXDOMAIN with algorithm " + algorithm);
        }
    }

    @Test
    void recordedChainReverifiesOfflineAndATamperedOneDoesNot() {
        Answer a = resolve("www.hashed.test.", Type.A);
        assertEquals(Status.SECURE, a.status());
        TrustAnchors anchors = TrustAnchors.of(world.trustAnchors());
        Answer again =
                ValidatingResolver.verifyOffline(
                        a.evidence(),
                        Name.fromConstantString("www.hashed.test."),
                        Type.A,
                        anchors,
                        NOW);
        assertEquals(Status.SECURE, again.status(), again.toString());
        assertEquals(a.records(), again.records());
        Answer later =
                ValidatingResolver.verifyOffline(
                        a.evidence(),
                        Name.fromConstantString("www.hashed.test."),
                        Type.A,
                        anchors,
                        NOW.plus(Duration.ofDays(60)));
        assertEquals(Reason.SIGNATURE_EXPIRED, bogus(later).reason());
        Answer other =
                ValidatingResolver.verifyOffline(
                        a.evidence(),
                        Name.fromConstantString("www.example.test."),
                        Type.A,
                        anchors,
                        NOW);
        assertEquals(Status.INDETERMINATE, other.status(), "a question the chain does not hold");
        assertTrue(a.evidence().records().stream().anyMatch(r -> r.getType() == Type.DNSKEY));
        assertTrue(a.evidence().records().stream().anyMatch(r -> r.getType() == Type.DS));
    }

    @Test
    void nsec3IterationsAboveTheSoftLimitAreInsecureWithEde27AndAboveTheHardLimitBogus() {
        try (World w =
                        World.builder()
                                .clock(CLOCK)
                                .zone("test.")
                                .zone(
                                        "soft.test.",
                                        z -> z.nsec3(151, "ab", false).record("www A 192.0.2.1"))
                                .zone(
                                        "hard.test.",
                                        z -> z.nsec3(501, "ab", false).record("www A 192.0.2.1"))
                                .zone(
                                        "fine.test.",
                                        z -> z.nsec3(100, "ab", false).record("www A 192.0.2.1"))
                                .start();
                ValidatingResolver r = resolverFor(w).build()) {
            Answer soft = r.resolve("nope.soft.test.", Type.A);
            Verdict.Insecure i =
                    assertInstanceOf(Verdict.Insecure.class, soft.verdict(), soft.toString());
            assertEquals(InsecureCause.NSEC3_ITERATIONS, i.cause());
            assertEquals(27, i.cause().edeCode().getAsInt());
            assertEquals(
                    Status.SECURE,
                    r.resolve("www.soft.test.", Type.A).status(),
                    "positive answers need no NSEC3");
            Verdict.Bogus hard = bogus(r.resolve("nope.hard.test.", Type.A));
            assertEquals(Reason.UNSUPPORTED_NSEC3_ITERATIONS, hard.reason());
            assertEquals(
                    Status.SECURE,
                    r.resolve("nope.fine.test.", Type.A).status(),
                    "100 iterations is within the limit");
        }
        try (World w =
                        World.builder()
                                .clock(CLOCK)
                                .zone("test.", z -> z.nsec3(20, "", false))
                                .start();
                ValidatingResolver r =
                        resolverFor(w)
                                .limits(Limits.DEFAULT.withNsec3IterationsInsecureAbove(10))
                                .build()) {
            assertEquals(
                    Status.INSECURE,
                    r.resolve("nope.test.", Type.A).status(),
                    "the soft limit is configurable");
        }
    }

    @Test
    void nsec3HashBudgetEndsInATypedResult() {
        try (World w =
                        World.builder()
                                .clock(CLOCK)
                                .zone("test.", z -> z.nsec3(0, "", false))
                                .start();
                ValidatingResolver r =
                        resolverFor(w).limits(Limits.DEFAULT.withMaxNsec3Hashes(1)).build()) {
            Verdict.Bogus b = bogus(r.resolve("a.b.c.d.nope.test.", Type.A));
            assertEquals(Reason.WORK_LIMIT_EXCEEDED, b.reason(), b.detail());
            assertTrue(b.detail().contains("NSEC3 hash budget of 1"), b.detail());
        }
    }

    @Test
    void limitsRefuseOutOfRangeValuesNamingThem() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> Limits.DEFAULT.withMaxSignatureChecks(0));
        assertTrue(
                e.getMessage().contains("maxSignatureChecks must be 1..10000, got 0"),
                e.getMessage());
        assertNotEquals(Limits.DEFAULT, Limits.DEFAULT.withMaxCnameHops(3));
    }

    @Test
    void tightSignatureBudgetEndsInWorkLimitNotAHang() {
        try (ValidatingResolver r =
                resolverFor(world).limits(Limits.DEFAULT.withMaxSignatureChecks(2)).build()) {
            assertEquals(
                    Reason.WORK_LIMIT_EXCEEDED,
                    bogus(r.resolve("www.example.test.", Type.A)).reason());
        }
    }

    @Test
    void cnameHopLimitEndsInChainTooLong() {
        try (ValidatingResolver r =
                resolverFor(world).limits(Limits.DEFAULT.withMaxCnameHops(0)).build()) {
            assertEquals(
                    Reason.CHAIN_TOO_LONG,
                    bogus(r.resolve("alias.example.test.", Type.A)).reason());
        }
    }

    @Test
    void tcpOnlyResolverUsesOnlyTcp() {
        var server = world.newServer();
        try (ValidatingResolver r =
                ValidatingResolver.builder()
                        .upstream(server.address())
                        .tcpOnly()
                        .trustAnchors(TrustAnchors.of(world.trustAnchors()))
                        .clock(CLOCK)
                        .build()) {
            assertEquals(Status.SECURE, r.resolve("www.example.test.", Type.A).status());
            assertEquals(0, server.log().count(q -> q.transport() == Transport.UDP));
        } finally {
            server.close();
        }
    }

    static Consumer<ZoneBuilder> noop() {
        return z -> {};
    }
}
