package dev.daneel.validator.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.testkit.World;
import dev.daneel.validator.internal.iterator.IterativeResolver;
import dev.daneel.validator.internal.iterator.IteratorConfig;
import dev.daneel.validator.internal.iterator.IteratorException;
import dev.daneel.validator.internal.iterator.Resolution;
import dev.daneel.validator.internal.iterator.RootHints;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The iterative resolver against real authoritative servers: NSD on 127.0.0.2 (the root), 127.0.0.3
 * ({@code test.}, {@code example.}), 127.0.0.4 (the children of {@code test.}), 127.0.0.5 (a zone
 * whose NS name lives in another TLD, and a second server of {@code two.test.}) and 127.0.0.6 (a
 * server that serves none of them: the lame one). Every response is compared with what the zone's
 * own server says to {@code dig +norec +dnssec}: the same rcode and the same records, RRSIGs
 * included; and the queries the iterator sent are counted.
 */
class IterativeResolverNsdTest {

    @TempDir static Path dir;

    private static final List<NsdServer> SERVERS = new ArrayList<>();
    private static int port;

    @BeforeAll
    static void startTheServers() throws Exception {
        Tools.require("nsd", "nsd");
        Tools.require("dig", "bind9-dnsutils");
        World world =
                World.builder()
                        .zone(".", z -> z.nameserverAddress("127.0.0.2"))
                        .zone(
                                "test.",
                                z ->
                                        z.nameserverAddress("127.0.0.3")
                                                // a lame delegation: the second server (127.0.0.6)
                                                // does not serve lame.test.
                                                .record(
                                                        "lame NS ns2.lame.test.\nns2.lame.test. A 127.0.0.6")
                                                // a delegation whose only NS name is in another
                                                // TLD, so it cannot have glue
                                                .record("noglue NS ns.hosts.example.")
                                                // two servers, for the bogus-server test
                                                .record(
                                                        "two NS ns2.two.test.\nns2.two.test. A 127.0.0.5")
                                                // NXNSAttack: many NS names without glue, none of
                                                // which exists
                                                .record(nxnsDelegation()))
                        .zone(
                                "example.",
                                z ->
                                        z.nameserverAddress("127.0.0.3")
                                                .record("ns.hosts A 127.0.0.5"))
                        .zone(
                                "sec.test.",
                                z ->
                                        z.nameserverAddress("127.0.0.4")
                                                .record(
                                                        "www A 192.0.2.1\n"
                                                                + "alias CNAME www.unsigned.test.\ntobig CNAME www.big.test.\nchain CNAME alias\nmoved DNAME unsigned.test."))
                        .zone(
                                "unsigned.test.",
                                z ->
                                        z.nameserverAddress("127.0.0.4")
                                                .unsigned()
                                                .record("www A 192.0.2.2"))
                        .zone(
                                "lame.test.",
                                z ->
                                        z.nameserverAddress("127.0.0.4")
                                                .record(
                                                        "www A 192.0.2.3\n@ NS ns2\nns2 A 127.0.0.6"))
                        // RSA-2048 with a standby KSK: three keys and two signatures, more than
                        // 1232 octets
                        .zone(
                                "big.test.",
                                z ->
                                        z.nameserverAddress("127.0.0.4")
                                                .algorithm(8)
                                                .rsaKeyBits(2048)
                                                .standbyKsk()
                                                .record("www A 192.0.2.4"))
                        .zone(
                                "two.test.",
                                z ->
                                        z.nameserverAddress("127.0.0.4")
                                                .record(
                                                        "www A 192.0.2.6\n@ NS ns2\nns2 A 127.0.0.5"))
                        .build();
        Map<Name, Path> zones = world.exportZones(dir.resolve("zones"));
        Path noglue =
                Files.writeString(
                        dir.resolve("noglue.test.zone"),
                        "$ORIGIN noglue.test.\n$TTL 300\n"
                                + "@ SOA ns.hosts.example. hostmaster.noglue.test. 1 3600 600 86400 300\n@ NS ns.hosts.example.\n"
                                + "www A 192.0.2.5\n");
        Path other =
                Files.writeString(
                        dir.resolve("elsewhere.zone"),
                        "$ORIGIN elsewhere.\n$TTL 300\n"
                                + "@ SOA ns hostmaster 1 3600 600 86400 300\n@ NS ns\nns A 127.0.0.6\n");
        Map<String, Map<Name, Path>> byServer = new LinkedHashMap<>();
        byServer.put("127.0.0.2", Map.of(Name.root, zones.get(Name.root)));
        byServer.put(
                "127.0.0.3",
                Map.of(
                        name("test."),
                        zones.get(name("test.")),
                        name("example."),
                        zones.get(name("example."))));
        byServer.put(
                "127.0.0.4",
                Map.of(
                        name("sec.test."),
                        zones.get(name("sec.test.")),
                        name("unsigned.test."),
                        zones.get(name("unsigned.test.")),
                        name("lame.test."),
                        zones.get(name("lame.test.")),
                        name("big.test."),
                        zones.get(name("big.test.")),
                        name("two.test."),
                        zones.get(name("two.test."))));
        byServer.put(
                "127.0.0.5",
                Map.of(
                        name("noglue.test."),
                        noglue,
                        name("two.test."),
                        zones.get(name("two.test."))));
        byServer.put("127.0.0.6", Map.of(name("elsewhere."), other));
        List<InetAddress> addresses = new ArrayList<>();
        for (String a : byServer.keySet()) {
            addresses.add(InetAddress.getByName(a));
        }
        port = Daemon.freePort(addresses);
        for (Map.Entry<String, Map<Name, Path>> e : byServer.entrySet()) {
            SERVERS.add(
                    NsdServer.start(
                            dir.resolve("nsd-" + e.getKey()), e.getKey(), port, e.getValue()));
        }
    }

