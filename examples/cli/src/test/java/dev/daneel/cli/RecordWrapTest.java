package dev.daneel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.sshfp.SshHostKey;
import dev.daneel.testkit.OpenPgpTestKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --wrap}: the records {@code daneel} creates, split over lines in RFC 1035 parentheses, are
 * loaded by the real zone parsers — BIND's {@code named-checkzone}, NSD's {@code nsd-checkzone} and
 * ldns' {@code ldns-read-zone} — and mean exactly what the one-line records mean (the oracle: ldns
 * prints both zone files' records in canonical form, and the two lists are equal).
 */
class RecordWrapTest {

    @TempDir static Path dir;
    static List<String> oneLine = new ArrayList<>();
    static List<String> wrapped = new ArrayList<>();

    /**
     * The same create commands with and without --wrap: OPENPGPKEY (RFC and generic), TLSA, SSHFP,
     * IPSECKEY.
     */
    @BeforeAll
    static void create() throws Exception {
        OpenPgpTestKey key = OpenPgpTestKey.generate("Wren <wren@example.test>", Instant.now());
        Path asc = Files.writeString(dir.resolve("wren.asc"), key.armoredPublicKey());
        Path cert =
                TlsaCommandTest.writePem(
                        dir.resolve("cert.pem"),
                        DemoTls.selfSigned("www.example.test", Instant.now()).cert().getEncoded());
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        Path sshPub =
                Files.writeString(
                        dir.resolve("host.pub"),
                        SshHostKey.of(rsa.generateKeyPair().getPublic()).toOpenSsh());
        Path pem =
                Files.writeString(
                        dir.resolve("gw.pem"),
                        "-----BEGIN PUBLIC KEY-----\n"
                                + Base64.getMimeEncoder()
                                        .encodeToString(
                                                rsa.generateKeyPair().getPublic().getEncoded())
                                + "\n-----END PUBLIC KEY-----\n");
        List<List<String>> commands =
                List.of(
                        List.of(
                                "openpgpkey",
                                "--create",
                                "--key",
                                asc.toString(),
                                "--output",
                                "both",
                                "wren@example.test"),
                        List.of(
                                "tlsa",
                                "--create",
                                "--mtype",
                                "0",
                                "--certificate",
                                cert.toString(),
                                "www.example.test."),
                        List.of(
                                "tlsa",
                                "--create",
                                "--mtype",
                                "2",
                                "--output",
                                "generic",
                                "--certificate",
                                cert.toString(),
                                "mail.example.test."),
                        List.of("sshfp", "--create", "-f", sshPub.toString(), "host.example.test."),
                        List.of(
                                "ipseckey",
                                "--create",
                                "--key",
                                pem.toString(),
                                "--gateway",
                                "192.0.2.7",
                                "vpn.example.test."));
        for (List<String> c : commands) {
            Cli plain = Cli.run(c.toArray(String[]::new));
            assertEquals(0, plain.exit(), plain::toString);
            oneLine.add(plain.out());
            List<String> w = new ArrayList<>(List.of("--wrap"));
            w.addAll(c);
            Cli wrap = Cli.run(w.toArray(String[]::new));
            assertEquals(0, wrap.exit(), wrap::toString);
            wrapped.add(wrap.out());
        }
    }

    static Path zone(String name, List<String> bodies) throws Exception {
        String head =
                "$ORIGIN example.test.\n$TTL 3600\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 3600\n"
                        + "@ IN NS ns1\nns1 IN A 192.0.2.53\n";
        return Files.writeString(dir.resolve(name), head + String.join("", bodies));
    }

    @Test
    void wrappedLinesAreShortAndParenthesised() {
        String all = String.join("", wrapped);
        for (String l : all.split("\n")) {
            assertTrue(
                    l.length() <= 200 || l.contains(" IPSECKEY "),
                    "a line of " + l.length() + " characters: " + l);
        }
        assertTrue(
                String.join("", oneLine).lines().anyMatch(l -> l.length() > 1000),
                "the OPENPGPKEY line is long");
        assertTrue(all.contains(" (\n\t") && all.contains(" )\n"), all);
    }

    @Test
    void bindLoadsTheWrappedRecords() throws Exception {
        String named = Tools.require("named-checkzone", "bind9-utils");
        Path z = zone("wrapped.zone", wrapped);
        String out = Tools.run(dir, named, "example.test", z.toString());
        assertTrue(out.contains("OK"), out);
    }

    @Test
    void nsdLoadsTheWrappedRecords() throws Exception {
        String nsd = Tools.require("nsd-checkzone", "nsd");
        Path z = zone("wrapped-nsd.zone", wrapped);
        String out = Tools.run(dir, nsd, "example.test", z.toString());
        assertTrue(out.contains("zone example.test is ok"), out);
    }

    @Test
    void ldnsReadsTheSameRecordsWrappedAndUnwrapped() throws Exception {
        String ldns = Tools.require("ldns-read-zone", "ldnsutils");
        // -c: canonical form, one record per line, so the two zones compare record by record
        TreeSet<String> fromOneLine =
                new TreeSet<>(
                        Tools.run(dir, ldns, "-c", zone("one.zone", oneLine).toString())
                                .lines()
                                .toList());
        TreeSet<String> fromWrapped =
                new TreeSet<>(
                        Tools.run(dir, ldns, "-c", zone("wrap.zone", wrapped).toString())
                                .lines()
                                .toList());
        assertEquals(fromOneLine, fromWrapped);
        assertTrue(
                fromWrapped.stream()
                                .filter(
                                        l ->
                                                l.contains("\tOPENPGPKEY\t")
                                                        || l.contains("\tTYPE61\t"))
                                .count()
                        >= 1,
                String.join("\n", fromWrapped));
        assertTrue(
                fromWrapped.stream().anyMatch(l -> l.contains("\tTLSA\t")),
                String.join("\n", fromWrapped));
        assertTrue(
                fromWrapped.stream().anyMatch(l -> l.contains("\tIPSECKEY\t")),
                String.join("\n", fromWrapped));
        // ldns refuses a blank inside an IPSECKEY key, so --wrap leaves that record on one line
        assertEquals(oneLine.get(oneLine.size() - 1), wrapped.get(wrapped.size() - 1));
    }

    @Test
    void commentsShortRecordsAndQuotedTextAreLeftAlone() {
        assertEquals("; keyid: 0123", RecordWrap.wrap("; keyid: 0123"));
        assertEquals("h. IN A 192.0.2.1", RecordWrap.wrap("h. IN A 192.0.2.1"));
        String txt = "h. IN TXT \"" + "x".repeat(300) + "\"";
        assertEquals(txt, RecordWrap.wrap(txt));
        String longA = "h. 300 IN NSEC " + "a".repeat(100) + ". A RRSIG";
        assertEquals(longA, RecordWrap.wrap(longA));
    }

    @Test
    void onlyTheLastFieldIsSplitAndNothingIsLost() {
        String hex = "ab".repeat(64);
        String w = RecordWrap.wrap("_443._tcp.h. 300 IN TLSA 3 1 1 " + hex);
        assertTrue(w.startsWith("_443._tcp.h. 300 IN TLSA 3 1 1 (\n\t"), w);
        assertEquals(hex, w.substring(w.indexOf('(') + 1, w.indexOf(')')).replaceAll("\\s", ""));
    }
}
