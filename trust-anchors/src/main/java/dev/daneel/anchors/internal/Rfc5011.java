package dev.daneel.anchors.internal;

import dev.daneel.anchors.AnchorState;
import dev.daneel.anchors.TrustPointState.Key;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;

/**
 * RFC 5011 §4 as its transition table: one pure function per event, each taking a key and the time
 * and returning the key in its next state (or the same key when the event does not apply to its
 * state).
 *
 * <pre>
 *   Start   --NewKey--&gt;  AddPend  --AddTime--&gt; Valid  --KeyRem--&gt; Missing
 *   AddPend --KeyRem--&gt;  Start              Missing --KeyPres--&gt; Valid
 *   Valid, Missing --RevBit--&gt; Revoked --RemTime--&gt; Removed
 * </pre>
 *
 * <p>Every transition is logged at INFO on the logger {@code dev.daneel.anchors.rfc5011}. The
 * sequencing of events for one DNSKEY RRset lives in {@link ProbeProcessor}.
 */
public final class Rfc5011 {

    /**
     * RFC 5011 §2.4.1: a new key is trusted after 30 days (or the RRset's original TTL, if longer).
     */
    public static final Duration ADD_HOLD_DOWN = Duration.ofDays(30);

    /** RFC 5011 §2.4.2: a revoked key is forgotten 30 days after it was last seen. */
    public static final Duration REMOVE_HOLD_DOWN = Duration.ofDays(30);

    /**
     * How long a Missing key is kept while another key is Valid. RFC 5011 never forgets a Missing
     * key; like Unbound's {@code keep-missing} default (366 days) the list stops growing after a
     * year.
     */
    public static final Duration KEEP_MISSING = Duration.ofDays(366);

    /**
     * A pending key must have been seen in at least this many validated DNSKEY RRsets before the
     * add hold-down can make it Valid: once when the hold-down starts and once more during it (RFC
     * 5011 §2.4.1 wants the key present for the whole hold-down; Unbound's {@code
     * MIN_PENDINGCOUNT}).
     */
    public static final int MIN_PENDING_COUNT = 2;

    /** Pending counts stop here; the value only has to reach {@link #MIN_PENDING_COUNT}. */
    public static final int MAX_PENDING_COUNT = 250;

    /** RFC 5011 §2.3: refresh at least every 15 days. */
    public static final Duration MAX_QUERY_INTERVAL = Duration.ofDays(15);

    /** RFC 5011 §2.3: retry a failed refresh at least once a day. */
    public static final Duration MAX_RETRY_INTERVAL = Duration.ofDays(1);

    /** RFC 5011 §2.3: never refresh or retry more often than hourly. */
    public static final Duration MIN_INTERVAL = Duration.ofHours(1);

    /** RFC 5011 §3: the REVOKE flag, bit 8 of the DNSKEY flags (0x0080). */
    public static final int REVOKE = DNSKEYRecord.Flags.REVOKE;

    private static final Logger LOG = System.getLogger("dev.daneel.anchors.rfc5011");

    private Rfc5011() {}

    // ---- events (RFC 5011 §4.1) ----

    /** NewKey: a key not seen before is in a validated DNSKEY RRset. Start → AddPend. */
    public static Key newKey(Name zone, Key k, Instant now) {
        return k.state() == AnchorState.START
                ? move(
                        zone,
                        k,
                        AnchorState.ADD_PEND,
                        now,
                        "new key in a validated DNSKEY RRset; add hold-down starts")
                : k;
    }

    /**
     * AddTime: the add hold-down has passed and the key was seen often enough. AddPend → Valid,
     * with the pending count reset.
     */
    public static Key addTime(Name zone, Key k, Instant now) {
        if (k.state() != AnchorState.ADD_PEND || !holdDownElapsed(k, addHoldDown(k), now)) {
            return k;
        }
        if (k.pendingCount() < MIN_PENDING_COUNT) {
            LOG.log(
                    Level.DEBUG,
                    () ->
                            zone
                                    + " "
                                    + describe(k)
                                    + ": add hold-down passed but seen in only "
                                    + k.pendingCount()
                                    + " validated RRset(s), need "
                                    + MIN_PENDING_COUNT);
            return k;
        }
        return move(
                        zone,
                        k,
                        AnchorState.VALID,
                        now,
                        "add hold-down of "
                                + addHoldDown(k).toDays()
                                + " days passed, seen in "
                                + k.pendingCount()
                                + " validated DNSKEY RRsets")
                .withPendingCount(0);
    }

