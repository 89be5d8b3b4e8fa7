package dev.daneel.anchors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.anchors.TestKeys.SigningKey;
import dev.daneel.anchors.internal.AtomicFile;
import dev.daneel.anchors.internal.StateFileCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;

/**
 * The state file: round trip, crashes at every step of a write, corruption, and concurrent writers.
 */
class AnchorStoreTest {

    static final Instant T = Instant.parse("2026-10-11T00:00:00Z");
    static final Name EXAMPLE = Name.fromConstantString("example.");

    @TempDir Path dir;

    static List<TrustPointState> sample(int failed) {
        SigningKey valid = TestKeys.ksk(Name.root, 172800);
        SigningKey pending = TestKeys.ksk(Name.root, 172800);
        SigningKey revoked = TestKeys.ksk(Name.root, 172800).revoked();
        SigningKey missing = TestKeys.ksk(Name.root, 172800);
        TrustPointState root =
                new TrustPointState(
                        Name.root,
                        List.of(
                                new TrustPointState.Key(
                                        valid.dnskey(), AnchorState.VALID, 0, Optional.of(T)),
                                new TrustPointState.Key(
                                        pending.dnskey(),
                                        AnchorState.ADD_PEND,
                                        2,
                                        Optional.of(T.plusSeconds(60))),
                                new TrustPointState.Key(
                                        revoked.dnskey(),
                                        AnchorState.REVOKED,
                                        0,
                                        Optional.of(T.plusSeconds(120))),
                                new TrustPointState.Key(
                                        missing.dnskey(),
                                        AnchorState.MISSING,
                                        0,
                                        Optional.of(T.plusSeconds(180)))),
                        Optional.of(T.plusSeconds(180)),
                        Optional.of(T.plusSeconds(180)),
                        Optional.of(T.plus(Duration.ofDays(1))),
                        failed,
                        Duration.ofDays(1),
                        Duration.ofSeconds(17280),
                        false);
        SigningKey dlv = TestKeys.ksk(EXAMPLE, 3600);
        TrustPointState fresh =
                TrustPointState.initial(new Anchor(EXAMPLE, List.of(dlv.ds()), List.of()));
        TrustPointState gone =
                new TrustPointState(
                        Name.fromConstantString("gone."),
                        List.of(),
                        Optional.of(T),
                        Optional.of(T),
                        Optional.empty(),
                        0,
                        Duration.ofHours(1),
                        Duration.ofHours(1),
                        true);
        return List.of(root, fresh, gone);
    }

    @Test
    void roundTripKeepsEveryField() throws IOException {
        AnchorStore store = AnchorStore.at(dir.resolve("anchors.state"));
        assertEquals(Optional.empty(), store.load(), "no file yet: nothing saved, not an error");
        List<TrustPointState> states = sample(3);
        store.save(states);
        List<TrustPointState> back = store.load().orElseThrow();
        assertEquals(states, back);
        assertEquals(
                StateFileCodec.write(states),
                StateFileCodec.write(back),
                "TTLs and flags survive too");
        DNSKEYRecord revoked = (DNSKEYRecord) back.get(0).keys().get(2).record();
        assertEquals(257 | 0x80, revoked.getFlags());
        assertTrue(
                Files.readString(store.file())
                        .contains(
                                "\nkey ADD_PEND 2 2026-10-11T00:01:00Z . 172800 IN DNSKEY 257 3 13 "));
    }

    @Test
    void trackerResumesFromTheStore() throws IOException {
        AnchorStore store = AnchorStore.at(dir.resolve("anchors.state"));
        store.save(sample(0));
        AnchorTracker t = AnchorTracker.builder().resume(store.load().orElseThrow()).build();
        assertEquals(
                2,
                t.anchor(Name.root).orElseThrow().keys().size(),
                "VALID and MISSING keys are trusted");
        assertEquals(Optional.empty(), t.anchor(Name.fromConstantString("gone.")));
    }

    /**
     * An Error is what a crash looks like to the writer: no catch block runs, so no cleanup either.
     */
    static final class SimulatedCrash extends Error {
        private static final long serialVersionUID = 1L;

        SimulatedCrash(AtomicFile.Step step) {
            super("crash after " + step);
        }
    }

