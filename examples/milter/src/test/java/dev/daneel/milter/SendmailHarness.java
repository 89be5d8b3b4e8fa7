package dev.daneel.milter;

import dev.daneel.testkit.RealTools;
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
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private Sendmail on 127.0.0.1 started by the test, from Debian's packages unpacked (never
 * installed: {@code sendmail-bin} conflicts with Postfix) into {@link #ROOT} by {@code
 * scripts/interop-deps}. Its own {@code sendmail.cf} is made with m4 from a {@code .mc} holding the
 * {@code INPUT_MAIL_FILTER} line the milter's documentation gives; its queue, pid file, hosts and
 * aliases live in {@code dir}. Accepted mail goes to {@code [127.0.0.1]:sinkPort}.
 *
 * <p>Sendmail resolves its own host name through the C library before it reads any configuration,
 * and the machine's resolver is off limits, so it runs in a private mount namespace ({@code unshare
 * --mount}) where {@code /etc/nsswitch.conf} says {@code hosts: files}, {@code /etc/hosts} names
 * this host, and {@code /etc/resolv.conf} points at 127.0.0.1: it never sends a DNS query off the
 * machine. The network namespace is the machine's, so it reaches the milter and the sink on
 * loopback.
 */
final class SendmailHarness implements AutoCloseable {

    /**
     * Where scripts/interop-deps unpacks Debian's sendmail packages (override:
     * DANEEL_SENDMAIL_ROOT).
     */
    static final Path ROOT =
            Path.of(
                    System.getenv()
                            .getOrDefault(
                                    "DANEEL_SENDMAIL_ROOT",
                                    "/var/cache/daneel-interop/sendmail/root"));

    private static final Path SENDMAIL = ROOT.resolve("usr/libexec/sendmail/sendmail");
    private static final Duration STARTUP = Duration.ofSeconds(60);

    /** The milter line of the documentation, with the port the test's milter listens on. */
    static String inputMailFilter(int milterPort) {
        return "INPUT_MAIL_FILTER(`daneel', `S=inet:" + milterPort + "@127.0.0.1, F=T, T=E:5m')dnl";
    }

    private final Path dir;
    private final int port;
    private final Process daemon;

    /**
     * Skips (or fails under CI=true) when the unpacked Sendmail, m4 or unshare is missing, or not
     * root.
     */
    static void require() {
        if (!Files.isExecutable(SENDMAIL)) {
            RealTools.unavailable(
                    "Sendmail is not unpacked in "
                            + ROOT
                            + " (scripts/interop-deps unpacks Debian's"
                            + " sendmail-bin, sendmail-base and sendmail-cf there without installing them)");
        }
        RealTools.require("m4", "m4");
        RealTools.require("unshare", "util-linux");
        if (!"root".equals(System.getProperty("user.name"))) {
            RealTools.unavailable("Sendmail's daemon and unshare --mount need root");
        }
    }