    /**
     * KeyRem: the key is absent from a validated DNSKEY RRset. AddPend → Start, Valid → Missing.
     */
    public static Key keyRemoved(Name zone, Key k, Instant now) {
        switch (k.state()) {
            case ADD_PEND:
                return move(zone, k, AnchorState.START, now, "pending key left the DNSKEY RRset")
                        .withPendingCount(0);
            case VALID:
                return move(
                        zone,
                        k,
                        AnchorState.MISSING,
                        now,
                        "trusted key absent from the DNSKEY RRset (still trusted)");
            default:
                return k;
        }
    }

    /** KeyPres: a Missing key is back in a validated DNSKEY RRset. Missing → Valid. */
    public static Key keyPresent(Name zone, Key k, Instant now) {
        return k.state() == AnchorState.MISSING
                ? move(zone, k, AnchorState.VALID, now, "missing key is back")
                : k;
    }

    /**
     * RevBit: the key appears with the REVOKE bit and signs the DNSKEY RRset as revoked (the caller
     * has checked the self-signature). Valid or Missing → Revoked; the stored key gets the REVOKE
     * bit, so its key tag changes (20326 becomes 20454).
     */
    public static Key revoked(Name zone, Key k, Instant now) {
        if (k.isDs() || (k.state() != AnchorState.VALID && k.state() != AnchorState.MISSING)) {
            return k;
        }
        DNSKEYRecord before = (DNSKEYRecord) k.record();
        DNSKEYRecord after = withRevokeBit(before);
        Key moved = new Key(after, k.state(), k.pendingCount(), k.lastChange());
        LOG.log(
                Level.INFO,
                () ->
                        zone
                                + " key "
                                + before.getFootprint()
                                + " is now key "
                                + after.getFootprint()
                                + " (REVOKE bit set)");
        return move(
                zone,
                moved,
                AnchorState.REVOKED,
                now,
                "self-signed with the REVOKE bit (RFC 5011 §2.1); never trusted again");
    }

    /**
     * RemTime: the remove hold-down passed since a revoked key was last seen. Revoked → Removed.
     */
    public static Key removeTime(Name zone, Key k, Instant now) {
        if (k.state() != AnchorState.REVOKED || !holdDownElapsed(k, REMOVE_HOLD_DOWN, now)) {
            return k;
        }
        return move(
                zone,
                k,
                AnchorState.REMOVED,
                now,
                "remove hold-down of " + REMOVE_HOLD_DOWN.toDays() + " days passed");
    }

    // ---- local policy beyond the RFC table (Unbound's, which the scenario suite encodes) ----

    /**
     * A Missing key gone for {@link #KEEP_MISSING} is forgotten (only while another key is Valid).
     */
    public static Key keepMissingElapsed(Name zone, Key k, Instant now) {
        if (k.state() != AnchorState.MISSING || !holdDownElapsed(k, KEEP_MISSING, now)) {
            return k;
        }
        return move(
                zone,
                k,
                AnchorState.REMOVED,
                now,
                "missing for more than "
                        + KEEP_MISSING.toDays()
                        + " days while another key is Valid");
    }

    /** A configured zone-signing key anchor is retired once a key-signing key is Valid. */
    public static Key retireZsk(Name zone, Key k, Instant now) {
        return move(
                zone,
                k,
                AnchorState.REMOVED,
                now,
                "configured ZSK anchor retired: a KSK is Valid now");
    }

    /**
     * A pending KSK is trusted at once when the zone was anchored by a ZSK and has no Valid KSK.
     */
    public static Key trustFromZsk(Name zone, Key k, Instant now) {
        return k.state() == AnchorState.ADD_PEND
                ? move(
                                zone,
                                k,
                                AnchorState.VALID,
                                now,
                                "trusted through the configured ZSK anchor; no KSK was Valid")
                        .withPendingCount(0)
                : k;
    }

    /**
     * A configured key seen for the first time: its state stays, its hold-down clock starts now.
     */
    public static Key firstSeen(Name zone, Key k, Instant now) {
        LOG.log(
                Level.DEBUG,
                () -> zone + " " + describe(k) + ": first seen in a validated DNSKEY RRset");
        return new Key(k.record(), k.state(), k.pendingCount(), Optional.of(now));
    }

    /**
     * A revoked key still published: the remove hold-down restarts (RFC 5011 §2.4.2 counts from the
     * last sighting).
     */
    public static Key revokedStillPublished(Name zone, Key k, Instant now) {
        LOG.log(
                Level.DEBUG,
                () ->
                        zone
                                + " "
                                + describe(k)
                                + ": revoked key still published, remove hold-down restarts");
        return new Key(k.record(), k.state(), k.pendingCount(), Optional.of(now));
    }

    // ---- timers (RFC 5011 §2.3, §2.4) ----

