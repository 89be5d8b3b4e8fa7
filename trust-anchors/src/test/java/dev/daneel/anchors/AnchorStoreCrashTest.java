package dev.daneel.anchors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety of {@link AnchorStore} against real process death: child JVMs ({@link
 * StateFileWriter}) update the RFC 5011 state file in a loop and are killed with SIGKILL ({@link
 * Process#destroyForcibly()} on Linux) at random moments, from JVM start-up to the middle of a
 * write. After every kill the file must load and hold the last state the child reported committed,
 * or the one after it (written, renamed, not yet reported); a reader thread loads the file all the
 * while and must never fail. With two children updating one file at once and both killed, no update
 * is lost and none is invented. {@code mvn verify} kills 100 children (two tracks of 50 in
 * parallel) plus 12 in the concurrent test; the {@code soak} profile ({@code
 * -Ddaneel.crash.kills=1000}) kills 1,000.
 */
class AnchorStoreCrashTest {

    static final int KILLS = Integer.getInteger("daneel.crash.kills", 100);
    static final int CONCURRENT_ROUNDS = 6;

    @TempDir Path dir;

    /**
     * A child updating {@code file}. It reports to a file rather than a pipe: what a process wrote
     * to a file before it was killed is all there, with no race between its death and a reader
     * draining a pipe.
     */
    static final class Child implements AutoCloseable {
        final Process process;
        private final Path report;

        Child(Path file) throws IOException {
            report = Files.createTempFile(file.getParent(), "child", ".out");
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            ProcessBuilder pb =
                    new ProcessBuilder(
                            java.toString(),
                            "-XX:TieredStopAtLevel=1",
                            "-XX:+UseSerialGC",
                            "-Xshare:auto",
                            "-cp",
                            System.getProperty("java.class.path"),
                            StateFileWriter.class.getName(),
                            file.toString());
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.redirectOutput(report.toFile());
            process = pb.start();
        }

        private List<String> lines() throws IOException {
            List<String> lines =
                    new ArrayList<>(
                            Arrays.asList(
                                    Files.readString(report, StandardCharsets.UTF_8).split("\n")));
            lines.removeIf(String::isEmpty);
            return lines;
        }

        /** Waits until the child has started (and, if {@code firstUpdate}, reported one update). */
        void awaitRunning(boolean firstUpdate) throws InterruptedException, IOException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (process.isAlive() && System.nanoTime() < deadline) {
                List<String> lines = lines();
                if (!lines.isEmpty() && (!firstUpdate || lines.size() > 1)) {
                    return;
                }
                Thread.sleep(2);
            }
        }

        /** SIGKILL, then every value it reported (a line cut by the kill is not a report). */
        List<Integer> kill() throws InterruptedException, IOException {
            process.destroyForcibly();
            process.waitFor(60, TimeUnit.SECONDS);
            String text = Files.readString(report, StandardCharsets.UTF_8);
            List<Integer> committed = new ArrayList<>();
            String[] lines = text.split("\n", -1);
            for (int i = 0;
                    i < lines.length - 1;
                    i++) { // the last piece has no newline: cut or empty
                if (!lines[i].equals("ready")) {
                    committed.add(Integer.parseInt(lines[i]));
                }
            }
            return committed;
        }

        @Override
        public void close() throws IOException {
            process.destroyForcibly();
            Files.deleteIfExists(report);
        }
    }

    static int counter(AnchorStore store) throws IOException {
        return store.load().orElseThrow().get(0).queryFailed();
    }

    /**
     * Kills {@code kills} children one after the other on {@code file}; returns the commits they
     * reported.
     */
    /**
     * Kills after which the file held a state its writer had not yet reported: the kill landed
     * inside update().
     */
    static final AtomicLong UNREPORTED = new AtomicLong();

    static long track(Path file, int kills, long seed) throws Exception {
        AnchorStore store = AnchorStore.at(file);
        store.save(AnchorStoreTest.sample(0));
        Random random = new Random(seed);
        long reported = 0;
        int before = 0;
        for (int k = 0; k < kills; k++) {
            try (Child child = new Child(file)) {
                int moment = random.nextInt(4);
                if (moment > 0) {
                    child.awaitRunning(moment > 1);
                    if (moment == 3) {
                        Thread.sleep(random.nextInt(30));
                    } else if (moment == 2) {
                        Thread.onSpinWait();
                    }
                } else {
                    Thread.sleep(
                            random.nextInt(
                                    150)); // somewhere in JVM start-up, class loading or the first
                    // write
                }
                List<Integer> committed = child.kill();
                int last = committed.isEmpty() ? before : committed.get(committed.size() - 1);
                int now = counter(store); // must load: an exception fails the test
                assertTrue(
                        now == last || now == last + 1,
                        "kill "
                                + k
                                + " (seed "
                                + seed
                                + "): the child reported "
                                + last
                                + " committed, the file holds "
                                + now);
                reported += committed.size();
                if (now == last + 1) {
                    UNREPORTED.incrementAndGet();
                }
                before = now;
            }
        }
        return reported;
    }

    @Test
    void sigkillAtRandomMomentsLeavesTheOldOrTheNewStateAndTheFileAlwaysLoads() throws Exception {
        long seed = System.nanoTime();
        Path[] files = {dir.resolve("a.state"), dir.resolve("b.state")};
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong reads = new AtomicLong();
        ConcurrentLinkedQueue<Throwable> readFailures = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        long t0 = System.nanoTime();
        try {
            List<Future<Long>> tracks = new ArrayList<>();
            for (int t = 0; t < files.length; t++) {
                Path file = files[t];
                long trackSeed = seed + t;
                tracks.add(pool.submit(() -> track(file, KILLS / files.length, trackSeed)));
            }
            pool.submit(
                    () -> {
                        while (!stop.get()) {
                            for (Path f : files) {
                                try {
                                    AnchorStore.at(f).load();
                                    reads.incrementAndGet();
                                } catch (IOException | RuntimeException e) {
                                    readFailures.add(e);
                                }
                            }
                        }
                        return null;
                    });
            long reported = 0;
            for (Future<Long> f : tracks) {
                reported += f.get(15, TimeUnit.MINUTES);
            }
            stop.set(true);
            System.out.printf(
                    "crash safety: %d child JVMs killed with SIGKILL in %.1f s, %,d committed updates reported,"
                            + " %d kills after a write the child had not reported yet, %,d loads by a concurrent reader, %d failed%n",
                    KILLS,
                    (System.nanoTime() - t0) / 1e9,
                    reported,
                    UNREPORTED.get(),
                    reads.get(),
                    readFailures.size());
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
        assertTrue(readFailures.isEmpty(), "a concurrent load failed: " + readFailures.peek());
        assertTrue(reads.get() > 0);
    }

    @Test
    void twoProcessesUpdatingOneFileAndKilledNeverCorruptItNorLoseAnUpdate() throws Exception {
        Path file = dir.resolve("shared.state");
        AnchorStore store = AnchorStore.at(file);
        store.save(AnchorStoreTest.sample(0));
        Random random = new Random();
        int before = 0;
        for (int round = 0; round < CONCURRENT_ROUNDS; round++) {
            try (Child a = new Child(file);
                    Child b = new Child(file)) {
                a.awaitRunning(true);
                b.awaitRunning(true);
                Thread.sleep(random.nextInt(50));
                List<Integer> fromA = a.kill();
                Thread.sleep(random.nextInt(10));
                List<Integer> fromB = b.kill();
                int now = counter(store);
                int committed = fromA.size() + fromB.size();
                // update() holds the file lock across read-modify-write: every reported commit is
                // in the file,
                // plus at most one unreported commit per killed child
                assertTrue(
                        now - before >= committed && now - before <= committed + 2,
                        "round "
                                + round
                                + ": "
                                + committed
                                + " commits reported, the counter went from "
                                + before
                                + " to "
                                + now);
                assertEquals(fromA.size(), fromA.stream().distinct().count());
                before = now;
            }
        }
    }
}
