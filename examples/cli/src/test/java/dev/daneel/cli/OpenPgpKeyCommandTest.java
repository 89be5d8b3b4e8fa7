package dev.daneel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.openpgpkey.LocalKeys;
import dev.daneel.openpgpkey.OpenPgpKeyName;
import dev.daneel.openpgpkey.OpenPgpKeyRecords;
import dev.daneel.testkit.Breakage;
import dev.daneel.testkit.GnuPgHome;
import dev.daneel.testkit.World;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/**
 * {@code daneel openpgpkey --create/--fetch/--verify} with keys made by GnuPG: records equal to
 * {@code gpg --export-options export-dane} and hash-slinger's {@code openpgpkey --create}; fetch
 * and verify against a signed world on loopback.
 */
class OpenPgpKeyCommandTest {

    static final String HUGH = "hugh@example.test";
    static final String ZOE = "zoe@example.test";
    private static GnuPgHome home;
    private static GnuPgHome elsewhere;
    private static World world;
    private static String server;
    private static String anchor;
    private static Path kbx;
    private static Path hughAsc;
    private static Path otherZoe;

    @BeforeAll
    static void start() throws Exception {
        home = GnuPgHome.create();
        home.generate("Hugh <" + HUGH + ">");
        home.generate("Zoe <" + ZOE + ">");
        elsewhere = GnuPgHome.create();
        elsewhere.generate("Zoe <" + ZOE + ">");
        kbx = home.dir().resolve("pubring.kbx");
        hughAsc =
                Files.write(home.dir().resolve("hugh.asc"), home.gpg("--armor", "--export", HUGH));
        otherZoe =
                Files.write(
                        elsewhere.dir().resolve("zoe.asc"),
                        elsewhere.gpg("--armor", "--export", ZOE));
        byte[] hugh = record(HUGH);
        byte[] zoe = record(ZOE);
        world =
                World.builder()
                        .zone("test.")
                        .zone("example.test.", z -> z.openpgpkey(HUGH, hugh).openpgpkey(ZOE, zoe))
                        .zone(
                                "unsigned.test.",
                                z -> z.unsigned().openpgpkey("hugh@unsigned.test", hugh))
                        .zone(
                                "broken.test.",
                                z ->
                                        z.openpgpkey("hugh@broken.test", hugh)
                                                .breakRRset(
                                                        OpenPgpKeyName.of("hugh@broken.test"),
                                                        Type.OPENPGPKEY,
                                                        Breakage.EXPIRED_SIGNATURES))
                        .start();
        server = "127.0.0.1:" + world.address().getPort();
        anchor = world.writeTrustAnchors(home.dir().resolve("root.anchor")).toString();
    }

    private static byte[] record(String address) throws Exception {
        return OpenPgpKeyRecords.create(
                        LocalKeys.forAddress(LocalKeys.read(kbx), address).get(0), address)
                .keyData();
    }

    @AfterAll
    static void stop() throws Exception {
        if (world != null) {
            world.close();
        }
        if (home != null) {
            home.close();
        }
        if (elsewhere != null) {
            elsewhere.close();
        }
    }

    private static Cli dns(String... rest) {
        List<String> a =
                new ArrayList<>(List.of("--server", server, "--anchor", anchor, "openpgpkey"));
        a.addAll(List.of(rest));
        return Cli.run(a.toArray(String[]::new));
    }

    @Test
    void createGenericEqualsGpgExportDane() throws Exception {
        String text =
                new String(
                        home.gpg("--export", "--export-options", "export-dane", HUGH),
                        StandardCharsets.US_ASCII);
        Matcher m =
                Pattern.compile(
                                "(?s)\\$ORIGIN (\\S+)\\s.*?\\n([0-9a-f]{56}) TYPE61 \\\\# (\\d+) \\((.*?)\\)")
                        .matcher(text);
        assertTrue(m.find(), "unexpected export-dane output: " + text);
        String theirs =
                m.group(2)
                        + "."
                        + m.group(1)
                        + " IN TYPE61 \\# "
                        + m.group(3)
                        + " "
                        + m.group(4).replaceAll("\\s", "");
        Cli ours =
                Cli.run(
                        "openpgpkey",
                        "--create",
                        "--keyring",
                        kbx.toString(),
                        "--output",
                        "generic",
                        HUGH);
        assertEquals(0, ours.exit(), ours::toString);
        assertEquals(List.of(theirs), ours.out().lines().filter(l -> !l.startsWith(";")).toList());
    }

    @Test
    void createRfcEqualsHashSlingerOpenpgpkeyCreate() throws Exception {
        Tools.require("openpgpkey", "hash-slinger");
        String theirs =
                new String(
                        home.tool("openpgpkey", "--create", "--output", "rfc", HUGH),
                        StandardCharsets.UTF_8);
        Cli ours = Cli.run("openpgpkey", "--create", "--key", hughAsc.toString(), HUGH);
        assertEquals(0, ours.exit(), ours::toString);
        assertEquals(theirs.strip(), ours.out().strip());
    }

