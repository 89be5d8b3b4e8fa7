package dev.daneel.validator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.anchors.AnchorState;
import dev.daneel.anchors.AnchorStore;
import dev.daneel.anchors.AnchorTracker;
import dev.daneel.anchors.RootAnchorBootstrap;
import dev.daneel.anchors.TrustAnchors;
import dev.daneel.anchors.TrustPointState;
import dev.daneel.testkit.RootAnchorsPublisher;
import dev.daneel.testkit.RootRoll;
import dev.daneel.testkit.TestClock;
import dev.daneel.testkit.World;
import dev.daneel.testkit.ZoneKey;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The root's trust-anchor plan from 2026 to 2030 ({@link RootRoll}: KSK-2017 revoked and removed,
 * RSA ZSK shrunk to 1536 bits, the root double-signed with RSA/SHA-256 and ECDSA P-256, the ECDSA
 * KSK trusted through RFC 5011, the RSA KSK revoked and retired) played in fast-forward on
 * loopback, with test keys in the real keys' roles, against four resolvers:
 *
 * <ul>
 *   <li>(a) a default-style resolver: the anchors a jar built in 2026 has built in (KSK-2017,
 *       KSK-2024), no state file. Secure while KSK-2024 signs the root's keys; fails closed once
 *       only ECDSA does.
 *   <li>(a') the same, from a jar built after IANA published the ECDSA KSK: Secure in every phase.
 *   <li>(b) an RFC 5011 tracking resolver with a store, refreshed every ten days: Secure in every
 *       phase.
 *   <li>(c) a tracking resolver that stops refreshing in July 2027, before the ECDSA KSK exists,
 *       and wakes three years later: fails closed (Bogus) until {@link RootAnchorBootstrap}
 *       recovers its store from IANA's signed root-anchors.xml, served on 127.0.0.1 and signed by a
 *       test CA in ICANN's role.
 * </ul>
 *
 * Every verdict seen is printed as a table, one line per phase.
 */
class RootRollFastForwardTest {

    /** (b) probes this often: more often than the RFC 5011 §2.3 maximum of 15 days. */
    private static final Duration REFRESH_EVERY = Duration.ofDays(10);

    private static final List<String> SECURE_FOR_A =
            List.of(
                    "ksk-2024-signs",
                    "ksk-2017-revoked",
                    "ksk-2017-removed",
                    "rsa-zsk-1536",
                    "double-signed",
                    "ecdsa-ksk-trusted");

    private final TestClock clock = new TestClock(RootRoll.phases().get(0).start());

    /** Every root key seen, by label, in its unrevoked form. */
    private final Map<String, DNSKEYRecord> keysByLabel = new LinkedHashMap<>();

    private int port;

    private World world(RootRoll.Phase phase) {
        World w =
                World.builder()
                        .clock(Clock.fixed(clock.instant(), ZoneOffset.UTC))
                        .port(port)
                        .reuseKeysAcrossWorlds()
                        .zone(".", phase::describeRoot)
                        .zone("test.", z -> z.record("www A 192.0.2.1"))
                        .start();
        port = w.server().port();
        List<ZoneKey> keys = w.zone(".").keys();
        for (int i = 0; i < phase.keys().size(); i++) {
            DNSKEYRecord k = keys.get(i).dnskey();
            keysByLabel.putIfAbsent(
                    phase.keys().get(i).label(),
                    new DNSKEYRecord(
                            k.getName(),
                            DClass.IN,
                            k.getTTL(),
                            k.getFlags() & ~DNSKEYRecord.Flags.REVOKE,
                            k.getProtocol(),
                            k.getAlgorithm(),
                            k.getKey()));
        }
        return w;
    }

    private DSRecord ds(String label) {
        return new DSRecord(
                Name.root, DClass.IN, 172800, DNSSEC.Digest.SHA256, keysByLabel.get(label));
    }

    /**
     * The verdict on two lookups (data and a proven NXDOMAIN): SECURE, or the first failure with
     * its reason.
     */
    private static String verdict(ValidatingResolver r) {
        Answer www = r.resolve("www.test.", Type.A);
        Answer nx = r.resolve("nx.test.", Type.A);
        for (Answer a : List.of(www, nx)) {
            if (a.status() != Status.SECURE) {
                return a.status()
                        + (a.verdict() instanceof Verdict.Bogus b ? "(" + b.reason() + ")" : "");
            }
        }
        assertEquals(1, www.records().size(), www.toString());
        assertEquals(Rcode.NXDOMAIN, nx.rcode(), nx.toString());
        return "SECURE";
    }

    private static Map<String, AnchorState> rootKeyStates(
            AnchorStore store, Map<String, DNSKEYRecord> byLabel) throws Exception {
        TrustPointState root =
                store.load().orElseThrow().stream()
                        .filter(s -> s.zone().equals(Name.root))
                        .findFirst()
                        .orElseThrow();
        Map<String, AnchorState> out = new LinkedHashMap<>();
        for (TrustPointState.Key k : root.keys()) {
            if (k.isDs()) {
                continue;
            }
            DNSKEYRecord key = (DNSKEYRecord) k.record();
            byLabel.forEach(
                    (label, known) -> {
                        if (known.getAlgorithm() == key.getAlgorithm()
                                && java.util.Arrays.equals(known.getKey(), key.getKey())) {
                            out.put(label, k.state());
                        }
                    });
        }
        return out;
    }

    @Test
    void everyPhaseOfTheRootRollWithFourResolvers(@TempDir Path dir) throws Exception {
        List<RootRoll.Phase> phases = RootRoll.phases();
        World first = world(phases.get(0));
        TrustAnchors builtIn2026 =
                TrustAnchors.of(first.trustAnchors()); // DS of KSK-2017 and KSK-2024
        assertEquals(2, first.trustAnchors().size());
        first.close();
        // a jar built after IANA listed the ECDSA KSK: its key is generated now, under its label
        World later = world(RootRoll.phase("double-signed"));
        later.close();
        TrustAnchors builtIn2028 = TrustAnchors.of(ds(RootRoll.KSK_2024), ds(RootRoll.KSK_ECDSA));

        AnchorStore storeB = AnchorStore.at(dir.resolve("b.state"));
        AnchorStore storeC = AnchorStore.at(dir.resolve("c.state"));
        java.net.InetSocketAddress upstream = new java.net.InetSocketAddress("127.0.0.1", port);
        ValidatingResolver a =
                ValidatingResolver.builder()
                        .upstream(upstream)
                        .trustAnchors(builtIn2026)
                        .clock(clock)
                        .build();
        ValidatingResolver a2 =
                ValidatingResolver.builder()
                        .upstream(upstream)
                        .trustAnchors(builtIn2028)
                        .clock(clock)
                        .build();
        ValidatingResolver b =
                ValidatingResolver.builder()
                        .upstream(upstream)
                        .trustAnchors(builtIn2026)
                        .clock(clock)
                        .trackAnchors(storeB, false)
                        .build();
        ValidatingResolver c =
                ValidatingResolver.builder()
                        .upstream(upstream)
                        .trustAnchors(builtIn2026)
                        .clock(clock)
                        .trackAnchors(storeC, false)
                        .build();
        Instant cGoesOffline = RootRoll.phase("double-signed").start();
        Instant cLastRefresh = null;
        Map<String, String> table = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        World w = null;
        try {
            for (int i = 0; i < phases.size(); i++) {
                RootRoll.Phase phase = phases.get(i);
                Instant end =
                        i + 1 < phases.size()
                                ? phases.get(i + 1).start()
                                : phase.start().plus(Duration.ofDays(1));
                for (Instant t = phase.start(); t.isBefore(end); t = t.plus(REFRESH_EVERY)) {
                    clock.set(t);
                    if (w != null) {
                        w.close();
                    }
                    w = world(phase);
                    for (AnchorTracker.Result r : b.refreshAnchors()) {
                        assertEquals(
                                AnchorTracker.Outcome.VALIDATED,
                                r.outcome(),
                                "(b) refresh at " + t + " in " + phase);
                    }
                    if (t.isBefore(cGoesOffline)) {
                        c.refreshAnchors(); // (c) tracks like (b) until it goes offline
                        cLastRefresh = t;
                    }
                    String vb = verdict(b);
                    if (!vb.equals("SECURE")) {
                        failures.add("(b) at " + t + " in " + phase.name() + ": " + vb);
                    }
                    if (t.equals(phase.start())) {
                        String va = verdict(a);
                        String va2 = verdict(a2);
                        String vc = verdict(c);
                        table.put(
                                phase.name(),
                                phase.start()
                                        + "  (a) "
                                        + va
                                        + "  (a') "
                                        + va2
                                        + "  (b) "
                                        + vb
                                        + "  (c) "
                                        + vc
                                        + (t.isBefore(cGoesOffline)
                                                ? ""
                                                : " [last refresh " + cLastRefresh + "]"));
                        boolean aKnows = SECURE_FOR_A.contains(phase.name());
                        if (aKnows != va.equals("SECURE")) {
                            failures.add("(a) in " + phase.name() + ": " + va);
                        }
                        if (aKnows != vc.equals("SECURE")) {
                            failures.add("(c) in " + phase.name() + ": " + vc);
                        }
                        if (!va2.equals("SECURE")) {
                            failures.add("(a') in " + phase.name() + ": " + va2);
                        }
                    }
                    if (t.equals(phase.start()) && phase.name().equals("double-signed")) {
                        assertEquals(
                                AnchorState.ADD_PEND,
                                rootKeyStates(storeB, keysByLabel).get(RootRoll.KSK_ECDSA),
                                "(b) holds the new ECDSA KSK down");
                        assertTrue(
                                !rootKeyStates(storeC, keysByLabel).containsKey(RootRoll.KSK_ECDSA),
                                "(c)'s store was written before the ECDSA KSK existed");
                    }
                    if (t.equals(phase.start()) && phase.name().equals("ecdsa-ksk-trusted")) {
                        assertEquals(
                                AnchorState.VALID,
                                rootKeyStates(storeB, keysByLabel).get(RootRoll.KSK_ECDSA),
                                "(b) trusts the ECDSA KSK after the hold-down");
                    }
                    if (t.equals(phase.start()) && phase.name().equals("rsa-ksk-revoked")) {
                        assertEquals(
                                AnchorState.REVOKED,
                                rootKeyStates(storeB, keysByLabel).get(RootRoll.KSK_2024));
                    }
                }
            }
            assertEquals(
                    Map.of(RootRoll.KSK_ECDSA, AnchorState.VALID),
                    rootKeyStates(storeB, keysByLabel).entrySet().stream()
                            .filter(e -> e.getValue().trusted())
                            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)),
                    "(b) ends trusting the ECDSA KSK alone");

            // (c) wakes up in the last phase: its refresh cannot validate, its answers fail closed
            List<AnchorTracker.Result> wake = c.refreshAnchors();
            assertEquals(
                    AnchorTracker.Outcome.NOT_VALIDATED, wake.get(0).outcome(), wake.toString());
            Answer stale = c.resolve("www.test.", Type.A);
            Verdict.Bogus bogus =
                    assertInstanceOf(Verdict.Bogus.class, stale.verdict(), stale.toString());
            String cAwake = "BOGUS(" + bogus.reason() + ": " + bogus.detail() + ")";

            // bootstrap: IANA's signed file on 127.0.0.1, the live root DNSKEY RRset, the store
            // rewritten
            String recovered;
            try (RootAnchorsPublisher iana = RootAnchorsPublisher.start(clock.instant())) {
                iana.publish(
                        List.of(
                                new RootAnchorsPublisher.KeyDigest(
                                        "Klajeyz",
                                        ds(RootRoll.KSK_2017),
                                        Instant.parse("2017-02-02T00:00:00Z"),
                                        RootRoll.phase("ksk-2017-revoked").start()),
                                new RootAnchorsPublisher.KeyDigest(
                                        "Kmyv6jo",
                                        ds(RootRoll.KSK_2024),
                                        Instant.parse("2024-07-18T00:00:00Z"),
                                        RootRoll.phase("rsa-ksk-revoked").start()),
                                new RootAnchorsPublisher.KeyDigest(
                                        "Kecdsa",
                                        ds(RootRoll.KSK_ECDSA),
                                        RootRoll.phase("double-signed").start(),
                                        null)));
                RootAnchorBootstrap bootstrap =
                        RootAnchorBootstrap.builder()
                                .source(iana.url())
                                .trustedCas(List.of(iana.caCertificate()))
                                .sslContext(iana.clientSslContext())
                                .clock(clock)
                                .store(storeC)
                                .build();
                // The resolver wired with the bootstrap recovers by itself: its RFC 5011 refresh of
                // the root
                // does not validate, so it fetches the signed file, re-anchors and validates again
                // at once.
                try (ValidatingResolver c3 =
                        ValidatingResolver.builder()
                                .upstream(upstream)
                                .trustAnchors(builtIn2026)
                                .clock(clock)
                                .trackAnchors(storeC, false)
                                .rootAnchorBootstrap(bootstrap)
                                .build()) {
                    assertEquals(
                            AnchorTracker.Outcome.NOT_VALIDATED,
                            c3.refreshAnchors().get(0).outcome());
                    assertEquals(
                            "SECURE",
                            verdict(c3),
                            "(c) wired with the bootstrap, right after its failed refresh");
                }
                RootAnchorBootstrap.Result again = bootstrap.run(liveRootKeys(port));
                RootAnchorBootstrap.Success s =
                        assertInstanceOf(
                                RootAnchorBootstrap.Success.class, again, again.toString());
                assertEquals(List.of(keysByLabel.get(RootRoll.KSK_ECDSA)), s.matched());
            }
            assertEquals(
                    Map.of(RootRoll.KSK_ECDSA, AnchorState.VALID),
                    rootKeyStates(storeC, keysByLabel));
            try (ValidatingResolver c2 =
                    ValidatingResolver.builder()
                            .upstream(upstream)
                            .trustAnchors(builtIn2026)
                            .clock(clock)
                            .trackAnchors(storeC, false)
                            .build()) {
                recovered = verdict(c2);
                assertEquals("SECURE", recovered, "(c) after the bootstrap");
                clock.advance(
                        Duration.ofDays(2)); // its next RFC 5011 refresh is due, and validates
                assertEquals(AnchorTracker.Outcome.VALIDATED, c2.refreshAnchors().get(0).outcome());
                clock.advance(Duration.ofDays(-2));
            }
            table.put(
                    "(c) wakes up", clock.instant() + "  refresh NOT_VALIDATED, lookup " + cAwake);
            table.put(
                    "(c) bootstrapped",
                    clock.instant()
                            + "  root-anchors.xml verified, ECDSA KSK matched, store rewritten;"
                            + " resolver from the store: "
                            + recovered);
        } finally {
            if (w != null) {
                w.close();
            }
            a.close();
            a2.close();
            b.close();
            c.close();
            StringBuilder sb = new StringBuilder("root roll fast-forward verdicts:\n");
            table.forEach((k, v) -> sb.append(String.format("  %-18s %s%n", k, v)));
            System.out.print(sb);
        }
        assertEquals(List.of(), failures, "verdicts: " + table);
        assertNotEquals(0, table.size());
    }

    /**
     * The root's DNSKEY RRset with its RRSIGs, straight from the loopback server over TCP (DO=1,
     * CD=1).
     */
    private static RRset liveRootKeys(int port) throws Exception {
        SimpleResolver r = new SimpleResolver("127.0.0.1");
        r.setPort(port);
        r.setTCP(true);
        r.setEDNS(0, 1232, ExtendedFlags.DO, List.of());
        Message q = Message.newQuery(Record.newRecord(Name.root, Type.DNSKEY, DClass.IN));
        q.getHeader().setFlag(Flags.CD);
        Message m = r.send(q);
        Optional<RRset> keys =
                m.getSectionRRsets(Section.ANSWER).stream()
                        .filter(s -> s.getType() == Type.DNSKEY)
                        .findFirst();
        RRset set = keys.orElseThrow(() -> new AssertionError("no root DNSKEY RRset in " + m));
        assertTrue(!set.sigs().isEmpty(), "the RRset comes with its RRSIGs");
        assertEquals(
                Set.of(DNSSEC.Algorithm.ECDSAP256SHA256),
                set.rrs().stream()
                        .map(x -> ((DNSKEYRecord) x).getAlgorithm())
                        .collect(Collectors.toSet()),
                "the live root is ECDSA-only");
        return set;
    }
}
