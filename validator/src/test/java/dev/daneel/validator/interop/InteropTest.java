package dev.daneel.validator.interop;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.daneel.anchors.TrustAnchors;
import dev.daneel.testkit.Breakage;
import dev.daneel.testkit.World;
import dev.daneel.testkit.ZoneBuilder;
import dev.daneel.validator.Status;
import dev.daneel.validator.ValidatingResolver;
import dev.daneel.validator.interop.BindSigner.Denial;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * Daneel against real DNS software on loopback, its verdicts compared with two independent
 * validators.
 *
 * <p>The testbed ({@link Hierarchy}): NSD serves a local root, the TLD {@code test.} and their
 * children, one NSD per tree level on 127.0.0.2, .3, .4, …; Unbound without validation iterates
 * from that root and is the upstream of every validator. Half the zones are signed by the testkit
 * (Daneel's side), half by BIND's {@code dnssec-keygen}/{@code dnssec-signzone} (an independent
 * signer), under the same root. Signatures are dated by the real clock, because delv and libunbound
 * validate at the real time.
 *
 * <p>For every {@link #cases() case} Daneel's verdict (Secure, Insecure, Bogus) must equal the
 * expected one, and equal BIND's {@code delv} and libunbound's (through Debian's {@code
 * python3-unbound}), with the same response code and the same answer records byte for byte. A
 * reference that disagrees must be listed in {@link #KNOWN_DISAGREEMENTS} with the RFC reason;
 * anything else fails. Daneel is asked over UDP and TCP, over IPv4 and ::1, and through BIND {@code
 * named} as a second recursive upstream. The agreement matrix is printed at the end.
 *
 * <p>Missing tools skip the suite with the package to install, except with {@code CI=true}, where
 * they fail it. Every server is started and stopped here, on ports chosen free at run time; no
 * packet goes anywhere but 127.0.0.0/8 and ::1.
 */
class InteropTest {

    /**
     * A question, the verdict RFC 4035 §4.3 calls for, the response code, and whether records of
     * the question type must come back (false for NXDOMAIN, NODATA and Bogus).
     */
    record Case(
            String id, String what, Name name, int type, Status expected, int rcode, boolean data) {
        @Override
        public String toString() {
            return id + ": " + what + " (" + name + "/" + Type.string(type) + ")";
        }
    }

    /** A reference validator's verdict that differs from the RFC's, and why that is allowed. */
    record Disagreement(String tool, Status says, String reason) {}

    private static final String OPT_OUT_NXDOMAIN =
            "RFC 5155 §6: an NSEC3 with the Opt-Out flag asserts neither the"
                    + " existence nor the non-existence of insecure delegations in its span, so an NXDOMAIN whose next closer"
                    + " name is covered by an opt-out NSEC3 is not proven: an unsigned delegation may exist there (§9.2)."
                    + " libunbound and Daneel call it Insecure; BIND 9.18's validator (delv) accepts the closest-encloser"
                    + " proof as fully validated.";

    /** Disagreements of the references with the RFC, by case id; each needs its RFC reason. */
    static final Map<String, Disagreement> KNOWN_DISAGREEMENTS =
            Map.of(
                    "tk-optout-nxdomain", new Disagreement("delv", Status.SECURE, OPT_OUT_NXDOMAIN),
                    "bind-optout-nxdomain",
                            new Disagreement("delv", Status.SECURE, OPT_OUT_NXDOMAIN));

    private static final String TLSA =
            "3 1 1 8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1";
    private static final String SSHFP =
            "4 2 0b7f4ff06a0a2fa9c1f8d3f4e5d2d7a5a6c1e0f1b2c3d4e5f60718293a4b5c6d";

    /** RFC 7929 §3 owner for hugh@: SHA-256 of the local part, truncated to 28 octets. */
    private static final String OPENPGPKEY_OWNER =
            "c93f1e400f26708f98cb19d936620da35eec8f72e57f9eec01c1afd6._openpgpkey";

    private static final String OPENPGPKEY =
            Base64.getEncoder()
                    .encodeToString(
                            "Daneel interop: OPENPGPKEY data is opaque to DNSSEC and compared byte for byte"
                                    .getBytes());

    /** RFC 4025 §3.3's example, IPv4 gateway, RSA key. */
    private static final String IPSECKEY =
            "10 1 2 192.0.2.38 AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSGvgqt4AQ==";

    /** What every positive/negative/wildcard case reads: www (A only), *.wild (TXT). */
    private static String common(int n) {
        return "www A 192.0.2." + n + "\n*.wild TXT \"wildcard " + n + "\"\n";
    }

    private static String keyRecords() {
        return "_443._tcp.www TLSA "
                + TLSA
                + "\nwww SSHFP "
                + SSHFP
                + "\n"
                + OPENPGPKEY_OWNER
                + " OPENPGPKEY "
                + OPENPGPKEY
                + "\nwww IPSECKEY "
                + IPSECKEY
                + "\n";
    }

    @TempDir static Path dir;

    private static Hierarchy hierarchy;
    private static List<DSRecord> anchor;
    private static final Map<Case, PeerVerdict> DELV = new LinkedHashMap<>();
    private static final Map<Case, PeerVerdict> LIBUNBOUND = new LinkedHashMap<>();

    /** Column → case → Daneel's verdict, for the matrix. */
    private static final Map<String, Map<Case, PeerVerdict>> DANEEL = new ConcurrentHashMap<>();

    private static final List<String> NOTES = new ArrayList<>();
    private static long setupMillis;
    private static long referenceMillis;
    private static final long START = System.nanoTime();

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        // Zones signed by the testkit (ECDSA P-256, algorithm 13, unless named otherwise).
        c.add(secure("tk-nsec", "secure, NSEC, alg 13", "www.nsec.test.", Type.A));
        c.add(nxdomain("tk-nsec-nxdomain", "NXDOMAIN, NSEC", "nope.nsec.test.", Status.SECURE));
        c.add(nodata("tk-nsec-nodata", "NODATA, NSEC", "www.nsec.test.", Type.TXT));
        c.add(secure("tk-nsec-wildcard", "wildcard, NSEC", "any.wild.nsec.test.", Type.TXT));
        c.add(
                answer(
                        "tk-cname-to-insecure",
                        "CNAME secure → insecure zone",
                        "alias.nsec.test.",
                        Type.A,
                        Status.INSECURE));
        c.add(
                secure(
                        "tk-cname-to-bind",
                        "CNAME testkit → BIND-signed zone",
                        "tobind.nsec.test.",
                        Type.A));
        c.add(secure("tk-tlsa", "TLSA", "_443._tcp.www.nsec.test.", Type.TLSA));
        c.add(secure("tk-sshfp", "SSHFP", "www.nsec.test.", Type.SSHFP));
        c.add(
                secure(
                        "tk-openpgpkey",
                        "OPENPGPKEY",
                        OPENPGPKEY_OWNER + ".nsec.test.",
                        Type.OPENPGPKEY));
        c.add(secure("tk-ipseckey", "IPSECKEY", "www.nsec.test.", Type.IPSECKEY));
        c.add(secure("tk-nsec3", "secure, NSEC3 0 iterations, no salt", "www.nsec3.test.", Type.A));
        c.add(nxdomain("tk-nsec3-nxdomain", "NXDOMAIN, NSEC3", "nope.nsec3.test.", Status.SECURE));
        c.add(nodata("tk-nsec3-nodata", "NODATA, NSEC3", "www.nsec3.test.", Type.TXT));
        c.add(secure("tk-nsec3-wildcard", "wildcard, NSEC3", "any.wild.nsec3.test.", Type.TXT));
        c.add(secure("tk-optout", "secure, NSEC3 opt-out", "www.optout.test.", Type.A));
        c.add(
                answer(
                        "tk-optout-insecure",
                        "insecure delegation in an opt-out span",
                        "www.insecure.optout.test.",
                        Type.A,
                        Status.INSECURE));
        c.add(
                nxdomain(
                        "tk-optout-nxdomain",
                        "NXDOMAIN in an opt-out span",
                        "nope.optout.test.",
                        Status.INSECURE));
        c.add(
                answer(
                        "tk-insecure",
                        "insecure delegation (NSEC, no DS)",
                        "www.insecure.test.",
                        Type.A,
                        Status.INSECURE));
        c.add(
                nxdomain(
                        "tk-insecure-nxdomain",
                        "NXDOMAIN in an unsigned zone",
                        "nope.insecure.test.",
                        Status.INSECURE));
        c.add(
                answer(
                        "tk-decoy-ds",
                        "DS points at a decoy key",
                        "www.decoy.test.",
                        Type.A,
                        Status.BOGUS));
        c.add(
                answer(
                        "tk-expired",
                        "every signature expired a week ago",
                        "www.expired.test.",
                        Type.A,
                        Status.BOGUS));
        c.add(
                answer(
                        "tk-tampered",
                        "one tampered RRset",
                        "www.tampered.test.",
                        Type.A,
                        Status.BOGUS));
        c.add(secure("tk-tampered-rest", "the rest of that zone", "ok.tampered.test.", Type.A));
        c.add(secure("tk-alg8", "RSA/SHA-256, alg 8", "www.rsa.test.", Type.A));
        c.add(secure("tk-alg15", "Ed25519, alg 15", "www.ed25519.test.", Type.A));
        // Zones signed by BIND's dnssec-signzone.
        c.add(secure("bind-nsec", "secure, NSEC, alg 8", "www.bind.test.", Type.A));
        c.add(nxdomain("bind-nsec-nxdomain", "NXDOMAIN, NSEC", "nope.bind.test.", Status.SECURE));
        c.add(nodata("bind-nsec-nodata", "NODATA, NSEC", "www.bind.test.", Type.TXT));
        c.add(secure("bind-nsec-wildcard", "wildcard, NSEC", "any.wild.bind.test.", Type.TXT));
        c.add(
                answer(
                        "bind-cname-to-insecure",
                        "CNAME secure → insecure zone",
                        "alias.bind.test.",
                        Type.A,
                        Status.INSECURE));
        c.add(
                secure(
                        "bind-cname-to-testkit",
                        "CNAME BIND → testkit-signed zone",
                        "cross.bind.test.",
                        Type.A));
        c.add(secure("bind-tlsa", "TLSA", "_443._tcp.www.bind.test.", Type.TLSA));
        c.add(secure("bind-sshfp", "SSHFP", "www.bind.test.", Type.SSHFP));
        c.add(
                secure(
                        "bind-openpgpkey",
                        "OPENPGPKEY",
                        OPENPGPKEY_OWNER + ".bind.test.",
                        Type.OPENPGPKEY));
        c.add(secure("bind-ipseckey", "IPSECKEY", "www.bind.test.", Type.IPSECKEY));
        c.add(
                secure(
                        "bind-nsec3",
                        "secure, NSEC3 0 iterations, no salt, alg 13",
                        "www.bind3.test.",
                        Type.A));
        c.add(
                nxdomain(
                        "bind-nsec3-nxdomain",
                        "NXDOMAIN, NSEC3",
                        "nope.bind3.test.",
                        Status.SECURE));
        c.add(nodata("bind-nsec3-nodata", "NODATA, NSEC3", "www.bind3.test.", Type.TXT));
        c.add(secure("bind-nsec3-wildcard", "wildcard, NSEC3", "any.wild.bind3.test.", Type.TXT));
        c.add(
                secure(
                        "bind-optout",
                        "secure, NSEC3 opt-out, alg 15",
                        "www.optout.bind3.test.",
                        Type.A));
        c.add(
                answer(
                        "bind-optout-insecure",
                        "insecure delegation in an opt-out span",
                        "www.insecure.optout.bind3.test.",
                        Type.A,
                        Status.INSECURE));
        c.add(
                nxdomain(
                        "bind-optout-nxdomain",
                        "NXDOMAIN in an opt-out span",
                        "nope.optout.bind3.test.",
                        Status.INSECURE));
        c.add(
                answer(
                        "bind-insecure",
                        "insecure delegation (NSEC, no DS)",
                        "www.insecure.bind.test.",
                        Type.A,
                        Status.INSECURE));
        c.add(
                answer(
                        "bind-decoy-ds",
                        "DS points at a decoy key",
                        "www.decoy.bind.test.",
                        Type.A,
                        Status.BOGUS));
        c.add(
                answer(
                        "bind-expired",
                        "every signature expired a week ago",
                        "www.expired.bind.test.",
                        Type.A,
                        Status.BOGUS));
        c.add(
                answer(
                        "bind-tampered",
                        "one tampered RRset",
                        "www.tampered.bind.test.",
                        Type.A,
                        Status.BOGUS));
        c.add(
                secure(
                        "bind-tampered-rest",
                        "the rest of that zone",
                        "ok.tampered.bind.test.",
                        Type.A));
        return c;
    }

    private static Case secure(String id, String what, String name, int type) {
        return answer(id, what, name, type, Status.SECURE);
    }

    private static Case answer(String id, String what, String name, int type, Status expected) {
        return new Case(
                id,
                what,
                Name.fromConstantString(name),
                type,
                expected,
                Rcode.NOERROR,
                expected != Status.BOGUS);
    }

    private static Case nxdomain(String id, String what, String name, Status expected) {
        return new Case(
                id, what, Name.fromConstantString(name), Type.A, expected, Rcode.NXDOMAIN, false);
    }

    private static Case nodata(String id, String what, String name, int type) {
        return new Case(
                id, what, Name.fromConstantString(name), type, Status.SECURE, Rcode.NOERROR, false);
    }

    @BeforeAll
    static void startTheTestbed() throws Exception {
        // Everything the suite needs, up front: a missing tool skips (or, in CI, fails) before any
        // work.
        for (String[] tool :
                new String[][] {
                    {"nsd", "nsd"},
                    {"unbound", "unbound"},
                    {"delv", "bind9-dnsutils"},
                    {"dnssec-keygen", "bind9-utils"},
                    {"dnssec-signzone", "bind9-utils"}
                }) {
            Tools.require(tool[0], tool[1]);
        }
        Tools.requireLibunboundPython();

        Instant now = Instant.now();
        BindSigner bind = new BindSigner(dir.resolve("bind"));
        BindSigner.Signed insecureOptout =
                bind.sign(
                        bindZone("insecure.optout.bind3.test.")
                                .unsigned()
                                .records("www A 192.0.2.45"));
        BindSigner.Signed optout =
                bind.sign(
                        bindZone("optout.bind3.test.")
                                .algorithm("ED25519")
                                .denial(Denial.NSEC3_OPT_OUT)
                                .records(common(44))
                                .child(insecureOptout));
        BindSigner.Signed bind3 =
                bind.sign(
                        bindZone("bind3.test.")
                                .denial(Denial.NSEC3)
                                .records(common(43))
                                .child(optout));
        BindSigner.Signed insecure =
                bind.sign(bindZone("insecure.bind.test.").unsigned().records("www A 192.0.2.50"));
        BindSigner.Signed expired =
                bind.sign(
                        bindZone("expired.bind.test.")
                                .records("www A 192.0.2.51")
                                .validity(
                                        now.minus(Duration.ofDays(30)),
                                        now.minus(Duration.ofDays(7))));
        BindSigner.Signed decoy =
                bind.sign(bindZone("decoy.bind.test.").records("www A 192.0.2.52").decoyDs());
        BindSigner.Signed tampered =
                bind.sign(
                        bindZone("tampered.bind.test.")
                                .records("www A 192.0.2.53\nok A 192.0.2.54")
                                .tamper(
                                        "www.tampered.bind.test.",
                                        "A",
                                        "192.0.2.53",
                                        "192.0.2.99"));
        BindSigner.Signed bindTest =
                bind.sign(
                        bindZone("bind.test.")
                                .algorithm("RSASHA256")
                                .records(
                                        common(42)
                                                + keyRecords()
                                                + "alias CNAME www.insecure.bind.test.\ncross CNAME www.nsec3.test.\n")
                                .child(insecure)
                                .child(expired)
                                .child(decoy)
                                .child(tampered));

        World world =
                World.builder()
                        .zone(".", ns())
                        .zone(
                                "test.",
                                ns().andThen(
                                                z ->
                                                        z.record(bindTest.delegation())
                                                                .record(bind3.delegation())))
                        .zone(
                                "nsec.test.",
                                ns().andThen(
                                                z ->
                                                        z.record(
                                                                common(1)
                                                                        + keyRecords()
                                                                        + "alias CNAME www.insecure.test.\ntobind CNAME www.bind3.test.")))
                        .zone(
                                "nsec3.test.",
                                ns().andThen(z -> z.nsec3(0, "", false).record(common(2))))
                        .zone(
                                "optout.test.",
                                ns().andThen(z -> z.nsec3(0, "", true).record(common(3))))
                        .zone(
                                "insecure.optout.test.",
                                ns().andThen(z -> z.unsigned().record("www A 192.0.2.4")))
                        .zone(
                                "insecure.test.",
                                ns().andThen(z -> z.unsigned().record("www A 192.0.2.5")))
                        .zone(
                                "decoy.test.",
                                ns().andThen(z -> z.record("www A 192.0.2.6").dsPointsToNoKey()))
                        .zone(
                                "expired.test.",
                                ns().andThen(
                                                z ->
                                                        z.record("www A 192.0.2.7")
                                                                .breakAll(
                                                                        Breakage
                                                                                .EXPIRED_SIGNATURES)))
                        .zone(
                                "tampered.test.",
                                ns().andThen(
                                                z ->
                                                        z.record("www A 192.0.2.8\nok A 192.0.2.9")
                                                                .breakRRset(
                                                                        "www",
                                                                        Type.A,
                                                                        Breakage.TAMPERED_DATA)))
                        .zone(
                                "rsa.test.",
                                ns().andThen(z -> z.algorithm(8).record("www A 192.0.2.10")))
                        .zone(
                                "ed25519.test.",
                                ns().andThen(z -> z.algorithm(15).record("www A 192.0.2.11")))
                        .build();
        anchor = world.trustAnchors();

        Map<Name, Path> zones = new LinkedHashMap<>(world.exportZones(dir.resolve("testkit")));
        for (BindSigner.Signed s :
                List.of(
                        insecureOptout,
                        optout,
                        bind3,
                        insecure,
                        expired,
                        decoy,
                        tampered,
                        bindTest)) {
            zones.put(s.origin(), s.file());
        }
        hierarchy = Hierarchy.start(dir.resolve("servers"), zones);
        setupMillis = (System.nanoTime() - START) / 1_000_000;

        List<Case> cases = cases();
        long referencesStart = System.nanoTime();
        Delv delv = Delv.withAnchor(dir.resolve("delv"), anchor);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<PeerVerdict>> delvVerdicts = new ArrayList<>();
            for (Case c : cases) {
                delvVerdicts.add(
                        pool.submit(() -> delv.lookup(hierarchy.recursive4(), c.name(), c.type())));
            }
            LibUnbound libunbound = LibUnbound.withAnchor(dir.resolve("libunbound"), anchor);
            List<PeerVerdict> lu =
                    libunbound.lookup(
                            hierarchy.recursive4(),
                            false,
                            cases.stream()
                                    .map(c -> new LibUnbound.Question(c.name(), c.type()))
                                    .toList());
            for (int i = 0; i < cases.size(); i++) {
                DELV.put(cases.get(i), delvVerdicts.get(i).get());
                LIBUNBOUND.put(cases.get(i), lu.get(i));
            }
        } finally {
            pool.shutdownNow();
        }
        referenceMillis = (System.nanoTime() - referencesStart) / 1_000_000;
    }

    /** Each zone's ns1 host on the address of its tree level, where {@link Hierarchy} serves it. */
    private static Consumer<ZoneBuilder> ns() {
        return z -> z.nameserverAddress(Hierarchy.address(z.origin()));
    }

    private static BindSigner.Spec bindZone(String origin) {
        return BindSigner.zone(origin, Hierarchy.address(Name.fromConstantString(origin)));
    }

    @AfterAll
    static void stopTheTestbedAndPrintTheMatrix() {
        try {
            if (hierarchy != null) {
                hierarchy.close();
            }
        } finally {
            if (!DELV.isEmpty()) {
                System.out.println(matrix());
            }
        }
    }

    private static ValidatingResolver resolver(InetSocketAddress upstream, boolean tcp) {
        ValidatingResolver.Builder b =
                ValidatingResolver.builder()
                        .upstream(upstream)
                        .trustAnchors(TrustAnchors.of(anchor));
        if (tcp) {
            b.tcpOnly();
        }
        return b.build();
    }

    static Stream<Case> allCases() {
        return cases().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allCases")
    void daneelAgreesWithDelvAndLibunboundOverUdpAndIpv4(Case c) {
        try (ValidatingResolver r = resolver(hierarchy.recursive4(), false)) {
            PeerVerdict daneel = PeerVerdict.of(r.resolve(c.name().toString(), c.type()));
            DANEEL.computeIfAbsent("udp4", k -> new ConcurrentHashMap<>()).put(c, daneel);
            List<String> problems = new ArrayList<>(problems(c, daneel));
            problems.addAll(referenceProblems(c));
            if (!problems.isEmpty()) {
                fail(
                        c
                                + ": "
                                + String.join("; ", problems)
                                + "\n  daneel: "
                                + daneel
                                + "\n  delv: "
                                + DELV.get(c)
                                + "\n  libunbound: "
                                + LIBUNBOUND.get(c));
            }
        }
    }

    @Test
    void daneelOverTcpOnlyGivesTheSameVerdicts() {
        everyCase("tcp4", hierarchy.recursive4(), true);
    }

    @Test
    void daneelOverIpv6GivesTheSameVerdicts() {
        everyCase("udp6", hierarchy.recursive6(), false);
    }

    @Test
    void daneelOverIpv6AndTcpGivesTheSameVerdicts() {
        everyCase("tcp6", hierarchy.recursive6(), true);
    }

    @Test
    void daneelThroughBindNamedAsUpstreamGivesTheSameVerdicts() {
        Tools.require("named", "bind9");
        try (NamedServer named =
                NamedServer.start(
                        dir.resolve("named"),
                        Daemon.freePort(hierarchy.recursiveAddresses()),
                        hierarchy.authorities(),
                        hierarchy.ipv6())) {
            try {
                everyCase(
                        "named",
                        new InetSocketAddress(Hierarchy.inet("127.0.0.1"), named.port()),
                        false);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nnamed's log:\n" + named.log(), e);
            }
        }
    }

    /**
     * Asks Daneel every case through {@code upstream}; one failure lists every case that went
     * wrong.
     */
    private static void everyCase(String column, InetSocketAddress upstream, boolean tcp) {
        Map<Case, PeerVerdict> verdicts =
                DANEEL.computeIfAbsent(column, k -> new ConcurrentHashMap<>());
        List<String> failures = new ArrayList<>();
        try (ValidatingResolver r = resolver(upstream, tcp)) {
            for (Case c : cases()) {
                PeerVerdict v = PeerVerdict.of(r.resolve(c.name().toString(), c.type()));
                verdicts.put(c, v);
                List<String> p = problems(c, v);
                if (!p.isEmpty()) {
                    failures.add(c + ": " + String.join("; ", p) + " — daneel: " + v);
                }
            }
        }
        assertTrue(
                failures.isEmpty(),
                column
                        + ": "
                        + failures.size()
                        + " case(s) disagree:\n  "
                        + String.join("\n  ", failures));
    }

    /**
     * How Daneel's verdict differs from the expected one and from each reference (listed
     * disagreements aside).
     */
    private static List<String> problems(Case c, PeerVerdict daneel) {
        List<String> p = new ArrayList<>();
        if (daneel.status() != c.expected()) {
            p.add("expected " + c.expected() + ", Daneel says " + daneel.brief());
        } else if ((c.expected() == Status.SECURE || c.expected() == Status.INSECURE)
                && daneel.rcode() != c.rcode()) {
            p.add(
                    "expected rcode "
                            + Rcode.string(c.rcode())
                            + ", Daneel says "
                            + Rcode.string(daneel.rcode()));
        } else if (c.expected() != Status.BOGUS && c.data() == daneel.rdata().isEmpty()) {
            p.add(
                    c.data()
                            ? "expected " + Type.string(c.type()) + " records, Daneel has none"
                            : "expected no records, Daneel has " + daneel.rdata());
        }
        for (Map.Entry<String, Map<Case, PeerVerdict>> ref :
                Map.of("delv", DELV, "libunbound", LIBUNBOUND).entrySet()) {
            PeerVerdict theirs = ref.getValue().get(c);
            if (theirs == null || listed(c, ref.getKey(), theirs)) {
                continue;
            }
            if (!daneel.agrees(theirs)) {
                p.add(ref.getKey() + " disagrees: " + theirs);
            }
        }
        return p;
    }

    /** How the references differ from the expected verdict, unless listed with a reason. */
    private static List<String> referenceProblems(Case c) {
        List<String> p = new ArrayList<>();
        for (Map.Entry<String, Map<Case, PeerVerdict>> ref :
                Map.of("delv", DELV, "libunbound", LIBUNBOUND).entrySet()) {
            PeerVerdict theirs = ref.getValue().get(c);
            if (theirs.status() != c.expected() && !listed(c, ref.getKey(), theirs)) {
                p.add(
                        ref.getKey()
                                + " says "
                                + theirs.brief()
                                + " where RFC 4035 §4.3 calls for "
                                + c.expected()
                                + " (not a listed disagreement)");
            }
        }
        Disagreement d = KNOWN_DISAGREEMENTS.get(c.id());
        if (d != null) {
            PeerVerdict theirs = (d.tool().equals("delv") ? DELV : LIBUNBOUND).get(c);
            if (theirs.status() != d.says()) {
                synchronized (NOTES) {
                    NOTES.add(
                            c.id()
                                    + ": the listed disagreement of "
                                    + d.tool()
                                    + " did not occur (it says "
                                    + theirs.brief()
                                    + "); the entry can go");
                }
            }
        }
        return p;
    }

    private static boolean listed(Case c, String tool, PeerVerdict theirs) {
        Disagreement d = KNOWN_DISAGREEMENTS.get(c.id());
        return d != null && d.tool().equals(tool) && d.says() == theirs.status();
    }

    private static String matrix() {
        List<String> columns = List.of("udp4", "tcp4", "udp6", "tcp6", "named");
        StringBuilder sb = new StringBuilder();
        sb.append(
                        "\n=== Interop agreement matrix (Daneel columns by upstream transport; '*' = differs from Daneel udp4,")
                .append(" '!' = listed disagreement) ===\n");
        sb.append(String.format("%-22s %-40s %-17s", "case", "question", "expected"));
        for (String col : columns) {
            sb.append(String.format(" %-17s", "daneel-" + col));
        }
        sb.append(String.format(" %-17s %-17s%n", "delv", "libunbound"));
        for (Case c : cases()) {
            PeerVerdict base = DANEEL.getOrDefault("udp4", Map.of()).get(c);
            String question = c.name() + "/" + Type.string(c.type());
            if (question.length() > 40) {
                question = "…" + question.substring(question.length() - 39);
            }
            sb.append(String.format("%-22s %-40s %-17s", c.id(), question, expected(c)));
            for (String col : columns) {
                PeerVerdict v = DANEEL.getOrDefault(col, Map.of()).get(c);
                sb.append(
                        String.format(
                                " %-17s",
                                v == null
                                        ? "-"
                                        : v.brief()
                                                + (base != null && !v.agrees(base) ? "*" : "")));
            }
            PeerVerdict d = DELV.get(c);
            PeerVerdict u = LIBUNBOUND.get(c);
            sb.append(
                    String.format(
                            " %-17s %-17s%n",
                            d.brief() + (listed(c, "delv", d) ? "!" : ""),
                            u.brief() + (listed(c, "libunbound", u) ? "!" : "")));
        }
        for (Map.Entry<String, Disagreement> e : KNOWN_DISAGREEMENTS.entrySet()) {
            sb.append("! ")
                    .append(e.getKey())
                    .append(": ")
                    .append(e.getValue().tool())
                    .append(" says ")
                    .append(e.getValue().says())
                    .append(". ")
                    .append(e.getValue().reason())
                    .append('\n');
        }
        for (String n : NOTES) {
            sb.append("note: ").append(n).append('\n');
        }
        sb.append("testbed: ").append(hierarchy == null ? "-" : hierarchy.servers()).append('\n');
        sb.append(
                String.format(
                        "setup (BIND keys and signing, testkit signing, servers) %.1f s; delv and libunbound %.1f s;"
                                + " whole suite %.1f s%n",
                        setupMillis / 1000.0,
                        referenceMillis / 1000.0,
                        (System.nanoTime() - START) / 1e9));
        return sb.toString();
    }

    private static String expected(Case c) {
        if (c.expected() != Status.SECURE && c.expected() != Status.INSECURE) {
            return c.expected().name();
        }
        if (c.rcode() == Rcode.NXDOMAIN) {
            return c.expected() + "/NXDOMAIN";
        }
        return c.data() ? c.expected().name() : c.expected() + "/NODATA";
    }
}