    @Test
    void createJson() {
        Cli r = Cli.run("--json", "openpgpkey", "--create", "--keyring", kbx.toString(), HUGH);
        assertEquals(0, r.exit(), r::toString);
        assertTrue(
                r.out()
                        .startsWith(
                                "{\"email\":\""
                                        + HUGH
                                        + "\",\"owner\":\""
                                        + OpenPgpKeyName.of(HUGH)
                                        + "\",\"records\":[\""
                                        + OpenPgpKeyName.of(HUGH)
                                        + " IN OPENPGPKEY "),
                r::toString);
    }

    @Test
    void fetchPrintsTheArmoredKeyAndSaysItWasSecure() throws Exception {
        Cli r = dns("--fetch", HUGH);
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----"), r::toString);
        assertTrue(
                r.err()
                        .startsWith(
                                "; queried "
                                        + OpenPgpKeyName.of(HUGH)
                                        + " for "
                                        + HUGH
                                        + ": DNSSEC-secure, 1 key(s)"),
                r::toString);
        long expected =
                LocalKeys.forAddress(LocalKeys.read(kbx), HUGH).get(0).getPublicKey().getKeyID();
        assertEquals(
                expected,
                LocalKeys.parse(r.out().getBytes(StandardCharsets.US_ASCII))
                        .get(0)
                        .getPublicKey()
                        .getKeyID());
    }

    @Test
    void fetchedKeyImportsIntoGnuPg() throws Exception {
        Cli r = dns("--fetch", HUGH);
        try (GnuPgHome fresh = GnuPgHome.create()) {
            Path asc = Files.writeString(fresh.dir().resolve("fetched.asc"), r.out());
            fresh.gpg("--import", asc.toString());
            String listed = new String(fresh.gpg("--list-keys", HUGH), StandardCharsets.UTF_8);
            assertTrue(listed.contains(HUGH), listed);
        }
    }

    @Test
    void fetchJson() {
        Cli r = dns("--fetch", "--json", HUGH);
        assertEquals(0, r.exit(), r::toString);
        assertTrue(
                r.out()
                        .startsWith(
                                "{\"email\":\""
                                        + HUGH
                                        + "\",\"owner\":\""
                                        + OpenPgpKeyName.of(HUGH)
                                        + "\",\"status\":\"secure\""),
                r::toString);
        assertTrue(
                r.out().contains("\"armored\":\"-----BEGIN PGP PUBLIC KEY BLOCK-----"),
                r::toString);
    }

    @Test
    void fetchWithUidAcceptsTheGivenUserId() {
        Cli wrong = dns("--fetch", "--uid", "nobody@example.test", HUGH);
        assertEquals(2, wrong.exit(), wrong::toString);
        assertEquals("", wrong.out());
        Cli right = dns("--fetch", "--uid", HUGH, HUGH);
        assertEquals(0, right.exit(), right::toString);
    }

    @Test
    void fetchOutcomesAndExitCodes() {
        Cli none = dns("--fetch", "nobody@example.test");
        assertEquals(4, none.exit(), none::toString);
        assertTrue(none.err().contains("secure proof that there is no key"), none::toString);
        Cli insecure = dns("--fetch", "hugh@unsigned.test");
        assertEquals(3, insecure.exit(), insecure::toString);
        assertEquals("", insecure.out());
        assertTrue(
                insecure.err().contains("insecure (unsigned delegation at unsigned.test.)"),
                insecure::toString);
        Cli bogus = dns("--fetch", "hugh@broken.test");
        assertEquals(2, bogus.exit(), bogus::toString);
        assertEquals("", bogus.out());
        assertTrue(bogus.err().contains("bogus (SIGNATURE_EXPIRED)"), bogus::toString);
    }

    @Test
    void verifyWithTheKeyringThatHoldsThePublishedKey() {
        Cli r = dns("--verify", "--keyring", kbx.toString(), HUGH);
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().startsWith("SUCCESS key "), r::toString);
    }

    @Test
    void verifyWithAnotherKeyForTheAddressFails() {
        Cli r = dns("--verify", "--key", otherZoe.toString(), ZOE);
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.out().startsWith("FAIL key "), r::toString);
        assertTrue(r.out().contains("is not held locally"), r::toString);
    }

    @Test
    void usageErrorsNameTheArgument() {
        Cli bad = Cli.run("openpgpkey", "--create", "--key", hughAsc.toString(), "not-an-address");
        assertEquals(1, bad.exit());
        assertTrue(bad.err().contains("EMAIL: \"not-an-address\""), bad::toString);
        Cli neither = Cli.run("openpgpkey", "--create", HUGH);
        assertEquals(1, neither.exit());
        assertTrue(
                neither.err().contains("needs either --key FILE or --keyring FILE"),
                neither::toString);
        Cli noKeyFor = Cli.run("openpgpkey", "--create", "--key", hughAsc.toString(), ZOE);
        assertEquals(1, noKeyFor.exit());
        assertTrue(noKeyFor.err().contains("none with a user ID for " + ZOE), noKeyFor::toString);
        Cli output =
                Cli.run("openpgpkey", "--create", "--key", hughAsc.toString(), "-o", "xml", HUGH);
        assertEquals(1, output.exit());
        assertTrue(
                output.err().contains("--output must be rfc, generic or both"), output::toString);
    }
}
