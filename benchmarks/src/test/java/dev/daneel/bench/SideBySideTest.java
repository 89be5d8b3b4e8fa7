package dev.daneel.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.testkit.RealTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The side-by-side harness end to end on a small world (16 zones, 126 questions, one round, short
 * warm phases): Daneel, dnsjava and libunbound agree on every verdict of every pass, every kind of
 * verdict occurs, each peer sent upstream queries on its cold pass, and the markdown is written.
 * Figures are printed, never asserted. libunbound runs twice, through Python and through its C API
 * compiled at run time. Needs Debian's python3-unbound, gcc and libunbound-dev (skipped without
 * them, failed under CI=true).
 */
class SideBySideTest {

    @Test
    void allThreeValidatorsAgreeOnEveryVerdictOfASmallWorld(@TempDir Path dir) throws Exception {
        for (Libunbound.Driver driver : Libunbound.Driver.values()) {
            Libunbound.unavailable(driver).ifPresent(RealTools::unavailable);
        }
        SideBySide.Options options =
                new SideBySide.Options(
                        3, 4, 1, 0.2, 10, 2, dir.resolve("side-by-side.md"), 0, true);

        Report report = SideBySide.run(options);

        System.out.println(report.markdown());
        assertEquals(java.util.List.of(), report.disagreements());
        int questions = BenchWorld.of(3, 4, true).questions().size();
        // Daneel and dnsjava: cold and warm at 1 and 8 in flight; libunbound's two drivers the same
        // once.
        assertEquals(16L * questions, report.comparisons());
        Map<String, Integer> kinds = report.verdictKinds();
        for (String kind :
                new String[] {
                    "SECURE NOERROR",
                    "SECURE NXDOMAIN",
                    "INSECURE NOERROR",
                    "INSECURE NXDOMAIN",
                    "BOGUS"
                }) {
            assertTrue(kinds.containsKey(kind), "no " + kind + " among " + kinds);
        }
        for (String peer :
                new String[] {
                    SideBySide.DANEEL,
                    SideBySide.DNSJAVA,
                    SideBySide.LIBUNBOUND,
                    SideBySide.LIBUNBOUND_C
                }) {
            for (int threads : SideBySide.THREADS) {
                assertTrue(
                        report.queriesPerColdLookup(peer, threads) >= 1,
                        peer + " answered cold lookups without asking upstream");
                assertEquals(questions, report.stats(peer, "cold", threads).lookups());
            }
        }
        assertTrue(
                report.cpuPerColdLookup(SideBySide.LIBUNBOUND_C, 1) > 0,
                "libunbound's C driver reported no CPU time");
        String markdown = Files.readString(report.written());
        assertTrue(markdown.contains("| Daneel | cold | 1 |"));
        assertTrue(markdown.contains("| libunbound C | warm | 8 |"), markdown);
    }
}
