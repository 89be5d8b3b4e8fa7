package dev.daneel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.testkit.KeyPlan;
import dev.daneel.testkit.World;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code daneel anchors}: configured anchors, a first RFC 5011 refresh that creates the state, and
 * errors.
 */
class AnchorsCommandTest {

    @TempDir static Path dir;
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
        assertTrue(
                r.out().startsWith("; anchors from the built-in IANA root anchors\n. trust point"),
                r::toString);
        assertTrue(
                r.out().contains("DS alg 8 tag 20326 VALID since configured (RSASHA256)"),
                r::toString);
        assertTrue(!r.out().contains("; warning"), r::toString);
    }

    @Test
    void aRootKeyTheAnchorsDoNotListIsWarnedAbout() throws Exception {
        try (World w =
                World.builder()
                        .zone(
                                ".",
                                z ->
                                        z.key(KeyPlan.ksk("old", 13))
                                                .key(KeyPlan.ksk("new", 13))
                                                .key(KeyPlan.zsk("zsk", 13))
                                                .key(KeyPlan.ksk("dsa", 3).publishedOnly()))
                        .zone("test.", z -> z.record("www A 192.0.2.1"))
                        .start()) {
            int oldTag = w.zone(".").keys().get(0).keyTag();
            int newTag = w.zone(".").keys().get(1).keyTag();
            Path onlyOld =
                    Files.writeString(
                            dir.resolve("old-only.anchor"),
                            w.trustAnchors().stream()
                                    .filter(ds -> ds.getFootprint() == oldTag)
                                    .map(Object::toString)
                                    .collect(Collectors.joining("\n", "", "\n")));
            Path state = dir.resolve("new-key.state");
            Cli r =
                    Cli.run(
                            "--server",
                            "127.0.0.1:" + w.address().getPort(),
                            "--anchor",
                            onlyOld.toString(),
                            "anchors",
                            "--state",
                            state.toString(),
                            "--refresh");
            assertEquals(0, r.exit(), r::toString);
            assertTrue(
                    r.out()
                            .contains(
                                    "  DNSKEY alg 13 tag "
                                            + newTag
                                            + " ADD_PEND (seen 1 times) since "),
                    r::toString);
            assertTrue(r.out().contains("(ECDSAP256SHA256)"), r::toString);
            assertTrue(
                    r.out()
                            .contains(
                                    "; warning: . publishes key tag "
                                            + newTag
                                            + " (algorithm 13, ADD_PEND) that the configured ("
                                            + onlyOld
                                            + ") anchors do not list: those anchors are older than the zone's keys"),
                    r::toString);
            assertTrue(
                    !r.out().contains("key tag " + oldTag + " (algorithm"),
                    "the listed key is not warned about: " + r);
            int dsaTag = w.zone(".").keys().get(3).keyTag();
            assertTrue(
                    r.out()
                            .contains(
                                    "; warning: . publishes key tag "
                                            + dsaTag
                                            + " of algorithm 3 (DSA), which Daneel does"
                                            + " not validate: it is never trusted"),
                    r::toString);
            assertTrue(!r.out().contains("DNSKEY alg 3 "), "the DSA key is not tracked: " + r);
            Cli json =
                    Cli.run(
                            "--anchor",
                            onlyOld.toString(),
                            "anchors",
                            "--state",
                            state.toString(),
                            "--json");
            assertTrue(
                    json.out().contains("\"warnings\":[\". publishes key tag " + newTag),
                    json::toString);
            assertTrue(
                    json.out().contains("\"algorithmName\":\"ECDSAP256SHA256\""), json::toString);
        }
    }

    @Test
    void aRootNoTrustedKeyValidatesIsWarnedAboutWithTheWayOut() throws Exception {
        try (World other = World.builder().build()) {
            Path stale = other.writeTrustAnchors(dir.resolve("stale.anchor"));
            Path state = dir.resolve("stale.state");
            Cli r =
                    Cli.run(
                            "--server",
                            server,
                            "--anchor",
                            stale.toString(),
                            "anchors",
                            "--state",
                            state.toString(),
                            "--refresh");
            assertEquals(2, r.exit(), r::toString);
            assertTrue(r.out().contains("; refresh .: NOT_VALIDATED"), r::toString);
            assertTrue(
                    r.out()
                            .contains(
                                    "; warning: .: no trusted key validates its DNSKEY RRset: the anchors and RFC 5011 state"
                                            + " are older than the zone's keys"),
                    r::toString);
            assertTrue(r.out().contains("root anchor bootstrap"), r::toString);
        }
    }

    @Test
    void configuredAnchorWithoutStateIsAFreshTrustPoint() {
        Cli r = Cli.run("--anchor", anchor, "anchors");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("(next probe now, last success never)"), r::toString);
        assertTrue(
                r.out()
                        .contains(
                                "  DS alg 13 tag "
                                        + world.trustAnchors().get(0).getFootprint()
                                        + " VALID"),
                r::toString);
    }

    @Test
    void refreshCreatesTheStateAndTracksTheKey() throws Exception {
        Path state = dir.resolve("refresh.state");
        Cli r =
                Cli.run(
                        "--server",
                        server,
                        "--anchor",
                        anchor,
                        "anchors",
                        "--state",
                        state.toString(),
                        "--refresh");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("; refresh .: VALIDATED (state changed"), r::toString);
        assertTrue(
                r.out()
                        .contains(
                                "  DNSKEY alg 13 tag "
                                        + world.trustAnchors().get(0).getFootprint()
                                        + " VALID"),
                r::toString);
        assertTrue(Files.exists(state));
        Cli again = Cli.run("--anchor", anchor, "anchors", "--state", state.toString(), "--json");
        assertEquals(0, again.exit(), again::toString);
        assertTrue(
                again.out().contains("\"trustPoints\":[{\"zone\":\".\",\"revoked\":false"),
                again::toString);
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
