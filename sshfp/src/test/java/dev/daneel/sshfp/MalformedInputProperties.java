package dev.daneel.sshfp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
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

/**
 * SSH public keys damaged at random (cut short, characters replaced or inserted, in the type, the
 * base64 or the blob it encodes) in OpenSSH lines, {@code .pub} files and {@code known_hosts}: a
 * parse succeeds completely or fails with {@link IllegalArgumentException} (an {@link IOException}
 * for files) whose message says what was wrong; no other exception escapes, and a known_hosts file
 * never yields a record for a line it could not read (it is skipped with a note instead).
 */
class MalformedInputProperties {

    static final List<String> KEYS =
            List.of(
                    KnownAnswerTest.RSA,
                    KnownAnswerTest.ECDSA,
                    KnownAnswerTest.ED25519,
                    KnownAnswerTest.DSA);

    record Damage(int key, int kind, long seed) {
        String apply(String line) {
            Random r = new Random(seed);
            StringBuilder sb = new StringBuilder(line);
            switch (kind) {
                case 0 -> {
                    return line.substring(0, r.nextInt(line.length()));
                }
                case 1 -> {
                    for (int i = 0, n = 1 + r.nextInt(3); i < n; i++) {
                        sb.setCharAt(
                                r.nextInt(sb.length()),
                                (char) (r.nextBoolean() ? ' ' + r.nextInt(95) : r.nextInt(0x800)));
                    }
                }
                case 2 -> sb.insert(r.nextInt(sb.length()), (char) (' ' + r.nextInt(95)));
                default -> {
                    // damage the blob itself and re-encode it, so the base64 stays valid
                    String[] parts = line.split(" ");
                    byte[] blob = java.util.Base64.getDecoder().decode(parts[1]);
                    int cut = r.nextInt(4);
                    if (cut == 0) {
                        blob = java.util.Arrays.copyOf(blob, r.nextInt(blob.length));
                    } else {
                        for (int i = 0; i < cut; i++) {
                            blob[r.nextInt(Math.min(blob.length, 40))] ^=
                                    (byte) (1 + r.nextInt(255));
                        }
                    }
                    return parts[0]
                            + " "
                            + java.util.Base64.getEncoder().encodeToString(blob)
                            + " host";
                }
            }
            return sb.toString();
        }
    }

    @Provide
    Arbitrary<Damage> damage() {
        return Arbitraries.integers()
                .between(0, KEYS.size() - 1)
                .flatMap(
                        k ->
                                Arbitraries.integers()
                                        .between(0, 3)
                                        .flatMap(
                                                kind ->
                                                        Arbitraries.longs()
                                                                .map(s -> new Damage(k, kind, s))));
    }

    @Property(tries = 500)
    void damagedOpensshLinesParseWhollyOrAreRefusedSayingWhy(@ForAll("damage") Damage d) {
        String line = d.apply(KEYS.get(d.key()));
        try {
            SshHostKey key = SshHostKey.parse(line);
            assertFalse(Sshfp.create("host.example.", key).isEmpty());
            Statistics.collect("parsed");
        } catch (IllegalArgumentException e) {
            assertTrue(
                    e.getMessage() != null && e.getMessage().length() > 10,
                    "a message that says what is wrong: " + e);
            Statistics.collect("refused");
        } catch (RuntimeException e) {
            fail("damaged key line escaped as " + e + ": " + line, e);
        }
    }

    @Property(tries = 300)
    void damagedPubFilesAndKnownHostsReadWhollyOrAreRefused(@ForAll("damage") Damage d)
            throws IOException {
        String line = d.apply(KEYS.get(d.key()));
        Path pub = Files.createTempFile("daneel-key", ".pub");
        Path knownHosts = Files.createTempFile("daneel-known", "_hosts");
        try {
            Files.writeString(pub, line + "\n");
            try {
                SshHostKey.read(pub);
            } catch (IllegalArgumentException | IOException e) {
                assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), e.toString());
            }
            Files.writeString(
                    knownHosts,
                    "host.example " + KnownAnswerTest.ED25519 + "\nhost.example " + line + "\n");
            KnownHostsRecords r = Sshfp.fromKnownHosts(knownHosts, "host.example");
            List<SshfpRecord> intact =
                    Sshfp.fromKnownHosts(
                                    List.of("host.example " + KnownAnswerTest.ED25519),
                                    "host.example")
                            .records();
            assertTrue(
                    r.records().containsAll(intact),
                    "the intact line still gives its records: " + r);
            if (r.records().size() == intact.size()) {
                Statistics.collect(
                        r.notes().isEmpty()
                                ? "damaged line gave nothing"
                                : "damaged line skipped with a note");
            } else {
                Statistics.collect("damaged line still a key");
            }
        } catch (RuntimeException e) {
            fail("damaged key file escaped as " + e + ": " + line, e);
        } finally {
            Files.deleteIfExists(pub);
            Files.deleteIfExists(knownHosts);
        }
    }

    @Property(tries = 200)
    void randomBlobsAreRefusedNotCrashes(@ForAll byte[] blob) {
        try {
            SshHostKey key = SshHostKey.fromBlob(blob);
            assertEquals(key.keyType(), key.keyType());
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
        } catch (RuntimeException e) {
            fail("random blob escaped as " + e, e);
        }
    }
}
