package dev.daneel.milter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.milter.internal.Protocol;
import dev.daneel.testkit.GnuPgHome;
import dev.daneel.testkit.World;
import dev.daneel.validator.ValidatingResolver;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What travels between a real Postfix and the milter, seen by a recording relay between them: the
 * shape that keeps a message from waiting on Nagle's algorithm and delayed ACKs. The milter asks
 * for the DATA event and answers it (so Postfix never makes an unanswered lone write before the
 * headers), and everything it sends at end of message — header changes, the new body, the final
 * reply — leaves in one write, which the relay reads as one chunk. Behaviour only: no clock is
 * read.
 */
class MilterWireTest {

    static final String ANN = "ann@corp.test";
    static final String ALICE = "alice@keys.test";

    @TempDir Path dir;

    /** Postfix ⇄ relay ⇄ milter; every read from either side is kept as one chunk. */
    static final class Relay implements AutoCloseable {
        /** One milter connection's reads, each direction apart. */
        record Conn(List<byte[]> fromMta, List<byte[]> fromMilter) {}

        final ServerSocket server;
        final List<Conn> connections = java.util.Collections.synchronizedList(new ArrayList<>());
        private final List<Socket> sockets =
                java.util.Collections.synchronizedList(new ArrayList<>());

        Relay(int milterPort) throws IOException {
            server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread t =
                    new Thread(
                            () -> {
                                while (!server.isClosed()) {
                                    try {
                                        Socket mta = server.accept();
                                        Socket milter = new Socket();
                                        milter.connect(
                                                new InetSocketAddress(
                                                        InetAddress.getLoopbackAddress(),
                                                        milterPort));
                                        mta.setTcpNoDelay(true);
                                        milter.setTcpNoDelay(true);
                                        sockets.add(mta);
                                        sockets.add(milter);
                                        Conn c =
                                                new Conn(
                                                        java.util.Collections.synchronizedList(
                                                                new ArrayList<>()),
                                                        java.util.Collections.synchronizedList(
                                                                new ArrayList<>()));
                                        connections.add(c);
                                        pump(mta, milter, c.fromMta());
                                        pump(milter, mta, c.fromMilter());
                                    } catch (IOException e) {
                                        return;
                                    }
                                }
                            },
                            "milter-relay");
            t.setDaemon(true);
            t.start();
        }

        private static void pump(Socket from, Socket to, List<byte[]> chunks) {
            Thread t =
                    new Thread(
                            () -> {
                                byte[] buf = new byte[1 << 18];
                                try (InputStream in = from.getInputStream();
                                        OutputStream out = to.getOutputStream()) {
                                    int n;
                                    while ((n = in.read(buf)) > 0) {
                                        chunks.add(Arrays.copyOf(buf, n));
                                        out.write(buf, 0, n);
                                    }
                                } catch (IOException e) {
                                    // one side closed; the other follows
                                }
                            },
                            "milter-relay-pump");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
            synchronized (sockets) {
                for (Socket s : sockets) {
                    s.close();
                }
            }
        }
    }

    /** A packet and the index of the chunk (read) it started in. */
    record Seen(char command, byte[] data, int chunk, boolean endsInSameChunk) {}

    static List<Seen> packets(List<byte[]> chunks) {
        List<Seen> out = new ArrayList<>();
        byte[] all;
        int[] chunkOf;
        synchronized (chunks) {
            int total = chunks.stream().mapToInt(c -> c.length).sum();
            all = new byte[total];
            chunkOf = new int[total];
            int off = 0;
            for (int i = 0; i < chunks.size(); i++) {
                byte[] c = chunks.get(i);
                System.arraycopy(c, 0, all, off, c.length);
                Arrays.fill(chunkOf, off, off + c.length, i);
                off += c.length;
            }
        }
        int i = 0;
        while (i + 5 <= all.length) {
            int len = ByteBuffer.wrap(all, i, 4).getInt();
            if (i + 4 + len > all.length) {
                break;
            }
            out.add(
                    new Seen(
                            (char) all[i + 4],
                            Arrays.copyOfRange(all, i + 5, i + 4 + len),
                            chunkOf[i],
                            chunkOf[i] == chunkOf[i + 3 + len]));
            i += 4 + len;
        }
        return out;
    }

