package dev.daneel.milter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.openpgpkey.OpenPgpKeyName;
import dev.daneel.testkit.Fault;
import dev.daneel.testkit.GnuPgHome;
import dev.daneel.testkit.World;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/**
 * {@code kill -9} of the milter daemon (its own JVM, {@code MilterMain}) while messages sit in it
 * waiting for a slow key lookup: Postfix applies {@code milter_default_action = tempfail}, keeps
 * every message queued, and once a new milter listens delivers each exactly once, encrypted. None
 * lost, none duplicated, none in clear.
 */
class MilterKillTest {

    static final String ANN = "ann@corp.test";
    static final String ALICE = "alice@keys.test";
    static final int MESSAGES = 30;

    /** Bounds on waiting, never assertions on speed. */
    static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir Path dir;

    @Test
    void killMinus9WithMessagesInFlightLosesNoneDuplicatesNoneAndSendsNoneInClear()
            throws Exception {
        PostfixHarness.require();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (GnuPgHome gpg = GnuPgHome.create()) {
            gpg.generate("Alice <" + ALICE + ">");
            byte[] alice = gpg.export(ALICE);
            try (World world =
                            World.builder()
                                    .zone("test.")
                                    .zone("keys.test.", z -> z.openpgpkey(ALICE, alice))
                                    .start();
                    SmtpSink sink = new SmtpSink()) {
                world.signAll();
                world.writeTrustAnchors(dir.resolve("anchors.txt"));
                int milterPort = freePort();
                Files.writeString(
                        dir.resolve("milter.conf"),
                        String.join(
                                "\n",
                                "listen = inet:" + milterPort + "@127.0.0.1",
                                "upstream = 127.0.0.1:" + world.address().getPort(),
                                "anchors = anchors.txt",
                                "dns-timeout = 5",
                                "lookup-timeout = 30",
                                ""));
                Process first = startMilter(milterPort, "first");
                Process second = null;
                try (PostfixHarness postfix =
                        new PostfixHarness(dir, Map.of("milter", milterPort), sink.port())) {
                    // Every answer slow: the first message's lookup holds every message at end of
                    // data.
                    world.server().inject(Fault.delay(Duration.ofSeconds(2)));
                    String run = UUID.randomUUID().toString().substring(0, 8);
                    ExecutorService clients = Executors.newFixedThreadPool(10);
                    List<Future<SmtpSubmit.Reply>> replies = new ArrayList<>();
                    for (int i = 0; i < MESSAGES; i++) {
                        String msg =
                                "From: Ann <"
                                        + ANN
                                        + ">\nTo: "
                                        + ALICE
                                        + "\nSubject: kill "
                                        + i
                                        + "\nMessage-ID: <kill-"
                                        + run
                                        + "-"
                                        + i
                                        + "@corp.test>\n\nmessage number "
                                        + i
                                        + "\n";
                        replies.add(
                                clients.submit(
                                        () ->
                                                SmtpSubmit.send(
                                                        postfix.submitPort(),
                                                        ANN,
                                                        List.of(ALICE),
                                                        msg)));
                    }
                    for (Future<SmtpSubmit.Reply> r : replies) {
                        assertEquals(250, r.get().code(), r.get().text());
                    }
                    clients.shutdown();
                    // A key query reached the DNS: messages are inside the milter now, waiting on
                    // it.
                    String owner = OpenPgpKeyName.of(ALICE);
                    await(
                            "a key lookup",
                            () -> world.server().log().count(owner, Type.OPENPGPKEY) > 0,
                            postfix,
                            sink);
                    first.destroyForcibly(); // SIGKILL, by this process's own child id
                    assertTrue(first.waitFor(30, TimeUnit.SECONDS));
                    assertEquals(137, first.exitValue(), "not killed by SIGKILL");
                    world.server().clearFaults();
                    // milter_default_action = tempfail: "451 4.7.1 Service unavailable - try again
                    // later".
                    await(
                            "Postfix to tempfail the cut sessions",
                            () -> postfix.log().contains("451 4.7.1"),
                            postfix,
                            sink);
                    assertTrue(
                            sink.delivered().isEmpty(),
                            "delivered while the milter was dead:\n" + postfix.log());

                    second = startMilter(milterPort, "second");
                    int[] rounds = {0};
                    await(
                            "every message delivered",
                            () -> {
                                if (rounds[0]++ % 10 == 0) {
                                    flushQuietly(postfix);
                                }
                                return sink.delivered().stream()
                                                .filter(
                                                        d ->
                                                                d.text()
                                                                        .contains(
                                                                                "<kill-" + run
                                                                                        + "-"))
                                                .count()
                                        >= MESSAGES;
                            },
                            postfix,
                            sink);
                    Thread.sleep(1000);
                    for (int i = 0; i < MESSAGES; i++) {
                        String id = "<kill-" + run + "-" + i + "@corp.test>";
                        List<SmtpSink.Delivered> got = sink.containing(id);
                        assertEquals(
                                1,
                                got.size(),
                                "message " + i + " delivered " + got.size() + " times");
                        String text = got.get(0).text();
                        assertTrue(
                                text.contains("multipart/encrypted")
                                        && text.contains("-----BEGIN PGP MESSAGE-----"),
                                "message " + i + " not encrypted");
                        assertFalse(text.contains("message number"), "message " + i + " in clear");
                    }
                    String one = sink.containing("<kill-" + run + "-7@").get(0).text();
                    Path f = dir.resolve("m7.asc");
                    Files.writeString(
                            f,
                            one.substring(
                                            one.indexOf("-----BEGIN PGP MESSAGE-----"),
                                            one.indexOf("-----END PGP MESSAGE-----") + 25)
                                    + "\n",
                            StandardCharsets.US_ASCII);
                    assertTrue(
                            new String(gpg.gpg("--decrypt", f.toString()), StandardCharsets.UTF_8)
                                    .endsWith("message number 7\r\n"));
                } finally {
                    first.destroyForcibly();
                    if (second != null) {
                        second.destroy();
                        second.waitFor(30, TimeUnit.SECONDS);
                    }
                }
            }
        }
    }

    private Process startMilter(int port, String name) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p =
                new ProcessBuilder(
                                java.toString(),
                                "-cp",
                                System.getProperty("java.class.path"),
                                MilterMain.class.getName(),
                                "--config",
                                dir.resolve("milter.conf").toString())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve(name + ".log").toFile())
                        .start();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                return p;
            } catch (IOException e) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    throw new AssertionError(
                            "the milter did not listen: "
                                    + Files.readString(dir.resolve(name + ".log")));
                }
                Thread.sleep(100);
            }
        }
    }

    private static void flushQuietly(PostfixHarness postfix) {
        try {
            postfix.flush();
        } catch (IOException e) {
            // the next round flushes again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(
            String what,
            java.util.function.BooleanSupplier done,
            PostfixHarness postfix,
            SmtpSink sink)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "gave up waiting for "
                                + what
                                + "; delivered "
                                + sink.delivered().size()
                                + "\nPostfix log:\n"
                                + postfix.log());
            }
            Thread.sleep(200);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return probe.getLocalPort();
        }
    }
}
