package dev.daneel.milter;

import dev.daneel.testkit.PostfixLayout;
import dev.daneel.testkit.RealTools;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private Postfix on 127.0.0.1 started by the test: its own configuration directory, queue and
 * data directory under {@code dir}, one master process stopped by its process id. Services:
 *
 * <ul>
 *   <li>{@link #submitPort()}: smtpd without milters; mail is queued and relayed to a milter port
 *       ({@code relayhost}), so a milter tempfail leaves it in this Postfix's deferred queue;
 *   <li>one smtpd per milter ({@link #milterPort(String)}), with {@code smtpd_milters} pointing at
 *       it and {@code content_filter} sending accepted mail to the sink.
 * </ul>
 *
 * Postfix never looks anything up in DNS here (no peer name lookups, DNS disabled in the SMTP
 * client, bracketed IP next hops).
 */
final class PostfixHarness implements AutoCloseable {

    private static final Path MASTER = Path.of("/usr/lib/postfix/sbin/master");

    /** Readiness bound only, never asserted on. */
    private static final Duration STARTUP = Duration.ofSeconds(60);

    /** Concurrent smtpd processes per milter port (Postfix's default is 100; 2 cores here). */
    static final int SMTPD_PROCESSES = 20;

    private final Path dir;
    private final int submitPort;
    private final int plainPort;
    private final Map<String, Integer> milterPorts;
    private final Process master;

    /** Skips (or fails under CI=true) when Postfix is missing or the test does not run as root. */
    static void require() {
        if (!Files.isExecutable(MASTER)) {
            RealTools.unavailable("Postfix is not installed (scripts/interop-deps installs it)");
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            RealTools.unavailable("Postfix's master must start as root");
        }
    }

    /**
     * @param milters milter name to its listen port; the first one is the relayhost of the
     *     submission port
     * @param sinkPort where accepted mail goes
     */
    PostfixHarness(Path dir, Map<String, Integer> milters, int sinkPort) throws Exception {
        this.dir = dir;
        this.submitPort = freePort();
        this.plainPort = freePort();
        this.milterPorts = new java.util.LinkedHashMap<>();
        for (String name : milters.keySet()) {
            milterPorts.put(name, freePort());
        }
        writeConfiguration(milters, sinkPort);
        master =
                new ProcessBuilder(MASTER.toString(), "-c", dir.resolve("conf").toString())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("master.out").toFile())
                        .start();
        try {
            awaitListening(submitPort);
            awaitListening(plainPort);
            for (int p : milterPorts.values()) {
                awaitListening(p);
            }
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    int submitPort() {
        return submitPort;
    }

    /**
     * An smtpd without milters whose mail goes straight to the sink: the baseline for measurements.
     */
    int plainPort() {
        return plainPort;
    }

    int milterPort(String name) {
        return milterPorts.get(name);
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return probe.getLocalPort();
        }
    }

    private void writeConfiguration(Map<String, Integer> milters, int sinkPort) throws IOException {
        PostfixLayout layout = PostfixLayout.create(dir);
        Path conf = layout.conf();
        String first = milters.keySet().iterator().next();
        List<String> main = new ArrayList<>(layout.mainCf(dir));
        main.addAll(
                List.of(
                        "myhostname = mta.corp.test",
                        "mydomain = corp.test",
                        "myorigin = corp.test",
                        "inet_interfaces = 127.0.0.1",
                        "inet_protocols = ipv4",
                        "mydestination =",
                        "relay_domains =",
                        "local_recipient_maps =",
                        "alias_maps =",
                        "alias_database =",
                        "mynetworks = 127.0.0.0/8",
                        "smtpd_relay_restrictions = permit_mynetworks, reject",
                        "smtpd_peername_lookup = no",
                        "smtp_dns_support_level = disabled",
                        "smtp_tls_security_level = none",
                        "relayhost = [127.0.0.1]:" + milterPorts.get(first),
                        "milter_protocol = 6",
                        "milter_default_action = tempfail",
                        "queue_run_delay = 1s",
                        "minimal_backoff_time = 2s", // above queue_run_delay: a 1 s backoff races
                        // qmgr's scan
                        "maximal_backoff_time = 4s",
                        "smtp_connection_cache_on_demand = no",
                        ""));
        Files.writeString(
                conf.resolve("main.cf"), String.join("\n", main), StandardCharsets.US_ASCII);
        List<String> master = new ArrayList<>();
        master.add(
                "127.0.0.1:"
                        + submitPort
                        + " inet n - n - "
                        + SMTPD_PROCESSES
                        + " smtpd -o smtpd_milters=");
        master.add(
                "127.0.0.1:"
                        + plainPort
                        + " inet n - n - "
                        + SMTPD_PROCESSES
                        + " smtpd -o smtpd_milters="
                        + " -o content_filter=smtp:[127.0.0.1]:"
                        + sinkPort);
        for (Map.Entry<String, Integer> m : milters.entrySet()) {
            master.add(
                    "127.0.0.1:"
                            + milterPorts.get(m.getKey())
                            + " inet n - n - "
                            + SMTPD_PROCESSES
                            + " smtpd"
                            + " -o smtpd_milters=inet:127.0.0.1:"
                            + m.getValue()
                            + " -o content_filter=smtp:[127.0.0.1]:"
                            + sinkPort);
        }
        master.addAll(PostfixLayout.INTERNAL_SERVICES);
        master.addAll(
                List.of(
                        "pickup unix n - n 60 1 pickup",
                        "smtp unix - - n - - smtp",
                        "relay unix - - n - - smtp",
                        "error unix - - n - - error",
                        "retry unix - - n - - error",
                        "discard unix - - n - - discard",
                        "showq unix n - n - - showq",
                        "flush unix n - n 1000? 0 flush",
                        ""));
        Files.writeString(
                conf.resolve("master.cf"), String.join("\n", master), StandardCharsets.US_ASCII);
    }

    private void awaitListening(int port) throws Exception {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline || !master.isAlive()) {
                    throw new AssertionError(
                            "Postfix did not listen on 127.0.0.1:"
                                    + port
                                    + "; its log:\n"
                                    + log()
                                    + Files.readString(dir.resolve("master.out")));
                }
                Thread.sleep(100);
            }
        }
    }

    /** Postfix's log so far. */
    String log() {
        try {
            return Files.exists(dir.resolve("maillog"))
                    ? Files.readString(dir.resolve("maillog"))
                    : "(no maillog)";
        } catch (IOException e) {
            return e.toString();
        }
    }

    /**
     * Queue files (incoming, active, deferred) whose content contains {@code needle}, e.g. a
     * Message-ID.
     */
    List<Path> queued(String needle) throws IOException {
        List<Path> found = new ArrayList<>();
        byte[] n = needle.getBytes(StandardCharsets.UTF_8);
        for (String d : List.of("incoming", "active", "deferred")) {
            try (Stream<Path> walk = Files.walk(dir.resolve("queue").resolve(d))) {
                for (Path p : walk.filter(Files::isRegularFile).toList()) {
                    try {
                        if (indexOf(Files.readAllBytes(p), n) >= 0) {
                            found.add(p);
                        }
                    } catch (IOException e) {
                        // moved between queues while we looked; the next look finds it
                    }
                }
            }
        }
        return found;
    }

    /** {@code postqueue -p} output for this instance. */
    String postqueue() throws IOException, InterruptedException {
        Optional<String> postqueue = RealTools.find("postqueue");
        return postqueue.isEmpty()
                ? "(no postqueue)"
                : RealTools.run(dir, postqueue.get(), "-c", dir.resolve("conf").toString(), "-p");
    }

    /** {@code postqueue -f}: asks the queue manager to retry every deferred message now. */
    void flush() throws IOException, InterruptedException {
        Optional<String> postqueue = RealTools.find("postqueue");
        if (postqueue.isPresent()) {
            RealTools.run(dir, postqueue.get(), "-c", dir.resolve("conf").toString(), "-f");
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Override
    public void close() throws InterruptedException {
        // SIGTERM to our own master by its id; it stops the daemons it started.
        master.destroy();
        if (!master.waitFor(30, TimeUnit.SECONDS)) {
            master.destroyForcibly();
        }
    }
}