    /**
     * The add hold-down of a key: max(30 days, the original TTL of the first RRset that held it).
     */
    public static Duration addHoldDown(Key k) {
        Duration ttl = Duration.ofSeconds(k.record().getTTL());
        return ttl.compareTo(ADD_HOLD_DOWN) > 0 ? ttl : ADD_HOLD_DOWN;
    }

    /**
     * Whether more than {@code holdDown} passed since the key's last change. A configured key never
     * seen has no last change and counts as long past; a clock that went backwards counts as not
     * elapsed.
     */
    public static boolean holdDownElapsed(Key k, Duration holdDown, Instant now) {
        if (k.lastChange().isEmpty()) {
            return true;
        }
        Instant since = k.lastChange().get();
        if (now.isBefore(since)) {
            LOG.log(
                    Level.WARNING,
                    () ->
                            "clock went backwards ("
                                    + now
                                    + " before "
                                    + since
                                    + "); hold-down not counted");
            return false;
        }
        return Duration.between(since, now).compareTo(holdDown) > 0;
    }

    /**
     * RFC 5011 §2.3 active refresh: MAX(1 hour, MIN(15 days, 1/2 OrigTTL, 1/2 RRSIG expiration
     * interval)).
     */
    public static Duration activeRefresh(Duration originalTtl, Optional<Duration> signatureExpiry) {
        Duration x = min(MAX_QUERY_INTERVAL, originalTtl.dividedBy(2));
        if (signatureExpiry.isPresent()) {
            x = min(x, signatureExpiry.get().dividedBy(2));
        }
        return max(MIN_INTERVAL, x);
    }

    /**
     * RFC 5011 §2.3 retry: MAX(1 hour, MIN(1 day, 1/10 OrigTTL, 1/10 RRSIG expiration interval)).
     */
    public static Duration retry(Duration originalTtl, Optional<Duration> signatureExpiry) {
        Duration x = min(MAX_RETRY_INTERVAL, originalTtl.dividedBy(10));
        if (signatureExpiry.isPresent()) {
            x = min(x, signatureExpiry.get().dividedBy(10));
        }
        return max(MIN_INTERVAL, x);
    }

    // ---- keys ----

    /** Whether the DNSKEY has the SEP flag (a key-signing key; RFC 5011 tracks only these). */
    public static boolean isSep(DNSKEYRecord k) {
        return (k.getFlags() & DNSKEYRecord.Flags.SEP_KEY) != 0;
    }

    /** Whether the DNSKEY has the REVOKE flag. */
    public static boolean isRevoked(DNSKEYRecord k) {
        return (k.getFlags() & REVOKE) != 0;
    }

    /** The same key with the REVOKE bit set. */
    public static DNSKEYRecord withRevokeBit(DNSKEYRecord k) {
        return new DNSKEYRecord(
                k.getName(),
                DClass.IN,
                k.getTTL(),
                k.getFlags() | REVOKE,
                k.getProtocol(),
                k.getAlgorithm(),
                k.getKey());
    }

    /** The same key with another TTL. */
    public static DNSKEYRecord withTtl(DNSKEYRecord k, long ttl) {
        return new DNSKEYRecord(
                k.getName(),
                DClass.IN,
                ttl,
                k.getFlags(),
                k.getProtocol(),
                k.getAlgorithm(),
                k.getKey());
    }

    /**
     * Whether two DNSKEYs are the same key, revoked or not (RFC 5011 §2.1: revoking changes only
     * the flag).
     */
    public static boolean sameKeyIgnoringRevoke(DNSKEYRecord a, DNSKEYRecord b) {
        return (a.getFlags() | REVOKE) == (b.getFlags() | REVOKE)
                && a.getProtocol() == b.getProtocol()
                && a.getAlgorithm() == b.getAlgorithm()
                && Arrays.equals(a.getKey(), b.getKey());
    }

    /** "key 20326/8" or "DS 20326/8 (digest type 2)": how logs and messages name a tracked key. */
    public static String describe(Key k) {
        if (k.isDs()) {
            return "DS "
                    + k.keyTag()
                    + "/"
                    + k.algorithm()
                    + " (digest type "
                    + ((org.xbill.DNS.DSRecord) k.record()).getDigestID()
                    + ")";
        }
        return "key " + k.keyTag() + "/" + k.algorithm();
    }

    private static Key move(Name zone, Key k, AnchorState to, Instant now, String why) {
        AnchorState from = k.state();
        LOG.log(
                Level.INFO,
                () ->
                        "RFC 5011 "
                                + zone
                                + " "
                                + describe(k)
                                + ": "
                                + from
                                + " -> "
                                + to
                                + " ("
                                + why
                                + ")");
        return k.withState(to, now);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
