package dev.daneel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.testkit.Breakage;
import dev.daneel.testkit.World;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/**
 * {@code daneel query} against a signed testkit world on loopback: status lines, JSON and exit
 * codes.
 */
class QueryCommandTest {

    @TempDir static Path dir;
    private static World world;
    private static String server;
    private static String anchor;

    @BeforeAll
    static void start() {
        world =
                World.builder()
                        .zone("test.")
                        .zone(
                                "example.test.",
                                z ->
                                        z.record("www 300 A 192.0.2.1")
                                                .record("www 300 AAAA 2001:db8::1")
                                                .record("alias 300 CNAME www"))
                        .zone("unsigned.test.", z -> z.unsigned().record("www 300 A 192.0.2.2"))
                        .zone(
                                "broken.test.",
                                z ->
                                        z.record("www 300 A 192.0.2.3")
                                                .breakRRset(
                                                        "www", Type.A, Breakage.EXPIRED_SIGNATURES))
                        .start();
        server = "127.0.0.1:" + world.address().getPort();
        anchor = world.writeTrustAnchors(dir.resolve("root.anchor")).toString();
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    private static Cli query(String... rest) {
        String[] args = new String[4 + rest.length];
        args[0] = "--server";
        args[1] = server;
        args[2] = "--anchor";
        args[3] = anchor;
        System.arraycopy(rest, 0, args, 4, rest.length);
        return Cli.run(args);
    }

    @Test
    void secureAnswerPrintsStatusLineAndRecordsAndExitsZero() {
        Cli r = query("query", "www.example.test.", "A");
        assertEquals(0, r.exit(), r::toString);
        assertEquals(
                "; secure\nwww.example.test.\t300\tIN\tA\t192.0.2.1\n", r.out().replace("\r", ""));
        assertEquals("", r.err());
    }

    @Test
    void typeDefaultsToA() {
        Cli r = query("query", "www.example.test");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("192.0.2.1"), r::toString);
    }

