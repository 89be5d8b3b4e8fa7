package dev.daneel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.testkit.Breakage;
import dev.daneel.testkit.World;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.Type;

/**
 * {@code daneel ipseckey --create/--fetch}: lines equal to ipsec showhostkey --ipseckey, verdicts
 * and exit codes.
 */
class IpseckeyCommandTest {

    private static final Pattern CKAID = Pattern.compile("ckaid: ([0-9a-f]+)");

    @TempDir static Path dir;
    private static World world;
    private static String server;
    private static String anchor;
    private static PublicKey key;
    private static Path pem;

    @BeforeAll
    static void start() throws Exception {
        key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic();
        pem =
                Files.writeString(
                        dir.resolve("gw.pem"),
                        "-----BEGIN PUBLIC KEY-----\n"
                                + Base64.getMimeEncoder().encodeToString(key.getEncoded())
                                + "\n-----END PUBLIC KEY-----\n");
        world =
                World.builder()
                        .zone("test.")
                        .zone(
                                "example.test.",
                                z ->
                                        z.ipseckey("vpn", 10, "192.0.2.7", key)
                                                .record("plain A 192.0.2.1"))
                        .zone(
                                "unsigned.test.",
                                z -> z.unsigned().ipseckey("vpn", 10, "192.0.2.7", key))
                        .zone(
                                "broken.test.",
                                z ->
                                        z.ipseckey("vpn", 10, "192.0.2.7", key)
                                                .breakRRset(
                                                        "vpn",
                                                        Type.IPSECKEY,
                                                        Breakage.EXPIRED_SIGNATURES))
                        .start();
        server = "127.0.0.1:" + world.address().getPort();
        anchor = world.writeTrustAnchors(dir.resolve("root.anchor")).toString();
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    private static Cli fetch(String host, String... more) {
        List<String> a =
                new ArrayList<>(
                        List.of(
                                "--server",
                                server,
                                "--anchor",
                                anchor,
                                "ipseckey",
                                "--fetch",
                                host));
        a.addAll(List.of(more));
        return Cli.run(a.toArray(String[]::new));
    }

    @Test
    void createFromPem() {
        Cli r =
                Cli.run(
                        "ipseckey",
                        "--create",
                        "--key",
                        pem.toString(),
                        "--gateway",
                        "192.0.2.7",
                        "vpn.example.test.");
        assertEquals(0, r.exit(), r::toString);
        assertEquals(
                "vpn.example.test. IN IPSECKEY 10 1 4 192.0.2.7 "
                        + Base64.getEncoder()
                                .encodeToString(
                                        java.util.Arrays.copyOfRange(key.getEncoded(), 12, 44))
                        + "\n",
                r.out());
    }

    @Test
    void createWithoutGatewayAndWithPrecedenceAsJson() {
        Cli r =
                Cli.run(
                        "ipseckey",
                        "--create",
                        "--key",
                        pem.toString(),
                        "--precedence",
                        "5",
                        "--json",
                        "h.test.");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(
                r.out()
                        .startsWith(
                                "{\"host\":\"h.test.\",\"records\":[\"h.test. IN IPSECKEY 5 0 4 . "),
                r::toString);
    }

    @Test
    void fetchSecure() {
        Cli r = fetch("vpn.example.test");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(
                r.out().startsWith("; secure\nvpn.example.test. IN IPSECKEY 10 1 4 192.0.2.7 "),
                r::toString);
    }

    @Test
    void fetchJson() {
        Cli r = fetch("vpn.example.test.", "--json");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(
                r.out()
                        .startsWith(
                                "{\"host\":\"vpn.example.test.\",\"status\":\"secure\",\"records\":["),
                r::toString);
    }

    @Test
    void fetchNoRecordsExitsFour() {
        Cli r = fetch("plain.example.test.");
        assertEquals(4, r.exit(), r::toString);
        assertTrue(r.out().contains("provably has no IPSECKEY records"), r::toString);
    }

    @Test
    void fetchInsecureExitsThree() {
        Cli r = fetch("vpn.unsigned.test.");
        assertEquals(3, r.exit(), r::toString);
        assertTrue(
                r.out().startsWith("; insecure (unsigned delegation at unsigned.test.)"),
                r::toString);
    }

    @Test
    void fetchBogusExitsTwo() {
        Cli r = fetch("vpn.broken.test.");
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.out().startsWith("; bogus (SIGNATURE_EXPIRED)"), r::toString);
    }