    @Test
    void dataIsAskedForAndAnsweredAndEachEndOfMessageAnswerIsOneWrite() throws Exception {
        PostfixHarness.require();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
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
                        "listen = inet:0@127.0.0.1\nupstream = 127.0.0.1:"
                                + world.address().getPort()
                                + "\nanchors = anchors.txt\n");
                MilterConfig config = MilterConfig.load(dir.resolve("milter.conf"));
                List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
                try (ValidatingResolver resolver =
                                MilterMain.resolver(config, MilterMain.anchors(config));
                        OpenPgpKeyMilter milter =
                                OpenPgpKeyMilter.start(config, resolver, log::add);
                        Relay relay = new Relay(((InetSocketAddress) milter.address()).getPort());
                        SmtpSink sink = new SmtpSink();
                        PostfixHarness postfix =
                                new PostfixHarness(
                                        dir, Map.of("relay", relay.port()), sink.port())) {
                    int messages = 5;
                    try (SmtpSubmit.Session s =
                            new SmtpSubmit.Session(postfix.milterPort("relay"))) {
                        for (int i = 0; i < messages; i++) {
                            String id = "<wire-" + UUID.randomUUID() + "@corp.test>";
                            SmtpSubmit.Reply r =
                                    s.send(
                                            ANN,
                                            List.of(ALICE),
                                            "From: "
                                                    + ANN
                                                    + "\nTo: "
                                                    + ALICE
                                                    + "\nSubject: wire "
                                                    + i
                                                    + "\nMessage-ID: "
                                                    + id
                                                    + "\n\nbody "
                                                    + i
                                                    + "\n");
                            assertEquals(250, r.code(), r.text() + "\n" + String.join("\n", log));
                        }
                    }
                    // Postfix also opened milter connections for the harness's readiness probes:
                    // take the one
                    // that carried the messages.
                    Relay.Conn conn;
                    synchronized (relay.connections) {
                        conn =
                                relay.connections.stream()
                                        .filter(
                                                c ->
                                                        packets(c.fromMta()).stream()
                                                                .anyMatch(p -> p.command() == 'E'))
                                        .findFirst()
                                        .orElseThrow(
                                                () ->
                                                        new AssertionError(
                                                                "no milter connection saw a message"));
                    }
                    List<Seen> mta = packets(conn.fromMta());
                    List<Seen> replies = packets(conn.fromMilter());

                    Seen negotiated =
                            replies.stream()
                                    .filter(p -> p.command() == 'O')
                                    .findFirst()
                                    .orElseThrow();
                    int steps = ByteBuffer.wrap(negotiated.data()).getInt(8);
                    assertEquals(0, steps & Protocol.P_NODATA, "the milter must ask for DATA");
                    assertEquals(0, steps & Protocol.P_NR_DATA, "the milter must answer DATA");

                    long data = mta.stream().filter(p -> p.command() == 'T').count();
                    long eom = mta.stream().filter(p -> p.command() == 'E').count();
                    assertEquals(messages, data, "DATA events seen");
                    assertEquals(messages, eom, "end-of-message events seen");
                    // Replies: the negotiation, one CONTINUE per DATA, then per message the answer
                    // to its end.
                    int i = 1;
                    for (int m = 0; m < messages; m++) {
                        assertEquals('c', replies.get(i).command(), "the answer to DATA");
                        i++;
                        int chunk = replies.get(i).chunk();
                        List<Character> answer = new ArrayList<>();
                        while (true) {
                            Seen p = replies.get(i++);
                            assertEquals(
                                    chunk,
                                    p.chunk(),
                                    "message "
                                            + m
                                            + ": its answer "
                                            + answer
                                            + " took more than one write");
                            assertTrue(
                                    p.endsInSameChunk(),
                                    "message " + m + ": a packet split over writes");
                            answer.add(p.command());
                            if (p.command() == 'c'
                                    || p.command() == 'y'
                                    || p.command() == 'a'
                                    || p.command() == 't') {
                                break;
                            }
                        }
                        assertTrue(
                                answer.contains('b') && answer.get(answer.size() - 1) == 'c',
                                "message " + m + " not replaced and accepted: " + answer);
                    }
                    assertFalse(
                            replies.size() > i,
                            "replies nobody asked for: " + replies.subList(i, replies.size()));
                }
            }
        }
    }
}
