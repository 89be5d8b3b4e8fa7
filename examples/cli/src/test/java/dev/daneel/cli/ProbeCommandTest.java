package dev.daneel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.testkit.Fault;
import dev.daneel.testkit.World;
import dev.daneel.testkit.WorldServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * {@code daneel probe} against testkit servers on loopback, one of which strips RRSIGs as a home
 * router's forwarder does; and {@code daneel query}'s {@code --root-hints} checks.
 */
class ProbeCommandTest {

    @TempDir static Path dir;
    private static World world;
    private static WorldServer stripper;
    private static String good;
    private static String bad;
    private static String anchor;

    @BeforeAll
    static void start() {
        world =
                World.builder()
                        .zone("test.")
                        .zone("example.test.", z -> z.record("www 300 A 192.0.2.1"))
                        .start();
        stripper = world.newServer().inject(Fault.rewrite(ProbeCommandTest::strip));
        good = "127.0.0.1:" + world.address().getPort();
        bad = "127.0.0.1:" + stripper.port();
        anchor = world.writeTrustAnchors(dir.resolve("root.anchor")).toString();
    }

    @AfterAll
    static void stop() {
        stripper.close();
        world.close();
    }

    static Message strip(Message m) {
        for (int section : new int[] {Section.ANSWER, Section.AUTHORITY}) {
            for (Record r : new ArrayList<>(m.getSection(section))) {
                if (r.getType() == Type.RRSIG
                        || r.getType() == Type.NSEC
                        || r.getType() == Type.NSEC3) {
                    m.removeRecord(r, section);
                }
            }
        }
        return m;
    }

    @Test
    void eachUpstreamIsDescribedAndTheStubPathChosenWhileOneCarriesDnssec() {
        Cli r = Cli.run("--server", bad, "--server", good, "--anchor", anchor, "probe");
        assertEquals(0, r.exit(), r::toString);
        String[] lines = r.out().replace("\r", "").split("\n");
        assertTrue(
                lines[0].startsWith(
                        bad + "\tdoes not carry DNSSEC: RRSIGs of the ./DNSKEY answer are missing"),
                r::toString);
        assertTrue(lines[1].startsWith(good + "\tcarries DNSSEC: UDP, TCP, EDNS"), r::toString);
        assertTrue(lines[2].contains("(stub)"), r::toString);
    }

    @Test
    void noCapableUpstreamExitsOneAndSaysWhatLookupsDo() {
        Cli r = Cli.run("--server", bad, "--anchor", anchor, "probe");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.out().contains("no upstream carries DNSSEC"), r::toString);
        assertTrue(r.out().contains("UPSTREAM_NO_DNSSEC"), r::toString);
    }

    @Test
    void jsonHasTheSameFacts() {
        Cli r = Cli.run("--server", bad, "--server", good, "--anchor", anchor, "--json", "probe");
        assertEquals(0, r.exit(), r::toString);
        String out = r.out();
        assertTrue(out.contains("\"upstream\":\"" + bad + "\",\"carries\":\"NO_DNSSEC\""), out);
        assertTrue(
                out.contains(
                        "\"upstream\":\""
                                + good
                                + "\",\"carries\":\"DNSSEC\",\"udp\":true,\"tcp\":true"),
                out);
        assertTrue(
                out.endsWith("\"path\":\"stub\"}\n") || out.endsWith("\"path\":\"stub\"}\r\n"),
                out);
    }

    @Test
    void rootHintsWithoutRecursiveIsAUsageError() throws Exception {
        Path hints =
                Files.writeString(
                        dir.resolve("named.root"),
                        ". 3600000 NS a.root.\na.root. 3600000 A 127.0.0.2\n");
        Cli r =
                Cli.run(
                        "--server",
                        good,
                        "--anchor",
                        anchor,
                        "query",
                        "--root-hints",
                        hints.toString(),
                        "www.example.test.");
        assertTrue(r.exit() != 0, r::toString);
        assertTrue(r.err().contains("--root-hints only applies with --recursive"), r::toString);
    }

    @Test
    void unreadableRootHintsAreAUsageErrorNamingTheFile() {
        Cli r =
                Cli.run(
                        "--anchor",
                        anchor,
                        "query",
                        "--recursive",
                        "--root-hints",
                        dir.resolve("missing").toString(),
                        "www.example.test.");
        assertTrue(r.exit() != 0, r::toString);
        assertTrue(r.err().contains("--root-hints: cannot read root hints"), r::toString);
    }
}
