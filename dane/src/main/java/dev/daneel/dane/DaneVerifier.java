package dev.daneel.dane;

import dev.daneel.dane.internal.Association;
import dev.daneel.dane.internal.ChainWalk;
import dev.daneel.dane.internal.HostnameMatcher;
import dev.daneel.dane.internal.PkixCheck;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Matches a presented certificate chain against TLSA records, exactly as RFC 6698 and RFC 7671 say.
 *
 * <ul>
 *   <li>Unusable records (unassigned usage, selector or matching type, a digest of the wrong
 *       length, Full(0) data that does not parse) are ignored; when no usable record remains the
 *       result is {@link DaneResult.NoUsableRecords} and the caller authenticates as it would
 *       without DANE.
 *   <li>Digest agility (RFC 7671 §9): within one usage and selector, only the strongest digest
 *       present is used (SHA2-512 over SHA2-256); Full(0) records are always used.
 *   <li>DANE-EE(3) matches the leaf only; no name, expiry or chain checks (RFC 7671 §5.1).
 *   <li>DANE-TA(2) matches a certificate at depth ≥ 1, or — for Full(0) data — is a certificate or
 *       bare key that signs the top of the chain built so far. Every certificate below it must be
 *       issued by the one above by signature, not by name alone, be inside its validity period, and
 *       the leaf must carry a reference name (RFC 7671 §5.2).
 *   <li>PKIX-TA(0) and PKIX-EE(1) match like usages 2 and 3, and the chain must also pass PKIX
 *       validation to the configured trust store (the JDK's by default); Full(0) certificates in
 *       PKIX-TA records help build that path, as RFC 6698 §2.1.1 allows. The leaf must carry a
 *       reference name.
 *   <li>A usable record set that matches nothing is {@link DaneResult.Failed}; there is no
 *       fallback.
 * </ul>
 *
 * <pre>{@code
 * DaneVerifier verifier = DaneVerifier.builder().build();
 * DaneResult r = verifier.verify(chain, List.of(TlsaRecord.parse("3 1 1 3111…")), List.of("example.com"));
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class DaneVerifier {

    private final Clock clock;
    private final List<X509Certificate> trustStore;
    private final boolean nameChecksOnDaneEe;

    private DaneVerifier(Builder b) {
        this.clock = b.clock;
        this.trustStore = b.trustStore;
        this.nameChecksOnDaneEe = b.nameChecksOnDaneEe;
    }

    /** Starts configuring a verifier. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Verifies {@code chain} (leaf first, as presented) against {@code records}.
     *
     * @param referenceNames the names the leaf must carry where a name check applies: the TLSA base
     *     domain and, for a CNAME-expanded base domain, the original name too (RFC 7671 §7)
     */
    public DaneResult verify(
            List<X509Certificate> chain,
            Collection<TlsaRecord> records,
            Collection<String> referenceNames) {
        Objects.requireNonNull(chain, "chain");
        if (chain.isEmpty()) {
            return new DaneResult.Failed(
                    DaneFailure.EMPTY_CHAIN, -1, "the peer presented no certificate");
        }
        List<TlsaRecord> usable = usable(records);
        if (usable.isEmpty()) {
            return new DaneResult.NoUsableRecords();
        }
        X509Certificate leaf = chain.get(0);
        for (TlsaRecord r : usable) {
            if (r.usage() == CertUsage.DANE_EE.code() && Association.matches(r, leaf)) {
                if (nameChecksOnDaneEe && !HostnameMatcher.matches(leaf, referenceNames)) {
                    return nameMismatch(leaf, referenceNames, 0);
                }
                return new DaneResult.Authenticated(CertUsage.DANE_EE, 0, r);
            }
        }
        Optional<TlsaRecord> pkixEe =
                usable.stream()
                        .filter(
                                r ->
                                        r.usage() == CertUsage.PKIX_EE.code()
                                                && Association.matches(r, leaf))
                        .findFirst();
        boolean anyTa =
                usable.stream()
                        .anyMatch(
                                r ->
                                        r.usage() == CertUsage.DANE_TA.code()
                                                || r.usage() == CertUsage.PKIX_TA.code());
        if (!anyTa && pkixEe.isEmpty()) {
            return noMatch(usable);
        }
        ChainWalk walk = ChainWalk.walk(chain, usable, trustStore);
        if (walk.daneTa() != null) {
            int depth = walk.daneTaDepth();
            Optional<String> expired =
                    ChainWalk.outOfValidity(walk.path(), walk.belowTa(), clock.instant());
            if (expired.isPresent()) {
                return new DaneResult.Failed(DaneFailure.CERTIFICATE_EXPIRED, depth, expired.get());
            }
            if (!HostnameMatcher.matches(leaf, referenceNames)) {
                return nameMismatch(leaf, referenceNames, depth);
            }
            return new DaneResult.Authenticated(CertUsage.DANE_TA, depth, walk.daneTa());
        }
        int pkixDepth = pkixEe.isPresent() ? 0 : walk.pkixTaDepth();
        TlsaRecord pkixRecord = pkixEe.orElse(walk.pkixTa());
        if (pkixRecord == null) {
            return noMatch(usable);
        }
        if (walk.anchor() == null) {
            return new DaneResult.Failed(
                    DaneFailure.NO_TRUSTED_ISSUER,
                    pkixDepth,
                    "record "
                            + pkixRecord
                            + " matched at depth "
                            + pkixDepth
                            + ", but no issuer of "
                            + walk.path().get(walk.path().size() - 1).getSubjectX500Principal()
                            + " is in the PKIX trust store ("
                            + trustStore.size()
                            + " certificates)");
        }
        Optional<String> pkixError =
                PkixCheck.validate(walk.pathBelowAnchor(), walk.anchor(), clock.instant());
        if (pkixError.isPresent()) {
            return new DaneResult.Failed(DaneFailure.PKIX_INVALID, pkixDepth, pkixError.get());
        }
        if (!HostnameMatcher.matches(leaf, referenceNames)) {
            return nameMismatch(leaf, referenceNames, pkixDepth);
        }
        return new DaneResult.Authenticated(
                pkixEe.isPresent() ? CertUsage.PKIX_EE : CertUsage.PKIX_TA, pkixDepth, pkixRecord);
    }

    /** The usable records, after digest agility (RFC 7671 §9). */
    static List<TlsaRecord> usable(Collection<TlsaRecord> records) {
        List<TlsaRecord> usable = new ArrayList<>();
        for (TlsaRecord r : records) {
            if (!r.usable()) {
                continue;
            }
            if (r.matchingType() == MatchingType.FULL.code()) {
                boolean parses =
                        r.selector() == Selector.CERT.code()
                                ? Association.certificate(r.data()).isPresent()
                                : Association.publicKey(r.data()).isPresent();
                if (!parses) {
                    continue;
                }
            }
            usable.add(r);
        }
        List<TlsaRecord> out = new ArrayList<>();
        for (TlsaRecord r : usable) {
            boolean weaker =
                    r.matchingType() == MatchingType.SHA2_256.code()
                            && usable.stream()
                                    .anyMatch(
                                            o ->
                                                    o.usage() == r.usage()
                                                            && o.selector() == r.selector()
                                                            && o.matchingType()
                                                                    == MatchingType.SHA2_512
                                                                            .code());
            if (!weaker) {
                out.add(r);
            }
        }
        return out;
    }

    private static DaneResult noMatch(List<TlsaRecord> usable) {
        return new DaneResult.Failed(
                DaneFailure.NO_MATCH,
                -1,
                "none of the "
                        + usable.size()
                        + " usable TLSA records matches the presented chain");
    }

    private static DaneResult nameMismatch(
            X509Certificate leaf, Collection<String> names, int depth) {
        return new DaneResult.Failed(
                DaneFailure.NAME_MISMATCH,
                depth,
                "the leaf's names "
                        + HostnameMatcher.identifiers(leaf)
                        + " include none of the reference names "
                        + names);
    }

    /** Configures a {@link DaneVerifier}; every setter checks its argument at once. */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private List<X509Certificate> trustStore;
        private boolean nameChecksOnDaneEe;

        private Builder() {}

        /** The clock validity periods are judged by (default the system UTC clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The PKIX trust anchors for usages 0 and 1 (default: the JDK's default trust store). */
        public Builder trustStore(Collection<X509Certificate> anchors) {
            this.trustStore = List.copyOf(anchors);
            return this;
        }

        /**
         * Also check the leaf's name when a DANE-EE(3) record matched. RFC 7671 §5.1 says not to;
         * this exists for OpenSSL's test cases, which check names unless told otherwise.
         */
        public Builder nameChecksOnDaneEe(boolean check) {
            this.nameChecksOnDaneEe = check;
            return this;
        }

        /** The verifier. */
        public DaneVerifier build() {
            if (trustStore == null) {
                trustStore = PkixCheck.jdkTrustStore();
            }
            return new DaneVerifier(this);
        }
    }
}
