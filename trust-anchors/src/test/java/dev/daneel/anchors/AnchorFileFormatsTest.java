package dev.daneel.anchors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.anchors.TestKeys.SigningKey;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;

/**
 * {@link TrustAnchors#fromFile}: the three formats, told apart by content, and errors that name the
 * line.
 */
class AnchorFileFormatsTest {

    static final String KSK_2017 =
            "AwEAAaz/tAm8yTn4Mfeh5eyI96WSVexTBAvkMgJzkKTOiW1vkIbzxeF3+/4RgWOq7HrxRixHlFlExOLAJr5emLvN7SWXgnLh4+B5xQlNVz8Og8kvArMtNROxVQuCaSnIDdD5LKyWbRd2n9WGe2R8PzgCmr3EgVLrjyBxWezF0jLHwVN8efS3rCj/EWgvIWgb9tarpVUDK/b58Da+sqqls3eNbuv7pr+eoZG+SrDK6nWeL3c6H5Apxz7LjVc1uTIdsIXxuOLYA4/ilBmSVIzuDWfdRUfhHdY6+cn8HFRm+2hM8AnXGXws9555KrUB5qihylGa8subX2Nn6UwNR1AkUTV74bU=";
    static final String DS_2017 =
            "20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D";
    static final String DS_2024 =
            "38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16";
    static final Name EXAMPLE = Name.fromConstantString("example.");
    static final Clock NOW = Clock.fixed(Instant.parse("2026-11-21T00:00:00Z"), ZoneOffset.UTC);

    @TempDir Path dir;

