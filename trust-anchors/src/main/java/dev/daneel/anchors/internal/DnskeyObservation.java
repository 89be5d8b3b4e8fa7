package dev.daneel.anchors.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * What one fetched DNSKEY RRset says, with the cryptography already done, so that {@link
 * ProbeProcessor} stays a pure function: the keys in the RRset, and which keys made a valid
 * signature over it.
 *
 * <pre>{@code
 * DnskeyObservation o = DnskeyObservation.of(rrset, trackedKeys, clock.instant());
 * boolean selfSigned = o.signers().contains(revokedKey);
 * }</pre>
 *
 * @param zone the owner of the RRset
 * @param keys the DNSKEY records of the RRset, TTL set to the original TTL
 * @param signers the keys (from the RRset or the candidates) whose RRSIG over the RRset verifies
 * @param originalTtl the RRset's original TTL (from its RRSIGs, else its TTL)
 * @param signatureExpiry time until the earliest future RRSIG expiration, if any
 */
public record DnskeyObservation(
        Name zone,
        List<DNSKEYRecord> keys,
        Set<DNSKEYRecord> signers,
        Duration originalTtl,
        Optional<Duration> signatureExpiry) {

    /**
     * Most signature verifications spent on one RRset. Key-tag collisions make a KeyTrap
     * (CVE-2023-50387) RRset cost keys × signatures checks; 64 covers any honest RRset.
     */
    public static final int MAX_VERIFICATIONS = 64;

    private static final Logger LOG = System.getLogger("dev.daneel.anchors.rfc5011");

    public DnskeyObservation {
        keys = List.copyOf(keys);
        signers = Set.copyOf(signers);
    }

    /**
     * Checks every RRSIG over the RRset against the RRset's own keys and the {@code candidates}
     * (tracked keys that may sign without being published) at time {@code at}.
     */
    public static DnskeyObservation of(
            RRset rrset, Collection<DNSKEYRecord> candidates, Instant at) {
        if (rrset.getType() != Type.DNSKEY) {
            throw new IllegalArgumentException(
                    "expected a DNSKEY RRset, got "
                            + Type.string(rrset.getType())
                            + " for "
                            + rrset.getName());
        }
        List<RRSIGRecord> sigs = new ArrayList<>(rrset.sigs());
        long originalTtl = rrset.getTTL();
        if (!sigs.isEmpty()) {
            originalTtl = sigs.stream().mapToLong(RRSIGRecord::getOrigTTL).max().getAsLong();
        }
        List<DNSKEYRecord> keys = new ArrayList<>();
        for (Record r : rrset.rrs()) {
            keys.add(Rfc5011.withTtl((DNSKEYRecord) r, originalTtl));
        }
        Set<DNSKEYRecord> all = new LinkedHashSet<>(keys);
        all.addAll(candidates);
        Set<DNSKEYRecord> signers = new LinkedHashSet<>();
        int budget = MAX_VERIFICATIONS;
        Optional<Duration> expiry = Optional.empty();
        for (RRSIGRecord sig : sigs) {
            if (sig.getTypeCovered() != Type.DNSKEY || !sig.getSigner().equals(rrset.getName())) {
                continue;
            }
            if (sig.getExpire().isAfter(at)) {
                Duration left = Duration.between(at, sig.getExpire());
                expiry =
                        Optional.of(
                                expiry.map(e -> e.compareTo(left) <= 0 ? e : left).orElse(left));
            }
            for (DNSKEYRecord key : all) {
                if (key.getFootprint() != sig.getFootprint()
                        || key.getAlgorithm() != sig.getAlgorithm()
                        || signers.contains(key)) {
                    continue;
                }
                if (budget-- <= 0) {
                    LOG.log(
                            Level.WARNING,
                            () ->
                                    rrset.getName()
                                            + " DNSKEY RRset needs more than "
                                            + MAX_VERIFICATIONS
                                            + " signature checks (KeyTrap, CVE-2023-50387); the rest are not tried");
                    return new DnskeyObservation(
                            rrset.getName(),
                            keys,
                            signers,
                            Duration.ofSeconds(originalTtl),
                            expiry);
                }
                try {
                    DNSSEC.verify(rrset, sig, key, at);
                    signers.add(key);
                } catch (DNSSEC.DNSSECException e) {
                    LOG.log(
                            Level.DEBUG,
                            () ->
                                    rrset.getName()
                                            + " RRSIG by key "
                                            + sig.getFootprint()
                                            + " does not verify: "
                                            + e.getMessage());
                }
            }
        }
        return new DnskeyObservation(
                rrset.getName(), keys, signers, Duration.ofSeconds(originalTtl), expiry);
    }
}
