package dev.daneel.anchors.internal;

import dev.daneel.anchors.AnchorState;
import dev.daneel.anchors.AnchorTracker.Outcome;
import dev.daneel.anchors.TrustPointState;
import dev.daneel.anchors.TrustPointState.Key;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;

/**
 * One RFC 5011 refresh of a trust point, as a pure function: the state before, what the DNSKEY
 * RRset said (or that none came), the time → the state after. The order of the steps is Unbound's
 * {@code autr_process_prime}, which the autotrust scenario suite encodes:
 *
 * <ol>
 *   <li>pending keys whose add hold-down passed become Valid (before validating, so that a zone
 *       that already signs with its new key validates);
 *   <li>keys published with the REVOKE bit that sign the RRset themselves are revoked — before
 *       validation, because revocation needs no other trust (RFC 5011 §2.1); if nothing trusted is
 *       left, the trust point is revoked;
 *   <li>the RRset must validate with a trusted key or configured DS, else nothing else changes;
 *   <li>each KSK in the RRset is marked seen (new ones start, or are Valid at once when a
 *       configured DS names them), then every tracked KSK takes its RFC 5011 §4 event;
 *   <li>configured ZSK anchors retire once a KSK is Valid; long-missing keys are forgotten; Start
 *       and Removed keys and configured DS records leave the list.
 * </ol>
 */
public final class ProbeProcessor {

    /**
     * DNSKEY algorithms whose keys can become anchors (RFC 8624 §3.1 validation set, plus 5 and 7).
     */
    private static final Set<Integer> SUPPORTED_ALGORITHMS = Set.of(5, 7, 8, 10, 13, 14, 15, 16);

    /**
     * DS digest preference: SHA-384, SHA-256, then SHA-1 (RFC 4509 §3: a weaker digest never wins).
     */
    private static final List<Integer> DIGEST_PREFERENCE =
            List.of(DNSSEC.Digest.SHA384, DNSSEC.Digest.SHA256, DNSSEC.Digest.SHA1);

    private static final Logger LOG = System.getLogger("dev.daneel.anchors.rfc5011");

    private ProbeProcessor() {}

    /**
     * The result of one refresh.
     *
     * @param state the trust point after it
     * @param outcome what happened
     * @param unsupported key-signing keys in the RRset whose algorithm Daneel does not validate
     *     (RSAMD5 1, DSA 3 and 6, GOST 12, unassigned numbers) or whose key cannot be decoded:
     *     never tracked, never trusted
     */
    public record Result(TrustPointState state, Outcome outcome, List<DNSKEYRecord> unsupported) {
        public Result {
            unsupported = List.copyOf(unsupported);
        }

        /** A result that saw no unsupported key. */
        public Result(TrustPointState state, Outcome outcome) {
            this(state, outcome, List.of());
        }
    }

    /** Whether keys of this DNSKEY algorithm can become anchors and validate a probe. */
    public static boolean supportedAlgorithm(int algorithm) {
        return SUPPORTED_ALGORITHMS.contains(algorithm);
    }

    /**
     * The key-signing keys of an RRset that can never be tracked: unsupported algorithm or
     * undecodable key.
     */
    static List<DNSKEYRecord> unsupported(DnskeyObservation o) {
        List<DNSKEYRecord> out = new ArrayList<>();
        for (DNSKEYRecord k : o.keys()) {
            if (Rfc5011.isSep(k)
                    && (!SUPPORTED_ALGORITHMS.contains(k.getAlgorithm()) || !hasUsableKey(k))) {
                out.add(k);
            }
        }
        return out;
    }

    /** A refresh that brought no DNSKEY RRset (timeout, SERVFAIL, no data). */
    public static Result noAnswer(TrustPointState s, Instant now) {
        if (s.revoked()) {
            return new Result(s, Outcome.TRUST_POINT_REVOKED);
        }
        List<Key> keys = holdDownsElapsed(s.zone(), s.keys(), now);
        LOG.log(
                Level.INFO,
                () ->
                        "RFC 5011 "
                                + s.zone()
                                + ": no DNSKEY RRset came; retry in "
                                + s.retryInterval());
        return new Result(
                new TrustPointState(
                        s.zone(),
                        keys,
                        Optional.of(now),
                        s.lastSuccess(),
                        Optional.of(now.plus(s.retryInterval())),
                        s.queryFailed() + 1,
                        s.queryInterval(),
                        s.retryInterval(),
                        false),
                Outcome.NO_ANSWER);
    }

