package dev.daneel.milter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.validator.Mode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The milter's {@code mode =} setting: where its validating resolver gets its data. */
class MilterModeConfigTest {

    @TempDir Path dir;

    private MilterConfig load(String... lines) throws Exception {
        Path f = dir.resolve("milter.conf");
        Files.writeString(f, String.join("\n", lines) + "\n");
        return MilterConfig.load(f);
    }

    @Test
    void modeDefaultsToStubAndReadsEveryValue() throws Exception {
        assertEquals(Mode.STUB, load("listen = inet:10025@127.0.0.1").mode());
        assertEquals(
                Mode.RECURSIVE, load("listen = inet:10025@127.0.0.1", "mode = recursive").mode());
        assertEquals(
                Mode.STUB_THEN_RECURSIVE,
                load("listen = inet:10025@127.0.0.1", "mode = Stub-Then-Recursive").mode());
        assertEquals(Mode.STUB, load("listen = inet:10025@127.0.0.1", "mode = stub").mode());
    }

    @Test
    void unknownModeIsAnErrorNamingTheChoices() {
        MilterConfigException e =
                assertThrows(
                        MilterConfigException.class,
                        () -> load("listen = inet:10025@127.0.0.1", "mode = iterative"));
        assertTrue(
                e.getMessage()
                        .contains(
                                "mode must be stub, recursive or stub-then-recursive, got \"iterative\""),
                e.getMessage());
    }

    @Test
    void theCheckConfigSummaryShowsTheMode() throws Exception {
        assertTrue(
                load("listen = inet:10025@127.0.0.1", "mode = stub-then-recursive")
                        .summary()
                        .contains("mode = stub-then-recursive"));
    }
}
