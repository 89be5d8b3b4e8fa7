package dev.daneel.ipseckey;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * PEM and DER public key files damaged at random (cut short, characters replaced, DER octets
 * flipped and re-armored, random octets): {@link Ipseckey#readPublicKey} returns a key or throws
 * {@link IllegalArgumentException} naming the file and the problem; nothing else escapes.
 */
class MalformedInputProperties {

    static final List<byte[]> DER = keys();

    static List<byte[]> keys() {
        try {
            KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
            rsa.initialize(1024);
            KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
            ec.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPairGenerator ed = KeyPairGenerator.getInstance("Ed25519");
            return List.of(
                    rsa.generateKeyPair().getPublic().getEncoded(),
                    ec.generateKeyPair().getPublic().getEncoded(),
                    ed.generateKeyPair().getPublic().getEncoded());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(byte[] der) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END PUBLIC KEY-----\n";
    }

    record Damage(int key, int kind, long seed) {
        byte[] apply(byte[] der) {
            Random r = new Random(seed);
            String pem = pem(der);
            switch (kind) {
                case 0 -> {
                    return pem.substring(0, r.nextInt(pem.length()))
                            .getBytes(StandardCharsets.UTF_8);
                }
                case 1 -> {
                    StringBuilder sb = new StringBuilder(pem);
                    for (int i = 0, n = 1 + r.nextInt(3); i < n; i++) {
                        sb.setCharAt(r.nextInt(sb.length()), (char) (' ' + r.nextInt(95)));
                    }
                    return sb.toString().getBytes(StandardCharsets.UTF_8);
                }
                case 2 -> {
                    byte[] d = der.clone();
                    for (int i = 0, n = 1 + r.nextInt(3); i < n; i++) {
                        d[r.nextInt(d.length)] ^= (byte) (1 + r.nextInt(255));
                    }
                    return r.nextBoolean() ? pem(d).getBytes(StandardCharsets.UTF_8) : d;
                }
                case 3 -> {
                    return java.util.Arrays.copyOf(der, r.nextInt(der.length));
                }
                default -> {
                    byte[] junk = new byte[r.nextInt(400)];
                    r.nextBytes(junk);
                    return junk;
                }
            }
        }
    }

    @Provide
    Arbitrary<Damage> damage() {
        return Arbitraries.integers()
                .between(0, DER.size() - 1)
                .flatMap(
                        k ->
                                Arbitraries.integers()
                                        .between(0, 4)
                                        .flatMap(
                                                kind ->
                                                        Arbitraries.longs()
                                                                .map(s -> new Damage(k, kind, s))));
    }

    @Property(tries = 500)
    void damagedKeyFilesGiveAKeyOrAnErrorNamingTheFile(@ForAll("damage") Damage d)
            throws IOException {
        Path file = Files.createTempFile("daneel-key", ".pem");
        try {
            Files.write(file, d.apply(DER.get(d.key())));
            try {
                assertNotNull(
                        Ipseckey.create(
                                "gw.example.",
                                10,
                                Gateway.parse("192.0.2.1"),
                                Ipseckey.readPublicKey(file)));
                Statistics.collect("read");
            } catch (IllegalArgumentException e) {
                assertTrue(
                        e.getMessage().startsWith(file.toString())
                                && e.getMessage().length() > file.toString().length() + 10,
                        "the error names the file and the problem: " + e.getMessage());
                Statistics.collect("refused");
            }
        } catch (RuntimeException e) {
            fail("a damaged key file escaped as " + e, e);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
