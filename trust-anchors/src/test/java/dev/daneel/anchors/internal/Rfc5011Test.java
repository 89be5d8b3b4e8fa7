package dev.daneel.anchors.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.anchors.AnchorState;
import dev.daneel.anchors.TrustPointState.Key;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** RFC 5011 §4's transition table, one event at a time, with a fixed clock. */
class Rfc5011Test {

    static final String KSK_2017 =
            "AwEAAaz/tAm8yTn4Mfeh5eyI96WSVexTBAvkMgJzkKTOiW1vkIbzxeF3+/4RgWOq7HrxRixHlFlExOLAJr5emLvN7SWXgnLh4+B5xQlNVz8Og8kvArMtNROxVQuCaSnIDdD5LKyWbRd2n9WGe2R8PzgCmr3EgVLrjyBxWezF0jLHwVN8efS3rCj/EWgvIWgb9tarpVUDK/b58Da+sqqls3eNbuv7pr+eoZG+SrDK6nWeL3c6H5Apxz7LjVc1uTIdsIXxuOLYA4/ilBmSVIzuDWfdRUfhHdY6+cn8HFRm+2hM8AnXGXws9555KrUB5qihylGa8subX2Nn6UwNR1AkUTV74bU=";
    static final String KSK_2024 =
            "AwEAAa96jeuknZlaeSrvyAJj6ZHv28hhOKkx3rLGXVaC6rXTsDc449/cidltpkyGwCJNnOAlFNKF2jBosZBU5eeHspaQWOmOElZsjICMQMC3aeHbGiShvZsx4wMYSjH8e7Vrhbu6irwCzVBApESjbUdpWWmEnhathWu1jo+siFUiRAAxm9qyJNg/wOZqqzL/dL/q8PkcRU5oUKEpUge71M3ej2/7CPqpdVwuMoTvoB+ZOT4YeGyxMvHmbrxlFzGOHOijtzN+u1TQNatX2XBuzZNQ1K+s2CXkPIZo7s6JgZyvaBevYtxPvYLw4z9mR7K2vaF18UYH9Z9GNUUeayffKC73PYc=";

    static final Name ROOT = Name.root;
    static final Instant T0 = Instant.parse("2026-10-11T00:00:00Z");

    static DNSKEYRecord rootKey(String base64, long ttl) throws Exception {
        return (DNSKEYRecord)
                Record.fromString(ROOT, Type.DNSKEY, DClass.IN, ttl, "257 3 8 " + base64, ROOT);
    }

    static Key key(AnchorState s, int count, Instant lastChange) throws Exception {
        return new Key(rootKey(KSK_2024, 172800), s, count, Optional.ofNullable(lastChange));
    }

    @Test
    void newKeyStartsTheAddHoldDown() throws Exception {
        Key k = Rfc5011.newKey(ROOT, key(AnchorState.START, 1, null), T0);
        assertEquals(AnchorState.ADD_PEND, k.state());
        assertEquals(Optional.of(T0), k.lastChange());
        Key valid = key(AnchorState.VALID, 0, T0);
        assertSame(
                valid,
                Rfc5011.newKey(ROOT, valid, T0.plusSeconds(5)),
                "NewKey applies only to Start");
    }

    @Test
    void addTimeNeedsThirtyDaysAndTwoSightings() throws Exception {
        Key pending = key(AnchorState.ADD_PEND, 2, T0);
        assertSame(
                pending,
                Rfc5011.addTime(ROOT, pending, T0.plus(Duration.ofDays(30))),
                "exactly 30 days is not past the hold-down");
        Key valid = Rfc5011.addTime(ROOT, pending, T0.plus(Duration.ofDays(30)).plusSeconds(1));
        assertEquals(AnchorState.VALID, valid.state());
        assertEquals(0, valid.pendingCount());
        assertEquals(Optional.of(T0.plus(Duration.ofDays(30)).plusSeconds(1)), valid.lastChange());

        Key seenOnce = key(AnchorState.ADD_PEND, 1, T0);
        assertSame(
                seenOnce,
                Rfc5011.addTime(ROOT, seenOnce, T0.plus(Duration.ofDays(90))),
                "a key seen in one RRset only is not trusted, however long ago");
    }

