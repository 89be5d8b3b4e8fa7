package dev.daneel.openpgpkey;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.openpgp.PGPPublicKeyRing;

/**
 * OpenPGP key files damaged at random (binary packets cut short or with flipped octets, armor with
 * replaced characters or a cut, random octets): {@link LocalKeys#read} returns the keys or throws
 * an {@link IOException} naming the file and the problem; nothing else escapes, and what it returns
 * are whole key rings (each with a primary key).
 */
class MalformedInputProperties {

    static final byte[] BINARY =
            TestKeys.forUserIds("Hugh <hugh@example.com>").generate().encoded();
    static final String ARMORED = armor(BINARY);

    static String armor(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArmoredOutputStream a = new ArmoredOutputStream(out)) {
            a.write(data);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString(StandardCharsets.US_ASCII);
    }

    record Damage(int kind, long seed) {
        byte[] apply() {
            Random r = new Random(seed);
            switch (kind) {
                case 0 -> {
                    return java.util.Arrays.copyOf(BINARY, r.nextInt(BINARY.length));
                }
                case 1 -> {
                    byte[] b = BINARY.clone();
                    for (int i = 0, n = 1 + r.nextInt(4); i < n; i++) {
                        b[r.nextInt(b.length)] ^= (byte) (1 + r.nextInt(255));
                    }
                    return b;
                }
                case 2 -> {
                    StringBuilder sb = new StringBuilder(ARMORED);
                    for (int i = 0, n = 1 + r.nextInt(3); i < n; i++) {
                        sb.setCharAt(r.nextInt(sb.length()), (char) (' ' + r.nextInt(95)));
                    }
                    return sb.toString().getBytes(StandardCharsets.US_ASCII);
                }
                case 3 -> {
                    return ARMORED.substring(0, r.nextInt(ARMORED.length()))
                            .getBytes(StandardCharsets.US_ASCII);
                }
                default -> {
                    byte[] junk = new byte[r.nextInt(600)];
                    r.nextBytes(junk);
                    return junk;
                }
            }
        }
    }

    @Provide
    Arbitrary<Damage> damage() {
        return Arbitraries.integers()
                .between(0, 4)
                .flatMap(k -> Arbitraries.longs().map(s -> new Damage(k, s)));
    }

    @Property(tries = 400)
    void damagedKeyFilesGiveWholeKeyRingsOrAnErrorNamingTheFile(@ForAll("damage") Damage d)
            throws IOException {
        Path file = Files.createTempFile("daneel-key", ".asc");
        try {
            Files.write(file, d.apply());
            try {
                List<PGPPublicKeyRing> rings = LocalKeys.read(file);
                assertFalse(rings.isEmpty(), "a read that succeeds returns keys");
                for (PGPPublicKeyRing ring : rings) {
                    assertTrue(
                            ring.getPublicKey().isMasterKey(),
                            "every ring starts with its primary key");
                }
                Statistics.collect("read");
            } catch (IOException e) {
                assertTrue(
                        e.getMessage() != null && e.getMessage().startsWith(file.toString()),
                        "the error names the file: " + e.getMessage());
                Statistics.collect("refused");
            }
        } catch (RuntimeException e) {
            fail("a damaged key file escaped as " + e, e);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
