package dev.daneel.milter;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The milter's configuration file with one line damaged: loading it either succeeds or fails with a
 * {@link MilterConfigException} that names the file and exactly the damaged line (the oracle: the
 * line this test broke) and says what was expected; never another exception, never the catch-all
 * that stands in for a parser bug.
 */
class MilterConfigProperties {

    /** A configuration that loads: every key once. */
    static final List<String> GOOD =
            List.of(
                    "listen = inet:10025@127.0.0.1",
                    "policy = require",
                    "upstream = 127.0.0.1:5353, [::1]:53",
                    "anchors = anchors.txt",
                    "exclude-sender = @lists.example.com, alerts@example.com",
                    "exclude-recipient-domain = example.com",
                    "exclude-client = 10.0.0.0/8, 2001:db8::/32",
                    "max-message-size = 512K",
                    "oversize-action = tempfail",
                    "max-sessions = 8",
                    "lookup-timeout = 2.5",
                    "dns-timeout = 0.5",
                    "protected-headers = no",
                    "lowercase-fallback = off",
                    "hide-recipients = all",
                    "compression = zip",
                    "mta-size-limit = 50M",
                    "wkd = yes",
                    "accept-wkd = true",
                    "wkd-ca-file = cas.pem",
                    "wkd-port = 8443");

    static final Pattern WHAT_WAS_EXPECTED =
            Pattern.compile(
                    "expected|must be|missing|not an IPv4|brackets|"
                            + "needs|unknown key|prefix|no host");

    @Property(tries = 1500)
    void aDamagedLineIsNamedWithWhatWasExpected(
            @ForAll("lineIndex") int index,
            @ForAll("damage") String damage,
            @ForAll("mode") int mode)
            throws IOException {
        List<String> lines = new ArrayList<>(GOOD);
        String line = lines.get(index);
        int eq = line.indexOf('=');
        String key = line.substring(0, eq + 1);
        String value = line.substring(eq + 1).strip();
        String broken =
                switch (mode) {
                    case 0 -> key + " " + damage; // a new value
                    case 1 -> key + " " + value + damage; // junk glued on
                    case 2 ->
                            key
                                    + " "
                                    + value.substring(
                                            0, value.length() / 2); // cut short (the "[::1" case)
                    default -> damage; // the whole line replaced
                };
        lines.set(index, broken);
        Path dir = Files.createTempDirectory("milter-conf");
        Path file = dir.resolve("milter.conf");
        try {
            Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
            try {
                MilterConfig.load(file);
                Statistics.collect("loaded");
            } catch (MilterConfigException e) {
                Statistics.collect("rejected");
                String m = e.getMessage();
                String where = file + ":" + (index + 1) + ": ";
                assertTrue(
                        m.startsWith(where),
                        "expected the error at " + where + " for \"" + broken + "\", got: " + m);
                assertFalse(
                        m.contains(": cannot read \""),
                        "a parser threw something other than"
                                + " IllegalArgumentException for \""
                                + broken
                                + "\": "
                                + m);
                assertTrue(
                        WHAT_WAS_EXPECTED.matcher(m).find(),
                        "the error does not say what was expected: " + m);
            } catch (RuntimeException e) {
                fail("\"" + broken + "\" made load throw " + e, e);
            }
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    @Provide
    Arbitrary<Integer> lineIndex() {
        return Arbitraries.integers().between(0, GOOD.size() - 1);
    }

    @Provide
    Arbitrary<Integer> mode() {
        return Arbitraries.integers().between(0, 3);
    }

    @Provide
    Arbitrary<String> damage() {
        return Arbitraries.oneOf(
                Arbitraries.strings()
                        .withChars("[]:@/,.=%-+ 0123456789abcdefKMGx\u00e9\t")
                        .ofMaxLength(24),
                Arbitraries.of(
                        "[::1",
                        "[::1]:",
                        "inet:",
                        "inet:@",
                        "inet:[::1",
                        "unix:",
                        "1e400",
                        "NaN",
                        "-0",
                        "Infinity",
                        "99999999999999999999G",
                        "0x10",
                        ",",
                        ", ,",
                        "[",
                        "]",
                        "@",
                        "/",
                        "::",
                        "10.0.0.0/",
                        "10.0.0.0/-1",
                        "\u0000",
                        "inet:99999@127.0.0.1",
                        "inet:10025@[::1"));
    }
}