    /**
     * A refresh that brought the DNSKEY RRset described by {@code o}. Key-signing keys of
     * algorithms Daneel does not validate are listed in the result (and logged), and neither start
     * tracking nor count as a signature that validates the RRset, even when a configured DS names
     * them.
     */
    public static Result answer(TrustPointState s, DnskeyObservation o, Instant now) {
        Result r = process(s, o, now);
        List<DNSKEYRecord> unsupported = unsupported(o);
        for (DNSKEYRecord k : unsupported) {
            LOG.log(
                    Level.INFO,
                    () ->
                            "RFC 5011 "
                                    + s.zone()
                                    + " key "
                                    + k.getFootprint()
                                    + " of algorithm "
                                    + k.getAlgorithm()
                                    + " ("
                                    + DNSSEC.Algorithm.string(k.getAlgorithm())
                                    + ") is published, but Daneel does not validate that"
                                    + " algorithm (or cannot decode the key): it is not tracked and will never be trusted");
        }
        return new Result(r.state(), r.outcome(), unsupported);
    }

    private static Result process(TrustPointState s, DnskeyObservation o, Instant now) {
        Name zone = s.zone();
        if (s.revoked()) {
            return new Result(s, Outcome.TRUST_POINT_REVOKED);
        }
        if (!o.zone().equals(zone)) {
            throw new IllegalArgumentException(
                    "DNSKEY RRset of " + o.zone() + " given to the trust point " + zone);
        }
        List<Key> keys = holdDownsElapsed(zone, s.keys(), now);

        // 2. revocations, trusted on the key's own signature
        boolean revokedAny = false;
        for (DNSKEYRecord published : o.keys()) {
            if (!Rfc5011.isSep(published)
                    || !Rfc5011.isRevoked(published)
                    || !o.signers().contains(published)) {
                continue;
            }
            int i = find(keys, published);
            if (i >= 0) {
                Key after = Rfc5011.revoked(zone, keys.get(i), now);
                revokedAny |= after != keys.get(i);
                keys.set(i, after);
            }
        }
        if (revokedAny && keys.stream().noneMatch(k -> k.isDs() || k.state().trusted())) {
            LOG.log(
                    Level.WARNING,
                    () ->
                            "RFC 5011 "
                                    + zone
                                    + ": every trusted key is revoked; the zone is no longer anchored."
                                    + " To anchor it again, configure a new trust anchor for it");
            return new Result(
                    new TrustPointState(
                            zone,
                            keys,
                            Optional.of(now),
                            Optional.of(now),
                            Optional.empty(),
                            0,
                            s.queryInterval(),
                            s.retryInterval(),
                            true),
                    Outcome.TRUST_POINT_REVOKED);
        }

        // 3. validation with what is trusted now
        if (!validates(keys, o)) {
            LOG.log(
                    Level.WARNING,
                    () ->
                            "RFC 5011 "
                                    + zone
                                    + ": DNSKEY RRset does not validate with the trusted keys "
                                    + trustedTags(keys)
                                    + "; signed by "
                                    + tags(o.signers())
                                    + "; retry in "
                                    + s.retryInterval());
            return new Result(
                    new TrustPointState(
                            zone,
                            keys,
                            Optional.of(now),
                            s.lastSuccess(),
                            Optional.of(now.plus(s.retryInterval())),
                            s.queryFailed() + 1,
                            s.queryInterval(),
                            s.retryInterval(),
                            false),
                    Outcome.NOT_VALIDATED);
        }

        // 4. seen keys, then the state table
        Set<Integer> seen = new HashSet<>();
        for (DNSKEYRecord published : o.keys()) {
            if (!Rfc5011.isSep(published) || Rfc5011.isRevoked(published)) {
                continue; // revoked keys were handled above; a revoked key is never added
            }
            if (!SUPPORTED_ALGORITHMS.contains(published.getAlgorithm())
                    || !hasUsableKey(published)) {
                continue; // reported by answer()
            }
            int i = find(keys, published);
            if (i < 0) {
                boolean namedByDs =
                        keys.stream()
                                .anyMatch(
                                        k ->
                                                k.isDs()
                                                        && dsMatches(
                                                                (DSRecord) k.record(), published));
                keys.add(
                        new Key(
                                published,
                                namedByDs ? AnchorState.VALID : AnchorState.START,
                                0,
                                Optional.empty()));
                i = keys.size() - 1;
                if (namedByDs) {
                    LOG.log(
                            Level.INFO,
                            () ->
                                    "RFC 5011 "
                                            + zone
                                            + " key "
                                            + published.getFootprint()
                                            + ": VALID (named by the configured DS)");
                }
            }
            Key k = keys.get(i);
            keys.set(
                    i,
                    k.withPendingCount(Math.min(Rfc5011.MAX_PENDING_COUNT, k.pendingCount() + 1)));
            seen.add(i);
        }
        for (int i = 0; i < keys.size(); i++) {
            Key k = keys.get(i);
            if (k.isDs() || !Rfc5011.isSep((DNSKEYRecord) k.record())) {
                continue;
            }
            keys.set(i, event(zone, k, seen.contains(i), now));
        }

        // 5. local policy and cleanup
        retire(zone, keys, now);
        List<Key> kept = new ArrayList<>();
        for (Key k : keys) {
            if (k.isDs() || k.state() == AnchorState.START || k.state() == AnchorState.REMOVED) {
                continue;
            }
            kept.add(k.state() == AnchorState.ADD_PEND ? k : k.withPendingCount(0));
        }
        Duration query = Rfc5011.activeRefresh(o.originalTtl(), o.signatureExpiry());
        Duration retry = Rfc5011.retry(o.originalTtl(), o.signatureExpiry());
        TrustPointState after =
                new TrustPointState(
                        zone,
                        kept,
                        Optional.of(now),
                        Optional.of(now),
                        Optional.of(now.plus(query)),
                        0,
                        query,
                        retry,
                        false);
        if (after.trustedAnchor().isEmpty()) {
            // The configured DS named no trackable KSK (a ZSK, say): keep the DS rather than anchor
            // nothing.
            List<Key> withDs = new ArrayList<>();
            keys.stream().filter(Key::isDs).forEach(withDs::add);
            withDs.addAll(kept);
            LOG.log(
                    Level.WARNING,
                    () ->
                            "RFC 5011 "
                                    + zone
                                    + ": no tracked key would be trusted; keeping "
                                    + trustedTags(withDs));
            return new Result(
                    new TrustPointState(
                            zone,
                            withDs,
                            Optional.of(now),
                            Optional.of(now),
                            Optional.of(now.plus(query)),
                            0,
                            query,
                            retry,
                            false),
                    Outcome.VALIDATED);
        }
        return new Result(after, Outcome.VALIDATED);
    }

