package dev.daneel.testkit.internal;

import dev.daneel.testkit.Breakage;
import dev.daneel.testkit.DenialBreakage;
import dev.daneel.testkit.KeyPlan;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * The immutable description of one zone, as a {@code ZoneBuilder} collected it.
 *
 * @param origin the zone apex
 * @param signed whether the zone is signed at all
 * @param dsInParent whether the parent publishes DS records for it (false: an island of security)
 * @param algorithm the DNSSEC algorithm of its keys
 * @param rsaBits RSA modulus size for RSA algorithms
 * @param splitKeys KSK plus ZSK (true) or a single combined key (false)
 * @param nsec3 NSEC3 parameters, or null for NSEC
 * @param ttl TTL of every RRset whose record does not name one
 * @param negativeTtl SOA minimum, and the TTL of NSEC/NSEC3 records
 * @param nameserverAddress the address of the zone's {@code ns1} host, used in glue
 * @param records the zone's own records
 * @param rrsetBreakages breakages of single RRsets
 * @param zoneBreakage a breakage of every RRset in the zone, or null
 * @param dsDigests digest types of the DS records the parent publishes
 * @param dsPointsToNoKey whether the parent's DS digests a key the zone does not publish
 * @param unsupportedAlgorithm whether {@code algorithm} is one the testkit fabricates keys and
 *     signatures for
 * @param revokedKsk whether the KSK is published with the REVOKE bit (the DS keeps the unrevoked
 *     form)
 * @param keyTrapKeys how many decoy keys share the data-signing key's tag
 * @param keyTrapSignatures how many garbage signatures with that tag precede each real one
 * @param denialBreakage a breakage of negative answers, or null
 * @param standbyKsk whether a second KSK is published and signs the DNSKEY RRset too (a KSK roll)
 * @param primaryKskRetired whether the first KSK is no longer published (the roll's last phase)
 * @param dlvFor zones this zone publishes DLV records for (it is a DLV registry, RFC 4431)
 * @param keyPlans keys described one by one (empty: the default KSK and ZSK)
 * @param zskRsaBits RSA modulus size of the default ZSK
 * @param dnskeySignedOnlyBy when not 0, only KSKs of this algorithm sign the DNSKEY RRset
 */
public record ZoneSpec(
        Name origin,
        boolean signed,
        boolean dsInParent,
        int algorithm,
        int rsaBits,
        boolean splitKeys,
        Nsec3Params nsec3,
        long ttl,
        long negativeTtl,
        String nameserverAddress,
        List<Record> records,
        Map<RRsetKey, Breakage> rrsetBreakages,
        Breakage zoneBreakage,
        List<Integer> dsDigests,
        boolean dsPointsToNoKey,
        boolean unsupportedAlgorithm,
        boolean revokedKsk,
        int keyTrapKeys,
        int keyTrapSignatures,
        DenialBreakage denialBreakage,
        boolean standbyKsk,
        boolean primaryKskRetired,
        List<Name> dlvFor,
        List<KeyPlan> keyPlans,
        int zskRsaBits,
        int dnskeySignedOnlyBy) {

    /** NSEC3 parameters (RFC 5155). */
    public record Nsec3Params(int iterations, byte[] salt, boolean optOut) {}

    /** Identifies an RRset by owner and type. */
    public record RRsetKey(Name owner, int type) {}

    /** The breakage that applies to an RRset: its own, else the zone's, else null. */
    public Breakage breakageOf(Name owner, int type) {
        Breakage b = rrsetBreakages.get(new RRsetKey(owner, type));
        return b != null ? b : zoneBreakage;
    }

    /** Whether any RRset needs an unpublished signing key. */
    public boolean needsUnpublishedKey() {
        return zoneBreakage == Breakage.UNKNOWN_SIGNING_KEY
                || rrsetBreakages.containsValue(Breakage.UNKNOWN_SIGNING_KEY);
    }
}
