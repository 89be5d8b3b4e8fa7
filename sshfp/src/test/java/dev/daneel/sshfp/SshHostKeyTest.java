package dev.daneel.sshfp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SshHostKeyTest {

    @TempDir Path dir;

    @Test
    void ed25519JcaKeyHasTheSameBlobAsItsOpenSshLine() throws Exception {
        SshHostKey fromLine = SshHostKey.parse(KnownAnswerTest.ED25519 + " comment ignored");
        byte[] blob = fromLine.blob();
        byte[] raw = Arrays.copyOfRange(blob, blob.length - 32, blob.length);
        byte[] spki =
                HexFormat.of().parseHex("302a300506032b6570032100" + HexFormat.of().formatHex(raw));
        PublicKey jca =
                KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
        assertEquals(fromLine, SshHostKey.of(jca));
        assertEquals(SshfpAlgorithm.ED25519, SshHostKey.of(jca).algorithm());
    }

    @ParameterizedTest
    @ValueSource(strings = {"secp256r1", "secp384r1", "secp521r1"})
    void ecJcaKeysGetTheirCurvesKeyTypeAndRoundTripThroughTheLine(String curve) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(curve));
        SshHostKey key = SshHostKey.of(g.generateKeyPair().getPublic());
        String bits = curve.substring(4, 7);
        assertEquals("ecdsa-sha2-nistp" + bits, key.keyType());
        assertEquals(SshfpAlgorithm.ECDSA, key.algorithm());
        assertEquals(key, SshHostKey.parse(key.toOpenSsh()));
    }

    @Test
    void rsaJcaKeyIsSshRsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(1024);
        SshHostKey key = SshHostKey.of(g.generateKeyPair().getPublic());
        assertEquals("ssh-rsa", key.keyType());
        assertEquals(SshfpAlgorithm.RSA, key.algorithm());
    }

    @Test
    void ed448AndDsaJcaKeysGetTheirRfc8709AndRfc4255KeyTypes() throws Exception {
        SshHostKey ed448 =
                SshHostKey.of(KeyPairGenerator.getInstance("Ed448").generateKeyPair().getPublic());
        assertEquals("ssh-ed448", ed448.keyType());
        assertEquals(SshfpAlgorithm.ED448, ed448.algorithm());
        assertEquals(
                4 + 9 + 4 + 57,
                ed448.blob().length,
                "string \"ssh-ed448\", string of the 57-octet key");
        KeyPairGenerator dsa = KeyPairGenerator.getInstance("DSA");
        dsa.initialize(1024);
        SshHostKey d = SshHostKey.of(dsa.generateKeyPair().getPublic());
        assertEquals("ssh-dss", d.keyType());
        assertEquals(SshfpAlgorithm.DSA, d.algorithm());
        assertEquals(d, SshHostKey.parse(d.toOpenSsh()));
    }

    @Test
    void lineWhoseTypeDisagreesWithItsBlobIsRejected() {
        String forged = KnownAnswerTest.ED25519.replace("ssh-ed25519", "ssh-rsa");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> SshHostKey.parse(forged));
        assertTrue(
                e.getMessage().contains("ssh-rsa") && e.getMessage().contains("ssh-ed25519"),
                e.getMessage());
    }

    @Test
    void certificateKeyTypeHasNoSshfpAlgorithm() {
        byte[] name = "ssh-ed25519-cert-v01@openssh.com".getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        blob.write(0);
        blob.write(0);
        blob.write(0);
        blob.write(name.length);
        blob.writeBytes(name);
        String line =
                "ssh-ed25519-cert-v01@openssh.com "
                        + Base64.getEncoder().encodeToString(blob.toByteArray());
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> SshHostKey.parse(line));
        assertTrue(
                e.getMessage()
                        .contains("no algorithm for SSH key type ssh-ed25519-cert-v01@openssh.com"),
                e.getMessage());
    }

    @Test
    void brokenBase64AndShortLinesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> SshHostKey.parse("ssh-ed25519"));
        assertThrows(
                IllegalArgumentException.class, () -> SshHostKey.parse("ssh-ed25519 !!!notbase64"));
    }

    @Test
    void readsOpenSshAndRfc4716PublicKeyFiles() throws Exception {
        Path openssh = dir.resolve("a.pub");
        Files.writeString(openssh, "# host key\n" + KnownAnswerTest.ED25519 + " root@host\n");
        String b64 = KnownAnswerTest.ED25519.split(" ")[1];
        Path rfc4716 = dir.resolve("b.pub");
        Files.writeString(
                rfc4716,
                "---- BEGIN SSH2 PUBLIC KEY ----\n"
                        + "Comment: \"256-bit ED25519, a comment that is \\\n continued\"\n"
                        + b64.substring(0, 40)
                        + "\n"
                        + b64.substring(40)
                        + "\n"
                        + "---- END SSH2 PUBLIC KEY ----\n");
        SshHostKey expected = SshHostKey.parse(KnownAnswerTest.ED25519);
        assertEquals(expected, SshHostKey.read(openssh));
        assertEquals(expected, SshHostKey.read(rfc4716));
    }
}
