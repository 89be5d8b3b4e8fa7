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
 * The side-by-side harness end to end on a small world (16 zones, 126 questions, one round, short warm
 * phases): Daneel, dnsjava and libunbound agree on every verdict of every pass, every kind of verdict
 * occurs, each peer sent upstream queries on its cold pass, and the markdown is written. Figures are
 * printed, never asserted. Needs Debian's python3-unbound (skipped without it, failed under CI=true).
 */
class SideBySideTest {

    @Test
    void allThreeValidatorsAgreeOnEveryVerdictOfASmallWorld(@TempDir Path dir) throws Exception {
        Libunbound.unavailable().ifPresent(RealTools::unavailable);
        SideBySide.Options options = new SideBySide.Options(3, 4, 1, 0.2, 10, 2, dir.resolve("side-by-side.md"), 0, true);

        Report report = SideBySide.run(options);

        System.out.println(report.markdown());
        assertEquals(java.util.List.of(), report.disagreements());
        int questions = BenchWorld.of(3, 4, true).questions().size();
        // Daneel and dnsjava: cold and warm at 1 and 8 in flight; libunbound the same once.
        assertEquals(12L * questions, report.comparisons());
        Map<String, Integer> kinds = report.verdictKinds();
        for (String kind : new String[] {"SECURE NOERROR", "SECURE NXDOMAIN", "INSECURE NOERROR", "INSECURE NXDOMAIN", "BOGUS"}) {
            assertTrue(kinds.containsKey(kind), "no " + kind + " among " + kinds);
        }
        for (String peer : new String[] {SideBySide.DANEEL, SideBySide.DNSJAVA, SideBySide.LIBUNBOUND}) {
            for (int threads : SideBySide.THREADS) {
                assertTrue(report.queriesPerColdLookup(peer, threads) >= 1, peer + " answered cold lookups without asking upstream");
                assertEquals(questions, report.stats(peer, "cold", threads).lookups());
            }
        }
        assertTrue(Files.readString(report.written()).contains("| Daneel | cold | 1 |"));
    }
}
