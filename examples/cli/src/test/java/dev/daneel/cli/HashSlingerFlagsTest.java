package dev.daneel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.dane.CertUsage;
import dev.daneel.dane.MatchingType;
import dev.daneel.dane.Selector;
import dev.daneel.dane.TlsaRecords;
import dev.daneel.sshfp.SshHostKey;
import dev.daneel.testkit.Breakage;
import dev.daneel.testkit.OpenPgpTestKey;
import dev.daneel.testkit.World;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/**
 * The options hash-slinger's users have — {@code --keyid}, {@code --insecure}, {@code
 * --resolvconf}, {@code --debug} — against a signed world on loopback (with an unsigned and a
 * broken zone), compared with what hash-slinger's {@code openpgpkey} and {@code tlsa} do with them
 * (read from its source: an insecure answer is refused unless {@code --insecure}, and then flagged;
 * a bogus one always refused; a key ID picks the key to publish or print).
 */
class HashSlingerFlagsTest {

    static final String ALICE = "alice@example.test";

    @TempDir static Path dir;
    private static World world;
    private static String server;
    private static String anchor;
    private static OpenPgpTestKey first;
    private static OpenPgpTestKey second;
    private static Path bothKeys;
    private static Path sshPub;
    private static DemoTls.Server tls;
    private static int tlsPort;

