package dev.daneel.milter;

import dev.daneel.testkit.GnuPgHome;
import dev.daneel.testkit.World;
import dev.daneel.validator.ValidatingResolver;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What the milter adds to mail through a real Postfix, measured (a benchmark, not a test: run it by
 * hand, as root, with Postfix and GnuPG installed):
 *
 * <ol>
 *   <li>latency: on one SMTP connection, the time from the end of DATA to Postfix's 250, message
 *       after message with a warm key cache, through an smtpd with the milter (an encrypted and an
 *       opportunistic-plaintext recipient) and through one without; the figure is the difference of
 *       the medians;
 *   <li>throughput: messages per second from the first submission to the last delivery at the
 *       loopback sink, with several client connections, with and without the milter; the figure is
 *       their ratio.
 * </ol>
 *
 * <pre>{@code
 * mvn -q -pl examples/milter -am test-compile
 * java -cp examples/milter/target/test-classes:examples/milter/target/classes:$(cat cp.txt) \
 *     dev.daneel.milter.MilterLatencyBenchmark [messages-per-connection] [connections]
 * }</pre>
 */
public final class MilterLatencyBenchmark {

    static final String ANN = "ann@corp.test";
    static final String ALICE = "alice@keys.test";
    static final String CAROL = "carol@keys.test";

    private MilterLatencyBenchmark() {}

    public static void main(String[] args) throws Exception {
        int perConnection = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        PostfixHarness.require();
        Path dir = Files.createTempDirectory("daneel-milter-bench");
        try (GnuPgHome gpg = GnuPgHome.create()) {
            gpg.generate("Alice <" + ALICE + ">");
            byte[] alice = gpg.export(ALICE);
            try (World world =
                    World.builder()
                            .zone("test.")
                            .zone("keys.test.", z -> z.openpgpkey(ALICE, alice))
                            .start()) {
                world.signAll();
                world.writeTrustAnchors(dir.resolve("anchors.txt"));
                Files.writeString(
                        dir.resolve("milter.conf"),
                        String.join(
                                "\n",
                                "listen = inet:0@127.0.0.1",
                                "upstream = 127.0.0.1:" + world.address().getPort(),
                                "anchors = anchors.txt",
                                "max-sessions = 64",
                                ""));
                MilterConfig config = MilterConfig.load(dir.resolve("milter.conf"));
                List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
                try (ValidatingResolver resolver =
                                MilterMain.resolver(config, MilterMain.anchors(config));
                        OpenPgpKeyMilter milter =
                                OpenPgpKeyMilter.start(config, resolver, log::add);
                        SmtpSink sink = new SmtpSink();
                        PostfixHarness postfix =
                                new PostfixHarness(
                                        dir,
                                        Map.of(
                                                "milter",
                                                ((InetSocketAddress) milter.address()).getPort()),
                                        sink.port())) {
                    run(postfix, sink, perConnection, connections);
                }
            }
        }
    }

    private static void run(PostfixHarness postfix, SmtpSink sink, int n, int connections)
            throws Exception {
        int milterPort = postfix.milterPort("milter");
        int plainPort = postfix.plainPort();
        // Warm the JIT, Postfix's process pool and the key cache on every path.
        latencies(plainPort, ALICE, n);
        latencies(milterPort, ALICE, n);
        latencies(milterPort, CAROL, n);
        double plain = median(latencies(plainPort, ALICE, n));
        double encrypted = median(latencies(milterPort, ALICE, n));
        double clear = median(latencies(milterPort, CAROL, n));
        System.out.printf("one SMTP connection, %d messages each, median end-of-DATA to 250:%n", n);
        System.out.printf("  without milter:                          %.2f ms%n", plain);
        System.out.printf(
                "  with milter, encrypted (warm cache):     %.2f ms (added %.2f ms)%n",
                encrypted, encrypted - plain);
        System.out.printf(
                "  with milter, opportunistic plaintext:    %.2f ms (added %.2f ms)%n",
                clear, clear - plain);

        double without = throughput(plainPort, sink, n, connections);
        double with = throughput(milterPort, sink, n, connections);
        System.out.printf(
                "throughput, %d connections x %d messages, submission to delivery at the sink:%n",
                connections, n);
        System.out.printf("  without milter: %.0f messages/s%n", without);
        System.out.printf(
                "  with milter (every message encrypted): %.0f messages/s (ratio %.2f)%n",
                with, with / without);
    }

    private static String message(String id, String to) {
        return "From: Ann <"
                + ANN
                + ">\nTo: "
                + to
                + "\nSubject: bench\nMessage-ID: "
                + id
                + "\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n"
                + "A short business message of a few lines.\nRegards,\nAnn\n";
    }

    /** Milliseconds from the end of DATA to the 250, per message, on one connection. */
    private static double[] latencies(int port, String to, int n) throws Exception {
        double[] ms = new double[n];
        try (SmtpSubmit.Session s = new SmtpSubmit.Session(port)) {
            for (int i = 0; i < n; i++) {
                String id = "<" + UUID.randomUUID() + "@corp.test>";
                long t0 = System.nanoTime();
                SmtpSubmit.Reply r = s.send(ANN, List.of(to), message(id, to));
                ms[i] = (System.nanoTime() - t0) / 1e6;
                if (r.code() != 250) {
                    throw new IllegalStateException("message " + i + " refused: " + r.text());
                }
            }
        }
        return ms;
    }

    private static double throughput(int port, SmtpSink sink, int n, int connections)
            throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        long t0 = System.nanoTime();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                int conn = c;
                done.add(
                        pool.submit(
                                () -> {
                                    try (SmtpSubmit.Session s = new SmtpSubmit.Session(port)) {
                                        for (int i = 0; i < n; i++) {
                                            SmtpSubmit.Reply r =
                                                    s.send(
                                                            ANN,
                                                            List.of(ALICE),
                                                            message(
                                                                    "<tp-"
                                                                            + run
                                                                            + "-"
                                                                            + conn
                                                                            + "-"
                                                                            + i
                                                                            + "@corp.test>",
                                                                    ALICE));
                                            if (r.code() != 250) {
                                                throw new IllegalStateException(r.text());
                                            }
                                        }
                                    }
                                    return null;
                                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        long expected = (long) n * connections;
        long deadline = System.nanoTime() + 600_000_000_000L;
        while (sink.delivered().stream().filter(d -> d.text().contains("<tp-" + run + "-")).count()
                < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "not all " + expected + " messages delivered within 10 minutes");
            }
            Thread.sleep(20);
        }
        return expected / ((System.nanoTime() - t0) / 1e9);
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
