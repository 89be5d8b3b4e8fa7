package dev.daneel.ipseckey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpseckeyRecordTest {

    @TempDir Path dir;

    static PublicKey generate(String kind) throws Exception {
        KeyPairGenerator g;
        switch (kind) {
            case "rsa":
                g = KeyPairGenerator.getInstance("RSA");
                g.initialize(new RSAKeyGenParameterSpec(1024, RSAKeyGenParameterSpec.F4));
                break;
            case "p256":
            case "p384":
                g = KeyPairGenerator.getInstance("EC");
                g.initialize(
                        new ECGenParameterSpec(kind.equals("p256") ? "secp256r1" : "secp384r1"));
                break;
            default:
                g = KeyPairGenerator.getInstance(kind.equals("ed25519") ? "Ed25519" : "Ed448");
        }
        return g.generateKeyPair().getPublic();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"rsa, 2, 132", "p256, 3, 64", "p384, 3, 96", "ed25519, 4, 32", "ed448, 4, 57"})
    void keyIsEncodedForItsAlgorithmAndDecodesBackToTheSameKey(
            String kind, int algorithm, int octets) throws Exception {
        PublicKey key = generate(kind);
        IpseckeyRecord r = Ipseckey.create("gw.example.test.", 10, Gateway.parse("192.0.2.1"), key);
        assertEquals(algorithm, r.algorithm());
        assertEquals(
                octets,
                r.publicKey().length,
                "RSA: 1 length octet, 3 exponent octets, 128 modulus octets");
        assertEquals(key, r.toPublicKey());
        assertTrue(r.matches(key));
        assertFalse(r.matches(generate(kind)));
        assertEquals(r, IpseckeyRecord.parse(r.rfcForm()));
    }

    @Test
    void pemAndDerPublicKeyFilesGiveTheSameRecord() throws Exception {
        PublicKey key = generate("p256");
        Path der = dir.resolve("k.der");
        Files.write(der, key.getEncoded());
        Path pem = dir.resolve("k.pem");
        Files.writeString(
                pem,
                "-----BEGIN PUBLIC KEY-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes())
                                .encodeToString(key.getEncoded())
                        + "\n-----END PUBLIC KEY-----\n");
        IpseckeyRecord expected = Ipseckey.create("gw.", 5, Gateway.none(), key);
        assertEquals(expected, Ipseckey.create("gw.", 5, Gateway.none(), der));
        assertEquals(expected, Ipseckey.create("gw.", 5, Gateway.none(), pem));
    }

    @Test
    void privateKeyPemIsRefusedWithTheExpectedBlockNamed() throws Exception {
        Path pem = dir.resolve("k.pem");
        Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Ipseckey.readPublicKey(pem));
        assertTrue(e.getMessage().contains("expected \"PUBLIC KEY\""), e.getMessage());
    }

    @Test
    void gatewaysOfEveryTypeParseAndPrint() {
        assertEquals(GatewayType.NONE, Gateway.parse(".").type());
        assertEquals(GatewayType.IPV4, Gateway.parse("192.0.2.1").type());
        assertEquals("2001:db8::1", Gateway.parse("2001:0db8:0:0:0:0:0:1").text());
        assertEquals("::", Gateway.parse("::").text());
        assertEquals(
                "2001:db8:0:1:1:1:1:1",
                Gateway.parse("2001:db8:0:1:1:1:1:1").text(),
                "a single zero group stays");
        assertEquals("gw.example.test.", Gateway.parse("gw.example.test").text());
        assertThrows(
                IllegalArgumentException.class,
                () -> IpseckeyRecord.parseRdata("x.", "10 1 2 gw.example. AAAA"));
        assertThrows(
                IllegalArgumentException.class,
                () -> IpseckeyRecord.parseRdata("x.", "10 4 2 . AAAA"));
    }

    @Test
    void outOfRangeFieldsAndUnsupportedCurvesAreRejected() throws Exception {
        PublicKey key = generate("p256");
        assertThrows(
                IllegalArgumentException.class,
                () -> Ipseckey.create("gw.", 256, Gateway.none(), key));
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp521r1"));
        PublicKey p521 = g.generateKeyPair().getPublic();
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> Ipseckey.create("gw.", 1, Gateway.none(), p521));
        assertTrue(e.getMessage().contains("P-256 or P-384"), e.getMessage());
    }
}
