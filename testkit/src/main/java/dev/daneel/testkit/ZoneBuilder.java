package dev.daneel.testkit;

import dev.daneel.testkit.internal.KeyMaker;
import dev.daneel.testkit.internal.RecordFactory;
import dev.daneel.testkit.internal.ZoneSpec;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;

/**
 * Describes one zone of a {@link World}: its keys, denial-of-existence method, records and any
 * deliberate breakage. Obtained inside {@link World.Builder#zone(String,
 * java.util.function.Consumer)}; every setter checks its argument at once and names the allowed
 * range.
 *
 * <p>Defaults: signed with a KSK and a ZSK of algorithm 13 (ECDSA P-256), NSEC, TTL 3600, negative
 * TTL 300, a DS with digest type 2 (SHA-256) in the parent, an {@code ns1} host at 127.0.0.1.
 *
 * <pre>{@code
 * World.builder()
 *     .zone("example.test.", z -> z
 *         .algorithm(DNSSEC.Algorithm.ED25519)
 *         .nsec3(0, "", false)
 *         .record("www 300 IN A 192.0.2.1")
 *         .record("*.wild TXT \"any\"")
 *         .tlsa(443, "tcp", "www", certificate, 3, 1, 1))
 *     .start();
 * }</pre>
 *
 * <p>Names in arguments are relative to the zone unless they end in a dot; {@code @} is the apex.
 * Not thread-safe; used only while the world is being described.
 */
public final class ZoneBuilder {

    private final Name origin;
    private boolean signed = true;
    private boolean dsInParent = true;
    private int algorithm = DNSSEC.Algorithm.ECDSAP256SHA256;
    private boolean unsupportedAlgorithm;
    private int rsaBits = 2048;
    private boolean splitKeys = true;
    private ZoneSpec.Nsec3Params nsec3;
    private long ttl = 3600;
    private long negativeTtl = 300;
    private String nameserverAddress = "127.0.0.1";
    private final List<Record> records = new ArrayList<>();
    private final Map<ZoneSpec.RRsetKey, Breakage> rrsetBreakages = new LinkedHashMap<>();
    private Breakage zoneBreakage;
    private List<Integer> dsDigests = List.of(DNSSEC.Digest.SHA256);
    private boolean dsPointsToNoKey;
    private boolean revokedKsk;
    private boolean standbyKsk;
    private final List<Name> dlvFor = new ArrayList<>();
    private boolean primaryKskRetired;
    private int keyTrapKeys;
    private int keyTrapSignatures;
    private DenialBreakage denialBreakage;
    private final List<KeyPlan> keyPlans = new ArrayList<>();
    private int zskRsaBits;
    private int dnskeySignedOnlyBy;

    ZoneBuilder(Name origin) {
        this.origin = origin;
    }

    /** The zone apex. */
    public Name origin() {
        return origin;
    }

    /**
     * Signs the zone with this algorithm: 5, 7, 8, 10 (RSA), 13, 14 (ECDSA), 15, 16 (EdDSA).
     *
     * @throws IllegalArgumentException for any other number; see {@link #unsupportedAlgorithm(int)}
     */
    public ZoneBuilder algorithm(int algorithm) {
        if (!KeyMaker.canSign(algorithm)) {
            throw new IllegalArgumentException(
                    "algorithm must be one of 5, 7, 8, 10, 13, 14, 15, 16, got "
                            + algorithm
                            + "; use unsupportedAlgorithm("
                            + algorithm
                            + ") for a zone no validator can check");
        }
        this.algorithm = algorithm;
        this.unsupportedAlgorithm = false;
        return this;
    }

    /**
     * Publishes keys and signatures of an algorithm the testkit cannot compute (for example 3 DSA,
     * 12 GOST, 253 PRIVATEDNS, or an unassigned number): key and signature bytes are random, but
     * every other field, the key tags and the parent's DS digest are right. A validator must treat
     * the zone as Insecure (RFC 4035 §5.2), not Bogus.
     *
     * @param algorithm 1 to 255, and not one the testkit signs with
     */
    public ZoneBuilder unsupportedAlgorithm(int algorithm) {
        if (algorithm < 1 || algorithm > 255 || KeyMaker.canSign(algorithm)) {
            throw new IllegalArgumentException(
                    "unsupportedAlgorithm must be 1..255 and not one of 5, 7, 8, 10, 13, 14, 15, 16, got "
                            + algorithm);
        }
        this.algorithm = algorithm;
        this.unsupportedAlgorithm = true;
        return this;
    }