    @Test
    void addHoldDownIsTheOriginalTtlWhenLongerThanThirtyDays() throws Exception {
        Key longTtl =
                new Key(
                        rootKey(KSK_2024, Duration.ofDays(40).toSeconds()),
                        AnchorState.ADD_PEND,
                        5,
                        Optional.of(T0));
        assertEquals(Duration.ofDays(40), Rfc5011.addHoldDown(longTtl));
        assertSame(longTtl, Rfc5011.addTime(ROOT, longTtl, T0.plus(Duration.ofDays(35))));
        assertEquals(
                AnchorState.VALID,
                Rfc5011.addTime(ROOT, longTtl, T0.plus(Duration.ofDays(41))).state());
        assertEquals(Duration.ofDays(30), Rfc5011.addHoldDown(key(AnchorState.ADD_PEND, 0, T0)));
    }

    @Test
    void keyRemovedSendsPendingBackToStartAndValidToMissing() throws Exception {
        Key start = Rfc5011.keyRemoved(ROOT, key(AnchorState.ADD_PEND, 3, T0), T0.plusSeconds(60));
        assertEquals(AnchorState.START, start.state());
        assertEquals(0, start.pendingCount());
        assertEquals(
                AnchorState.MISSING,
                Rfc5011.keyRemoved(ROOT, key(AnchorState.VALID, 0, T0), T0).state());
        Key revoked = key(AnchorState.REVOKED, 0, T0);
        assertSame(revoked, Rfc5011.keyRemoved(ROOT, revoked, T0));
    }

    @Test
    void keyPresentBringsMissingBack() throws Exception {
        Key back =
                Rfc5011.keyPresent(
                        ROOT, key(AnchorState.MISSING, 0, T0), T0.plus(Duration.ofDays(3)));
        assertEquals(AnchorState.VALID, back.state());
        assertTrue(back.state().trusted());
        assertTrue(AnchorState.MISSING.trusted(), "a Missing key still validates (RFC 5011 §4)");
    }

    @Test
    void revokingKsk2017ChangesItsKeyTagFrom20326To20454() throws Exception {
        Key k2017 = new Key(rootKey(KSK_2017, 172800), AnchorState.VALID, 0, Optional.of(T0));
        assertEquals(20326, k2017.keyTag());
        Key revoked = Rfc5011.revoked(ROOT, k2017, T0.plus(Duration.ofDays(90)));
        assertEquals(AnchorState.REVOKED, revoked.state());
        assertEquals(20454, revoked.keyTag());
        assertEquals(257 | 0x0080, ((DNSKEYRecord) revoked.record()).getFlags());
        assertFalse(revoked.state().trusted());
    }

    @Test
    void revokingKsk2024ChangesItsKeyTagFrom38696To38824() throws Exception {
        Key k2024 = new Key(rootKey(KSK_2024, 172800), AnchorState.MISSING, 0, Optional.of(T0));
        assertEquals(38696, k2024.keyTag());
        assertEquals(38824, Rfc5011.revoked(ROOT, k2024, T0).keyTag());
    }

    @Test
    void onlyValidAndMissingKeysCanBeRevoked() throws Exception {
        Key pending = key(AnchorState.ADD_PEND, 1, T0);
        assertSame(pending, Rfc5011.revoked(ROOT, pending, T0));
    }

    @Test
    void revokedKeyIsRemovedThirtyDaysAfterItWasLastSeen() throws Exception {
        Key revoked = key(AnchorState.REVOKED, 0, T0);
        assertSame(revoked, Rfc5011.removeTime(ROOT, revoked, T0.plus(Duration.ofDays(30))));
        assertEquals(
                AnchorState.REMOVED,
                Rfc5011.removeTime(ROOT, revoked, T0.plus(Duration.ofDays(30)).plusSeconds(1))
                        .state());
        Key seenAgain = Rfc5011.revokedStillPublished(ROOT, revoked, T0.plus(Duration.ofDays(29)));
        assertSame(seenAgain.state(), AnchorState.REVOKED);
        assertEquals(
                AnchorState.REVOKED,
                Rfc5011.removeTime(ROOT, seenAgain, T0.plus(Duration.ofDays(31))).state(),
                "still being published restarts the remove hold-down");
    }