    @Test
    void typeIsCaseInsensitive() {
        Cli r = query("query", "www.example.test.", "aaaa");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("AAAA\t2001:db8:0:0:0:0:0:1"), r::toString);
    }

    @Test
    void cnameChainIsPrintedBeforeTheAnswer() {
        Cli r = query("query", "alias.example.test.", "A");
        assertEquals(0, r.exit(), r::toString);
        String[] lines = r.out().split("\n");
        assertEquals("; secure", lines[0]);
        assertTrue(lines[1].contains("CNAME"), r::toString);
        assertTrue(lines[2].contains("192.0.2.1"), r::toString);
    }

    @Test
    void secureNxdomainExitsFour() {
        Cli r = query("query", "nope.example.test.", "A");
        assertEquals(4, r.exit(), r::toString);
        assertTrue(r.out().startsWith("; secure\n; NXDOMAIN\n"), r::toString);
    }

    @Test
    void secureNodataExitsFour() {
        Cli r = query("query", "www.example.test.", "TXT");
        assertEquals(4, r.exit(), r::toString);
        assertTrue(r.out().startsWith("; secure\n; NOERROR (no TXT records)\n"), r::toString);
    }

    @Test
    void unsignedDelegationIsInsecureAndExitsThree() {
        Cli r = query("query", "www.unsigned.test.");
        assertEquals(3, r.exit(), r::toString);
        assertTrue(
                r.out().startsWith("; insecure (unsigned delegation at unsigned.test.)\n"),
                r::toString);
    }

    @Test
    void expiredSignatureIsBogusWithReasonAndExitsTwo() {
        Cli r = query("query", "www.broken.test.");
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.out().startsWith("; bogus (SIGNATURE_EXPIRED): "), r::toString);
        assertTrue(
                r.out().lines().allMatch(l -> l.startsWith(";")),
                "bogus records only as comments: " + r.out());
        assertTrue(
                r.out()
                        .contains(
                                ";; records that failed validation (do not use):\n; www.broken.test."),
                r::toString);
    }

    @Test
    void jsonSecureAnswerHasTheDocumentedFields() {
        Cli r = query("--json", "query", "www.example.test.", "A");
        assertEquals(0, r.exit(), r::toString);
        assertEquals(
                "{\"name\":\"www.example.test.\",\"type\":\"A\",\"status\":\"secure\",\"rcode\":\"NOERROR\","
                        + "\"records\":[\"www.example.test.\\t300\\tIN\\tA\\t192.0.2.1\"]}\n",
                r.out().replace("\r", ""));
    }

    @Test
    void jsonBogusAnswerCarriesReasonAndEde() {
        Cli r = query("query", "www.broken.test.", "--json");
        assertEquals(2, r.exit(), r::toString);
        assertTrue(
                r.out()
                        .startsWith(
                                "{\"name\":\"www.broken.test.\",\"type\":\"A\",\"status\":\"bogus\","
                                        + "\"rcode\":\"NOERROR\",\"reason\":\"SIGNATURE_EXPIRED\",\"ede\":7,"),
                r::toString);
        assertTrue(
                r.out().contains("\"records\":[],\"failed_records\":[\"www.broken.test."),
                r::toString);
    }

    @Test
    void jsonNxdomainAndInsecure() {
        Cli nx = query("--json", "query", "nope.example.test.");
        assertEquals(4, nx.exit(), nx::toString);
        assertTrue(nx.out().contains("\"status\":\"secure\",\"rcode\":\"NXDOMAIN\""), nx::toString);
        assertTrue(nx.out().contains("\"records\":[]"), nx::toString);
        Cli ins = query("--json", "query", "www.unsigned.test.");
        assertEquals(3, ins.exit(), ins::toString);
        assertTrue(ins.out().contains("\"status\":\"insecure\""), ins::toString);
        assertTrue(ins.out().contains("\"delegation\":\"unsigned.test.\""), ins::toString);
    }

    @Test
    void jsonChainOnRequestListsTheEvidence() {
        Cli r = query("--json", "query", "--chain", "www.example.test.");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(
                Pattern.compile("\"chain\":\\[\"[^\"]*DNSKEY").matcher(r.out()).find()
                        || r.out().contains("DNSKEY"),
                r::toString);
    }

    @Test
    void textChainOnRequest() {
        Cli r = query("query", "www.example.test.", "--chain");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains(";; validation chain\n"), r::toString);
        assertTrue(r.out().contains("DNSKEY"), r::toString);
    }

    @Test
    void globalOptionsAreAcceptedAfterTheCommand() {
        Cli r =
                Cli.run(
                        "query",
                        "www.example.test.",
                        "A",
                        "--server",
                        server,
                        "--anchor",
                        anchor,
                        "--json");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().startsWith("{\"name\":\"www.example.test.\""), r::toString);
    }

    @Test
    void tcpAndTimeoutOptionsWork() {
        world.server().log().clear();
        Cli r = query("--tcp", "--timeout", "5", "query", "www.example.test.");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(world.server().log().size() > 0);
        assertEquals(
                0,
                world.server().log().count(q -> q.transport() != dev.daneel.testkit.Transport.TCP));
    }

    @Test
    void repeatedServerFallsBackToTheSecond() throws Exception {
        // a UDP port nobody answers on, then the world: the resolver tries them in order
        try (java.net.DatagramSocket silent =
                new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            Cli r =
                    Cli.run(
                            "--server",
                            "127.0.0.1:" + silent.getLocalPort(),
                            "--server",
                            server,
                            "--anchor",
                            anchor,
                            "--timeout",
                            "0.2",
                            "query",
                            "www.example.test.");
            assertEquals(0, r.exit(), r::toString);
        }
    }

    @Test
    void unreachableServerIsIndeterminateAndExitsOne() throws Exception {
        try (java.net.DatagramSocket silent =
                new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            Cli r =
                    Cli.run(
                            "--server",
                            "127.0.0.1:" + silent.getLocalPort(),
                            "--anchor",
                            anchor,
                            "--timeout",
                            "0.1",
                            "query",
                            "www.example.test.");
            assertEquals(1, r.exit(), r::toString);
            assertTrue(r.out().startsWith("; indeterminate: "), r::toString);
        }
    }

    @Test
    void wrongAnchorMakesTheAnswerBogus() throws Exception {
        Path other;
        try (World elsewhere = World.builder().zone("test.").build()) {
            other = elsewhere.writeTrustAnchors(dir.resolve("other.anchor"));
        }
        Cli r =
                Cli.run(
                        "--server",
                        server,
                        "--anchor",
                        other.toString(),
                        "query",
                        "www.example.test.");
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.out().startsWith("; bogus ("), r::toString);
    }

    @Test
    void unknownTypeIsAUsageErrorNamingTheArgument() {
        Cli r = query("query", "www.example.test.", "BLAH");
        assertEquals(1, r.exit(), r::toString);
        assertEquals("", r.out());
        assertTrue(r.err().contains("TYPE: unknown record type \"BLAH\""), r::toString);
    }

    @Test
    void badNameIsAUsageErrorNamingTheArgument() {
        Cli r = query("query", "a..b");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains("NAME: \"a..b\" is not a domain name"), r::toString);
    }

    @Test
    void missingNameIsAUsageError() {
        Cli r = Cli.run("query");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains("NAME"), r::toString);
        assertTrue(r.err().contains("--help"), r::toString);
    }

    @Test
    void unreadableAnchorFileIsNamed() {
        Cli r =
                Cli.run(
                        "--server",
                        server,
                        "--anchor",
                        dir.resolve("missing").toString(),
                        "query",
                        "x.test.");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains("--anchor: cannot read"), r::toString);
    }

    @Test
    void anchorFileWithoutAnchorsIsNamed() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.anchor"), "this is not a trust anchor\n");
        Cli r = Cli.run("--server", server, "--anchor", junk.toString(), "query", "x.test.");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains("--anchor: " + junk), r::toString);
    }

    @Test
    void badServerPortIsNamed() {
        Cli r = Cli.run("--server", "127.0.0.1:99999", "--anchor", anchor, "query", "x.test.");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(
                r.err().contains("--server: port must be a number 1..65535, got \"99999\""),
                r::toString);
    }

    @Test
    void timeoutOutOfRangeIsNamed() {
        Cli r = query("--timeout", "600", "query", "x.test.");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains("--timeout must be 0.01 .. 60 seconds"), r::toString);
    }

    @Test
    void nonNumericTimeoutIsNamed() {
        Cli r = query("--timeout", "soon", "query", "x.test.");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains("--timeout"), r::toString);
    }
}
