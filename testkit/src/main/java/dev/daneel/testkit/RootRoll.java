package dev.daneel.testkit;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.xbill.DNS.DNSSEC;

/**
 * The root's published plan for its trust anchor from 2026 to about 2030, as a script of phases
 * with dates, played with test keys that take the real keys' roles: the KSK-2017 roll ends (revoked
 * in January 2027, then removed), then the root KSK rolls from RSA/SHA-256 (8) to ECDSA
 * P-256/SHA-256 (13) with a double-signed root whose RSA ZSK shrinks from 2048 to 1536 bits, the
 * ECDSA KSK is trusted through RFC 5011, and the RSA KSK is revoked and retired by 2029.
 *
 * <pre>{@code
 * for (RootRoll.Phase phase : RootRoll.phases()) {
 *     clock.set(phase.start());
 *     try (World w = World.builder().clock(clock).port(port).reuseKeysAcrossWorlds()
 *             .zone(".", phase::describeRoot)
 *             .zone("test.", z -> z.record("www A 192.0.2.1"))
 *             .start()) {
 *         // resolve through w.address() ...
 *     }
 * }
 * }</pre>
 *
 * <p>Keys are named by {@link KeyPlan} labels ({@link #KSK_2017}, {@link #KSK_2024}, {@link
 * #KSK_ECDSA}, ...), so worlds built with {@link World.Builder#reuseKeysAcrossWorlds()} hold the
 * same key under the same label in every phase; the "built-in" anchors of a jar built in 2026 are
 * the DS records of {@link #KSK_2017} and {@link #KSK_2024} (see {@link #initialAnchorLabels()}).
 * Dates are the plan's approximate ones; only their order and spacing (hold-downs are 30 days)
 * matter to a validator. ZSKs are pre-published one phase before they sign (RFC 6781 §4.1.1.1),
 * because a validator that cached the DNSKEY RRset (two days, the root's TTL) would otherwise meet
 * signatures by a key it has not seen. Immutable and thread-safe.
 */
public final class RootRoll {

    /** The test key playing KSK-2017 (tag 20326): RSA/SHA-256, 2048 bits. */
    public static final String KSK_2017 = "ksk-2017";

    /** The test key playing KSK-2024 (tag 38696): RSA/SHA-256, 2048 bits. */
    public static final String KSK_2024 = "ksk-2024";

    /** The test key playing the new ECDSA P-256 root KSK. */
    public static final String KSK_ECDSA = "ksk-ecdsa";

    /** The RSA ZSK of today's root: 2048 bits. */
    public static final String ZSK_RSA_2048 = "zsk-rsa-2048";

    /**
     * The RSA ZSK of the double-signed root: 1536 bits, to keep DNSKEY answers under 1,232 octets.
     */
    public static final String ZSK_RSA_1536 = "zsk-rsa-1536";

    /** The ECDSA P-256 ZSK. */
    public static final String ZSK_ECDSA = "zsk-ecdsa";

    /**
     * TTL of the root's DNSKEY and other apex RRsets: two days, as the real root publishes them.
     */
    public static final long ROOT_TTL = 172_800;

    private static final int RSA = DNSSEC.Algorithm.RSASHA256;
    private static final int ECDSA = DNSSEC.Algorithm.ECDSAP256SHA256;

