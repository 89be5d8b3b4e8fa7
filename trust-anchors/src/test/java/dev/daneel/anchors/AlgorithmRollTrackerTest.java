package dev.daneel.anchors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.anchors.AnchorTracker.Outcome;
import dev.daneel.anchors.TestKeys.SigningKey;
import dev.daneel.testkit.TestClock;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;

/**
 * RFC 5011 across a root KSK algorithm roll (RSA/SHA-256 to ECDSA P-256, RFC 6781 §4.1.4): a KSK of
 * another supported algorithm is held down and trusted exactly as a same-algorithm KSK; a
 * double-signed DNSKEY RRset whose signature of one algorithm is missing or invalid still validates
 * with the other; keys of algorithms Daneel does not validate are reported and never trusted. Fixed
 * clock moved by hand.
 */
class AlgorithmRollTrackerTest {

    static final Name ROOT = Name.root;
    static final long TTL = 172800;

    final TestClock clock = new TestClock(Instant.parse("2027-10-01T00:00:00Z"));
    final SigningKey rsaKsk = key(257, DNSSEC.Algorithm.RSASHA256, "RSA", 1024);
    final SigningKey rsaZsk = key(256, DNSSEC.Algorithm.RSASHA256, "RSA", 1024);
    final SigningKey ecKsk = TestKeys.ksk(ROOT, TTL);
    final SigningKey ecZsk = TestKeys.zsk(ROOT, TTL);

