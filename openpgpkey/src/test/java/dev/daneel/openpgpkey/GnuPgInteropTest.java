package dev.daneel.openpgpkey;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.anchors.TrustAnchors;
import dev.daneel.testkit.GnuPgHome;
import dev.daneel.testkit.World;
import dev.daneel.validator.ValidatingResolver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Against GnuPG for real: keys made by {@code gpg --quick-gen-key} in a temporary GNUPGHOME; our
 * record equals {@code gpg --export --export-options export-dane}, and our reader finds the keys in
 * gpg's {@code pubring.kbx} and in a legacy {@code pubring.gpg}. hash-slinger's {@code openpgpkey
 * --create} (RFC form) gives the same line. GnuPG and hash-slinger lowercase the local part, so the
 * addresses here are lowercase (see {@link OpenPgpKeyName#lowercased(String)}).
 */
class GnuPgInteropTest {

    static final String HUGH = "hugh@example.test";
    static GnuPgHome home;

    @BeforeAll
    static void generate() throws Exception {
        Tools.require("gpg");
        Tools.require("gpgconf");
        home = GnuPgHome.create();
        home.generate("Hugh <" + HUGH + ">");
        home.generate("Zoe <zoe@example.test>");
        // A third-party certification that the minimal export (and export-dane) must leave out.
        home.gpg("--default-key", "zoe@example.test", "--quick-sign-key", fingerprint(HUGH));
    }

    private static String fingerprint(String address) throws Exception {
        String colons =
                new String(
                        home.gpg("--with-colons", "--fingerprint", address),
                        StandardCharsets.UTF_8);
        return colons.lines()
                .filter(l -> l.startsWith("fpr:"))
                .findFirst()
                .orElseThrow()
                .split(":")[9];
    }

    @AfterAll
    static void stop() throws Exception {
        if (home != null) {
            home.close();
        }
    }

    private static PGPPublicKeyRing hughFromKeybox() throws Exception {
        List<PGPPublicKeyRing> rings = LocalKeys.read(home.dir().resolve("pubring.kbx"));
        return LocalKeys.forAddress(rings, HUGH).get(0);
    }

    /**
     * gpg's export-dane text: {@code $ORIGIN}, comments, then {@code hash TYPE61 \# len (hex…)}.
     */
    private static Matcher exportDane(String address) throws Exception {
        String text =
                new String(
                        home.gpg("--export", "--export-options", "export-dane", address),
                        StandardCharsets.US_ASCII);
        Matcher m =
                Pattern.compile(
                                "(?s)\\$ORIGIN (\\S+)\\s.*?\\n([0-9a-f]{56}) TYPE61 \\\\# (\\d+) \\((.*?)\\)")
                        .matcher(text);
        assertTrue(m.find(), "unexpected export-dane output: " + text);
        return m;
    }

    @Test
    void minimalRecordEqualsGpgExportDaneBytesAndOwnerNameDespiteAThirdPartyCertification()
            throws Exception {
        Matcher dane = exportDane(HUGH);
        byte[] gpgBytes = HexFormat.of().parseHex(dane.group(4).replaceAll("\\s", ""));
        OpenPgpKeyRecords ours = OpenPgpKeyRecords.create(hughFromKeybox(), HUGH);
        assertEquals(dane.group(2) + "." + dane.group(1), ours.ownerName());
        assertEquals(Integer.parseInt(dane.group(3)), ours.keyData().length);
        assertArrayEquals(gpgBytes, ours.keyData());
    }

    @Test
    void fullExportEqualsGpgExportOfTheKeyAndKeepsTheThirdPartyCertification() throws Exception {
        byte[] gpgBytes = home.gpg("--export", HUGH);
        assertTrue(
                gpgBytes.length
                        > OpenPgpKeyRecords.create(hughFromKeybox(), HUGH).keyData().length);
        OpenPgpKeyRecords full =
                OpenPgpKeyRecords.create(
                        hughFromKeybox(), HUGH, OpenPgpKeyRecords.Export.FULL, Clock.systemUTC());
        assertArrayEquals(gpgBytes, full.keyData());
    }

    @Test
    void keyboxReaderFindsEveryGpgKeyWithGpgsFingerprints() throws Exception {
        List<PGPPublicKeyRing> rings = LocalKeys.read(home.dir().resolve("pubring.kbx"));
        assertEquals(2, rings.size());
        assertEquals(1, LocalKeys.forFingerprint(rings, fingerprint(HUGH)).size());
        assertEquals(1, LocalKeys.forAddress(rings, HUGH).size());
    }

    @Test
    void legacyPubringGpgIsReadToo() throws Exception {
        // A legacy keyring is a sequence of transferable public keys (with trust packets), what
        // gpg --no-default-keyring --keyring FILE.gpg --import writes when FILE.gpg already exists.
        Path legacy = home.dir().resolve("legacy-pubring.gpg");
        Files.write(legacy, new byte[0]);
        Path exported = home.dir().resolve("all.gpg");
        Files.write(exported, home.gpg("--export"));
        home.gpg(
                "--no-default-keyring",
                "--keyring",
                legacy.toString(),
                "--import",
                exported.toString());
        byte[] head = Files.readAllBytes(legacy);
        assertTrue(
                head.length > 12
                        && !new String(head, 8, 4, StandardCharsets.US_ASCII).equals("KBXf"),
                "gpg wrote a legacy keyring, not a keybox");
        List<PGPPublicKeyRing> rings = LocalKeys.read(legacy);
        assertEquals(2, rings.size());
        assertEquals(
                hughFromKeybox().getPublicKey().getKeyID(),
                LocalKeys.forAddress(rings, HUGH).get(0).getPublicKey().getKeyID());
    }

    @Test
    void armoredAndBinaryExportsAreRead() throws Exception {
        Path armored = home.dir().resolve("hugh.asc");
        Files.write(armored, home.gpg("--armor", "--export", HUGH));
        Path binary = home.dir().resolve("hugh.gpg");
        Files.write(binary, home.gpg("--export", HUGH));
        long id = hughFromKeybox().getPublicKey().getKeyID();
        assertEquals(id, LocalKeys.read(armored).get(0).getPublicKey().getKeyID());
        assertEquals(id, LocalKeys.read(binary).get(0).getPublicKey().getKeyID());
    }

    @Test
    void rfcLineEqualsHashSlingerOpenpgpkeyCreate() throws Exception {
        Tools.require("openpgpkey");
        String out =
                new String(
                        home.tool("openpgpkey", "--create", "--output", "rfc", HUGH),
                        StandardCharsets.UTF_8);
        OpenPgpKeyRecords ours = OpenPgpKeyRecords.create(hughFromKeybox(), HUGH);
        assertEquals(ours.text(OpenPgpKeyRecords.Form.RFC).strip(), out.strip());
    }

    @Test
    void gpgExportDaneRecordServedSignedIsFetchedAndVerifiedAgainstThePubringKbx()
            throws Exception {
        byte[] dane = HexFormat.of().parseHex(exportDane(HUGH).group(4).replaceAll("\\s", ""));
        try (World world =
                        World.builder()
                                .zone("test.")
                                .zone("example.test.", z -> z.openpgpkey(HUGH, dane))
                                .start();
                ValidatingResolver resolver =
                        ValidatingResolver.builder()
                                .upstream(world.address())
                                .trustAnchors(TrustAnchors.of(world.trustAnchors()))
                                .build()) {
            Verification v =
                    OpenPgpKeyFetcher.builder(resolver)
                            .build()
                            .verify(HUGH, LocalKeys.read(home.dir().resolve("pubring.kbx")));
            assertTrue(v.allMatch(), v.toString());
            assertTrue(((FetchResult.Secure) v.fetched()).keys().get(0).usableForEncryption());
        }
    }
}