    Path file(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    static String spaced(String base64, int width) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < base64.length(); i += width) {
            sb.append(i == 0 ? "" : " ").append(base64, i, Math.min(base64.length(), i + width));
        }
        return sb.toString();
    }

    static Set<Integer> keyTags(TrustAnchors a, Name zone) {
        return a.forZone(zone).orElseThrow().keys().stream()
                .map(DNSKEYRecord::getFootprint)
                .collect(Collectors.toSet());
    }

    static Set<Integer> dsTags(TrustAnchors a, Name zone) {
        return a.forZone(zone).orElseThrow().ds().stream()
                .map(DSRecord::getFootprint)
                .collect(Collectors.toSet());
    }

    AnchorFormatException refused(Path p) {
        return assertThrows(AnchorFormatException.class, () -> TrustAnchors.fromFile(p, NOW));
    }

    // ---- master-file lines ----

    @Test
    void dnssecKeygenKeyFileWithSpacedBase64() throws Exception {
        Path p =
                file(
                        "K.+008+20326.key",
                        "; This is a key-signing key, keyid 20326, for .\n"
                                + "; Created: 20170202000000 (Thu Feb  2 00:00:00 2017)\n"
                                + ". 172800 IN DNSKEY 257 3 8 "
                                + spaced(KSK_2017, 56)
                                + "\n");
        TrustAnchors a = TrustAnchors.fromFile(p, NOW);
        assertEquals(Set.of(20326), keyTags(a, Name.root));
    }

    @Test
    void digStyleLinesWithTtlOriginParenthesesAndContinuedOwner() throws Exception {
        SigningKey k = TestKeys.ksk(EXAMPLE, 3600);
        String hex = HexFormat.of().formatHex(k.ds().getDigest());
        Path p =
                file(
                        "example.anchors",
                        "$TTL 3600\n$ORIGIN example.\n; the zone's KSK and its DS\n"
                                + "@ IN DNSKEY ( 257 3 13\n    "
                                + spaced(
                                        Base64.getEncoder().encodeToString(k.dnskey().getKey()), 20)
                                + " ) ; key\n"
                                + "  DS "
                                + k.tag()
                                + " 13 2 "
                                + hex.substring(0, 32)
                                + " "
                                + hex.substring(32)
                                + "\n"
                                + ". IN DS "
                                + DS_2017
                                + "\n");
        TrustAnchors a = TrustAnchors.fromFile(p, NOW);
        assertEquals(Set.of(k.tag()), keyTags(a, EXAMPLE));
        assertEquals(Set.of(k.tag()), dsTags(a, EXAMPLE));
        assertEquals(Set.of(20326), dsTags(a, Name.root));
        assertEquals(3600, a.forZone(EXAMPLE).orElseThrow().keys().get(0).getTTL());
    }

    @Test
    void dsThatMatchesNoKeyGivenBesideItNamesItsLine() throws Exception {
        Path p =
                file(
                        "root.key",
                        ". 172800 IN DNSKEY 257 3 8 "
                                + KSK_2017
                                + "\n"
                                + "\n"
                                + ". IN DS "
                                + DS_2024
                                + "\n");
        AnchorFormatException e = refused(p);
        assertEquals(3, e.line());
        assertTrue(
                e.getMessage()
                        .startsWith(
                                p + ":3: DS 38696 8 2 for '.' matches none of the DNSKEY records"),
                e.getMessage());
        assertTrue(e.getMessage().contains("key tags 20326"), e.getMessage());
    }

    @Test
    void otherRecordTypesAreRefusedByLine() throws Exception {
        Path p = file("mixed", ". IN DS " + DS_2017 + "\n. IN NS a.root-servers.net.\n");
        AnchorFormatException e = refused(p);
        assertEquals(p + ":2: expected a DS or DNSKEY record, saw type NS", e.getMessage());
    }

    @Test
    void malformedKeyNamesWhatWasExpected() throws Exception {
        Path p = file("bad", ". IN DNSKEY 257 3 8 !!!not-base64!!!\n");
        AnchorFormatException e = refused(p);
        assertTrue(
                e.getMessage()
                        .startsWith(
                                p
                                        + ":1: expected 'DNSKEY FLAGS 3 ALGORITHM BASE64', saw '257 3 8 !!!not-base64!!!'"),
                e.getMessage());
    }

    @Test
    void shortDigestIsRefused() throws Exception {
        AnchorFormatException e = refused(file("short", ". IN DS 20326 8 2 E06D44B8\n"));
        assertTrue(
                e.getMessage()
                        .endsWith(
                                ":1: expected 'DS KEYTAG ALGORITHM DIGESTTYPE HEX', saw '20326 8 2 E06D44B8':"
                                        + " Expected 32 bytes for SHA-256, got 4"),
                e.getMessage());
    }

    @Test
    void revokedKeyIsNeverAnAnchor() throws Exception {
        AnchorFormatException e =
                refused(file("revoked", ". IN DNSKEY 385 3 8 " + KSK_2017 + "\n"));
        assertTrue(e.getMessage().contains("has the REVOKE flag"), e.getMessage());
        assertTrue(e.getMessage().contains("key 20454"), e.getMessage());
    }

    @Test
    void fileWithoutAnchorsIsAnErrorNotAnEmptySet() throws Exception {
        AnchorFormatException e = refused(file("empty", "; nothing here\n\n$TTL 3600\n"));
        assertTrue(
                e.getMessage()
                        .contains("expected at least one DS or DNSKEY trust anchor, saw none"),
                e.getMessage());
        assertThrows(
                AnchorFormatException.class, () -> TrustAnchors.fromFile(file("zero", ""), NOW));
    }

    @Test
    void unclosedParenthesisNamesWhereItOpened() throws Exception {
        AnchorFormatException e =
                refused(file("paren", "; header\n. IN DNSKEY ( 257 3 8\n " + KSK_2017 + "\n"));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("expected ')'"), e.getMessage());
    }

    @Test
    void unboundAutotrustFileGivesOnlyItsTrustedKeys() throws Exception {
        SigningKey pending = TestKeys.ksk(Name.root, 172800);
        Path p =
                file(
                        "root.autotrust",
                        "; autotrust trust anchor file\n;;id: . 1\n;;last_queried: 1 ;;x\n"
                                + ". 172800 IN DNSKEY 257 3 8 "
                                + KSK_2017
                                + " ;{id = 20326 (ksk), size = 2048b} ;;state=2 [  VALID  ] ;;count=0 ;;lastchange=1\n"
                                + ". 172800 IN DNSKEY 257 3 13 "
                                + Base64.getEncoder().encodeToString(pending.dnskey().getKey())
                                + " ;{id = 1 (ksk)} ;;state=1 [ ADDPEND ] ;;count=1 ;;lastchange=2\n");
        assertEquals(Set.of(20326), keyTags(TrustAnchors.fromFile(p, NOW), Name.root));
        AnchorFormatException e =
                refused(
                        file(
                                "revoked.autotrust",
                                "; autotrust trust anchor file\n;;REVOKED\n;;id: . 1\n"));
        assertTrue(e.getMessage().contains(";;REVOKED"), e.getMessage());
    }

    // ---- BIND ----

    @Test
    void bindTrustAnchorsClauseWithEveryKind() throws Exception {
        SigningKey k = TestKeys.ksk(EXAMPLE, 3600);
        Path p =
                file(
                        "bind.keys",
                        "/* BIND anchors\n   as in bind.keys */\n"
                                + "trust-anchors {\n"
                                + "    # KSK-2017\n"
                                + "    . initial-key 257 3 8 \""
                                + KSK_2017.substring(0, 60)
                                + "\n         "
                                + KSK_2017.substring(60)
                                + "\";\n"
                                + "    . initial-ds "
                                + DS_2017.replace(" E06D", " \"E06D")
                                + "\";\n"
                                + "    \"example.\" static-key 257 3 13 \""
                                + Base64.getEncoder().encodeToString(k.dnskey().getKey())
                                + "\"; // CSK\n"
                                + "    example static-ds "
                                + k.tag()
                                + " 13 2 \""
                                + HexFormat.of().formatHex(k.ds().getDigest())
                                + "\";\n"
                                + "};\n");
        TrustAnchors a = TrustAnchors.fromFile(p, NOW);
        assertEquals(Set.of(20326), keyTags(a, Name.root));
        assertEquals(Set.of(20326), dsTags(a, Name.root));
        assertEquals(Set.of(k.tag()), keyTags(a, EXAMPLE));
        assertEquals(Set.of(k.tag()), dsTags(a, EXAMPLE));
    }

    @Test
    void bindOlderManagedAndTrustedKeysForms() throws Exception {
        Path p =
                file(
                        "named.conf.keys",
                        "managed-keys {\n  . initial-key 257 3 8 \""
                                + KSK_2017
                                + "\";\n};\n"
                                + "trusted-keys {\n  . 257 3 8 \""
                                + KSK_2017
                                + "\";\n};\n");
        assertEquals(Set.of(20326), keyTags(TrustAnchors.fromFile(p, NOW), Name.root));
    }

    @Test
    void bindErrorsNameTheLine() throws Exception {
        AnchorFormatException noSemicolon =
                refused(
                        file(
                                "a.conf",
                                "trust-anchors {\n . initial-ds "
                                        + DS_2017.replace(" E06D", " \"E06D")
                                        + "\"\n};\n"));
        assertEquals(3, noSemicolon.line());
        assertTrue(
                noSemicolon.getMessage().contains("expected ';', saw '}'"),
                noSemicolon.getMessage());

        AnchorFormatException kind =
                refused(
                        file(
                                "b.conf",
                                "trust-anchors {\n\n . sometimes-key 257 3 8 \""
                                        + KSK_2017
                                        + "\";\n};\n"));
        assertEquals(3, kind.line());
        assertTrue(
                kind.getMessage()
                        .contains(
                                "expected static-key, initial-key, static-ds or initial-ds after '.', saw 'sometimes-key'"),
                kind.getMessage());

        AnchorFormatException unquoted =
                refused(
                        file(
                                "c.conf",
                                "trust-anchors { . static-key 257 3 8 " + KSK_2017 + "; };\n"));
        assertTrue(
                unquoted.getMessage().contains("expected the key in double quotes"),
                unquoted.getMessage());

        AnchorFormatException stray =
                refused(
                        file(
                                "d.conf",
                                "trust-anchors { . static-ds "
                                        + DS_2017.replace(" E06D", " \"E06D")
                                        + "\"; };\noptions { };\n"));
        assertEquals(2, stray.line());
        assertTrue(stray.getMessage().contains("saw 'options'"), stray.getMessage());
    }

    // ---- root-anchors.xml ----

    static String xml(String keyDigests) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<TrustAnchor id=\"T\" source=\"http://data.iana.org/root-anchors/root-anchors.xml\">\n"
                + "<Zone>.</Zone>\n"
                + keyDigests
                + "</TrustAnchor>\n";
    }

    static String digest(String id, String validity, String ds, String extra) {
        String[] f = ds.split(" ");
        return "<KeyDigest id=\""
                + id
                + "\" "
                + validity
                + ">\n<KeyTag>"
                + f[0]
                + "</KeyTag>\n<Algorithm>"
                + f[1]
                + "</Algorithm>\n<DigestType>"
                + f[2]
                + "</DigestType>\n<Digest>"
                + f[3]
                + "</Digest>\n"
                + extra
                + "</KeyDigest>\n";
    }

    @Test
    void rootAnchorsXmlKeepsDigestsValidNow() throws Exception {
        Path p =
                file(
                        "root-anchors.xml",
                        xml(
                                digest(
                                                "Kjqmt7v",
                                                "validFrom=\"2010-07-15T00:00:00+00:00\" validUntil=\"2019-01-11T00:00:00+00:00\"",
                                                "19036 8 2 49AAC11D7B6F6446702E54A1607371607A1A41855200FD2CE1CDDE32F24E8FB5",
                                                "")
                                        + digest(
                                                "Klajeyz",
                                                "validFrom=\"2017-02-02T00:00:00+00:00\"",
                                                DS_2017,
                                                "<PublicKey>"
                                                        + KSK_2017
                                                        + "</PublicKey>\n<Flags>257</Flags>\n")
                                        + digest(
                                                "Kmyv6jo",
                                                "validFrom=\"2024-07-18T00:00:00+00:00\"",
                                                DS_2024,
                                                "")));
        assertEquals(Set.of(20326, 38696), dsTags(TrustAnchors.fromFile(p, NOW), Name.root));
    }

    @Test
    void rootAnchorsXmlWhoseDigestsAllExpiredIsAnError() throws Exception {
        Path p =
                file(
                        "old.xml",
                        xml(
                                digest(
                                        "Kjqmt7v",
                                        "validFrom=\"2010-07-15T00:00:00+00:00\" validUntil=\"2019-01-11T00:00:00+00:00\"",
                                        "19036 8 2 49AAC11D7B6F6446702E54A1607371607A1A41855200FD2CE1CDDE32F24E8FB5",
                                        "")));
        AnchorFormatException e = refused(p);
        assertTrue(
                e.getMessage().contains("no KeyDigest is valid at 2026-11-21T00:00:00Z"),
                e.getMessage());
        assertTrue(
                e.getMessage()
                        .contains(
                                "KeyDigest Kjqmt7v (key tag 19036) at line 4 expired at 2019-01-11T00:00:00Z"),
                e.getMessage());
    }

    @Test
    void rootAnchorsXmlWithAPublicKeyThatDoesNotMatchItsDigestIsCorrupt() throws Exception {
        Path p =
                file(
                        "corrupt.xml",
                        xml(
                                digest(
                                        "Kmyv6jo",
                                        "validFrom=\"2024-07-18T00:00:00+00:00\"",
                                        DS_2024,
                                        "<PublicKey>"
                                                + KSK_2017
                                                + "</PublicKey>\n<Flags>257</Flags>\n")));
        AnchorFormatException e = refused(p);
        assertEquals(4, e.line());
        assertTrue(e.getMessage().contains("has key tag 20326, expected 38696"), e.getMessage());
    }

    @Test
    void rootAnchorsXmlRefusesDoctypeSoNoExternalEntityIsRead() throws Exception {
        Path secret = file("secret.txt", "TOP-SECRET-CONTENT");
        Path p =
                file(
                        "xxe.xml",
                        "<?xml version=\"1.0\"?>\n<!DOCTYPE TrustAnchor [<!ENTITY x SYSTEM \""
                                + secret.toUri()
                                + "\">]>\n"
                                + "<TrustAnchor id=\"T\"><Zone>&x;</Zone></TrustAnchor>\n");
        AnchorFormatException e = refused(p);
        assertTrue(e.getMessage().contains("expected no DOCTYPE"), e.getMessage());
        assertFalse(e.getMessage().contains("TOP-SECRET"), e.getMessage());
    }

    @Test
    void malformedXmlNamesTheLine() throws Exception {
        AnchorFormatException e =
                refused(
                        file(
                                "broken.xml",
                                "<TrustAnchor>\n<Zone>.</Zone>\n<KeyDigest id=\"x\">\n</TrustAnchor>\n"));
        assertEquals(4, e.line());
        assertTrue(
                e.getMessage().startsWith(dir.resolve("broken.xml") + ":4: malformed XML"),
                e.getMessage());
    }

    @Test
    void xmlWithoutValidFromIsRefused() throws Exception {
        AnchorFormatException e = refused(file("nofrom.xml", xml(digest("K", "", DS_2017, ""))));
        assertTrue(
                e.getMessage()
                        .contains("expected a validFrom attribute on KeyDigest K (key tag 20326)"),
                e.getMessage());
    }

    // ---- other sources ----

    @Test
    void readerAndStringInputsNameTheirSource() throws Exception {
        TrustAnchors a =
                TrustAnchors.fromReader(
                        new StringReader(". IN DS " + DS_2017 + "\n"), "config:anchors", NOW);
        assertEquals(Set.of(20326), dsTags(a, Name.root));
        AnchorFormatException e =
                assertThrows(
                        AnchorFormatException.class,
                        () ->
                                TrustAnchors.fromReader(
                                        new StringReader("\n. IN A 192.0.2.1\n"),
                                        "config:anchors",
                                        NOW));
        assertEquals(
                "config:anchors:2: expected a DS or DNSKEY record, saw type A", e.getMessage());
        assertEquals(Set.of(38696), dsTags(TrustAnchors.fromString(". DS " + DS_2024), Name.root));
    }

    @Test
    void bytesThatAreNotTextAreRefused() throws Exception {
        Path p = dir.resolve("binary");
        Files.write(p, new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 1, 2});
        assertTrue(refused(p).getMessage().contains("not UTF-8"));
    }
}