    /** The RFC 5011 §4.1 event a tracked KSK takes from one validated RRset. */
    private static Key event(Name zone, Key k, boolean seen, Instant now) {
        switch (k.state()) {
            case START:
                return seen ? Rfc5011.newKey(zone, k, now) : k;
            case ADD_PEND:
                return seen ? Rfc5011.addTime(zone, k, now) : Rfc5011.keyRemoved(zone, k, now);
            case VALID:
                if (!seen) {
                    return Rfc5011.keyRemoved(zone, k, now);
                }
                return k.lastChange().isEmpty() ? Rfc5011.firstSeen(zone, k, now) : k;
            case MISSING:
                return seen ? Rfc5011.keyPresent(zone, k, now) : k;
            case REVOKED:
                return seen
                        ? Rfc5011.revokedStillPublished(zone, k, now)
                        : Rfc5011.removeTime(zone, k, now);
            default:
                return k;
        }
    }

    /** Configured ZSKs retire and long-missing KSKs go, but only while some KSK is Valid. */
    private static void retire(Name zone, List<Key> keys, Instant now) {
        long valid =
                keys.stream()
                        .filter(k -> !k.isDs() && isSep(k) && k.state() == AnchorState.VALID)
                        .count();
        if (valid == 0) {
            boolean configuredZsk =
                    keys.stream()
                            .anyMatch(
                                    k ->
                                            !k.isDs()
                                                    && !isSep(k)
                                                    && k.state() == AnchorState.VALID
                                                    && k.lastChange().isEmpty());
            if (!configuredZsk) {
                return;
            }
            for (int i = 0; i < keys.size(); i++) {
                Key k = keys.get(i);
                if (!k.isDs() && isSep(k) && k.state() == AnchorState.ADD_PEND) {
                    keys.set(i, Rfc5011.trustFromZsk(zone, k, now));
                    valid++;
                }
            }
            if (valid == 0) {
                return;
            }
        }
        for (int i = 0; i < keys.size(); i++) {
            Key k = keys.get(i);
            if (k.isDs() || k.state() == AnchorState.START || k.state() == AnchorState.REMOVED) {
                continue;
            }
            if (!isSep(k)) {
                keys.set(i, Rfc5011.retireZsk(zone, k, now));
            } else {
                keys.set(i, Rfc5011.keepMissingElapsed(zone, k, now));
            }
        }
    }

