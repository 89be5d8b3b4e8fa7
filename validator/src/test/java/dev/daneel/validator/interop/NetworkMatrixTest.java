package dev.daneel.validator.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.daneel.anchors.TrustAnchors;
import dev.daneel.testkit.Breakage;
import dev.daneel.testkit.World;
import dev.daneel.validator.Answer;
import dev.daneel.validator.Mode;
import dev.daneel.validator.Status;
import dev.daneel.validator.ValidatingResolver;
import dev.daneel.validator.Verdict;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * Every kind of network an end host meets, × every kind of answer: a real NSD hierarchy (root on
 * 127.0.0.2, {@code test.} on 127.0.0.3, its children on 127.0.0.4) and in front of it, as the one
 * upstream, real Unbound and BIND named (non-validating), PowerDNS Recursor with {@code
 * dnssec=off}, dnsmasq forwarding to Unbound, and {@link PathProxy} paths in front of Unbound that
 * strip DNSSEC, clear DO, drop TCP, truncate at 512, lose large UDP answers, delay at random, or
 * SERVFAIL DNSKEY queries.
 *
 * <p>For every upstream × question: in {@link Mode#STUB_THEN_RECURSIVE} the verdict is the zone's
 * truth and agrees with libunbound recursing over the same hierarchy; in {@link Mode#STUB} it is
 * the truth, or Indeterminate — with {@code UPSTREAM_NO_DNSSEC} on a path that strips — never Bogus
 * for a benign broken path and never Secure or Insecure where the truth is otherwise. Each server
 * starts once; the times of every lookup are printed (figures, never asserted).
 */
class NetworkMatrixTest {

    @TempDir static Path dir;

    private static World world;
    private static Hierarchy hierarchy;
    private static final List<AutoCloseable> STARTED = new ArrayList<>();

    /** Upstream kind → its address, in the order of the report. */
    private static final Map<String, InetSocketAddress> UPSTREAMS = new LinkedHashMap<>();

    /** Upstream kinds whose path strips DNSSEC: STUB must say UPSTREAM_NO_DNSSEC there. */
    private static final Set<String> STRIPPING =
            Set.of("proxy STRIP_DNSSEC", "proxy CLEAR_DO", "pdns_recursor dnssec=off");

    /**
     * Upstream kinds that carry DNSSEC one way or another (UDP, or TCP after TC=1 or a UDP loss):
     * STUB is the truth.
     */
    private static final Set<String> CAPABLE =
            Set.of(
                    "Unbound",
                    "BIND named",
                    "dnsmasq → Unbound",
                    "proxy TRUNCATE_512",
                    "proxy DROP_LARGE_UDP",
                    "proxy RANDOM_DELAY");

    private static int nsdPort;

    /** A question and the zone's truth. */
    record Case(String label, String name, int type, Status truth) {}

    static final List<Case> CASES =
            List.of(
                    new Case("Secure", "www.sec.test.", Type.A, Status.SECURE),
                    new Case("Insecure", "www.unsigned.test.", Type.A, Status.INSECURE),
                    new Case("Bogus", "www.bogus.test.", Type.A, Status.BOGUS),
                    new Case("NXDOMAIN", "nope.sec.test.", Type.A, Status.SECURE),
                    new Case("NODATA", "www.sec.test.", Type.MX, Status.SECURE),
                    new Case("wildcard", "x.wild.sec.test.", Type.TXT, Status.SECURE),
                    new Case("CNAME secure→insecure", "alias.sec.test.", Type.A, Status.INSECURE),
                    new Case("large DNSKEY", "big.test.", Type.DNSKEY, Status.SECURE));

    @BeforeAll
    static void startTheNetwork() throws Exception {
        Tools.require("nsd", "nsd");
        world =
                World.builder()
                        .zone(".", z -> z.nameserverAddress("127.0.0.2"))
                        .zone("test.", z -> z.nameserverAddress("127.0.0.3"))
                        .zone(
                                "sec.test.",
                                z ->
                                        z.nameserverAddress("127.0.0.4")
                                                .record(
                                                        "www A 192.0.2.1\n*.wild TXT \"any\"\n"
                                                                + "alias CNAME www.unsigned.test."))
                        .zone(
                                "unsigned.test.",
                                z ->
                                        z.nameserverAddress("127.0.0.4")
                                                .unsigned()
                                                .record("www A 192.0.2.2"))
                        .zone(
                                "bogus.test.",
                                z ->
                                        z.nameserverAddress("127.0.0.4")
                                                .record("www A 192.0.2.7")
                                                .breakRRset(
                                                        "www.bogus.test.",
                                                        Type.A,
                                                        Breakage.TAMPERED_DATA))
                        // RSA-2048 with a standby KSK: its DNSKEY answer is larger than 1232 octets
                        .zone(
                                "big.test.",
                                z ->
                                        z.nameserverAddress("127.0.0.4")
                                                .algorithm(8)
                                                .rsaKeyBits(2048)
                                                .standbyKsk()
                                                .record("www A 192.0.2.4"))
                        .build();
        Map<Name, Path> zones = world.exportZones(dir.resolve("zones"));
        hierarchy = Hierarchy.start(dir, zones);
        STARTED.add(hierarchy);
        nsdPort = hierarchy.authorities().get(Name.root).getPort();
        InetSocketAddress unbound = hierarchy.recursive4();
        UPSTREAMS.put("Unbound", unbound);
        NamedServer named =
                NamedServer.start(
                        dir.resolve("named"),
                        ForwarderServers.freePort(),
                        hierarchy.authorities(),
                        false);
        STARTED.add(named);
        UPSTREAMS.put("BIND named", new InetSocketAddress("127.0.0.1", named.port()));
        int pdnsPort = ForwarderServers.freePort();
        STARTED.add(
                ForwarderServers.pdnsRecursor(
                        dir.resolve("pdns"), pdnsPort, hierarchy.authorities()));
        UPSTREAMS.put("pdns_recursor dnssec=off", new InetSocketAddress("127.0.0.1", pdnsPort));
        int dnsmasqPort = ForwarderServers.freePort();
        STARTED.add(ForwarderServers.dnsmasq(dir.resolve("dnsmasq"), dnsmasqPort, unbound));
        UPSTREAMS.put("dnsmasq → Unbound", new InetSocketAddress("127.0.0.1", dnsmasqPort));
        for (PathProxy.Breakage b : PathProxy.Breakage.values()) {
            PathProxy p = PathProxy.start(b, unbound);
            STARTED.add(p);
            UPSTREAMS.put("proxy " + b, p.address());
        }
    }

    @AfterAll
    static void stopTheNetwork() {
        for (int i = STARTED.size() - 1; i >= 0; i--) {
            try {
                STARTED.get(i).close();
            } catch (Exception e) {
                // keep stopping the others
            }
        }
        if (world != null) {
            world.close();
        }
    }

    private static ValidatingResolver resolver(Mode mode, InetSocketAddress upstream)
            throws Exception {
        return ValidatingResolver.builder()
                .mode(mode)
                .upstream(upstream)
                .trustAnchors(TrustAnchors.of(world.trustAnchors()))
                .timeout(Duration.ofMillis(400))
                .rootHints(List.of(InetAddress.getByName("127.0.0.2")))
                .authorityPort(nsdPort)
                .recursionIpv6(false)
                .build();
    }

    @Test
    void everyUpstreamTimesEveryQuestionInBothModes() throws Exception {
        List<LibUnbound.Question> questions =
                CASES.stream().map(c -> new LibUnbound.Question(name(c.name()), c.type())).toList();
        List<Status> libunbound =
                LibUnboundRecursion.statuses(
                        dir.resolve("libunbound"),
                        world.trustAnchors(),
                        hierarchy.authorities(),
                        questions);
        StringBuilder report = new StringBuilder();
        report.append(
                String.format(
                        "%-26s %-24s %-36s %s%n",
                        "upstream", "question", "STUB", "STUB_THEN_RECURSIVE"));
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < CASES.size(); i++) {
            if (libunbound.get(i) != CASES.get(i).truth()) {
                problems.add(
                        "libunbound (recursion) says "
                                + libunbound.get(i)
                                + " for "
                                + CASES.get(i)
                                + ": the testbed is wrong");
            }
        }
        long started = System.nanoTime();
        for (Map.Entry<String, InetSocketAddress> u : UPSTREAMS.entrySet()) {
            String kind = u.getKey();
            Map<Mode, List<Answer>> answers = new LinkedHashMap<>();
            Map<Mode, List<Long>> micros = new LinkedHashMap<>();
            for (Mode mode : List.of(Mode.STUB, Mode.STUB_THEN_RECURSIVE)) {
                try (ValidatingResolver r = resolver(mode, u.getValue())) {
                    List<Answer> as = new ArrayList<>();
                    List<Long> ts = new ArrayList<>();
                    for (Case c : CASES) {
                        long t0 = System.nanoTime();
                        as.add(r.resolve(c.name(), c.type()));
                        ts.add((System.nanoTime() - t0) / 1000);
                    }
                    answers.put(mode, as);
                    micros.put(mode, ts);
                }
            }
            for (int i = 0; i < CASES.size(); i++) {
                Case c = CASES.get(i);
                Answer stub = answers.get(Mode.STUB).get(i);
                Answer both = answers.get(Mode.STUB_THEN_RECURSIVE).get(i);
                report.append(
                        String.format(
                                "%-26s %-24s %-36s %s%n",
                                kind,
                                c.label(),
                                brief(stub) + " " + ms(micros.get(Mode.STUB).get(i)),
                                brief(both)
                                        + " "
                                        + ms(micros.get(Mode.STUB_THEN_RECURSIVE).get(i))));
                String where = kind + " × " + c.label() + ": ";
                if (both.status() != c.truth()) {
                    problems.add(
                            where
                                    + "STUB_THEN_RECURSIVE gave "
                                    + both.verdict()
                                    + ", the truth is "
                                    + c.truth());
                }
                if (both.status() != libunbound.get(i)) {
                    problems.add(
                            where
                                    + "STUB_THEN_RECURSIVE gave "
                                    + both.status()
                                    + ", libunbound "
                                    + libunbound.get(i));
                }
                Status s = stub.status();
                if (s != c.truth() && s != Status.INDETERMINATE) {
                    problems.add(
                            where
                                    + "STUB gave "
                                    + stub.verdict()
                                    + " where the truth is "
                                    + c.truth()
                                    + " (never Bogus for a broken path, never Secure/Insecure for stripped data)");
                }
                if (CAPABLE.contains(kind) && s != c.truth()) {
                    problems.add(
                            where
                                    + "STUB gave "
                                    + stub.verdict()
                                    + " over a path that carries DNSSEC; the truth is "
                                    + c.truth());
                }
                if (STRIPPING.contains(kind)
                        && !(stub.verdict() instanceof Verdict.Indeterminate n
                                && n.cause() == Verdict.Cause.UPSTREAM_NO_DNSSEC)) {
                    problems.add(
                            where
                                    + "STUB behind a stripping path gave "
                                    + stub.verdict()
                                    + ", expected Indeterminate(UPSTREAM_NO_DNSSEC)");
                }
                if (s == Status.INDETERMINATE
                        && !stub.records().isEmpty()
                        && ((Verdict.Indeterminate) stub.verdict()).cause()
                                == Verdict.Cause.UPSTREAM_NO_DNSSEC) {
                    problems.add(
                            where + "records handed out from a stripping path: " + stub.records());
                }
            }
        }
        long total = (System.nanoTime() - started) / 1_000_000;
        report.append("total: ")
                .append(UPSTREAMS.size())
                .append(" upstreams × ")
                .append(CASES.size())
                .append(" questions × 2 modes in ")
                .append(total)
                .append(" ms\n");
        System.out.println(report);
        if (!problems.isEmpty()) {
            fail(problems.size() + " problems:\n" + String.join("\n", problems) + "\n\n" + report);
        }
        assertTrue(UPSTREAMS.size() >= 11, "every kind of upstream started");
        assertEquals(8, CASES.size());
    }

    @Test
    void recursiveModeNeedsNoUpstreamAndAgreesWithLibunbound() throws Exception {
        List<LibUnbound.Question> questions =
                CASES.stream().map(c -> new LibUnbound.Question(name(c.name()), c.type())).toList();
        List<Status> libunbound =
                LibUnboundRecursion.statuses(
                        dir.resolve("libunbound-2"),
                        world.trustAnchors(),
                        hierarchy.authorities(),
                        questions);
        try (ValidatingResolver r =
                ValidatingResolver.builder()
                        .mode(Mode.RECURSIVE)
                        .trustAnchors(TrustAnchors.of(world.trustAnchors()))
                        .timeout(Duration.ofMillis(400))
                        .rootHints(List.of(InetAddress.getByName("127.0.0.2")))
                        .authorityPort(nsdPort)
                        .recursionIpv6(false)
                        .build()) {
            assertEquals(List.of(), r.probeUpstreams(), "no upstream in RECURSIVE mode");
            assertEquals(Mode.RECURSIVE, r.currentPath());
            for (int i = 0; i < CASES.size(); i++) {
                Answer a = r.resolve(CASES.get(i).name(), CASES.get(i).type());
                assertEquals(CASES.get(i).truth(), a.status(), CASES.get(i) + ": " + a);
                assertEquals(libunbound.get(i), a.status(), CASES.get(i) + " against libunbound");
            }
        }
    }

    @Test
    void probeNamesWhatEachPathStripsAndThePathALookupTakes() throws Exception {
        try (ValidatingResolver r =
                resolver(Mode.STUB_THEN_RECURSIVE, UPSTREAMS.get("proxy STRIP_DNSSEC"))) {
            dev.daneel.validator.UpstreamProbe p = r.probeUpstreams().get(0);
            assertEquals(
                    dev.daneel.validator.UpstreamProbe.Carries.NO_DNSSEC,
                    p.carries(),
                    p.toString());
            assertTrue(
                    p.problems().toString().contains("RRSIGs of the ./DNSKEY answer are missing"),
                    p.toString());
            assertEquals(
                    Mode.RECURSIVE, r.currentPath(), "no upstream carries DNSSEC: lookups recurse");
        }
        try (ValidatingResolver r =
                resolver(Mode.STUB_THEN_RECURSIVE, UPSTREAMS.get("proxy TRUNCATE_512"))) {
            dev.daneel.validator.UpstreamProbe p = r.probeUpstreams().get(0);
            assertEquals(
                    dev.daneel.validator.UpstreamProbe.Carries.DNSSEC, p.carries(), p.toString());
            assertTrue(!p.udp() && p.tcp(), "used over TCP only: " + p);
            assertEquals(Mode.STUB, r.currentPath());
        }
        try (ValidatingResolver r = resolver(Mode.STUB, UPSTREAMS.get("Unbound"))) {
            dev.daneel.validator.UpstreamProbe p = r.probeUpstreams().get(0);
            assertEquals(
                    dev.daneel.validator.UpstreamProbe.Carries.DNSSEC, p.carries(), p.toString());
            assertTrue(p.udp() && p.tcp() && p.doBit() && p.ednsPayload() > 0, p.toString());
        }
    }

    private static String brief(Answer a) {
        Verdict v = a.verdict();
        String rcode =
                a.rcode() == org.xbill.DNS.Rcode.NOERROR
                        ? ""
                        : "/" + org.xbill.DNS.Rcode.string(a.rcode());
        if (v instanceof Verdict.Indeterminate i) {
            return "INDETERMINATE(" + i.cause() + ")";
        }
        if (v instanceof Verdict.Bogus b) {
            return "BOGUS(" + b.reason() + ")";
        }
        return v.status() + rcode;
    }

    private static String ms(long micros) {
        return String.format("%.1f ms", micros / 1000.0);
    }

    private static Name name(String s) {
        try {
            return Name.fromString(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(s, e);
        }
    }
}
