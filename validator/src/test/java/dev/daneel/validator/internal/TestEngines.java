package dev.daneel.validator.internal;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;

/**
 * Engines for the conformance harness, built through the engine's package-private crypto seam: test
 * code only, never in the library's jar.
 */
public final class TestEngines {

    private TestEngines() {}

    /**
     * An engine with Unbound's {@code fake-sha1: yes}, for replaying Unbound's own scenarios only:
     * signatures of RSASHA1 (5), RSASHA1-NSEC3-SHA1 (7), DSA (3) and DSA-NSEC3-SHA1 (6) always
     * verify, and DSA counts as supported. Those scenarios were signed with DER-encoded DSA
     * signatures no real implementation accepts; the option lets them exercise the proof logic they
     * were written for.
     */
    public static Engine withUnboundFakeSha1(EngineConfig config) {
        return new Engine(config, new FakeSha1());
    }

    /** Unbound's fake-sha1 as a {@link Crypto}. */
    static final class FakeSha1 implements Crypto {
        private static final Set<Integer> FAKED = Set.of(3, 5, 6, 7);

        @Override
        public boolean supported(int algorithm) {
            return FAKED.contains(algorithm) || STANDARD.supported(algorithm);
        }

        @Override
        public Optional<String> check(
                RRset set, RRSIGRecord signature, DNSKEYRecord key, Instant at) {
            return FAKED.contains(signature.getAlgorithm())
                    ? Optional.empty()
                    : STANDARD.check(set, signature, key, at);
        }
    }
}
