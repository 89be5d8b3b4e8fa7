package dev.daneel.anchors;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;

/** ECDSA P-256 (algorithm 13) keys and signed DNSKEY RRsets made in code, for tracker tests. */
public final class TestKeys {

    /** A DNSKEY and the private key that signs as it. */
    public record SigningKey(DNSKEYRecord dnskey, PrivateKey privateKey) {
        public int tag() {
            return dnskey.getFootprint();
        }

        /** The same key published with the REVOKE bit (flags | 0x0080). */
        public SigningKey revoked() {
            DNSKEYRecord k = dnskey;
            return new SigningKey(
                    new DNSKEYRecord(
                            k.getName(),
                            DClass.IN,
                            k.getTTL(),
                            k.getFlags() | DNSKEYRecord.Flags.REVOKE,
                            k.getProtocol(),
                            k.getAlgorithm(),
                            k.getKey()),
                    privateKey);
        }

        /** The SHA-256 DS of the key. */
        public DSRecord ds() {
            return new DSRecord(
                    dnskey.getName(), DClass.IN, dnskey.getTTL(), DNSSEC.Digest.SHA256, dnskey);
        }
    }

    private TestKeys() {}

    /** A new key-signing key (flags 257). */
    public static SigningKey ksk(Name zone, long ttl) {
        return key(zone, ttl, 257);
    }

    /** A new zone-signing key (flags 256). */
    public static SigningKey zsk(Name zone, long ttl) {
        return key(zone, ttl, 256);
    }

    private static SigningKey key(Name zone, long ttl, int flags) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair kp = g.generateKeyPair();
            DNSKEYRecord k =
                    new DNSKEYRecord(
                            zone,
                            DClass.IN,
                            ttl,
                            flags,
                            3,
                            DNSSEC.Algorithm.ECDSAP256SHA256,
                            kp.getPublic());
            return new SigningKey(k, kp.getPrivate());
        } catch (GeneralSecurityException | DNSSEC.DNSSECException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The DNSKEY RRset of {@code published} keys, signed by each of {@code signers}, valid
     * from/until.
     */
    public static RRset dnskeys(
            List<SigningKey> published,
            List<SigningKey> signers,
            Instant inception,
            Instant expiration) {
        RRset rrset = new RRset();
        for (SigningKey k : published) {
            rrset.addRR(k.dnskey());
        }
        for (SigningKey s : signers) {
            try {
                RRSIGRecord sig =
                        DNSSEC.sign(rrset, s.dnskey(), s.privateKey(), inception, expiration);
                rrset.addRR(sig);
            } catch (DNSSEC.DNSSECException e) {
                throw new IllegalStateException(e);
            }
        }
        return rrset;
    }
}
