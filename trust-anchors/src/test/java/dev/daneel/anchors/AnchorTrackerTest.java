package dev.daneel.anchors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.anchors.AnchorTracker.Outcome;
import dev.daneel.anchors.TestKeys.SigningKey;
import dev.daneel.testkit.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;

/** The tracker fed with DNSKEY RRsets signed in code, on a clock moved by hand. */
class AnchorTrackerTest {

    static final Name ROOT = Name.root;
    static final long TTL = 172800;

    final TestClock clock = new TestClock(Instant.parse("2026-07-01T00:00:00Z"));
    final SigningKey old = TestKeys.ksk(ROOT, TTL);
    final SigningKey next = TestKeys.ksk(ROOT, TTL);
    final SigningKey zsk = TestKeys.zsk(ROOT, TTL);

    RRset rrset(List<SigningKey> published, List<SigningKey> signers) {
        Instant now = clock.instant();
        return TestKeys.dnskeys(
                published, signers, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(21)));
    }

    AnchorTracker trackerFromDs() {
        return AnchorTracker.builder().clock(clock).initial(TrustAnchors.of(old.ds())).build();
    }

    Set<Integer> trustedTags(AnchorTracker t) {
        return t.anchor(ROOT)
                .map(
                        a ->
                                a.keys().stream()
                                        .map(DNSKEYRecord::getFootprint)
                                        .collect(Collectors.toSet()))
                .orElse(Set.of());
    }

    AnchorState state(AnchorTracker t, int tag) {
        return t.state(ROOT).orElseThrow().keys().stream()
                .filter(k -> k.keyTag() == tag)
                .findFirst()
                .map(TrustPointState.Key::state)
                .orElse(AnchorState.REMOVED);
    }

    /**
     * The 2026–2027 root roll in fast-forward: new KSK published, held down, trusted; old KSK
     * revoked, removed.
     */
    @Test
    void rootKeyRollFromDsAnchorEndsTrustingOnlyTheNewKey() {
        AnchorTracker t = trackerFromDs();
        assertEquals(
                Outcome.VALIDATED,
                t.onDnskeyResponse(rrset(List.of(old, zsk), List.of(old))).outcome());
        assertEquals(
                Set.of(old.tag()), trustedTags(t), "the DS anchor is replaced by the key it names");
        assertTrue(
                t.state(ROOT).orElseThrow().keys().stream().noneMatch(TrustPointState.Key::isDs));

        // the new KSK is published, signed by the old one; probed daily through the hold-down,
        // which ends
        // more than 30 days after the first sighting (day 1), so at the probe of day 32
        for (int day = 1; day <= 32; day++) {
            clock.advance(Duration.ofDays(1));
            assertEquals(
                    Outcome.VALIDATED,
                    t.onDnskeyResponse(rrset(List.of(old, next, zsk), List.of(old))).outcome());
            if (day <= 31) {
                assertEquals(AnchorState.ADD_PEND, state(t, next.tag()), "day " + day);
                assertEquals(
                        Set.of(old.tag()),
                        trustedTags(t),
                        "a pending key is not trusted yet (day " + day + ")");
            }
        }
        assertEquals(AnchorState.VALID, state(t, next.tag()));
        assertEquals(Set.of(old.tag(), next.tag()), trustedTags(t));

        // the roll: the new key signs alone
        clock.advance(Duration.ofDays(1));
        assertEquals(
                Outcome.VALIDATED,
                t.onDnskeyResponse(rrset(List.of(old, next, zsk), List.of(next))).outcome());

        // the old key is revoked and signs the RRset as revoked
        clock.advance(Duration.ofDays(1));
        SigningKey revoked = old.revoked();
        AnchorTracker.Result r =
                t.onDnskeyResponse(rrset(List.of(revoked, next, zsk), List.of(next, revoked)));
        assertEquals(Outcome.VALIDATED, r.outcome());
        assertTrue(r.changed());
        assertEquals(AnchorState.REVOKED, state(t, revoked.tag()));
        assertEquals(Set.of(next.tag()), trustedTags(t));

        // 31 days without the revoked key: it is forgotten
        for (int day = 1; day <= 31; day++) {
            clock.advance(Duration.ofDays(1));
            t.onDnskeyResponse(rrset(List.of(next, zsk), List.of(next)));
        }
        assertEquals(1, t.state(ROOT).orElseThrow().keys().size());
        assertEquals(Set.of(next.tag()), trustedTags(t));
    }

    @Test
    void revokeBitWithoutTheKeysOwnSignatureRevokesNothing() {
        AnchorTracker t =
                AnchorTracker.builder()
                        .clock(clock)
                        .initial(TrustAnchors.of(old.dnskey(), next.dnskey()))
                        .build();
        t.onDnskeyResponse(rrset(List.of(old, next), List.of(old, next)));
        clock.advance(Duration.ofDays(1));
        // someone publishes old with the REVOKE bit but only next signs: not a revocation (RFC 5011
        // §2.1)
        t.onDnskeyResponse(rrset(List.of(old.revoked(), next), List.of(next)));
        assertEquals(
                AnchorState.MISSING,
                state(t, old.tag()),
                "absent without its revocation proof: Missing, still trusted");
        assertTrue(trustedTags(t).contains(old.tag()));
    }

    @Test
    void selfSignedRevocationCountsEvenWhenTheRRsetDoesNotValidate() {
        AnchorTracker t =
                AnchorTracker.builder()
                        .clock(clock)
                        .initial(TrustAnchors.of(old.dnskey(), next.dnskey()))
                        .build();
        SigningKey stranger = TestKeys.ksk(ROOT, TTL);
        AnchorTracker.Result r =
                t.onDnskeyResponse(
                        rrset(List.of(old.revoked(), stranger), List.of(old.revoked(), stranger)));
        assertEquals(Outcome.NOT_VALIDATED, r.outcome());
        assertEquals(AnchorState.REVOKED, state(t, old.revoked().tag()));
        assertEquals(Set.of(next.tag()), trustedTags(t));
        assertTrue(
                t.state(ROOT).orElseThrow().keys().stream()
                        .noneMatch(k -> k.keyTag() == stranger.tag()),
                "keys from an RRset that does not validate are not added");
    }

    @Test
    void revokingEveryKeyRevokesTheTrustPoint() {
        AnchorTracker t =
                AnchorTracker.builder().clock(clock).initial(TrustAnchors.of(old.dnskey())).build();
        AnchorTracker.Result r =
                t.onDnskeyResponse(
                        rrset(List.of(old.revoked(), next), List.of(old.revoked(), next)));
        assertEquals(Outcome.TRUST_POINT_REVOKED, r.outcome());
        assertEquals(Optional.empty(), t.anchor(ROOT));
        assertEquals(Optional.empty(), t.nextProbe(ROOT));
        assertTrue(t.due().isEmpty());
        clock.advance(Duration.ofDays(40));
        assertEquals(
                Outcome.TRUST_POINT_REVOKED,
                t.onDnskeyResponse(rrset(List.of(next), List.of(next))).outcome(),
                "a revoked trust point stays revoked until reconfigured");
    }

    @Test
    void unsignedOrWronglySignedRRsetChangesNothingAndRetriesSooner() {
        AnchorTracker t = trackerFromDs();
        t.onDnskeyResponse(rrset(List.of(old, zsk), List.of(old)));
        TrustPointState before = t.state(ROOT).orElseThrow();
        clock.advance(Duration.ofDays(1));
        AnchorTracker.Result r = t.onDnskeyResponse(rrset(List.of(old, next, zsk), List.of(next)));
        assertEquals(Outcome.NOT_VALIDATED, r.outcome());
        assertFalse(r.changed());
        TrustPointState after = t.state(ROOT).orElseThrow();
        assertEquals(before.keys(), after.keys());
        assertEquals(1, after.queryFailed());
        assertEquals(Optional.of(clock.instant().plus(after.retryInterval())), r.nextProbe());
    }

    @Test
    void expiredSignaturesDoNotValidate() {
        AnchorTracker t = trackerFromDs();
        Instant now = clock.instant();
        RRset stale =
                TestKeys.dnskeys(
                        List.of(old),
                        List.of(old),
                        now.minus(Duration.ofDays(30)),
                        now.minus(Duration.ofDays(1)));
        assertEquals(Outcome.NOT_VALIDATED, t.onDnskeyResponse(stale).outcome());
    }

    @Test
    void intervalsFollowRfc5011Section2Point3() {
        AnchorTracker t = trackerFromDs();
        AnchorTracker.Result r = t.onDnskeyResponse(rrset(List.of(old, zsk), List.of(old)));
        TrustPointState s = t.state(ROOT).orElseThrow();
        // OrigTTL 2 days, signatures expire in 21 days: refresh MIN(15d, 1d, 10.5d) = 1 day, retry
        // 4.8 hours
        assertEquals(Duration.ofDays(1), s.queryInterval());
        assertEquals(Duration.ofSeconds(17280), s.retryInterval());
        assertEquals(Optional.of(clock.instant().plus(Duration.ofDays(1))), r.nextProbe());
        assertTrue(t.due().isEmpty());
        clock.advance(Duration.ofDays(1));
        assertEquals(List.of(ROOT), t.due());
        assertEquals(Outcome.NO_ANSWER, t.onProbeFailed(ROOT).outcome());
        assertEquals(Optional.of(clock.instant().plusSeconds(17280)), t.nextProbe(ROOT));
    }

    @Test
    void sha1DsIsIgnoredWhenTheAnchorAlsoHasSha256() {
        DSRecord sha1 = new DSRecord(ROOT, DClass.IN, TTL, DNSSEC.Digest.SHA1, old.dnskey());
        AnchorTracker t =
                AnchorTracker.builder()
                        .clock(clock)
                        .initial(TrustAnchors.of(sha1, next.ds()))
                        .build();
        assertEquals(
                Outcome.NOT_VALIDATED,
                t.onDnskeyResponse(rrset(List.of(old, zsk), List.of(old))).outcome(),
                "RFC 4509 §3: with a SHA-256 DS present, a SHA-1 DS does not count");
        AnchorTracker sha1Only =
                AnchorTracker.builder().clock(clock).initial(TrustAnchors.of(sha1)).build();
        assertEquals(
                Outcome.VALIDATED,
                sha1Only.onDnskeyResponse(rrset(List.of(old, zsk), List.of(old))).outcome());
    }

    @Test
    void untrackedZoneIsReportedNotGuessed() {
        AnchorTracker t = trackerFromDs();
        SigningKey other = TestKeys.ksk(Name.fromConstantString("example."), TTL);
        assertEquals(
                Outcome.NOT_TRACKED,
                t.onDnskeyResponse(
                                TestKeys.dnskeys(
                                        List.of(other),
                                        List.of(other),
                                        clock.instant(),
                                        clock.instant().plusSeconds(3600)))
                        .outcome());
    }

    @Test
    void resumedStatesWinOverInitialAnchorsOfTheSameZone() {
        AnchorTracker first = trackerFromDs();
        first.onDnskeyResponse(rrset(List.of(old, zsk), List.of(old)));
        AnchorTracker second =
                AnchorTracker.builder()
                        .clock(clock)
                        .initial(TrustAnchors.of(next.ds()))
                        .resume(first.states())
                        .build();
        assertEquals(Set.of(old.tag()), trustedTags(second));
        assertThrows(IllegalStateException.class, () -> AnchorTracker.builder().build());
    }
}
