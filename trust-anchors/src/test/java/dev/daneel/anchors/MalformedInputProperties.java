package dev.daneel.anchors;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.daneel.anchors.internal.StateFileCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Local input damaged at random (a line cut, dropped, doubled or swapped, characters replaced, a
 * random line inserted, random octets): anchor files in all three formats, IANA's {@code
 * root-anchors.xml} and the RFC 5011 state file. Each parse either succeeds completely or throws
 * {@link AnchorFormatException} naming the source and saying what was wrong; no other exception
 * escapes, and no partial anchor set is returned (a result is never empty).
 */
class MalformedInputProperties {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T12:00:00Z"), ZoneOffset.UTC);

    /** Damage to a text, reproducible from its seed. */
    record Damage(int kind, long seed) {
        String apply(String text) {
            Random r = new Random(seed);
            List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
            int at = r.nextInt(lines.size());
            switch (kind) {
                case 0 -> {
                    return text.substring(0, r.nextInt(text.length()));
                }
                case 1 -> lines.remove(at);
                case 2 -> lines.add(at, lines.get(r.nextInt(lines.size())));
                case 3 -> {
                    int other = r.nextInt(lines.size());
                    String l = lines.get(at);
                    lines.set(at, lines.get(other));
                    lines.set(other, l);
                }
                case 4 -> {
                    StringBuilder sb = new StringBuilder(text);
                    int n = 1 + r.nextInt(4);
                    for (int i = 0; i < n && sb.length() > 0; i++) {
                        int p = r.nextInt(sb.length());
                        sb.setCharAt(p, randomChar(r));
                    }
                    return sb.toString();
                }
                case 5 -> {
                    StringBuilder junk = new StringBuilder();
                    int n = r.nextInt(80);
                    for (int i = 0; i < n; i++) {
                        junk.append(randomChar(r));
                    }
                    lines.add(at, junk.toString());
                }
                default -> {
                    String l = lines.get(at);
                    int cut = l.isEmpty() ? 0 : r.nextInt(l.length());
                    lines.set(at, l.substring(0, cut) + randomChar(r) + l.substring(cut));
                }
            }
            return String.join("\n", lines);
        }

        private static char randomChar(Random r) {
            String special = "{};\"\\()<>/&=#.-:\t ";
            return switch (r.nextInt(4)) {
                case 0 -> special.charAt(r.nextInt(special.length()));
                case 1 -> (char) ('0' + r.nextInt(10));
                case 2 -> (char) r.nextInt(0x3000);
                default -> (char) ('A' + r.nextInt(58));
            };
        }
    }

    @Provide
    Arbitrary<Damage> damage() {
        return Arbitraries.integers()
                .between(0, 6)
                .flatMap(k -> Arbitraries.longs().map(s -> new Damage(k, s)));
    }

    static final String PRESENTATION =
            "; the root KSKs\n. 172800 IN DS "
                    + AnchorFileFormatsTest.DS_2017
                    + "\n"
                    + ". IN DS "
                    + AnchorFileFormatsTest.DS_2024
                    + "\n. 172800 IN DNSKEY 257 3 8 (\n  "
                    + AnchorFileFormatsTest.KSK_2017
                    + " )\n";
    static final String BIND =
            "trust-anchors {\n    . initial-ds "
                    + AnchorFileFormatsTest.DS_2017.replace(" E06D", " \"E06D")
                    + "\";\n    . static-key 257 3 8 \""
                    + AnchorFileFormatsTest.KSK_2017
                    + "\";\n};\n";
    static final String XML = builtInXml();

    static String builtInXml() {
        try (InputStream in = TrustAnchors.class.getResourceAsStream("root-anchors.xml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static void parseAnchors(String source, String text) {
        try {
            TrustAnchors a = TrustAnchors.fromReader(new StringReader(text), source, CLOCK);
            assertFalse(a.zones().isEmpty(), "an anchor set is never empty");
            Statistics.collect("parsed");
        } catch (AnchorFormatException e) {
            assertTrue(
                    e.getMessage() != null && e.getMessage().startsWith(source),
                    "the error names " + source + ": " + e.getMessage());
            assertTrue(
                    e.getMessage().length() > source.length() + 10,
                    "and says what is wrong: " + e.getMessage());
            Statistics.collect("refused");
        } catch (IOException | RuntimeException e) {
            fail("damaged " + source + " escaped as " + e + "\n--- input\n" + text, e);
        }
    }

    @Property(tries = 300)
    void damagedPresentationAnchorFilesParseWhollyOrAreRefusedNamingTheLine(
            @ForAll("damage") Damage d) {
        parseAnchors("root.key", d.apply(PRESENTATION));
    }

    @Property(tries = 300)
    void damagedBindTrustAnchorClausesParseWhollyOrAreRefusedNamingTheLine(
            @ForAll("damage") Damage d) {
        parseAnchors("bind.keys", d.apply(BIND));
    }

    @Property(tries = 300)
    void damagedRootAnchorsXmlParsesWhollyOrIsRefusedNamingTheLine(@ForAll("damage") Damage d) {
        parseAnchors("root-anchors.xml", d.apply(XML));
    }

    @Property(tries = 300)
    void damagedRfc5011StateFilesLoadWhollyOrAreRefusedNamingPathAndLine(@ForAll("damage") Damage d)
            throws IOException {
        List<TrustPointState> states = AnchorStoreTest.sample(3);
        String text = d.apply(StateFileCodec.write(states));
        Path file = Files.createTempFile("daneel-state", ".state");
        try {
            Files.writeString(file, text);
            Optional<List<TrustPointState>> loaded = AnchorStore.at(file).load();
            assertTrue(
                    loaded.isPresent() && !loaded.get().isEmpty(),
                    "a loaded state is never empty: " + loaded);
            Statistics.collect("loaded");
        } catch (AnchorFormatException e) {
            assertTrue(
                    e.getMessage().startsWith(file.toString()),
                    "the error names the file: " + e.getMessage());
            Statistics.collect("refused");
        } catch (IOException | RuntimeException e) {
            fail("damaged state file escaped as " + e + "\n--- input\n" + text, e);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Property(tries = 300)
    void randomOctetsAreNeverAnAnchorSetOrAState(@ForAll byte[] junk) throws IOException {
        Path file = Files.createTempFile("daneel-junk", ".bin");
        try {
            Files.write(file, junk);
            try {
                TrustAnchors.fromFile(file, CLOCK);
                fail("random octets parsed as anchors: " + Arrays.toString(junk));
            } catch (AnchorFormatException e) {
                assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
            }
            try {
                Optional<List<TrustPointState>> s = AnchorStore.at(file).load();
                fail("random octets loaded as state: " + s);
            } catch (AnchorFormatException e) {
                assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
