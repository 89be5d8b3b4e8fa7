package dev.daneel.testkit.internal;

import dev.daneel.testkit.ZoneKey;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;

/**
 * The keys of one zone: what it publishes, what signs what, and which key the parent's DS digests.
 *
 * @param published the DNSKEY RRset's keys, decoys included
 * @param keySigners keys that sign the DNSKEY RRset
 * @param dataSigners keys that sign every other RRset
 * @param dsTargets the keys (in the form the parent saw) that the parent's DS records digest
 * @param unpublished a signing key absent from the DNSKEY RRset, or null when no breakage needs one
 */
public record ZoneKeys(
        List<ZoneKey> published,
        List<ZoneKey> keySigners,
        List<ZoneKey> dataSigners,
        List<DNSKEYRecord> dsTargets,
        ZoneKey unpublished) {

    /** DNSKEY flags: zone key bit (RFC 4034 §2.1.1). */
    static final int ZONE = 0x0100;

    /** DNSKEY flags: secure entry point bit. */
    static final int SEP = 0x0001;

    /** DNSKEY flags: RFC 5011 revoke bit. */
    static final int REVOKE = 0x0080;

    /**
     * Generates (or fabricates) the keys a spec asks for.
     *
     * @param cacheKeyPrefix when not null, keys come from the JVM-wide cache under this prefix
     */
    public static ZoneKeys create(ZoneSpec spec, String cacheKeyPrefix) {
        if (!spec.signed()) {
            return new ZoneKeys(List.of(), List.of(), List.of(), List.of(), null);
        }
        if (!spec.keyPlans().isEmpty()) {
            return fromPlans(spec, cacheKeyPrefix);
        }
        Random random = new Random(spec.origin().hashCode() * 31L + spec.algorithm());
        ZoneKey ksk =
                key(
                        spec,
                        ZONE | SEP,
                        spec.splitKeys() ? ZoneKey.Role.KSK : ZoneKey.Role.CSK,
                        cacheKeyPrefix,
                        "ksk",
                        random);
        List<DNSKEYRecord> dsTargets = new ArrayList<>();
        List<ZoneKey> keySigners = new ArrayList<>();
        List<ZoneKey> published = new ArrayList<>();
        if (!spec.primaryKskRetired()) {
            dsTargets.add(ksk.dnskey());
            if (spec.revokedKsk()) {
                ksk =
                        new ZoneKey(
                                withFlags(ksk.dnskey(), ksk.dnskey().getFlags() | REVOKE),
                                ksk.privateKey(),
                                ksk.role());
            }
            published.add(ksk);
            keySigners.add(ksk);
        }
        if (spec.standbyKsk()) {
            ZoneKey standby =
                    key(spec, ZONE | SEP, ksk.role(), cacheKeyPrefix, "ksk-standby", random);
            dsTargets.add(standby.dnskey());
            published.add(standby);
            keySigners.add(standby);
        }
        ZoneKey zsk = spec.primaryKskRetired() ? keySigners.get(0) : ksk;
        if (spec.splitKeys()) {
            zsk =
                    key(
                            spec,
                            ZONE,
                            ZoneKey.Role.ZSK,
                            cacheKeyPrefix,
                            "zsk",
                            random,
                            spec.zskRsaBits());
            published.add(zsk);
        }
        for (int i = 0; i < spec.keyTrapKeys(); i++) {
            byte[] fake =
                    KeyMaker.keyWithTag(
                            zsk.dnskey().getFlags(), spec.algorithm(), zsk.keyTag(), random);
            published.add(
                    new ZoneKey(
                            new DNSKEYRecord(
                                    spec.origin(),
                                    DClass.IN,
                                    spec.ttl(),
                                    zsk.dnskey().getFlags(),
                                    DNSKEYRecord.Protocol.DNSSEC,
                                    spec.algorithm(),
                                    fake),
                            null,
                            ZoneKey.Role.ZSK));
        }
        if (spec.dsPointsToNoKey()) {
            dsTargets.clear();
            dsTargets.add(
                    new DNSKEYRecord(
                            spec.origin(),
                            DClass.IN,
                            spec.ttl(),
                            ZONE | SEP,
                            DNSKEYRecord.Protocol.DNSSEC,
                            spec.algorithm(),
                            KeyMaker.randomBytes(
                                    KeyMaker.publicKeyLength(spec.algorithm()), random)));
        }
        ZoneKey unpublished =
                spec.needsUnpublishedKey()
                        ? key(spec, ZONE, ZoneKey.Role.ZSK, cacheKeyPrefix, "unpublished", random)
                        : null;
        return new ZoneKeys(
                List.copyOf(published),
                List.copyOf(keySigners),
                List.of(zsk),
                List.copyOf(dsTargets),
                unpublished);
    }

    /** The DS records the parent publishes for this zone. */
    public List<DSRecord> dsRecords(ZoneSpec spec) {
        return spec.dsInParent() ? dsData(spec) : List.of();
    }

    /**
     * The DS records for this zone whether or not the parent publishes them (a DLV registry uses
     * them).
     */
    public List<DSRecord> dsData(ZoneSpec spec) {
        List<DSRecord> out = new ArrayList<>();
        for (DNSKEYRecord target : dsTargets) {
            for (int digest : spec.dsDigests()) {
                out.add(ds(target, digest, spec.ttl()));
            }
        }
        return out;
    }

    /**
     * A DS record for {@code key}: computed for digest types 1, 2 and 4, random bytes for any
     * other.
     */
    public static DSRecord ds(DNSKEYRecord key, int digest, long ttl) {
        if (digest == DNSSEC.Digest.SHA1
                || digest == DNSSEC.Digest.SHA256
                || digest == DNSSEC.Digest.SHA384) {
            return new DSRecord(key.getName(), DClass.IN, ttl, digest, key);
        }
        int length = digest == 1 ? 20 : 32;
        return new DSRecord(
                key.getName(),
                DClass.IN,
                ttl,
                key.getFootprint(),
                key.getAlgorithm(),
                digest,
                KeyMaker.randomBytes(length, new Random(key.getFootprint() * 7L + digest)));
    }

    private static ZoneKey key(
            ZoneSpec spec,
            int flags,
            ZoneKey.Role role,
            String cachePrefix,
            String which,
            Random random) {
        return key(spec, flags, role, cachePrefix, which, random, spec.rsaBits());
    }

    /**
     * The keys of a zone described key by key: each published in plan order (revoked ones with the
     * REVOKE bit), each signing what its role says unless it only is published, KSKs of other
     * algorithms than {@code dnskeySignedOnlyBy} left out of the DNSKEY signers.
     */
    private static ZoneKeys fromPlans(ZoneSpec spec, String cacheKeyPrefix) {
        List<ZoneKey> published = new ArrayList<>();
        List<ZoneKey> keySigners = new ArrayList<>();
        List<ZoneKey> dataSigners = new ArrayList<>();
        List<DNSKEYRecord> dsTargets = new ArrayList<>();
        for (dev.daneel.testkit.KeyPlan plan : spec.keyPlans()) {
            int flags = plan.role() == ZoneKey.Role.ZSK ? ZONE : ZONE | SEP;
            String cacheKey =
                    cacheKeyPrefix == null
                            ? null
                            : cacheKeyPrefix + "/" + spec.origin() + "/" + plan.label();
            int bits = plan.rsaBits() != 0 ? plan.rsaBits() : spec.rsaBits();
            DNSKEYRecord unrevoked;
            java.security.PrivateKey privateKey = null;
            if (!KeyMaker.canSign(plan.algorithm())) {
                // the same bytes for the same zone and label in every world, as cached keys are
                Random random =
                        new Random(
                                spec.origin().hashCode() * 31L
                                        + plan.label().hashCode() * 7L
                                        + plan.algorithm());
                unrevoked =
                        new DNSKEYRecord(
                                spec.origin(),
                                DClass.IN,
                                spec.ttl(),
                                flags,
                                DNSKEYRecord.Protocol.DNSSEC,
                                plan.algorithm(),
                                KeyMaker.randomBytes(
                                        KeyMaker.publicKeyLength(plan.algorithm()), random));
            } else {
                KeyPair pair = KeyMaker.generate(plan.algorithm(), bits, cacheKey);
                privateKey = pair.getPrivate();
                try {
                    unrevoked =
                            new DNSKEYRecord(
                                    spec.origin(),
                                    DClass.IN,
                                    spec.ttl(),
                                    flags,
                                    DNSKEYRecord.Protocol.DNSSEC,
                                    plan.algorithm(),
                                    pair.getPublic());
                } catch (DNSSEC.DNSSECException e) {
                    throw new IllegalStateException(
                            "dnsjava cannot encode a key of algorithm " + plan.algorithm(), e);
                }
            }
            ZoneKey key =
                    new ZoneKey(
                            plan.revoked() ? withFlags(unrevoked, flags | REVOKE) : unrevoked,
                            privateKey,
                            plan.role());
            published.add(key);
            if (plan.signsKeys() && plan.dsInParent()) {
                dsTargets.add(unrevoked);
            }
            if (!plan.signs()) {
                continue;
            }
            if (plan.signsKeys()
                    && (spec.dnskeySignedOnlyBy() == 0
                            || plan.algorithm() == spec.dnskeySignedOnlyBy())) {
                keySigners.add(key);
            }
            if (plan.signsData()) {
                dataSigners.add(key);
            }
        }
        ZoneKey unpublished =
                spec.needsUnpublishedKey()
                        ? key(
                                spec,
                                ZONE,
                                ZoneKey.Role.ZSK,
                                cacheKeyPrefix,
                                "unpublished",
                                new Random(spec.origin().hashCode()))
                        : null;
        return new ZoneKeys(
                List.copyOf(published),
                List.copyOf(keySigners),
                List.copyOf(dataSigners),
                List.copyOf(dsTargets),
                unpublished);
    }

    private static ZoneKey key(
            ZoneSpec spec,
            int flags,
            ZoneKey.Role role,
            String cachePrefix,
            String which,
            Random random,
            int rsaBits) {
        if (spec.unsupportedAlgorithm()) {
            byte[] fake = KeyMaker.randomBytes(KeyMaker.publicKeyLength(spec.algorithm()), random);
            return new ZoneKey(
                    new DNSKEYRecord(
                            spec.origin(),
                            DClass.IN,
                            spec.ttl(),
                            flags,
                            DNSKEYRecord.Protocol.DNSSEC,
                            spec.algorithm(),
                            fake),
                    null,
                    role);
        }
        String cacheKey =
                cachePrefix == null ? null : cachePrefix + "/" + spec.origin() + "/" + which;
        KeyPair pair = KeyMaker.generate(spec.algorithm(), rsaBits, cacheKey);
        try {
            return new ZoneKey(
                    new DNSKEYRecord(
                            spec.origin(),
                            DClass.IN,
                            spec.ttl(),
                            flags,
                            DNSKEYRecord.Protocol.DNSSEC,
                            spec.algorithm(),
                            pair.getPublic()),
                    pair.getPrivate(),
                    role);
        } catch (DNSSEC.DNSSECException e) {
            throw new IllegalStateException(
                    "dnsjava cannot encode a key of algorithm " + spec.algorithm(), e);
        }
    }

    private static DNSKEYRecord withFlags(DNSKEYRecord k, int flags) {
        return new DNSKEYRecord(
                k.getName(),
                k.getDClass(),
                k.getTTL(),
                flags,
                k.getProtocol(),
                k.getAlgorithm(),
                k.getKey());
    }
}
