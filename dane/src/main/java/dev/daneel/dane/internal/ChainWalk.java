package dev.daneel.dane.internal;

import dev.daneel.dane.CertUsage;
import dev.daneel.dane.MatchingType;
import dev.daneel.dane.Selector;
import dev.daneel.dane.TlsaRecord;
import java.security.PublicKey;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * Builds the chain upwards from the leaf, one issuer at a time, accepting an issuer only when its
 * subject names the child's issuer and its key verifies the child's signature; along the way it
 * notes the first DANE-TA and PKIX-TA match and the first PKIX trust anchor reached. Immutable once
 * built.
 */
public final class ChainWalk {

    /**
     * Longest chain followed. Real chains are 2–4 certificates; the bound keeps a hostile peer's
     * pile of certificates from costing more than a few dozen signature checks per step.
     */
    public static final int MAX_CHAIN_DEPTH = 12;

    /**
     * Presented certificates considered as issuers. TLS stacks send a handful; the bound keeps the
     * signature checks per handshake at most {@code MAX_CHAIN_DEPTH * MAX_PRESENTED} whatever a
     * peer sends.
     */
    public static final int MAX_PRESENTED = 24;

    private final List<X509Certificate> path = new ArrayList<>();
    private TlsaRecord daneTa;
    private int daneTaDepth = -1;
    private int belowTa;
    private TlsaRecord pkixTa;
    private int pkixTaDepth = -1;
    private X509Certificate anchor;
    private int anchorDepth = -1;

    private ChainWalk() {}

    /**
     * Walks {@code chain} (leaf first) with the usable {@code records} and PKIX {@code trustStore}.
     */
    public static ChainWalk walk(
            List<X509Certificate> chain,
            List<TlsaRecord> records,
            List<X509Certificate> trustStore) {
        ChainWalk w = new ChainWalk();
        List<X509Certificate> pool =
                new ArrayList<>(chain.subList(1, Math.min(chain.size(), MAX_PRESENTED)));
        List<TlsaRecord> taFullCerts = new ArrayList<>();
        List<TlsaRecord> taFullKeys = new ArrayList<>();
        for (TlsaRecord r : records) {
            if (r.matchingType() != MatchingType.FULL.code()) {
                continue;
            }
            if (r.usage() == CertUsage.PKIX_TA.code() && r.selector() == Selector.CERT.code()) {
                // RFC 6698 §2.1.1: a PKIX-TA certificate may be absent from the handshake; it helps
                // build the path.
                Association.certificate(r.data()).ifPresent(pool::add);
            } else if (r.usage() == CertUsage.DANE_TA.code()) {
                (r.selector() == Selector.CERT.code() ? taFullCerts : taFullKeys).add(r);
            }
        }
        w.path.add(chain.get(0));
        for (int d = 0; d < MAX_CHAIN_DEPTH; d++) {
            X509Certificate cur = w.path.get(d);
            if (d >= 1) {
                for (TlsaRecord r : records) {
                    if (r.usage() == CertUsage.DANE_TA.code() && Association.matches(r, cur)) {
                        return w.daneTa(r, d, d);
                    }
                }
                w.notePkixTa(records, cur, d);
            }
            if (w.anchor == null && trustStore.contains(cur)) {
                w.anchor = cur;
                w.anchorDepth = d;
            }
            for (TlsaRecord r : taFullCerts) {
                X509Certificate ta = Association.certificate(r.data()).orElseThrow();
                if (!ta.equals(cur) && Association.issued(ta, cur)) {
                    return w.daneTa(r, d + 1, d + 1);
                }
            }
            if (w.anchor == null) {
                for (X509Certificate a : trustStore) {
                    if (Association.issued(a, cur)) {
                        w.anchor = a;
                        w.anchorDepth = d + 1;
                        w.notePkixTa(records, a, d + 1);
                        break;
                    }
                }
            }
            X509Certificate next = null;
            for (X509Certificate c : pool) {
                if (!w.path.contains(c) && Association.issued(c, cur)) {
                    next = c;
                    break;
                }
            }
            if (next == null) {
                break;
            }
            w.path.add(next);
        }
        // A bare DANE-TA key is tried once the peer's certificates are used up, against the top of
        // the chain
        // (OpenSSL does the same, and reports the depth of the certificate the key signed).
        int top = w.path.size() - 1;
        for (TlsaRecord r : taFullKeys) {
            PublicKey key = Association.publicKey(r.data()).orElseThrow();
            if (Association.signedBy(w.path.get(top), key)) {
                return w.daneTa(r, top, top + 1);
            }
        }
        return w;
    }

    private ChainWalk daneTa(TlsaRecord r, int depth, int below) {
        daneTa = r;
        daneTaDepth = depth;
        belowTa = below;
        return this;
    }

    private void notePkixTa(List<TlsaRecord> records, X509Certificate cert, int depth) {
        if (pkixTa != null) {
            return;
        }
        for (TlsaRecord r : records) {
            if (r.usage() == CertUsage.PKIX_TA.code() && Association.matches(r, cert)) {
                pkixTa = r;
                pkixTaDepth = depth;
                return;
            }
        }
    }

    /**
     * The first certificate of {@code path}'s first {@code count} that is outside its validity
     * period.
     */
    public static Optional<String> outOfValidity(
            List<X509Certificate> path, int count, Instant at) {
        for (int i = 0; i < count && i < path.size(); i++) {
            X509Certificate c = path.get(i);
            try {
                c.checkValidity(Date.from(at));
            } catch (CertificateExpiredException | CertificateNotYetValidException e) {
                return Optional.of(
                        "certificate at depth "
                                + i
                                + " ("
                                + c.getSubjectX500Principal()
                                + ") is valid "
                                + c.getNotBefore().toInstant()
                                + " .. "
                                + c.getNotAfter().toInstant()
                                + ", not at "
                                + at);
            }
        }
        return Optional.empty();
    }

    /** The certificates from the leaf up, each issued by the next by signature. */
    public List<X509Certificate> path() {
        return List.copyOf(path);
    }

    /** The DANE-TA record that matched, or null. */
    public TlsaRecord daneTa() {
        return daneTa;
    }

    /** The depth of the DANE-TA match, or -1. */
    public int daneTaDepth() {
        return daneTaDepth;
    }

    /**
     * How many certificates of {@link #path()} lie below the DANE trust anchor (their dates are
     * checked).
     */
    public int belowTa() {
        return belowTa;
    }

    /** The first PKIX-TA record that matched, or null. */
    public TlsaRecord pkixTa() {
        return pkixTa;
    }

    /** The depth of the PKIX-TA match, or -1. */
    public int pkixTaDepth() {
        return pkixTaDepth;
    }

    /** The PKIX trust store certificate the path reaches, or null. */
    public X509Certificate anchor() {
        return anchor;
    }

    /** The path below the PKIX anchor. */
    public List<X509Certificate> pathBelowAnchor() {
        return List.copyOf(path.subList(0, Math.min(anchorDepth, path.size())));
    }
}