    @ParameterizedTest
    @EnumSource(AtomicFile.Step.class)
    void crashAtAnyStepLeavesTheOldOrTheNewState(AtomicFile.Step crashAt) throws IOException {
        Path file = dir.resolve("anchors.state");
        AnchorStore store = AnchorStore.at(file);
        List<TrustPointState> old = sample(1);
        List<TrustPointState> next = sample(2);
        store.save(old);
        byte[] content = StateFileCodec.write(next).getBytes(StandardCharsets.UTF_8);
        assertThrows(
                SimulatedCrash.class,
                () ->
                        AtomicFile.withLock(
                                file,
                                () -> {
                                    AtomicFile.write(
                                            file,
                                            content,
                                            step -> {
                                                if (step == crashAt) {
                                                    throw new SimulatedCrash(step);
                                                }
                                            });
                                    return null;
                                }));
        List<TrustPointState> after = store.load().orElseThrow();
        boolean renamed = crashAt.compareTo(AtomicFile.Step.RENAMED) >= 0;
        assertEquals(renamed ? next : old, after, "after a crash " + crashAt);

        // the next save works and sweeps whatever the crash left behind
        store.save(sample(5));
        assertEquals(5, store.load().orElseThrow().get(0).queryFailed());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(
                    List.of("anchors.state", "anchors.state.lock"),
                    files.map(p -> p.getFileName().toString())
                            .sorted()
                            .collect(Collectors.toList()));
        }
    }

    @Test
    void corruptLineIsAnErrorNamingPathAndLine() throws IOException {
        Path file = dir.resolve("anchors.state");
        AnchorStore store = AnchorStore.at(file);
        store.save(sample(0));
        List<String> lines = Files.readAllLines(file);
        int keyLine =
                lines.indexOf(
                        lines.stream()
                                .filter(l -> l.startsWith("key ADD_PEND"))
                                .findFirst()
                                .orElseThrow());
        lines.set(keyLine, lines.get(keyLine).replace("ADD_PEND", "ADDPENDING"));
        Files.write(file, lines);
        AnchorFormatException e = assertThrows(AnchorFormatException.class, store::load);
        assertEquals(file.toString(), e.source());
        assertEquals(keyLine + 1, e.line());
        assertTrue(
                e.getMessage()
                        .startsWith(
                                file + ":" + (keyLine + 1) + ": expected a state (START, ADD_PEND"),
                e.getMessage());
    }

    @Test
    void cutShortFileIsAnError() throws IOException {
        Path file = dir.resolve("anchors.state");
        AnchorStore store = AnchorStore.at(file);
        store.save(sample(0));
        String text = Files.readString(file);
        Files.writeString(file, text.substring(0, text.indexOf("end\n")));
        AnchorFormatException e = assertThrows(AnchorFormatException.class, store::load);
        assertTrue(
                e.getMessage()
                        .contains("expected 'end', saw the end of the file: the file is cut short"),
                e.getMessage());
    }

    @Test
    void otherFilesAreNotMistakenForState() throws IOException {
        Path file = dir.resolve("anchors.state");
        Files.writeString(
                file,
                ". IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\n");
        AnchorFormatException e =
                assertThrows(AnchorFormatException.class, () -> AnchorStore.at(file).load());
        assertTrue(
                e.getMessage().startsWith(file + ":1: expected 'daneel-anchor-state 1'"),
                e.getMessage());
        Files.writeString(file, "daneel-anchor-state 2\nend-of-state\n");
        assertTrue(
                assertThrows(AnchorFormatException.class, () -> AnchorStore.at(file).load())
                        .getMessage()
                        .contains("expected format version 1, saw '2'"));
        Files.write(file, new byte[] {(byte) 0xC3, (byte) 0x28});
        assertTrue(
                assertThrows(AnchorFormatException.class, () -> AnchorStore.at(file).load())
                        .getMessage()
                        .contains("not UTF-8"));
    }

    static List<TrustPointState> increment(List<TrustPointState> states) {
        List<TrustPointState> out = new ArrayList<>();
        for (TrustPointState s : states) {
            out.add(
                    !s.zone().equals(Name.root)
                            ? s
                            : new TrustPointState(
                                    s.zone(),
                                    s.keys(),
                                    s.lastQueried(),
                                    s.lastSuccess(),
                                    s.nextProbe(),
                                    s.queryFailed() + 1,
                                    s.queryInterval(),
                                    s.retryInterval(),
                                    s.revoked()));
        }
        return out;
    }

    @Test
    void threadsUpdatingConcurrentlyLoseNoUpdate() throws Exception {
        AnchorStore store = AnchorStore.at(dir.resolve("anchors.state"));
        store.save(sample(0));
        int threads = 4;
        int each = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                AnchorStore own =
                        AnchorStore.at(
                                dir.resolve("anchors.state")); // own instance, own FileChannels
                done.add(
                        pool.submit(
                                () -> {
                                    for (int n = 0; n < each; n++) {
                                        own.update(AnchorStoreTest::increment);
                                    }
                                    return null;
                                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(threads * each, store.load().orElseThrow().get(0).queryFailed());
    }

    @Test
    void anotherProcessAndThreadsUpdatingConcurrentlyLoseNoUpdate() throws Exception {
        Path file = dir.resolve("anchors.state");
        AnchorStore store = AnchorStore.at(file);
        store.save(sample(0));
        int each = 30;
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb =
                new ProcessBuilder(
                        java.toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        StoreHammer.class.getName(),
                        file.toString(),
                        Integer.toString(each));
        pb.redirectErrorStream(true);
        Process other = pb.start();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                done.add(
                        pool.submit(
                                () -> {
                                    for (int n = 0; n < each; n++) {
                                        store.update(AnchorStoreTest::increment);
                                    }
                                    return null;
                                }));
            }
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
            assertTrue(other.waitFor(120, TimeUnit.SECONDS), "the other process did not finish");
            String output =
                    new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, other.exitValue(), "the other process failed: " + output);
        } finally {
            pool.shutdownNow();
            other.destroyForcibly();
        }
        assertEquals(3 * each, store.load().orElseThrow().get(0).queryFailed());
    }
}