    SendmailHarness(Path dir, int milterPort, int sinkPort) throws Exception {
        this.dir = Files.createDirectories(dir);
        this.port = freePort();
        Path queue = Files.createDirectories(dir.resolve("mqueue"));
        Files.setPosixFilePermissions(queue, PosixFilePermissions.fromString("rwx------"));
        // Read, not looked up: InetAddress.getLocalHost() could ask the machine's resolver.
        String host = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        write(
                "hosts",
                "127.0.0.1 localhost mta.corp.test " + host + "\n::1 localhost " + host + "\n");
        write("nsswitch.conf", "hosts: files\npasswd: files\ngroup: files\nshadow: files\n");
        write("resolv.conf", "nameserver 127.0.0.1\noptions attempts:1 timeout:1\n");
        write("service.switch", "hosts files\naliases files\n");
        write("local-host-names", "");
        write("aliases", "");
        write("statistics", "");
        Files.copy(ROOT.resolve("etc/mail/helpfile"), dir.resolve("helpfile"));
        String cf = ROOT.resolve("usr/share/sendmail/cf").toString();
        write(
                "sendmail.mc",
                String.join(
                        "\n",
                        "divert(-1)",
                        "divert(0)dnl",
                        "include(`" + cf + "/m4/cf.m4')dnl",
                        "OSTYPE(`linux')dnl",
                        "define(`confDOMAIN_NAME', `mta.corp.test')dnl",
                        "define(`confSERVICE_SWITCH_FILE', `"
                                + dir.resolve("service.switch")
                                + "')dnl",
                        "define(`confHOSTS_FILE', `" + dir.resolve("hosts") + "')dnl",
                        "define(`confCW_FILE', `" + dir.resolve("local-host-names") + "')dnl",
                        "define(`ALIAS_FILE', `" + dir.resolve("aliases") + "')dnl",
                        "define(`QUEUE_DIR', `" + queue + "')dnl",
                        "define(`confPID_FILE', `" + dir.resolve("sendmail.pid") + "')dnl",
                        "define(`STATUS_FILE', `" + dir.resolve("statistics") + "')dnl",
                        "define(`HELP_FILE', `" + dir.resolve("helpfile") + "')dnl",
                        "define(`confDONT_PROBE_INTERFACES', `True')dnl",
                        "define(`confBIND_OPTS', `-DNSRCH -DEFNAMES')dnl",
                        "define(`confDONT_BLAME_SENDMAIL', `GroupWritableDirPathSafe')dnl",
                        "define(`confTO_CONNECT', `10s')dnl",
                        "define(`SMART_HOST', `esmtp:[127.0.0.1]')dnl",
                        "define(`ESMTP_MAILER_ARGS', `TCP $h " + sinkPort + "')dnl",
                        "FEATURE(`nocanonify')dnl",
                        "FEATURE(`no_default_msa')dnl",
                        "FEATURE(`accept_unresolvable_domains')dnl",
                        "FEATURE(`promiscuous_relay')dnl", // it listens on 127.0.0.1 only
                        "DAEMON_OPTIONS(`Port=" + port + ", Addr=127.0.0.1, Name=MTA')dnl",
                        inputMailFilter(milterPort),
                        "MAILER(`smtp')dnl",
                        ""));
        Process m4 =
                new ProcessBuilder("m4", dir.resolve("sendmail.mc").toString())
                        .redirectOutput(dir.resolve("sendmail.cf").toFile())
                        .redirectError(dir.resolve("m4.err").toFile())
                        .start();
        if (!m4.waitFor(60, TimeUnit.SECONDS) || m4.exitValue() != 0) {
            throw new AssertionError(
                    "m4 failed on sendmail.mc: " + Files.readString(dir.resolve("m4.err")));
        }
        String script =
                "mount --bind "
                        + dir.resolve("nsswitch.conf")
                        + " /etc/nsswitch.conf"
                        + " && mount --bind "
                        + dir.resolve("hosts")
                        + " /etc/hosts"
                        + " && mount --bind "
                        + dir.resolve("resolv.conf")
                        + " /etc/resolv.conf"
                        + " && exec "
                        + SENDMAIL
                        + " -C "
                        + dir.resolve("sendmail.cf")
                        + " -bD -q1s";
        daemon =
                new ProcessBuilder(
                                "unshare",
                                "--mount",
                                "--propagation",
                                "private",
                                "sh",
                                "-c",
                                script)
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("sendmail.out").toFile())
                        .start();
        try {
            awaitListening();
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    int port() {
        return port;
    }

    /**
     * What Sendmail printed (it logs to syslog, which tests do not read; errors before that land
     * here).
     */
    String output() {
        try {
            return Files.readString(dir.resolve("sendmail.out"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Files in Sendmail's queue whose content contains {@code needle}. */
    List<Path> queued(String needle) throws IOException {
        try (var walk = Files.list(dir.resolve("mqueue"))) {
            return walk.filter(
                            p -> {
                                try {
                                    return Files.readString(p, StandardCharsets.ISO_8859_1)
                                            .contains(needle);
                                } catch (IOException e) {
                                    return false;
                                }
                            })
                    .toList();
        }
    }

    private void write(String name, String content) throws IOException {
        Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private void awaitListening() throws Exception {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline || !daemon.isAlive()) {
                    throw new AssertionError(
                            "Sendmail did not listen on 127.0.0.1:" + port + ": " + output());
                }
                Thread.sleep(100);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return probe.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        // SIGTERM to our own daemon by its process id (sh exec'd it); its children finish their
        // connections.
        daemon.destroy();
        if (!daemon.waitFor(30, TimeUnit.SECONDS)) {
            daemon.destroyForcibly();
        }
    }
}