    private static String nxnsDelegation() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            b.append("nxns NS ns").append(i).append(".nowhere.example.\n");
        }
        return b.toString();
    }

    @AfterAll
    static void stopTheServers() {
        for (NsdServer s : SERVERS) {
            s.close();
        }
    }

    private static IterativeResolver iterator() throws Exception {
        return IterativeResolver.create(
                IteratorConfig.builder()
                        .rootHints(
                                RootHints.of(
                                        List.of(
                                                new RootHints.Server(
                                                        name("ns1."),
                                                        List.of(
                                                                InetAddress.getByName(
                                                                        "127.0.0.2"))))))
                        .serverPort(port)
                        .ipv6(false)
                        .build());
    }

    @Test
    void signedAnswerIsWhatTheZonesServerSaysWithItsSignatures() throws Exception {
        try (IterativeResolver it = iterator()) {
            Message m = it.query(name("www.sec.test."), Type.A).join();
            Dig.Result truth = Dig.ask(dir, "127.0.0.4", port, name("www.sec.test."), Type.A);
            assertSame(truth, m);
            assertTrue(
                    m.getSection(Section.ANSWER).stream().anyMatch(r -> r.getType() == Type.RRSIG),
                    "RRSIGs kept");
            long sent = it.queriesSent();
            assertTrue(
                    sent >= 3 && sent <= 8,
                    "root, test., sec.test. (and QNAME-minimised steps): " + sent);
            it.query(name("www.sec.test."), Type.A).join();
            assertEquals(sent, it.queriesSent(), "the second lookup is answered from the cache");
        }
    }

    @Test
    void dsComesFromTheParentAndDnskeyFromTheZone() throws Exception {
        try (IterativeResolver it = iterator()) {
            it.query(name("www.sec.test."), Type.A).join(); // the child's delegation is now cached
            Message ds = it.query(name("sec.test."), Type.DS).join();
            assertSame(Dig.ask(dir, "127.0.0.3", port, name("sec.test."), Type.DS), ds);
            assertFalse(ds.getSection(Section.ANSWER).isEmpty(), "the parent has the DS");
            Message dnskey = it.query(name("sec.test."), Type.DNSKEY).join();
            assertSame(Dig.ask(dir, "127.0.0.4", port, name("sec.test."), Type.DNSKEY), dnskey);
            Resolution noDs = it.resolve(name("unsigned.test."), Type.DS).join();
            assertSame(
                    Dig.ask(dir, "127.0.0.3", port, name("unsigned.test."), Type.DS),
                    noDs.response());
            assertEquals(name("test."), noDs.hops().get(0).zone(), "asked of the parent's servers");
        }
    }

    @Test
    void nxdomainCarriesTheSoaAndNsecProofs() throws Exception {
        try (IterativeResolver it = iterator()) {
            Message m = it.query(name("nope.sec.test."), Type.A).join();
            Dig.Result truth = Dig.ask(dir, "127.0.0.4", port, name("nope.sec.test."), Type.A);
            assertEquals("NXDOMAIN", truth.status());
            assertSame(truth, m);
            long sent = it.queriesSent();
            Message again = it.query(name("nope.sec.test."), Type.TXT).join();
            assertEquals(Rcode.NXDOMAIN, again.getRcode());
            assertEquals(
                    sent,
                    it.queriesSent(),
                    "an NXDOMAIN answers every type at the name (RFC 2308 §5)");
        }
    }

    @Test
    void cnameIntoAnotherZoneIsChasedAndAssembled() throws Exception {
        try (IterativeResolver it = iterator()) {
            Message m = it.query(name("chain.sec.test."), Type.A).join();
            Dig.Result first = Dig.ask(dir, "127.0.0.4", port, name("chain.sec.test."), Type.A);
            Dig.Result last = Dig.ask(dir, "127.0.0.4", port, name("www.unsigned.test."), Type.A);
            Set<Record> want = new HashSet<>(first.answer());
            want.addAll(last.answer());
            assertEquals(
                    text(want),
                    text(m.getSection(Section.ANSWER)),
                    "chain.sec.test → alias.sec.test → www.unsigned.test");
            assertEquals(Rcode.NOERROR, m.getRcode());
        }
    }

    @Test
    void dnameIntoAnotherZoneIsFollowed() throws Exception {
        try (IterativeResolver it = iterator()) {
            Message m = it.query(name("www.moved.sec.test."), Type.A).join();
            Dig.Result first = Dig.ask(dir, "127.0.0.4", port, name("www.moved.sec.test."), Type.A);
            Dig.Result last = Dig.ask(dir, "127.0.0.4", port, name("www.unsigned.test."), Type.A);
            Set<Record> want = new HashSet<>(first.answer());
            want.addAll(last.answer());
            assertTrue(
                    first.answer().stream().anyMatch(r -> r.getType() == Type.DNAME),
                    "NSD sends the DNAME");
            assertEquals(
                    text(want),
                    text(m.getSection(Section.ANSWER)),
                    "DNAME, its RRSIG, the synthesised CNAME, the A");
        }
    }

    @Test
    void lameServerIsSkipped() throws Exception {
        assertEquals(
                "REFUSED",
                Dig.ask(dir, "127.0.0.6", port, name("www.lame.test."), Type.A).status(),
                "127.0.0.6 does not serve lame.test.");
        long servers =
                Dig.ask(dir, "127.0.0.3", port, name("www.lame.test."), Type.A).authority().stream()
                        .filter(r -> r.getType() == Type.NS)
                        .count();
        assertEquals(2, servers, "test. delegates lame.test. to two servers");
        try (IterativeResolver it = iterator()) {
            for (int i = 0; i < 5; i++) {
                Message m = it.query(name("www" + i + ".lame.test."), Type.A).join();
                assertSame(
                        Dig.ask(dir, "127.0.0.4", port, name("www" + i + ".lame.test."), Type.A),
                        m);
            }
            Message m = it.query(name("www.lame.test."), Type.A).join();
            assertSame(Dig.ask(dir, "127.0.0.4", port, name("www.lame.test."), Type.A), m);
            // Once marked lame, 127.0.0.6 is not asked again: at most one wasted query per lookup
            // before that.
            assertTrue(it.queriesSent() <= 6 * 2 + 6, "queries: " + it.queriesSent());
        }
    }

    @Test
    void nsNameWithoutGlueIsResolvedInAnotherTld() throws Exception {
        try (IterativeResolver it = iterator()) {
            Resolution r = it.resolve(name("www.noglue.test."), Type.A).join();
            assertSame(
                    Dig.ask(dir, "127.0.0.5", port, name("www.noglue.test."), Type.A),
                    r.response());
            assertEquals("127.0.0.5", r.hops().get(0).server().getHostAddress());
        }
    }

    @Test
    void dnskeyTooLargeForUdpComesOverTcp() throws Exception {
        try (IterativeResolver it = iterator()) {
            Message m = it.query(name("big.test."), Type.DNSKEY).join();
            assertTrue(
                    m.toWire().length > 1232,
                    "the DNSKEY response is " + m.toWire().length + " octets");
            assertSame(Dig.ask(dir, "127.0.0.4", port, name("big.test."), Type.DNSKEY), m);
            assertTrue(it.tcpQueriesSent() >= 1, "truncated over UDP, asked again over TCP");
        }
    }

    @Test
    void serverMarkedBogusIsAvoidedForItsZone() throws Exception {
        try (IterativeResolver it = iterator()) {
            Set<String> before = new HashSet<>();
            for (int i = 0; i < 20 && before.size() < 2; i++) {
                it.markBogus(
                        name("two.test."),
                        InetAddress.getByName("127.0.0.9")); // flushes the cache; unrelated server
                before.add(
                        it.resolve(name("www.two.test."), Type.A)
                                .join()
                                .hops()
                                .get(0)
                                .server()
                                .getHostAddress());
                it.markBogus(name("two.test."), InetAddress.getByName("127.0.0.8"));
            }
            it.markBogus(name("two.test."), InetAddress.getByName("127.0.0.4"));
            for (int i = 0; i < 10; i++) {
                Resolution r = it.resolve(name("www" + i + ".two.test."), Type.A).join();
                assertEquals(
                        "127.0.0.5",
                        r.hops().get(0).server().getHostAddress(),
                        "127.0.0.4 is set aside for two.test.");
            }
        }
    }

    @Test
    void nxnsDelegationStopsAtTheLimit() throws Exception {
        try (IterativeResolver it = iterator()) {
            CompletionException e =
                    org.junit.jupiter.api.Assertions.assertThrows(
                            CompletionException.class,
                            () -> it.query(name("www.nxns.test."), Type.A).join());
            IteratorException ie = assertInstanceOf(IteratorException.class, e.getCause());
            assertEquals(
                    IteratorException.Reason.NS_NAMES_PER_DELEGATION_LIMIT,
                    ie.reason(),
                    ie.getMessage());
            assertTrue(ie.reason().isLimit());
            // 12 NS names, 5 resolved (each: example. says NXDOMAIN for nowhere.example.), not 12
            assertTrue(it.queriesSent() <= 30, "queries: " + it.queriesSent());
        }
    }

    /** Same rcode; same answer and authority records (TTLs aside). */
    private static void assertSame(Dig.Result truth, Message m) {
        assertEquals(truth.status(), Rcode.string(m.getRcode()), "rcode");
        assertEquals(text(truth.answer()), text(m.getSection(Section.ANSWER)), "answer section");
        if (!truth.status().equals("NOERROR") || truth.answer().isEmpty()) {
            assertEquals(
                    text(truth.authority()),
                    text(m.getSection(Section.AUTHORITY)),
                    "authority section");
        }
    }

    private static Set<String> text(java.util.Collection<Record> records) {
        return records.stream()
                .map(r -> r.getName() + " " + Type.string(r.getType()) + " " + r.rdataToString())
                .map(s -> s.toLowerCase(java.util.Locale.ROOT))
                .collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    private static Name name(String s) {
        try {
            return Name.fromString(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(s, e);
        }
    }
}
