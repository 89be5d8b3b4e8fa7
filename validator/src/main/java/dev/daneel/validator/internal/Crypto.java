package dev.daneel.validator.internal;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;

/**
 * The cryptographic primitive and the algorithm policy behind it: the one seam between validation
 * logic and signature mathematics (Unbound's {@code val_secalgo.c}). The engine always uses {@link
 * #STANDARD}; tests may pass another through the engine's package-private constructor.
 */
interface Crypto {

    /** Whether signatures of this algorithm can make anything Secure. */
    boolean supported(int algorithm);

    /**
     * Verifies one signature over an RRset with one key, as of {@code at}: empty when it verifies,
     * else why not. Each call is one verification; the caller counts it against the lookup's
     * budget.
     */
    Optional<String> check(RRset set, RRSIGRecord signature, DNSKEYRecord key, Instant at);

    /**
     * The real thing with the RFC 8624 policy: ECDSA and EdDSA computed by {@link EcSignatures}
     * (Bouncy Castle's curve code, about ten times faster than the JDK 17 providers), RSA by
     * dnsjava's {@link DNSSEC#verify}. A failing EC signature is computed once, never again for its
     * reason. RSASHA1 (5) and RSASHA1-NSEC3-SHA1 (7) are accepted but reported; RSAMD5 (1), DSA (3,
     * 6), GOST (12) and unknown numbers never make anything Secure.
     */
    Crypto STANDARD =
            new Crypto() {
                private final Set<Integer> supported = Set.of(5, 7, 8, 10, 13, 14, 15, 16);

                @Override
                public boolean supported(int algorithm) {
                    return supported.contains(algorithm);
                }

                @Override
                public Optional<String> check(
                        RRset set, RRSIGRecord signature, DNSKEYRecord key, Instant at) {
                    if (EcSignatures.handles(signature.getAlgorithm())) {
                        return EcSignatures.check(set, signature, key, at);
                    }
                    try {
                        DNSSEC.verify(set, signature, key, at);
                        return Optional.empty();
                    } catch (DNSSEC.DNSSECException e) {
                        return Optional.of(String.valueOf(e.getMessage()));
                    }
                }
            };
}
