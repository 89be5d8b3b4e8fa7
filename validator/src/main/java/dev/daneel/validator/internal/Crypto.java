package dev.daneel.validator.internal;

import java.time.Instant;
import java.util.Set;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;

/**
 * The cryptographic primitive and the algorithm policy behind it: the one seam between validation logic
 * and signature mathematics (Unbound's {@code val_secalgo.c}).
 */
public interface Crypto {

    /** Whether signatures of this algorithm can make anything Secure. */
    boolean supported(int algorithm);

    /** Verifies one signature over an RRset with one key, as of {@code at}; throws when it does not verify. */
    void verify(RRset set, RRSIGRecord signature, DNSKEYRecord key, Instant at) throws DNSSEC.DNSSECException;

    /**
     * The real thing: dnsjava's {@link DNSSEC#verify} (ECDSA and EdDSA computed by {@link EcSignatures},
     * which is about ten times faster than the JDK 17 code) with the RFC 8624 policy. RSASHA1 (5) and
     * RSASHA1-NSEC3-SHA1 (7) are accepted but reported; RSAMD5 (1), DSA (3, 6), GOST (12) and unknown
     * numbers never make anything Secure.
     */
    Crypto STANDARD = new Crypto() {
        private final Set<Integer> supported = Set.of(5, 7, 8, 10, 13, 14, 15, 16);

        @Override
        public boolean supported(int algorithm) {
            return supported.contains(algorithm);
        }

        @Override
        public void verify(RRset set, RRSIGRecord signature, DNSKEYRecord key, Instant at) throws DNSSEC.DNSSECException {
            if (!EcSignatures.verifies(set, signature, key, at)) {
                DNSSEC.verify(set, signature, key, at); // RSA, or a failure that needs its reason
            }
        }
    };

    /**
     * Unbound's {@code fake-sha1: yes}, for replaying Unbound's own test scenarios only: signatures of
     * RSASHA1 (5), RSASHA1-NSEC3-SHA1 (7), DSA (3) and DSA-NSEC3-SHA1 (6) always verify, and DSA counts as
     * supported. Those scenarios were signed with DER-encoded DSA signatures no real implementation accepts;
     * the option lets them exercise the proof logic they were written for. Never use it anywhere else.
     */
    static Crypto insecureFakeSha1ForTests() {
        return new Crypto() {
            private final Set<Integer> faked = Set.of(3, 5, 6, 7);

            @Override
            public boolean supported(int algorithm) {
                return faked.contains(algorithm) || STANDARD.supported(algorithm);
            }

            @Override
            public void verify(RRset set, RRSIGRecord signature, DNSKEYRecord key, Instant at) throws DNSSEC.DNSSECException {
                if (!faked.contains(signature.getAlgorithm())) {
                    STANDARD.verify(set, signature, key, at);
                }
            }
        };
    }
}
