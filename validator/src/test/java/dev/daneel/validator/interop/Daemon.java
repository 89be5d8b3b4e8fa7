package dev.daneel.validator.interop;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A server process the suite started in the foreground (NSD {@code -d}, Unbound {@code -d}, named
 * {@code -g}): its output goes to a log file, and it is ended through its own {@link Process}
 * handle (SIGTERM, then SIGKILL), together with the children it forked. A JVM shutdown hook does
 * the same if the test JVM exits without closing it, so nothing is left running.
 *
 * <p>Thread-safe.
 */
final class Daemon implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final String name;
    private final Process process;
    private final Path log;
    private final Thread hook;

    private Daemon(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.hook = new Thread(this::stop, "stop-" + name);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Starts {@code command} in {@code dir}, its output in {@code log}. */
    static Daemon start(String name, List<String> command, Path dir, Path log) {
        try {
            Process p =
                    new ProcessBuilder(command)
                            .directory(dir.toFile())
                            .redirectErrorStream(true)
                            .redirectOutput(log.toFile())
                            .start();
            p.getOutputStream().close();
            return new Daemon(name, p, log);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot start "
                            + name
                            + " ("
                            + String.join(" ", command)
                            + "): "
                            + e.getMessage(),
                    e);
        }
    }

    /**
     * Waits until the server answers {@code probe}/SOA at {@code address} over UDP (any response
     * code counts: it is listening). Throws with the server's log when it exits or stays silent.
     */
    Daemon awaitDns(InetSocketAddress address, Name probe) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        name
                                + " exited with "
                                + process.exitValue()
                                + " before answering on "
                                + address
                                + "; its log:\n"
                                + log());
            }
            try {
                SimpleResolver r = new SimpleResolver(address);
                r.setTimeout(Duration.ofMillis(300));
                Message m =
                        r.send(
                                Message.newQuery(
                                        Record.newRecord(
                                                probe, Type.SOA, org.xbill.DNS.DClass.IN)));
                if (m != null) {
                    return this;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
        }
        stop();
        throw new IllegalStateException(
                name
                        + " did not answer on "
                        + address
                        + " within "
                        + READY_TIMEOUT.toSeconds()
                        + " s; its log:\n"
                        + log());
    }

    /** The process id, for reports. */
    long pid() {
        return process.pid();
    }

    /** What the server has logged so far. */
    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(log " + log + " unreadable: " + e.getMessage() + ")";
        }
    }

    private void stop() {
        // The children are captured first: once the parent is gone they are no longer its
        // descendants.
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
            // A server ends its own children on SIGTERM; wait for that, and force only what
            // outlives the grace.
            long deadline = System.nanoTime() + STOP_GRACE.toNanos();
            while (children.stream().anyMatch(Daemon::running) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            process.destroyForcibly();
            children.stream().filter(Daemon::running).forEach(ProcessHandle::destroyForcibly);
        }
    }

    /**
     * Whether the process still runs. An orphan that has exited stays a zombie until init reaps it,
     * and {@link ProcessHandle#isAlive()} counts zombies as alive; on Linux its state in /proc says
     * otherwise.
     */
    private static boolean running(ProcessHandle p) {
        if (!p.isAlive()) {
            return false;
        }
        try {
            String stat =
                    Files.readString(
                            Path.of("/proc", String.valueOf(p.pid()), "stat"),
                            StandardCharsets.US_ASCII);
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException | RuntimeException gone) {
            return p.isAlive();
        }
    }

    /** Ends the process and its children; idempotent. */
    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
    }

    @Override
    public String toString() {
        return name + "[pid " + process.pid() + "]";
    }

    /**
     * A port free for UDP and TCP on every one of {@code addresses} right now, chosen by the
     * kernel, so that parallel builds do not collide. A later bind may still lose a race; callers
     * retry a start that fails.
     */
    static int freePort(List<InetAddress> addresses) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port;
            try (java.net.DatagramSocket probe =
                    new java.net.DatagramSocket(new InetSocketAddress(addresses.get(0), 0))) {
                port = probe.getLocalPort();
            } catch (IOException e) {
                throw new IllegalStateException(
                        "cannot bind on " + addresses.get(0) + ": " + e.getMessage(), e);
            }
            if (freeEverywhere(addresses, port)) {
                return port;
            }
        }
        throw new IllegalStateException(
                "no port is free on all of " + addresses + " after 50 tries");
    }

    /** Whether this machine has {@code address} (::1 is missing where IPv6 is disabled). */
    static boolean canBind(InetAddress address) {
        try (java.net.DatagramSocket s =
                new java.net.DatagramSocket(new InetSocketAddress(address, 0))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean freeEverywhere(List<InetAddress> addresses, int port) {
        for (InetAddress a : addresses) {
            try (java.net.DatagramSocket udp =
                            new java.net.DatagramSocket(new InetSocketAddress(a, port));
                    java.net.ServerSocket tcp = new java.net.ServerSocket()) {
                tcp.bind(new InetSocketAddress(a, port));
            } catch (IOException taken) {
                return false;
            }
        }
        return true;
    }
}