    @Test
    void clockGoingBackwardsNeverCompletesAHoldDown() throws Exception {
        assertFalse(
                Rfc5011.holdDownElapsed(
                        key(AnchorState.ADD_PEND, 2, T0), Duration.ZERO, T0.minusSeconds(1)));
    }

    @Test
    void refreshIntervalIsHalfTheTtlOrExpiryBetweenOneHourAndFifteenDays() {
        // RFC 5011 §2.3: MAX(1 hour, MIN(15 days, 1/2 OrigTTL, 1/2 RRSigExpirationInterval))
        assertEquals(
                Duration.ofDays(1),
                Rfc5011.activeRefresh(Duration.ofDays(2), Optional.of(Duration.ofDays(21))));
        assertEquals(
                Duration.ofSeconds(5400),
                Rfc5011.activeRefresh(Duration.ofSeconds(10800), Optional.of(Duration.ofDays(31))));
        assertEquals(
                Duration.ofHours(3),
                Rfc5011.activeRefresh(Duration.ofDays(2), Optional.of(Duration.ofHours(6))));
        assertEquals(
                Duration.ofDays(15), Rfc5011.activeRefresh(Duration.ofDays(60), Optional.empty()));
        assertEquals(
                Duration.ofHours(1),
                Rfc5011.activeRefresh(Duration.ofSeconds(300), Optional.of(Duration.ofDays(10))));
    }

    @Test
    void retryIntervalIsATenthOfTheTtlOrExpiryBetweenOneHourAndOneDay() {
        // RFC 5011 §2.3: MAX(1 hour, MIN(1 day, 1/10 OrigTTL, 1/10 RRSigExpirationInterval))
        assertEquals(
                Duration.ofSeconds(17280),
                Rfc5011.retry(Duration.ofDays(2), Optional.of(Duration.ofDays(21))));
        assertEquals(
                Duration.ofHours(1), Rfc5011.retry(Duration.ofSeconds(10800), Optional.empty()));
        assertEquals(
                Duration.ofDays(1),
                Rfc5011.retry(Duration.ofDays(30), Optional.of(Duration.ofDays(30))));
        assertEquals(
                Duration.ofHours(2),
                Rfc5011.retry(Duration.ofDays(30), Optional.of(Duration.ofHours(20))));
    }

    @Test
    void everyTransitionIsLogged() throws Exception {
        java.util.logging.Logger log =
                java.util.logging.Logger.getLogger("dev.daneel.anchors.rfc5011");
        java.util.List<String> seen = new java.util.ArrayList<>();
        java.util.logging.Handler h =
                new java.util.logging.Handler() {
                    @Override
                    public void publish(java.util.logging.LogRecord r) {
                        seen.add(r.getMessage());
                    }

                    @Override
                    public void flush() {}

                    @Override
                    public void close() {}
                };
        java.util.logging.Level before = log.getLevel();
        log.setLevel(java.util.logging.Level.INFO);
        log.addHandler(h);
        try {
            Key pending = Rfc5011.newKey(ROOT, key(AnchorState.START, 1, null), T0);
            Rfc5011.keyRemoved(ROOT, pending, T0.plusSeconds(1));
        } finally {
            log.removeHandler(h);
            log.setLevel(before);
        }
        assertEquals(2, seen.size(), seen.toString());
        assertTrue(
                seen.get(0).startsWith("RFC 5011 . key 38696/8: START -> ADD_PEND ("), seen.get(0));
        assertTrue(
                seen.get(1).startsWith("RFC 5011 . key 38696/8: ADD_PEND -> START ("), seen.get(1));
    }

    @Test
    void sameKeyIgnoringRevokeMatchesOnlyTheFlagDifference() throws Exception {
        DNSKEYRecord k = rootKey(KSK_2017, 0);
        assertTrue(Rfc5011.sameKeyIgnoringRevoke(k, Rfc5011.withRevokeBit(k)));
        assertFalse(Rfc5011.sameKeyIgnoringRevoke(k, rootKey(KSK_2024, 0)));
    }
}
