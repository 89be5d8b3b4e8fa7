package dev.daneel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.testkit.World;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code daneel anchors}: configured anchors, a first RFC 5011 refresh that creates the state, and errors. */
class AnchorsCommandTest {

    @TempDir
    static Path dir;
    private static World world;
    private static String server;
    private static String anchor;

    @BeforeAll
    static void start() {
        world = World.builder().zone("test.", z -> z.record("www A 192.0.2.1")).start();
        server = "127.0.0.1:" + world.address().getPort();
        anchor = world.writeTrustAnchors(dir.resolve("root.anchor")).toString();
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    @Test
    void builtInAnchorsAreListedWithoutTouchingTheNetwork() {
        Cli r = Cli.run("anchors");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().startsWith("; anchors from the built-in IANA root anchors\n. trust point"), r::toString);
        assertTrue(r.out().contains("DS alg 8 tag 20326 VALID"), r::toString);
    }

    @Test
    void configuredAnchorWithoutStateIsAFreshTrustPoint() {
        Cli r = Cli.run("--anchor", anchor, "anchors");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("(next probe now, last success never)"), r::toString);
        assertTrue(r.out().contains("  DS alg 13 tag " + world.trustAnchors().get(0).getFootprint() + " VALID"), r::toString);
    }

    @Test
    void refreshCreatesTheStateAndTracksTheKey() throws Exception {
        Path state = dir.resolve("refresh.state");
        Cli r = Cli.run("--server", server, "--anchor", anchor, "anchors", "--state", state.toString(), "--refresh");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("; refresh .: VALIDATED (state changed"), r::toString);
        assertTrue(r.out().contains("  DNSKEY alg 13 tag " + world.trustAnchors().get(0).getFootprint() + " VALID"), r::toString);
        assertTrue(Files.exists(state));
        Cli again = Cli.run("--anchor", anchor, "anchors", "--state", state.toString(), "--json");
        assertEquals(0, again.exit(), again::toString);
        assertTrue(again.out().contains("\"trustPoints\":[{\"zone\":\".\",\"revoked\":false"), again::toString);
        assertTrue(again.out().contains("\"type\":\"DNSKEY\",\"algorithm\":13"), again::toString);
    }

    @Test
    void refreshWithoutStateIsAUsageError() {
        Cli r = Cli.run("anchors", "--refresh");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains("--refresh needs --state FILE"), r::toString);
    }

    @Test
    void corruptStateFileIsNamed() throws Exception {
        Path state = Files.writeString(dir.resolve("corrupt.state"), "this is not a state file\n");
        Cli r = Cli.run("--anchor", anchor, "anchors", "--state", state.toString());
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains("--state: "), r::toString);
    }
}