    @Test
    void usageErrorsNameTheArgument() {
        Cli noKey = Cli.run("ipseckey", "--create", "h");
        assertEquals(1, noKey.exit());
        assertTrue(noKey.err().contains("--create needs --key PUBKEY"), noKey::toString);
        Cli prec =
                Cli.run(
                        "ipseckey",
                        "--create",
                        "--key",
                        pem.toString(),
                        "--precedence",
                        "300",
                        "h");
        assertEquals(1, prec.exit());
        assertTrue(prec.err().contains("--precedence must be 0..255, got 300"), prec::toString);
        Cli gw =
                Cli.run(
                        "ipseckey",
                        "--create",
                        "--key",
                        pem.toString(),
                        "--gateway",
                        "2001:db8::zz",
                        "h");
        assertEquals(1, gw.exit());
        assertTrue(gw.err().contains("--gateway: "), gw::toString);
        Cli notKey =
                Cli.run(
                        "ipseckey",
                        "--create",
                        "--key",
                        dir.resolve("root.anchor").toString(),
                        "h");
        assertEquals(1, notKey.exit());
        assertTrue(notKey.err().contains("--key: "), notKey::toString);
    }

    @ParameterizedTest(name = "{0} gateway {1} precedence {2}")
    @CsvSource({"rsa, , ", "ecdsa, 192.0.2.1, 5", "ecdsa, 2001:db8::1, 200"})
    void createEqualsIpsecShowhostkey(String keyType, String gateway, String precedence)
            throws Exception {
        String ipsec = Tools.require("ipsec", "libreswan");
        Path nss = Files.createDirectories(dir.resolve("nss-" + keyType + "-" + precedence));
        Tools.run(dir, ipsec, "initnss", "--nssdir", nss.toString());
        List<String> gen =
                new ArrayList<>(
                        List.of(
                                ipsec,
                                "newhostkey",
                                "--nssdir",
                                nss.toString(),
                                "--keytype",
                                keyType));
        if (keyType.equals("rsa")) {
            gen.addAll(List.of("--bits", "3072"));
        }
        Tools.run(dir, gen.toArray(String[]::new));
        Matcher m =
                CKAID.matcher(
                        Tools.run(dir, ipsec, "showhostkey", "--nssdir", nss.toString(), "--list"));
        assertTrue(m.find(), "showhostkey --list printed no ckaid");
        Path keyPem = nss.resolve("key.pem");
        Files.writeString(
                keyPem,
                Tools.run(
                        dir,
                        ipsec,
                        "showhostkey",
                        "--nssdir",
                        nss.toString(),
                        "--pem",
                        "--ckaid",
                        m.group(1)));
        List<String> show =
                new ArrayList<>(
                        List.of(
                                ipsec,
                                "showhostkey",
                                "--nssdir",
                                nss.toString(),
                                "--ipseckey",
                                "--ckaid",
                                m.group(1)));
        List<String> ours =
                new ArrayList<>(List.of("ipseckey", "--create", "--key", keyPem.toString()));
        if (gateway != null) {
            show.addAll(List.of("--gateway", gateway));
            ours.addAll(List.of("--gateway", gateway));
        }
        if (precedence != null) {
            show.addAll(List.of("--precedence", precedence));
            ours.addAll(List.of("--precedence", precedence));
        }
        String theirs = Tools.run(dir, show.toArray(String[]::new)).strip();
        ours.add(theirs.split("\\s+")[0]);
        Cli r = Cli.run(ours.toArray(String[]::new));
        assertEquals(0, r.exit(), r::toString);
        assertEquals(theirs.replaceAll("\\s+", " "), r.out().strip());
    }
}
