package dev.daneel.dane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.dane.internal.OpenSslDaneCaseRunner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * OpenSSL's DANE cases ({@code ../shared/testdata/openssl-dane/}, format in its README): every case
 * gives OpenSSL's expected verify error and match depth through {@link DaneVerifier}. Skipped when
 * the data is absent, except under {@code CI=true}, where absence fails.
 */
class OpenSslDaneCasesTest {

    private static final Path DIR = locate();

    /**
     * {@code ../shared/testdata/openssl-dane} relative to the project root (tests run in the module
     * directory).
     */
    private static Path locate() {
        Path module = Path.of("").toAbsolutePath();
        Path root =
                module.getParent() != null && Files.exists(module.getParent().resolve("pom.xml"))
                        ? module.getParent()
                        : module;
        return root.resolve("../shared/testdata/openssl-dane").normalize();
    }

    @ParameterizedTest(name = "{2} with base domain {0}")
    @CsvSource({
        "example.com, danetest-ca.pem, danetest.in",
        "server.example, dane-cross-ca.pem, dane-cross.in"
    })
    void everyOpenSslCaseGivesTheExpectedErrorAndMatchDepth(String base, String ca, String cases)
            throws Exception {
        if (!Files.exists(DIR.resolve(cases))) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(
                        "OpenSSL DANE cases missing: expected " + DIR.resolve(cases));
            }
            Assumptions.abort("OpenSSL DANE cases absent: " + DIR.resolve(cases));
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        // The certificates are valid until 2116/3015; a fixed date keeps the run independent of the
        // machine's clock.
        Clock clock = Clock.fixed(TestPki.NOW, ZoneOffset.UTC);
        OpenSslDaneCaseRunner.Summary s =
                OpenSslDaneCaseRunner.run(
                        base,
                        DIR.resolve(ca),
                        DIR.resolve(cases),
                        clock,
                        new PrintStream(buf, true, StandardCharsets.UTF_8));
        String out = buf.toString(StandardCharsets.UTF_8);
        assertEquals(0, s.failed(), out);
        assertTrue(s.passed() > 0, out);
        assertTrue(out.endsWith(s.passed() + " passed, 0 failed" + System.lineSeparator()), out);
    }
}