    /**
     * RSA modulus size in bits, 1024 to 4096 (default 2048); smaller keys make worlds build faster.
     */
    public ZoneBuilder rsaKeyBits(int bits) {
        if (bits < 1024 || bits > 4096) {
            throw new IllegalArgumentException("rsaKeyBits must be 1024..4096, got " + bits);
        }
        this.rsaBits = bits;
        return this;
    }

    /** One combined signing key (flags 257) instead of a KSK and a ZSK. */
    public ZoneBuilder singleKey() {
        this.splitKeys = false;
        return this;
    }

    /** Leaves the zone unsigned: the parent's delegation is provably insecure (no DS). */
    public ZoneBuilder unsigned() {
        this.signed = false;
        return this;
    }

    /** Signs the zone but publishes no DS in the parent (an island of security). */
    public ZoneBuilder withoutDsInParent() {
        this.dsInParent = false;
        return this;
    }

    /** Authenticated denial with NSEC (the default). */
    public ZoneBuilder nsec() {
        this.nsec3 = null;
        return this;
    }

    /**
     * Authenticated denial with NSEC3 (RFC 5155, SHA-1).
     *
     * @param iterations 0 to 65535 (RFC 9276 recommends 0; validators treat high values as insecure
     *     or bogus)
     * @param saltHex the salt in hex, empty or {@code "-"} for none, at most 255 octets
     * @param optOut whether insecure delegations are left out of the chain (flag bit 1)
     */
    public ZoneBuilder nsec3(int iterations, String saltHex, boolean optOut) {
        if (iterations < 0 || iterations > 65535) {
            throw new IllegalArgumentException(
                    "NSEC3 iterations must be 0..65535, got " + iterations);
        }
        byte[] salt;
        try {
            salt =
                    saltHex.isEmpty() || saltHex.equals("-")
                            ? new byte[0]
                            : HexFormat.of().parseHex(saltHex);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "NSEC3 salt must be hex digits (or \"-\" for none), got \"" + saltHex + "\"",
                    e);
        }
        if (salt.length > 255) {
            throw new IllegalArgumentException(
                    "NSEC3 salt must be at most 255 octets, got " + salt.length);
        }
        this.nsec3 = new ZoneSpec.Nsec3Params(iterations, salt, optOut);
        return this;
    }

    /**
     * Default TTL for records that name none, and for the zone's own SOA, NS and DNSKEY
     * (1..2^31-1).
     */
    public ZoneBuilder ttl(long seconds) {
        this.ttl = checkTtl("ttl", seconds);
        return this;
    }

    /**
     * SOA minimum: the TTL of negative answers and of NSEC/NSEC3 records (1..2^31-1, default 300).
     */
    public ZoneBuilder negativeTtl(long seconds) {
        this.negativeTtl = checkTtl("negativeTtl", seconds);
        return this;
    }

    /**
     * The address published for the zone's {@code ns1} host (apex NS target and glue in the
     * parent).
     */
    public ZoneBuilder nameserverAddress(String ipv4) {
        try {
            RecordFactory.ipv4(ipv4);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "nameserverAddress must be a dotted IPv4 address, got \"" + ipv4 + "\"", e);
        }
        this.nameserverAddress = ipv4;
        return this;
    }

    /**
     * Adds records in master-file form, one per line: owner (relative or absolute, {@code @} for
     * the apex), optional TTL and class, type, data. Example: {@code "www 300 IN A 192.0.2.1"}.
     *
     * @throws IllegalArgumentException naming the line when it does not parse or lies outside the
     *     zone
     */
    public ZoneBuilder record(String masterFileLines) {
        for (Record r : RecordFactory.parse(masterFileLines, origin, ttl)) {
            record(r);
        }
        return this;
    }

    /** Adds one record; its owner must be at or below the apex. */
    public ZoneBuilder record(Record record) {
        Objects.requireNonNull(record, "record");
        if (!record.getName().subdomain(origin)) {
            throw new IllegalArgumentException("record " + record + " lies outside zone " + origin);
        }
        if (record.getDClass() != DClass.IN) {
            throw new IllegalArgumentException("only class IN is served, got " + record);
        }
        records.add(record);
        return this;
    }

    /**
     * Adds a TLSA record for {@code _port._protocol.host} whose data is computed from a certificate
     * (RFC 6698 §2.1: selector 0 full certificate, 1 SubjectPublicKeyInfo; matching type 0 exact, 1
     * SHA-256, 2 SHA-512).
     */
    public ZoneBuilder tlsa(
            int port,
            String protocol,
            String host,
            X509Certificate certificate,
            int usage,
            int selector,
            int matchingType) {
        record(
                RecordFactory.tlsa(
                        name("_" + port + "._" + protocol, name(host)),
                        ttl,
                        certificate,
                        usage,
                        selector,
                        matchingType));
        return this;
    }

    /**
     * Adds an OPENPGPKEY record (RFC 7929) for an e-mail address whose domain lies in this zone;
     * the data is the binary transferable public key.
     */
    public ZoneBuilder openpgpkey(String address, byte[] transferablePublicKey) {
        record(RecordFactory.openpgpkey(address, ttl, transferablePublicKey));
        return this;
    }

    /**
     * Adds SSHFP records (RFC 4255, 6594, 7479, 8709) for a host from an OpenSSH public key line
     * ({@code ssh-ed25519 AAAA… comment}); with no fingerprint types given, both SHA-1 (1) and
     * SHA-256 (2), as {@code ssh-keygen -r} prints.
     */
    public ZoneBuilder sshfp(String host, String opensshPublicKey, int... fingerprintTypes) {
        int[] types = fingerprintTypes.length == 0 ? new int[] {1, 2} : fingerprintTypes;
        for (int t : types) {
            record(RecordFactory.sshfp(name(host), ttl, opensshPublicKey, t));
        }
        return this;
    }

    /**
     * Adds an IPSECKEY record (RFC 4025, RFC 8005) for {@code owner}. {@code gateway} is null (type
     * 0), a dotted IPv4 (type 1), an IPv6 address (type 2) or an absolute domain name (type 3); the
     * key is RSA (algorithm 2, RFC 3110 encoding), EC P-256/P-384 (algorithm 3) or Ed25519/Ed448
     * (algorithm 4).
     */
    public ZoneBuilder ipseckey(String owner, int precedence, String gateway, PublicKey key) {
        record(RecordFactory.ipseckey(name(owner), ttl, precedence, gateway, key));
        return this;
    }

    /** Breaks every RRset in the zone (DNSKEY, SOA, NSEC/NSEC3 and data alike). */
    public ZoneBuilder breakAll(Breakage breakage) {
        this.zoneBreakage = Objects.requireNonNull(breakage, "breakage");
        return this;
    }

    /** Breaks the RRset of {@code type} at {@code owner} (relative, absolute or {@code @}). */
    public ZoneBuilder breakRRset(String owner, int type, Breakage breakage) {
        rrsetBreakages.put(
                new ZoneSpec.RRsetKey(name(owner), type),
                Objects.requireNonNull(breakage, "breakage"));
        return this;
    }

    /**
     * Digest types of the DS records the parent publishes (default {@code 2}). Types 1, 2 and 4 are
     * computed; any other (for example 3 GOST, or an unassigned number) gets random digest bytes,
     * which is how a validator meets a digest it does not support.
     */
    public ZoneBuilder dsDigests(int... digestTypes) {
        if (digestTypes.length == 0) {
            throw new IllegalArgumentException(
                    "dsDigests needs at least one digest type; use withoutDsInParent() for none");
        }
        List<Integer> list = new ArrayList<>();
        for (int d : digestTypes) {
            if (d < 1 || d > 255) {
                throw new IllegalArgumentException("DS digest types must be 1..255, got " + d);
            }
            list.add(d);
        }
        this.dsDigests = List.copyOf(list);
        return this;
    }

    /**
     * The parent's DS digests a key this zone does not publish (a decoy), so the chain breaks
     * there.
     */
    public ZoneBuilder dsPointsToNoKey() {
        this.dsPointsToNoKey = true;
        return this;
    }

    /**
     * Publishes the KSK with the REVOKE bit (0x0080, RFC 5011 §2.1) and signs the DNSKEY RRset with
     * it; the parent's DS still digests the unrevoked key, so no DS matches.
     */
    public ZoneBuilder revokedKsk() {
        this.revokedKsk = true;
        return this;
    }

    /**
     * Publishes a second KSK that signs the DNSKEY RRset beside the first, with its own DS in the
     * parent: the middle of a KSK roll. Combined with {@link #revokedKsk()} the first KSK is
     * published revoked (RFC 5011 §2.1); with {@link #retirePrimaryKsk()} it is gone. To play a
     * roll over several worlds (one per phase, each with a later clock), build them all with {@link
     * World.Builder#reuseKeysAcrossWorlds()} so that both KSKs stay the same keys.
     */
    public ZoneBuilder standbyKsk() {
        this.standbyKsk = true;
        return this;
    }

    /**
     * Makes this zone a DLV registry entry for {@code zone} (RFC 4431, Historic per RFC 8749):
     * publishes, at {@code zone} prepended to this zone's apex, DLV records with the DS data that
     * zone's parent would publish (digest types as {@code zone}'s {@link #dsDigests}; {@link
     * #dsPointsToNoKey()} applies).
     *
     * @param zone an absolute zone name of the same world
     */
    public ZoneBuilder dlvFor(String zone) {
        try {
            dlvFor.add(Name.fromString(zone, Name.root));
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a domain name: \"" + zone + "\"", e);
        }
        return this;
    }

    /**
     * Stops publishing the first KSK; the standby KSK alone signs the DNSKEY RRset. Needs {@link
     * #standbyKsk()}.
     */
    public ZoneBuilder retirePrimaryKsk() {
        this.primaryKskRetired = true;
        return this;
    }

    /**
     * KeyTrap (CVE-2023-50387): publishes {@code decoyKeys} extra DNSKEYs with the same tag and
     * algorithm as the data-signing key, and puts {@code garbageSignatures} RRSIGs with that tag
     * before the real one on every RRset. The DNSKEY RRset itself stays validly signed.
     *
     * @param decoyKeys 0..10000
     * @param garbageSignatures 0..10000
     */
    public ZoneBuilder keyTrap(int decoyKeys, int garbageSignatures) {
        if (decoyKeys < 0
                || decoyKeys > 10000
                || garbageSignatures < 0
                || garbageSignatures > 10000) {
            throw new IllegalArgumentException(
                    "keyTrap counts must be 0..10000, got "
                            + decoyKeys
                            + " keys, "
                            + garbageSignatures
                            + " signatures");
        }
        this.keyTrapKeys = decoyKeys;
        this.keyTrapSignatures = garbageSignatures;
        return this;
    }

    /**
     * RSA modulus size of the zone-signing key only (1024..4096; default: {@link
     * #rsaKeyBits(int)}), for example the 1536-bit ZSK the root uses to keep double-signed DNSKEY
     * answers under 1,232 octets.
     */
    public ZoneBuilder zskRsaKeyBits(int bits) {
        if (bits < 1024 || bits > 4096) {
            throw new IllegalArgumentException("zskRsaKeyBits must be 1024..4096, got " + bits);
        }
        this.zskRsaBits = bits;
        return this;
    }

    /**
     * Describes the zone's keys one by one instead of the default KSK and ZSK: the first call
     * replaces the defaults, later calls add keys. Keys are published in call order; DNSKEY RRsets
     * are signed by every signing KSK/CSK, other RRsets by every signing ZSK/CSK, whatever their
     * algorithms (a zone with keys of two algorithms is double-signed). The parent publishes a DS
     * for each KSK/CSK that asks for one.
     *
     * @throws IllegalArgumentException when a key with the same label was described before
     */
    public ZoneBuilder key(KeyPlan plan) {
        Objects.requireNonNull(plan, "plan");
        for (KeyPlan p : keyPlans) {
            if (p.label().equals(plan.label())) {
                throw new IllegalArgumentException(
                        "zone "
                                + origin
                                + " already has a key labelled \""
                                + plan.label()
                                + "\"; labels name keys and must be unique in a zone");
            }
        }
        keyPlans.add(plan);
        return this;
    }

    /**
     * A double-signed zone (RFC 6781 §4.1.4, the middle of an algorithm roll): a KSK and a ZSK of
     * each algorithm, labelled {@code ksk-<alg>} and {@code zsk-<alg>}; the DNSKEY RRset is signed
     * by both KSKs and every other RRset by both ZSKs; the parent publishes a DS for both KSKs.
     */
    public ZoneBuilder doubleSigned(int firstAlgorithm, int secondAlgorithm) {
        if (firstAlgorithm == secondAlgorithm) {
            throw new IllegalArgumentException(
                    "doubleSigned needs two different algorithms, got "
                            + firstAlgorithm
                            + " twice");
        }
        for (int a : new int[] {firstAlgorithm, secondAlgorithm}) {
            key(KeyPlan.ksk("ksk-" + a, a));
            key(KeyPlan.zsk("zsk-" + a, a));
        }
        return this;
    }

    /**
     * Only the KSKs of {@code algorithm} sign the DNSKEY RRset; the other KSKs stay published
     * without signing it (a phase boundary of an algorithm roll). Needs keys described with {@link
     * #key(KeyPlan)}.
     */
    public ZoneBuilder dnskeySignedOnlyBy(int algorithm) {
        if (!KeyMaker.canSign(algorithm)) {
            throw new IllegalArgumentException(
                    "dnskeySignedOnlyBy must be one of 5, 7, 8, 10, 13, 14, 15, 16, got "
                            + algorithm);
        }
        this.dnskeySignedOnlyBy = algorithm;
        return this;
    }

    /** Breaks the denial-of-existence proofs of this zone's negative and wildcard answers. */
    public ZoneBuilder denialBreakage(DenialBreakage breakage) {
        this.denialBreakage = Objects.requireNonNull(breakage, "breakage");
        return this;
    }

    ZoneSpec build() {
        if (!signed
                && (zoneBreakage != null
                        || !rrsetBreakages.isEmpty()
                        || revokedKsk
                        || keyTrapKeys > 0
                        || keyTrapSignatures > 0
                        || dsPointsToNoKey
                        || denialBreakage != null
                        || unsupportedAlgorithm)) {
            throw new IllegalStateException(
                    "zone " + origin + " is unsigned; signature breakages need a signed zone");
        }
        if (primaryKskRetired && !standbyKsk) {
            throw new IllegalStateException(
                    "zone "
                            + origin
                            + ": retirePrimaryKsk() needs standbyKsk(), or nothing signs the keys");
        }
        if (origin.equals(Name.root) && !signed) {
            throw new IllegalStateException(
                    "the root zone must be signed: it holds the world's trust anchor");
        }
        if (!keyPlans.isEmpty()) {
            checkKeyPlans();
        } else if (dnskeySignedOnlyBy != 0) {
            throw new IllegalStateException(
                    "zone "
                            + origin
                            + ": dnskeySignedOnlyBy() needs keys described with key(KeyPlan)");
        }
        return new ZoneSpec(
                origin,
                signed,
                dsInParent,
                algorithm,
                rsaBits,
                splitKeys,
                nsec3,
                ttl,
                negativeTtl,
                nameserverAddress,
                List.copyOf(records),
                Map.copyOf(rrsetBreakages),
                zoneBreakage,
                dsDigests,
                dsPointsToNoKey,
                unsupportedAlgorithm,
                revokedKsk,
                keyTrapKeys,
                keyTrapSignatures,
                denialBreakage,
                standbyKsk,
                primaryKskRetired,
                List.copyOf(dlvFor),
                List.copyOf(keyPlans),
                zskRsaBits == 0 ? rsaBits : zskRsaBits,
                dnskeySignedOnlyBy);
    }

    private void checkKeyPlans() {
        if (!signed
                || unsupportedAlgorithm
                || !splitKeys
                || revokedKsk
                || standbyKsk
                || primaryKskRetired
                || keyTrapKeys > 0
                || keyTrapSignatures > 0
                || dsPointsToNoKey) {
            throw new IllegalStateException(
                    "zone "
                            + origin
                            + ": keys described with key(KeyPlan) cannot be combined with"
                            + " unsigned(), unsupportedAlgorithm(), singleKey(), revokedKsk(), standbyKsk(), retirePrimaryKsk(),"
                            + " keyTrap() or dsPointsToNoKey(); describe those keys with KeyPlan instead");
        }
        boolean signsKeys =
                keyPlans.stream()
                        .anyMatch(
                                p ->
                                        p.signs()
                                                && p.signsKeys()
                                                && KeyMaker.canSign(p.algorithm())
                                                && (dnskeySignedOnlyBy == 0
                                                        || p.algorithm() == dnskeySignedOnlyBy));
        boolean signsData =
                keyPlans.stream()
                        .anyMatch(
                                p -> p.signs() && p.signsData() && KeyMaker.canSign(p.algorithm()));
        if (!signsKeys || !signsData) {
            throw new IllegalStateException(
                    "zone "
                            + origin
                            + ": its keys leave the "
                            + (signsKeys ? "data" : "DNSKEY RRset")
                            + " unsigned; give at least one signing "
                            + (signsKeys ? "ZSK or CSK" : "KSK or CSK")
                            + (dnskeySignedOnlyBy == 0
                                    ? ""
                                    : " of algorithm " + dnskeySignedOnlyBy));
        }
    }

    private Name name(String s) {
        return name(s, origin);
    }

    private static Name name(String s, Name base) {
        if (s.equals("@")) {
            return base;
        }
        try {
            return Name.fromString(s, base);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a domain name: \"" + s + "\"", e);
        }
    }

    private static long checkTtl(String what, long seconds) {
        if (seconds < 1 || seconds > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    what + " must be 1..2147483647 seconds, got " + seconds);
        }
        return seconds;
    }
}