    private static final List<Phase> PHASES =
            List.of(
                    new Phase(
                            "ksk-2024-signs",
                            Instant.parse("2026-11-01T00:00:00Z"),
                            "KSK-2024 signs the DNSKEY RRset, KSK-2017 is still published; RSA ZSK of 2048 bits",
                            List.of(
                                    KeyPlan.ksk(KSK_2017, RSA).publishedOnly(),
                                    KeyPlan.ksk(KSK_2024, RSA),
                                    KeyPlan.zsk(ZSK_RSA_2048, RSA)),
                            0),
                    new Phase(
                            "ksk-2017-revoked",
                            Instant.parse("2027-01-11T00:00:00Z"),
                            "KSK-2017 published with the REVOKE bit and self-signed; KSK-2024 signs",
                            List.of(
                                    KeyPlan.ksk(KSK_2017, RSA).revoke(),
                                    KeyPlan.ksk(KSK_2024, RSA),
                                    KeyPlan.zsk(ZSK_RSA_2048, RSA)),
                            0),
                    new Phase(
                            "ksk-2017-removed",
                            Instant.parse("2027-04-01T00:00:00Z"),
                            "KSK-2017 gone; KSK-2024 alone; the 1536-bit RSA ZSK pre-published",
                            List.of(
                                    KeyPlan.ksk(KSK_2024, RSA),
                                    KeyPlan.zsk(ZSK_RSA_2048, RSA),
                                    KeyPlan.zsk(ZSK_RSA_1536, RSA).rsaBits(1536).publishedOnly()),
                            0),
                    new Phase(
                            "rsa-zsk-1536",
                            Instant.parse("2027-07-01T00:00:00Z"),
                            "the 1536-bit RSA ZSK signs; the 2048-bit one stays published, no longer signing",
                            List.of(
                                    KeyPlan.ksk(KSK_2024, RSA),
                                    KeyPlan.zsk(ZSK_RSA_2048, RSA).publishedOnly(),
                                    KeyPlan.zsk(ZSK_RSA_1536, RSA).rsaBits(1536)),
                            0),
                    new Phase(
                            "double-signed",
                            Instant.parse("2027-10-01T00:00:00Z"),
                            "ECDSA KSK and ZSK published; DNSKEY RRset signed by both KSKs, every RRset by both ZSKs",
                            List.of(
                                    KeyPlan.ksk(KSK_2024, RSA), KeyPlan.ksk(KSK_ECDSA, ECDSA),
                                    KeyPlan.zsk(ZSK_RSA_1536, RSA).rsaBits(1536),
                                            KeyPlan.zsk(ZSK_ECDSA, ECDSA)),
                            0),
                    new Phase(
                            "ecdsa-ksk-trusted",
                            Instant.parse("2027-11-15T00:00:00Z"),
                            "still double-signed; the ECDSA KSK has passed the 30-day RFC 5011 add hold-down",
                            List.of(
                                    KeyPlan.ksk(KSK_2024, RSA), KeyPlan.ksk(KSK_ECDSA, ECDSA),
                                    KeyPlan.zsk(ZSK_RSA_1536, RSA).rsaBits(1536),
                                            KeyPlan.zsk(ZSK_ECDSA, ECDSA)),
                            0),
                    new Phase(
                            "dnskey-ecdsa-only",
                            Instant.parse("2028-10-01T00:00:00Z"),
                            "phase boundary: only the ECDSA KSK signs the DNSKEY RRset (the RSA KSK is published);"
                                    + " data still double-signed",
                            List.of(
                                    KeyPlan.ksk(KSK_2024, RSA), KeyPlan.ksk(KSK_ECDSA, ECDSA),
                                    KeyPlan.zsk(ZSK_RSA_1536, RSA).rsaBits(1536),
                                            KeyPlan.zsk(ZSK_ECDSA, ECDSA)),
                            ECDSA),
                    new Phase(
                            "rsa-ksk-revoked",
                            Instant.parse("2029-01-11T00:00:00Z"),
                            "the RSA KSK published revoked and self-signed beside the valid ECDSA KSK; data still double-signed",
                            List.of(
                                    KeyPlan.ksk(KSK_2024, RSA).revoke(),
                                            KeyPlan.ksk(KSK_ECDSA, ECDSA),
                                    KeyPlan.zsk(ZSK_RSA_1536, RSA).rsaBits(1536),
                                            KeyPlan.zsk(ZSK_ECDSA, ECDSA)),
                            0),
                    new Phase(
                            "rsa-retired",
                            Instant.parse("2029-04-01T00:00:00Z"),
                            "RSA keys and signatures gone: the root is signed with ECDSA only",
                            List.of(KeyPlan.ksk(KSK_ECDSA, ECDSA), KeyPlan.zsk(ZSK_ECDSA, ECDSA)),
                            0),
                    new Phase(
                            "ecdsa-steady",
                            Instant.parse("2030-10-01T00:00:00Z"),
                            "ECDSA-only root, steady state (three years after the last phase without the ECDSA KSK)",
                            List.of(KeyPlan.ksk(KSK_ECDSA, ECDSA), KeyPlan.zsk(ZSK_ECDSA, ECDSA)),
                            0));

    private RootRoll() {}

    /** Every phase, in date order. */
    public static List<Phase> phases() {
        return PHASES;
    }

    /** The phase with this name. */
    public static Phase phase(String name) {
        return PHASES.stream()
                .filter(p -> p.name().equals(name))
                .findFirst()
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "no root phase \""
                                                + name
                                                + "\"; phases: "
                                                + PHASES.stream().map(Phase::name).toList()));
    }

    /** The phase in force at {@code t}: the last one that started at or before it, if any. */
    public static Optional<Phase> at(Instant t) {
        Phase in = null;
        for (Phase p : PHASES) {
            if (!p.start().isAfter(t)) {
                in = p;
            }
        }
        return Optional.ofNullable(in);
    }

    /** The labels of the keys a jar built in 2026 has built in: KSK-2017 and KSK-2024. */
    public static List<String> initialAnchorLabels() {
        return List.of(KSK_2017, KSK_2024);
    }

    /**
     * One phase of the plan.
     *
     * @param name a short, stable name ({@code double-signed}, {@code rsa-retired}, ...)
     * @param start when the phase begins
     * @param summary what the root publishes and signs with
     * @param keys the root's keys, in publication order
     * @param dnskeySignedOnlyBy when not 0, only the KSKs of this algorithm sign the DNSKEY RRset
     */
    public record Phase(
            String name,
            Instant start,
            String summary,
            List<KeyPlan> keys,
            int dnskeySignedOnlyBy) {

        public Phase {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(summary, "summary");
            keys = List.copyOf(keys);
        }

        /** Describes the root zone of this phase: its keys and the root's two-day TTL. */
        public void describeRoot(ZoneBuilder root) {
            root.ttl(ROOT_TTL);
            for (KeyPlan k : keys) {
                root.key(k);
            }
            if (dnskeySignedOnlyBy != 0) {
                root.dnskeySignedOnlyBy(dnskeySignedOnlyBy);
            }
        }

        /** Whether a key with this label is in the root's DNSKEY RRset in this phase. */
        public boolean publishes(String label) {
            return keys.stream().anyMatch(k -> k.label().equals(label));
        }

        @Override
        public String toString() {
            return name + " (" + start + "): " + summary;
        }
    }
}