    static SigningKey key(int flags, int algorithm, String jca, int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(jca);
            g.initialize(bits);
            KeyPair kp = g.generateKeyPair();
            return new SigningKey(
                    new DNSKEYRecord(ROOT, DClass.IN, TTL, flags, 3, algorithm, kp.getPublic()),
                    kp.getPrivate());
        } catch (GeneralSecurityException | DNSSEC.DNSSECException e) {
            throw new IllegalStateException(e);
        }
    }

    RRset rrset(List<SigningKey> published, List<SigningKey> signers) {
        Instant now = clock.instant();
        return TestKeys.dnskeys(
                published, signers, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(21)));
    }

    AnchorTracker trackingRsa() {
        return AnchorTracker.builder().clock(clock).initial(TrustAnchors.of(rsaKsk.ds())).build();
    }

    static AnchorState state(AnchorTracker t, SigningKey k) {
        return t.state(ROOT).orElseThrow().keys().stream()
                .filter(x -> x.keyTag() == k.tag() && x.algorithm() == k.dnskey().getAlgorithm())
                .findFirst()
                .map(TrustPointState.Key::state)
                .orElse(AnchorState.REMOVED);
    }

    static Set<Integer> trustedAlgorithms(AnchorTracker t) {
        return t.anchor(ROOT).orElseThrow().keys().stream()
                .map(DNSKEYRecord::getAlgorithm)
                .collect(Collectors.toSet());
    }

    @Test
    void aKskOfAnotherAlgorithmIsHeldDownAndTrustedExactlyLikeASameAlgorithmKsk() {
        SigningKey rsaNext = key(257, DNSSEC.Algorithm.RSASHA256, "RSA", 1024);
        AnchorTracker t = trackingRsa();
        assertEquals(
                Outcome.VALIDATED,
                t.onDnskeyResponse(rrset(List.of(rsaKsk, rsaZsk), List.of(rsaKsk))).outcome());
        // double-signed root: both KSKs sign the DNSKEY RRset; a same-algorithm newcomer appears at
        // the same time
        List<SigningKey> published = List.of(rsaKsk, rsaNext, ecKsk, rsaZsk, ecZsk);
        List<SigningKey> signers = List.of(rsaKsk, ecKsk);
        clock.advance(Duration.ofDays(1));
        t.onDnskeyResponse(rrset(published, signers));
        assertEquals(AnchorState.ADD_PEND, state(t, ecKsk));
        assertEquals(AnchorState.ADD_PEND, state(t, rsaNext));
        List<AnchorState> ecdsa = new ArrayList<>();
        List<AnchorState> rsa = new ArrayList<>();
        for (int day = 5; day <= 40; day += 5) {
            clock.advance(Duration.ofDays(5));
            assertEquals(
                    Outcome.VALIDATED,
                    t.onDnskeyResponse(rrset(published, signers)).outcome(),
                    "day " + day);
            ecdsa.add(state(t, ecKsk));
            rsa.add(state(t, rsaNext));
        }
        assertEquals(
                rsa,
                ecdsa,
                "the ECDSA KSK moves through the states on the same days as the RSA one");
        assertEquals(AnchorState.ADD_PEND, ecdsa.get(4), "day 25: still held down");
        assertEquals(AnchorState.VALID, ecdsa.get(ecdsa.size() - 1), "past 30 days: trusted");
        assertEquals(
                Set.of(DNSSEC.Algorithm.RSASHA256, DNSSEC.Algorithm.ECDSAP256SHA256),
                trustedAlgorithms(t));
    }

    @Test
    void aDoubleSignedRRsetMissingOneAlgorithmsSignatureStillValidates() {
        AnchorTracker t = trackingRsa();
        t.onDnskeyResponse(rrset(List.of(rsaKsk, rsaZsk), List.of(rsaKsk)));
        List<SigningKey> published = List.of(rsaKsk, ecKsk, rsaZsk, ecZsk);
        // while the ECDSA KSK is pending, only the RSA KSK is trusted: an RRset without the ECDSA
        // signature validates
        clock.advance(Duration.ofDays(1));
        assertEquals(
                Outcome.VALIDATED, t.onDnskeyResponse(rrset(published, List.of(rsaKsk))).outcome());
        for (int i = 0; i < 7; i++) {
            clock.advance(Duration.ofDays(5));
            List<SigningKey> signers = i % 2 == 0 ? List.of(rsaKsk) : List.of(rsaKsk, ecKsk);
            assertEquals(
                    Outcome.VALIDATED, t.onDnskeyResponse(rrset(published, signers)).outcome());
        }
        assertEquals(AnchorState.VALID, state(t, ecKsk));

        // both trusted: the RRset validates with either algorithm alone (RFC 6840 §5.11)
        clock.advance(Duration.ofDays(1));
        assertEquals(
                Outcome.VALIDATED, t.onDnskeyResponse(rrset(published, List.of(ecKsk))).outcome());
        clock.advance(Duration.ofDays(1));
        assertEquals(
                Outcome.VALIDATED, t.onDnskeyResponse(rrset(published, List.of(rsaKsk))).outcome());

        // an expired ECDSA signature beside a good RSA one: the bad one is ignored, the trust point
        // stays
        clock.advance(Duration.ofDays(1));
        RRset mixed = rrset(published, List.of(rsaKsk));
        Instant now = clock.instant();
        mixed.addRR(
                sign(mixed, ecKsk, now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(9))));
        assertEquals(Outcome.VALIDATED, t.onDnskeyResponse(mixed).outcome());
        assertEquals(AnchorState.VALID, state(t, ecKsk));
        assertEquals(AnchorState.VALID, state(t, rsaKsk));

        // ECDSA alone signs while the RSA KSK is still published but signs nothing: both stay
        // trusted
        clock.advance(Duration.ofDays(1));
        assertEquals(
                Outcome.VALIDATED, t.onDnskeyResponse(rrset(published, List.of(ecKsk))).outcome());
        assertEquals(AnchorState.VALID, state(t, rsaKsk));
        // then the RSA KSK is revoked beside the valid ECDSA KSK, then removed: only ECDSA is left
        clock.advance(Duration.ofDays(1));
        assertEquals(
                Outcome.VALIDATED,
                t.onDnskeyResponse(
                                rrset(
                                        List.of(rsaKsk.revoked(), ecKsk, ecZsk),
                                        List.of(rsaKsk.revoked(), ecKsk)))
                        .outcome());
        assertEquals(Set.of(DNSSEC.Algorithm.ECDSAP256SHA256), trustedAlgorithms(t));
        clock.advance(Duration.ofDays(1));
        assertEquals(
                Outcome.VALIDATED,
                t.onDnskeyResponse(rrset(List.of(ecKsk, ecZsk), List.of(ecKsk))).outcome());
        assertEquals(Set.of(DNSSEC.Algorithm.ECDSAP256SHA256), trustedAlgorithms(t));
    }

    static RRSIGRecord sign(RRset set, SigningKey k, Instant inception, Instant expiration) {
        RRset plain = new RRset();
        set.rrs(false).forEach(plain::addRR);
        try {
            return DNSSEC.sign(plain, k.dnskey(), k.privateKey(), inception, expiration);
        } catch (DNSSEC.DNSSECException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void keysOfAlgorithmsDaneelDoesNotValidateAreReportedAndNeverTrusted() {
        SigningKey md5 = key(257, DNSSEC.Algorithm.RSAMD5, "RSA", 1024);
        SigningKey dsa = key(257, DNSSEC.Algorithm.DSA, "DSA", 1024);
        SigningKey dsaNsec3 = key(257, DNSSEC.Algorithm.DSA_NSEC3_SHA1, "DSA", 1024);
        byte[] gostBytes = new byte[64];
        new Random(12).nextBytes(gostBytes);
        SigningKey gost =
                new SigningKey(
                        new DNSKEYRecord(
                                ROOT, DClass.IN, TTL, 257, 3, DNSSEC.Algorithm.ECC_GOST, gostBytes),
                        null);
        List<SigningKey> published = List.of(ecKsk, md5, dsa, dsaNsec3, gost, ecZsk);
        List<SigningKey> signers =
                List.of(ecKsk, md5, dsa, dsaNsec3); // every key that can sign does
        AnchorTracker t =
                AnchorTracker.builder().clock(clock).initial(TrustAnchors.of(ecKsk.ds())).build();
        for (int day = 0; day <= 60; day += 5) {
            AnchorTracker.Result r = t.onDnskeyResponse(rrset(published, signers));
            assertEquals(Outcome.VALIDATED, r.outcome());
            assertEquals(
                    Set.of(1, 3, 6, 12),
                    r.unsupportedKeys().stream()
                            .map(DNSKEYRecord::getAlgorithm)
                            .collect(Collectors.toSet()),
                    "day " + day + ": every unsupported key is reported");
            assertEquals(
                    Set.of(DNSSEC.Algorithm.ECDSAP256SHA256),
                    t.state(ROOT).orElseThrow().keys().stream()
                            .map(TrustPointState.Key::algorithm)
                            .collect(Collectors.toSet()),
                    "day " + day + ": only the ECDSA key is tracked");
            clock.advance(Duration.ofDays(5));
        }
        assertEquals(Set.of(DNSSEC.Algorithm.ECDSAP256SHA256), trustedAlgorithms(t));
    }

    @Test
    void aConfiguredDsOfAnUnsupportedAlgorithmNeverValidatesTheRRset() {
        SigningKey dsa = key(257, DNSSEC.Algorithm.DSA, "DSA", 1024);
        AnchorTracker t =
                AnchorTracker.builder().clock(clock).initial(TrustAnchors.of(dsa.ds())).build();
        AnchorTracker.Result r =
                t.onDnskeyResponse(rrset(List.of(dsa, ecKsk, ecZsk), List.of(dsa, ecKsk)));
        assertEquals(
                Outcome.NOT_VALIDATED,
                r.outcome(),
                "a DSA signature does not make the RRset trusted");
        assertTrue(
                t.state(ROOT).orElseThrow().keys().stream()
                        .noneMatch(
                                k ->
                                        k.algorithm() == DNSSEC.Algorithm.ECDSAP256SHA256
                                                && !k.isDs()),
                "nothing was learnt from the unvalidated RRset");
    }
}