    private static List<Key> holdDownsElapsed(Name zone, List<Key> before, Instant now) {
        List<Key> keys = new ArrayList<>(before);
        for (int i = 0; i < keys.size(); i++) {
            Key k = keys.get(i);
            if (!k.isDs() && isSep(k) && k.state() == AnchorState.ADD_PEND) {
                keys.set(i, Rfc5011.addTime(zone, k, now));
            }
        }
        return keys;
    }

    /** Whether a configured DS (strongest digest only) or a trusted key signed the RRset. */
    static boolean validates(List<Key> keys, DnskeyObservation o) {
        int digest =
                DIGEST_PREFERENCE.stream()
                        .filter(
                                d ->
                                        keys.stream()
                                                .anyMatch(
                                                        k ->
                                                                k.isDs()
                                                                        && ((DSRecord) k.record())
                                                                                        .getDigestID()
                                                                                == d))
                        .findFirst()
                        .orElse(-1);
        for (Key k : keys) {
            if (!SUPPORTED_ALGORITHMS.contains(k.algorithm())) {
                continue; // RSAMD5, DSA, GOST: a signature by such a key never makes the RRset
                // trusted
            }
            if (k.isDs()) {
                DSRecord ds = (DSRecord) k.record();
                if (ds.getDigestID() != digest) {
                    continue;
                }
                for (DNSKEYRecord published : o.keys()) {
                    if (dsMatches(ds, published) && o.signers().contains(published)) {
                        return true;
                    }
                }
            } else if (k.state().trusted() && o.signers().contains((DNSKEYRecord) k.record())) {
                return true;
            }
        }
        return false;
    }

    /** Whether the DS names this key: key tag, algorithm and digest (RFC 4034 §5.1.4). */
    public static boolean dsMatches(DSRecord ds, DNSKEYRecord key) {
        if (ds.getFootprint() != key.getFootprint() || ds.getAlgorithm() != key.getAlgorithm()) {
            return false;
        }
        try {
            DSRecord computed = new DSRecord(key.getName(), DClass.IN, 0, ds.getDigestID(), key);
            return Arrays.equals(computed.getDigest(), ds.getDigest());
        } catch (IllegalArgumentException e) {
            return false; // a digest type dnsjava cannot compute names no key we can check
        }
    }

    private static int find(List<Key> keys, DNSKEYRecord published) {
        for (int i = 0; i < keys.size(); i++) {
            Key k = keys.get(i);
            if (!k.isDs() && Rfc5011.sameKeyIgnoringRevoke((DNSKEYRecord) k.record(), published)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isSep(Key k) {
        return Rfc5011.isSep((DNSKEYRecord) k.record());
    }

    private static boolean hasUsableKey(DNSKEYRecord k) {
        try {
            k.getPublicKey();
            return true;
        } catch (DNSSEC.DNSSECException | RuntimeException e) {
            return false;
        }
    }

    private static String trustedTags(List<Key> keys) {
        List<String> out = new ArrayList<>();
        for (Key k : keys) {
            if (k.isDs() || k.state().trusted()) {
                out.add(Rfc5011.describe(k));
            }
        }
        return out.toString();
    }

    private static String tags(Set<DNSKEYRecord> keys) {
        List<Integer> out = new ArrayList<>();
        keys.forEach(k -> out.add(k.getFootprint()));
        return out.toString();
    }
}
