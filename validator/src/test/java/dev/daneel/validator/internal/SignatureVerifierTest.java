package dev.daneel.validator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.validator.Limit;
import dev.daneel.validator.Limits;
import dev.daneel.validator.Reason;
import java.net.InetAddress;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;

/**
 * {@link SignatureVerifier} on RRsets signed in the test with keys made in the test, at a fixed
 * time: the validity window in serial-number arithmetic with skew, the zone-key and revoke bits,
 * key-tag collisions and the lookup's budget.
 */
class SignatureVerifierTest {

    private static final Name ZONE = Name.fromConstantString("example.test.");
    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    private static final Duration SKEW = Duration.ofMinutes(5);

    private record Key(DNSKEYRecord dnskey, KeyPair pair) {}

    private static Key key(int flags) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = g.generateKeyPair();
        return new Key(
                new DNSKEYRecord(
                        ZONE,
                        DClass.IN,
                        3600,
                        flags,
                        DNSKEYRecord.Protocol.DNSSEC,
                        DNSSEC.Algorithm.ECDSAP256SHA256,
                        pair.getPublic()),
                pair);
    }

    private static RRset signed(Key k, Instant inception, Instant expiration) throws Exception {
        RRset set =
                new RRset(
                        new ARecord(
                                Name.fromConstantString("www.example.test."),
                                DClass.IN,
                                3600,
                                InetAddress.getByName("192.0.2.1")));
        RRSIGRecord sig =
                DNSSEC.sign(set, k.dnskey(), k.pair().getPrivate(), inception, expiration);
        set.addRR(sig);
        return set;
    }

    private static SignatureVerifier verifier(Limits limits) {
        return new SignatureVerifier(NOW, SKEW, new Budget(limits), Crypto.STANDARD);
    }

    private static SignatureVerifier.Outcome verify(RRset set, Key... keys) {
        List<DNSKEYRecord> dnskeys = new ArrayList<>();
        for (Key k : keys) {
            dnskeys.add(k.dnskey());
        }
        return verifier(Limits.DEFAULT).verify(set, ZONE, dnskeys);
    }

    @Test
    void aSignatureInsideItsWindowVerifies() throws Exception {
        Key k = key(256);
        assertTrue(verify(signed(k, NOW.minusSeconds(3600), NOW.plusSeconds(3600)), k).secure());
    }

    @Test
    void theSkewIsAllowedOnBothEndsAndNoMore() throws Exception {
        Key k = key(256);
        assertTrue(
                verify(signed(k, NOW.minusSeconds(7200), NOW.minusSeconds(299)), k).secure(),
                "expired 299 s ago");
        assertEquals(
                Reason.SIGNATURE_EXPIRED,
                verify(signed(k, NOW.minusSeconds(7200), NOW.minusSeconds(301)), k).failure());
        assertTrue(
                verify(signed(k, NOW.plusSeconds(299), NOW.plusSeconds(7200)), k).secure(),
                "valid in 299 s");
        assertEquals(
                Reason.SIGNATURE_NOT_YET_VALID,
                verify(signed(k, NOW.plusSeconds(301), NOW.plusSeconds(7200)), k).failure());
    }

    @Test
    void aWindowOfTwoToTheThirtyFirstSecondsOrMoreIsNoWindow() throws Exception {
        // RFC 4034 §3.1.5 / RFC 1982: not "valid for 136 years". The signature itself is genuine.
        Key k = key(256);
        Instant inception = NOW.minusSeconds(3600);
        SignatureVerifier.Outcome huge =
                verify(signed(k, inception, inception.plusSeconds(1L << 31)), k);
        assertFalse(huge.secure());
        assertEquals(Reason.DNSSEC_BOGUS, huge.failure());
        assertTrue(huge.detail().contains("serial-number arithmetic"), huge.detail());
        assertTrue(
                verify(signed(k, inception, inception.plusSeconds((1L << 31) - 7200)), k).secure(),
                "just under 2^31 s is a window");
        assertFalse(
                verify(signed(k, NOW.plusSeconds(3600), NOW.minusSeconds(3600)), k).secure(),
                "expiration before inception");
    }

    @Test
    void aSignatureStillVerifiesAcrossTheThirtyTwoBitWrap() {
        // 2106-02-07: the RRSIG fields wrap to small numbers; the serial difference still orders
        // them.
        long wrap = 1L << 32;
        assertEquals(
                7200,
                SignatureWindow.difference(
                        (wrap + 3600) & 0xFFFF_FFFFL, (wrap - 3600) & 0xFFFF_FFFFL));
        assertTrue(SignatureWindow.difference(5, 0xFFFF_FFF0L) > 0, "5 comes after 2^32 - 16");
    }

    @Test
    void aKeyWithoutTheZoneBitSignsNothing() throws Exception {
        Key k = key(0);
        assertEquals(
                Reason.NO_ZONE_KEY_BIT_SET,
                verify(signed(k, NOW.minusSeconds(60), NOW.plusSeconds(3600)), k).failure());
    }

    @Test
    void aRevokedKeySignsOnlyItsOwnDnskeyRRset() throws Exception {
        Key k = key(257 | 0x0080);
        SignatureVerifier.Outcome o =
                verify(signed(k, NOW.minusSeconds(60), NOW.plusSeconds(3600)), k);
        assertFalse(o.secure());
        assertEquals(
                Reason.DNSKEY_MISSING, o.failure(), "the revoked key is no usable key for data");
    }

    @Test
    void aWrongKeyIsNotTheSigner() throws Exception {
        Key signer = key(256);
        Key other = key(256);
        SignatureVerifier.Outcome o =
                verify(signed(signer, NOW.minusSeconds(60), NOW.plusSeconds(3600)), other);
        assertFalse(o.secure());
    }

    @Test
    void keyTagCollisionsBeyondTheLimitStopTheWork() throws Exception {
        // Three keys with the signature's tag and algorithm, none of which verifies it (the data
        // was changed
        // after signing): with a limit of two, the third is never tried.
        Key signer = key(256);
        RRset set = signed(signer, NOW.minusSeconds(60), NOW.plusSeconds(3600));
        RRset tampered =
                new RRset(
                        new ARecord(
                                Name.fromConstantString("www.example.test."),
                                DClass.IN,
                                3600,
                                InetAddress.getByName("192.0.2.99")));
        set.sigs().forEach(tampered::addRR);
        List<DNSKEYRecord> sameTag = List.of(signer.dnskey(), signer.dnskey(), signer.dnskey());
        SignatureVerifier.Outcome o =
                verifier(Limits.DEFAULT.withMaxKeyTagCollisions(2)).verify(tampered, ZONE, sameTag);
        assertEquals(Reason.WORK_LIMIT_EXCEEDED, o.failure());
        assertEquals(Limit.KEY_TAG_COLLISIONS, o.limit());
        assertEquals(
                Reason.DNSSEC_BOGUS,
                verifier(Limits.DEFAULT)
                        .verify(tampered, ZONE, List.of(signer.dnskey()))
                        .failure());
    }

    @Test
    void theLookupsBudgetIsSharedAndNamedWhenSpent() throws Exception {
        Key k = key(256);
        RRset set = signed(k, NOW.minusSeconds(60), NOW.plusSeconds(3600));
        SignatureVerifier v = verifier(Limits.DEFAULT.withMaxSignatureChecks(1));
        assertTrue(v.verify(set, ZONE, List.of(k.dnskey())).secure());
        SignatureVerifier.Outcome second = v.verify(set, ZONE, List.of(k.dnskey()));
        assertEquals(Limit.SIGNATURE_CHECKS, second.limit());
    }
}
