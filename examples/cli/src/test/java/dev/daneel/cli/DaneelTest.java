package dev.daneel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The top-level command: help, version, unknown commands and options, exit codes in the help. */
class DaneelTest {

    @Test
    void helpListsCommandsGlobalOptionsAndExitCodes() {
        Cli r = Cli.run("--help");
        assertEquals(0, r.exit(), r::toString);
        for (String s :
                new String[] {
                    "query",
                    "demo",
                    "--server",
                    "--anchor",
                    "--json",
                    "--timeout",
                    "--tcp",
                    "4   secure proof that nothing exists"
                }) {
            assertTrue(r.out().contains(s), s + " in\n" + r);
        }
    }

    @Test
    void noCommandIsAUsageError() {
        Cli r = Cli.run();
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains("missing command"), r::toString);
    }

    @Test
    void unknownCommandIsAUsageError() {
        Cli r = Cli.run("frobnicate");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains("frobnicate"), r::toString);
    }

    @Test
    void unknownOptionIsNamed() {
        Cli r = Cli.run("query", "--frob", "x.test.");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains("--frob"), r::toString);
    }

    @Test
    void version() {
        Cli r = Cli.run("--version");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().startsWith("daneel "), r::toString);
    }

    @Test
    void exitCodesAreStable() {
        assertEquals(0, ExitCode.SUCCESS.code());
        assertEquals(1, ExitCode.ERROR.code());
        assertEquals(2, ExitCode.BOGUS_OR_MISMATCH.code());
        assertEquals(3, ExitCode.INSECURE.code());
        assertEquals(4, ExitCode.PROVEN_ABSENT.code());
    }
}
