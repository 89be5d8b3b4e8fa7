package dev.daneel.openpgpkey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKeysTest {

    static TestKeys.Generated hugh;
    static TestKeys.Generated zoe;

    @TempDir Path dir;

    @BeforeAll
    static void keys() {
        hugh = TestKeys.forUserIds("Hugh <hugh@example.test>").generate();
        zoe = TestKeys.forUserIds("Zoe <zoe@example.test>").generate();
    }

    @Test
    void binaryFileWithTwoKeysYieldsBoth() throws Exception {
        Path file = dir.resolve("keys.gpg");
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.write(hugh.encoded());
        both.write(zoe.encoded());
        Files.write(file, both.toByteArray());
        List<PGPPublicKeyRing> rings = LocalKeys.read(file);
        assertEquals(2, rings.size());
        assertEquals(
                zoe.publicRing().getPublicKey().getKeyID(),
                LocalKeys.forAddress(rings, "zoe@example.test").get(0).getPublicKey().getKeyID());
    }

    @Test
    void armoredFileIsRead() throws Exception {
        Path file = dir.resolve("hugh.asc");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArmoredOutputStream armor = new ArmoredOutputStream(out)) {
            armor.write(hugh.encoded());
        }
        Files.write(file, out.toByteArray());
        assertEquals(
                hugh.publicRing().getPublicKey().getKeyID(),
                LocalKeys.read(file).get(0).getPublicKey().getKeyID());
    }

    @Test
    void fingerprintLookupIgnoresCaseAndSpaces() throws Exception {
        String fpr =
                HexFormat.of()
                        .formatHex(hugh.publicRing().getPublicKey().getFingerprint())
                        .toUpperCase();
        String spaced = fpr.substring(0, 4) + " " + fpr.substring(4).toLowerCase();
        assertEquals(
                1,
                LocalKeys.forFingerprint(List.of(hugh.publicRing(), zoe.publicRing()), spaced)
                        .size());
    }

    @Test
    void fileThatIsNoKeyIsRejectedNamingTheFile() throws Exception {
        Path file = dir.resolve("notes.txt");
        Files.writeString(file, "not a key\n");
        IOException e = assertThrows(IOException.class, () -> LocalKeys.read(file));
        assertTrue(e.getMessage().startsWith(file + " is not an OpenPGP key file"), e.getMessage());
    }
}