    @BeforeAll
    static void start() throws Exception {
        first = OpenPgpTestKey.generate("Alice <" + ALICE + ">", Instant.now());
        second = OpenPgpTestKey.generate("Alice <" + ALICE + ">", Instant.now());
        byte[] a = first.publicKeyBytes();
        byte[] b = second.publicKeyBytes();
        byte[] ab = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, ab, a.length, b.length);
        bothKeys = Files.write(dir.resolve("both.gpg"), ab); // a binary keyring of two keys
        String ssh =
                SshHostKey.of(KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic())
                        .toOpenSsh();
        sshPub = Files.writeString(dir.resolve("host.pub"), ssh + "\n");
        DemoTls.Identity id = DemoTls.selfSigned("www.unsigned.test", Instant.now());
        tls = new DemoTls.Server(id);
        tlsPort = tls.port();
        String tlsa =
                TlsaRecords.line(
                        "www.unsigned.test.",
                        tlsPort,
                        "tcp",
                        TlsaRecords.create(
                                id.cert(),
                                CertUsage.DANE_EE,
                                Selector.SPKI,
                                MatchingType.SHA2_256));
        world =
                World.builder()
                        .zone("test.")
                        .zone(
                                "example.test.",
                                z ->
                                        z.openpgpkey(ALICE, first.publicKeyBytes())
                                                .openpgpkey(ALICE, second.publicKeyBytes())
                                                .sshfp("host", ssh))
                        .zone(
                                "unsigned.test.",
                                z ->
                                        z.unsigned()
                                                .openpgpkey(
                                                        "alice@unsigned.test",
                                                        first.publicKeyBytes())
                                                .sshfp("host", ssh)
                                                .record(tlsa)
                                                .record("vpn A 192.0.2.9"))
                        .zone(
                                "broken.test.",
                                z ->
                                        z.sshfp("host", ssh)
                                                .breakRRset(
                                                        "host",
                                                        Type.SSHFP,
                                                        Breakage.EXPIRED_SIGNATURES))
                        .start();
        server = "127.0.0.1:" + world.address().getPort();
        anchor = world.writeTrustAnchors(dir.resolve("root.anchor")).toString();
    }

    @AfterAll
    static void stop() throws Exception {
        world.close();
        tls.close();
    }

    private static Cli dns(String... args) {
        List<String> a = new ArrayList<>(List.of("--server", server, "--anchor", anchor));
        a.addAll(List.of(args));
        return Cli.run(a.toArray(String[]::new));
    }

    private static String keyId(OpenPgpTestKey k) {
        return String.format("%016X", k.publicKeyRing().getPublicKey().getKeyID());
    }

    // --keyid

    @Test
    void keyidPicksTheKeyToPublishAmongSeveralForTheAddress() {
        Cli all = Cli.run("openpgpkey", "--create", "--key", bothKeys.toString(), ALICE);
        assertEquals(0, all.exit(), all::toString);
        assertEquals(
                2,
                all.out().lines().filter(l -> l.contains(" OPENPGPKEY ")).count(),
                all::toString);

        Cli one =
                Cli.run(
                        "openpgpkey",
                        "--create",
                        "--key",
                        bothKeys.toString(),
                        "--keyid",
                        "0x" + keyId(second),
                        ALICE);
        assertEquals(0, one.exit(), one::toString);
        List<String> records = one.out().lines().filter(l -> l.contains(" OPENPGPKEY ")).toList();
        assertEquals(1, records.size(), one::toString);
        assertTrue(all.out().contains(records.get(0)), one::toString);
        // the short (8-digit) ID and the fingerprint name the same key
        assertEquals(
                one.out(),
                Cli.run(
                                "openpgpkey",
                                "--create",
                                "--key",
                                bothKeys.toString(),
                                "--keyid",
                                keyId(second).substring(8).toLowerCase(),
                                ALICE)
                        .out());
        assertEquals(
                one.out(),
                Cli.run(
                                "openpgpkey",
                                "--create",
                                "--key",
                                bothKeys.toString(),
                                "--keyid",
                                second.fingerprint(),
                                ALICE)
                        .out());
    }

    @Test
    void keyidThatNoKeyHasIsAnErrorListingTheKeysThereAre() {
        Cli r =
                Cli.run(
                        "openpgpkey",
                        "--create",
                        "--key",
                        bothKeys.toString(),
                        "--keyid",
                        "0123456789ABCDEF",
                        ALICE);
        assertEquals(1, r.exit(), r::toString);
        assertEquals("", r.out());
        assertTrue(
                r.err().contains("--keyid: none of the 2 key(s) for " + ALICE)
                        && r.err().contains(keyId(first)),
                r::toString);
        Cli bad =
                Cli.run(
                        "openpgpkey",
                        "--create",
                        "--key",
                        bothKeys.toString(),
                        "--keyid",
                        "xyz",
                        ALICE);
        assertTrue(
                bad.err()
                        .contains(
                                "--keyid: expected a key ID of 8 or 16 hex digits or a 40-digit fingerprint"),
                bad::toString);
    }

    @Test
    void keyidSelectsWhichFetchedKeyIsPrinted() {
        Cli both = dns("--json", "openpgpkey", "--fetch", ALICE);
        assertEquals(0, both.exit(), both::toString);
        assertEquals(2, both.out().split("\"fingerprint\"", -1).length - 1, both::toString);
        for (OpenPgpTestKey k : List.of(first, second)) {
            Cli one = dns("--json", "openpgpkey", "--fetch", "--keyid", keyId(k), ALICE);
            assertEquals(0, one.exit(), one::toString);
            assertEquals(1, one.out().split("\"fingerprint\"", -1).length - 1, one::toString);
            assertTrue(one.out().contains(k.fingerprint()), one::toString);
        }
        // hash-slinger: "Requested keyid not present in received OpenPGP data"
        Cli none = dns("openpgpkey", "--fetch", "--keyid", "0123456789ABCDEF", ALICE);
        assertEquals(2, none.exit(), none::toString);
        assertEquals("", none.out());
        assertTrue(none.err().contains("no key with key ID 0123456789ABCDEF"), none::toString);
    }

    @Test
    void keyidLimitsVerifyToTheChosenKey() throws Exception {
        Path firstOnly = Files.writeString(dir.resolve("first.asc"), first.armoredPublicKey());
        // without --keyid the second published key is not held locally: a mismatch
        assertEquals(2, dns("openpgpkey", "--verify", "--key", firstOnly.toString(), ALICE).exit());
        Cli chosen =
                dns(
                        "openpgpkey",
                        "--verify",
                        "--key",
                        firstOnly.toString(),
                        "--keyid",
                        keyId(first),
                        ALICE);
        assertEquals(0, chosen.exit(), chosen::toString);
        assertTrue(chosen.out().startsWith("SUCCESS key " + first.fingerprint()), chosen::toString);
    }

    // --insecure

    @Test
    void insecureAnswerIsRefusedWithoutTheSwitchAndFlaggedWithIt() {
        Cli refused = dns("openpgpkey", "--fetch", "alice@unsigned.test");
        assertEquals(3, refused.exit(), refused::toString);
        assertEquals("", refused.out());

        Cli accepted = dns("--insecure", "openpgpkey", "--fetch", "alice@unsigned.test");
        assertEquals(0, accepted.exit(), accepted::toString);
        assertTrue(accepted.out().contains("Comment: NOT VALIDATED BY DNSSEC"), accepted::toString);
        assertTrue(
                accepted.err().contains("WARNING: INSECURE")
                        && accepted.err().contains("NOT VALIDATED BY DNSSEC"),
                accepted::toString);
    }

    @Test
    void insecureNeverAcceptsBogus() {
        Cli r =
                dns(
                        "--insecure",
                        "sshfp",
                        "--verify",
                        "--key",
                        sshPub.toString(),
                        "host.broken.test");
        assertEquals(2, r.exit(), r::toString);
        assertFalse(r.out().contains("SUCCESS"), r::toString);
        assertFalse(r.err().contains("WARNING: INSECURE"), r::toString);
    }

    @Test
    void insecureSshfpIsComparedAndFlagged() {
        assertEquals(
                3,
                dns("sshfp", "--verify", "--key", sshPub.toString(), "host.unsigned.test").exit());
        Cli r =
                dns(
                        "--insecure",
                        "sshfp",
                        "--verify",
                        "--key",
                        sshPub.toString(),
                        "host.unsigned.test");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(
                r.out().startsWith("INSECURE SUCCESS ssh-ed25519 key matches ")
                        && r.out().contains("NOT VALIDATED"),
                r::toString);
        Cli other =
                dns(
                        "--insecure",
                        "sshfp",
                        "--verify",
                        "--key",
                        bothKeys.toString(),
                        "host.unsigned.test");
        assertEquals(
                1,
                other.exit(),
                other::toString); // not an SSH key: a usage error, nothing compared
    }

    @Test
    void insecureTlsaIsComparedWithTheLiveServerAndFlagged() {
        List<String> args =
                List.of(
                        "tlsa",
                        "--verify",
                        "--port",
                        Integer.toString(tlsPort),
                        "--connect",
                        "127.0.0.1:" + tlsPort,
                        "www.unsigned.test");
        assertEquals(3, dns(args.toArray(String[]::new)).exit());
        List<String> insecure = new ArrayList<>(List.of("--insecure"));
        insecure.addAll(args);
        Cli r = dns(insecure.toArray(String[]::new));
        assertEquals(0, r.exit(), r::toString);
        assertTrue(
                r.out().startsWith("INSECURE SUCCESS (usage 3 [DANE-EE])")
                        && r.out().contains("NOT VALIDATED BY DNSSEC"),
                r::toString);
        assertTrue(r.err().contains("WARNING: INSECURE"), r::toString);
    }

    @Test
    void insecureQueryExitsZeroWithAWarning() {
        assertEquals(3, dns("query", "vpn.unsigned.test", "A").exit());
        Cli r = dns("--insecure", "query", "vpn.unsigned.test", "A");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(
                r.out().startsWith("; insecure (") && r.out().contains("192.0.2.9"), r::toString);
        assertTrue(
                r.err().contains("WARNING: INSECURE: the answer for vpn.unsigned.test. A"),
                r::toString);
    }

    // --resolvconf

    @Test
    void resolvconfNameserverLinesAreTheUpstreams() throws Exception {
        int port = world.address().getPort();
        Path conf =
                Files.writeString(
                        dir.resolve("resolv.conf"),
                        "# test\nsearch example.test\noptions ndots:1\n"
                                + "nameserver 127.0.0.1@"
                                + port
                                + "   ; the world\n");
        Cli r =
                Cli.run(
                        "--resolvconf",
                        conf.toString(),
                        "--anchor",
                        anchor,
                        "sshfp",
                        "--verify",
                        "--key",
                        sshPub.toString(),
                        "host.example.test");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().startsWith("SUCCESS ssh-ed25519"), r::toString);
    }

    @Test
    void resolvconfAndServerTogetherIsAnError() throws Exception {
        Path conf = Files.writeString(dir.resolve("both.conf"), "nameserver 127.0.0.1\n");
        Cli r =
                Cli.run(
                        "--resolvconf",
                        conf.toString(),
                        "--server",
                        "127.0.0.1:9",
                        "query",
                        "x.test");
        assertEquals(1, r.exit());
        assertTrue(
                r.err().contains("--resolvconf and --server both name the resolvers"), r::toString);
    }

    // --debug

    @Test
    void debugPrintsTheChainTheVerdictRestsOn() {
        Cli r =
                dns(
                        "--debug",
                        "sshfp",
                        "--verify",
                        "--key",
                        sshPub.toString(),
                        "host.example.test");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(
                r.err().contains(";; validation of host.example.test. SSHFP: secure"), r::toString);
        assertTrue(
                r.err().contains("\tDNSKEY\t")
                        && r.err().contains("\tDS\t")
                        && r.err().contains("\tRRSIG\t"),
                r::toString);
        assertFalse(
                r.out().contains("DNSKEY"),
                "the chain goes to stderr, stdout stays the result\n" + r);

        Cli bogus =
                dns("--debug", "sshfp", "--verify", "--key", sshPub.toString(), "host.broken.test");
        assertTrue(
                bogus.err().contains(";; validation of host.broken.test. SSHFP: bogus ("),
                bogus::toString);
        Cli q = dns("--debug", "query", "_openpgpkey.example.test", "A");
        assertTrue(
                q.err().contains(";; validation of _openpgpkey.example.test. A: secure"),
                q::toString);
    }
}
