package dev.daneel.testkit;

import java.security.PrivateKey;
import java.util.Objects;
import org.xbill.DNS.DNSKEYRecord;

/**
 * A zone's signing key: its published DNSKEY record and the private key that makes its signatures.
 *
 * <p>For keys of an algorithm no validator supports ({@link ZoneBuilder#unsupportedAlgorithm(int)})
 * and for KeyTrap decoys there is no private key; {@link #privateKey()} is then {@code null}.
 *
 * <pre>{@code
 * ZoneKey ksk = world.zone("example.test.").keys().get(0);
 * int tag = ksk.dnskey().getFootprint();
 * }</pre>
 *
 * @param dnskey the DNSKEY record as published (for a revoked key, with the REVOKE bit set)
 * @param privateKey the private key, or {@code null} for keys that cannot sign
 * @param role what the key signs
 */
public record ZoneKey(DNSKEYRecord dnskey, PrivateKey privateKey, Role role) {

    /** What a key signs. */
    public enum Role {
        /** Key-signing key (flags 257): signs the DNSKEY RRset; the parent's DS points at it. */
        KSK,
        /** Zone-signing key (flags 256): signs every other RRset. */
        ZSK,
        /** Combined signing key (flags 257): signs everything. */
        CSK
    }

    /** Checks that the DNSKEY and its role are present. */
    public ZoneKey {
        Objects.requireNonNull(dnskey, "dnskey");
        Objects.requireNonNull(role, "role");
    }

    /** The key tag (RFC 4034 Appendix B) of the published key. */
    public int keyTag() {
        return dnskey.getFootprint();
    }

    /** The DNSSEC algorithm number. */
    public int algorithm() {
        return dnskey.getAlgorithm();
    }

    /** Whether this key signs the DNSKEY RRset. */
    public boolean signsKeys() {
        return role != Role.ZSK;
    }

    /** Whether this key signs RRsets other than DNSKEY. */
    public boolean signsData() {
        return role != Role.KSK;
    }
}
