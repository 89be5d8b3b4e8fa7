package dev.daneel.validator.internal.iterator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The network transport over real loopback sockets, IPv4 and IPv6: it takes only the response to
 * its query (RFC 5452 §9.1) and keeps waiting past anything else, frames TCP, and refuses a TCP
 * answer that is cut short.
 */
class NetworkTransportTest {

    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    private static Message query(int id) {
        Message q = new Message(id);
        q.addRecord(
                Record.newRecord(PlayedNetwork.name("www.example."), Type.A, DClass.IN),
                Section.QUESTION);
        return q;
    }

    private static Message answer(Message q) {
        Message m = new Message(q.getHeader().getID());
        m.getHeader().setFlag(Flags.QR);
        m.getHeader().setFlag(Flags.AA);
        m.addRecord(q.getQuestion(), Section.QUESTION);
        m.addRecord(PlayedNetwork.record("www.example. 300 IN A 192.0.2.1"), Section.ANSWER);
        return m;
    }

    /**
     * A UDP server on {@code address} that sends what {@code replies} makes of each query, one
     * datagram each.
     */
    @SafeVarargs
    private InetSocketAddress udpServer(InetAddress address, UnaryOperator<Message>... replies)
            throws IOException {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(address, 0));
        pool.execute(
                () -> {
                    try (socket) {
                        byte[] buf = new byte[65535];
                        DatagramPacket p = new DatagramPacket(buf, buf.length);
                        socket.receive(p);
                        Message q = new Message(java.util.Arrays.copyOf(buf, p.getLength()));
                        for (UnaryOperator<Message> r : replies) {
                            byte[] wire = r.apply(q).toWire();
                            socket.send(
                                    new DatagramPacket(wire, wire.length, p.getSocketAddress()));
                        }
                    } catch (IOException e) {
                        // the test ends the server by closing the pool
                    }
                });
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    @Test
    void spoofedDatagramsAreIgnoredAndTheRealAnswerTaken() throws Exception {
        InetSocketAddress server =
                udpServer(
                        InetAddress.getByName("127.0.0.1"),
                        q -> {
                            Message wrongId = answer(q);
                            wrongId.getHeader().setID((q.getHeader().getID() + 1) & 0xffff);
                            return wrongId;
                        },
                        q -> {
                            Message wrongQuestion = answer(q);
                            wrongQuestion.removeAllRecords(Section.QUESTION);
                            wrongQuestion.addRecord(
                                    Record.newRecord(
                                            PlayedNetwork.name("evil.example."), Type.A, DClass.IN),
                                    Section.QUESTION);
                            return wrongQuestion;
                        },
                        NetworkTransportTest::answer);
        try (NetworkTransport t = new NetworkTransport()) {
            Message m = t.exchange(server, query(4242), false, Duration.ofSeconds(5));
            assertEquals(4242, m.getHeader().getID());
            assertEquals("192.0.2.1", m.getSection(Section.ANSWER).get(0).rdataToString());
            assertEquals(2, t.droppedResponses());
        }
    }

    @Test
    void onlySpoofedDatagramsMeanATimeout() throws Exception {
        InetSocketAddress server =
                udpServer(
                        InetAddress.getByName("127.0.0.1"),
                        q -> {
                            Message wrongId = answer(q);
                            wrongId.getHeader().setID((q.getHeader().getID() + 7) & 0xffff);
                            return wrongId;
                        });
        try (NetworkTransport t = new NetworkTransport()) {
            assertThrows(
                    SocketTimeoutException.class,
                    () -> t.exchange(server, query(99), false, Duration.ofMillis(300)));
            assertEquals(1, t.droppedResponses());
        }
    }

    @Test
    void udpOverIpv6() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(v6, 0))) {
            probe.getLocalPort();
        } catch (IOException e) {
            Assumptions.assumeFalse("true".equals(System.getenv("CI")), "CI must have ::1");
            Assumptions.abort("::1 is not configured on this machine");
        }
        InetSocketAddress server = udpServer(v6, NetworkTransportTest::answer);
        try (NetworkTransport t = new NetworkTransport()) {
            Message m = t.exchange(server, query(7), false, Duration.ofSeconds(5));
            assertEquals(1, m.getSection(Section.ANSWER).size());
        }
    }

    /** A TCP server that answers one query with what {@code reply} makes of it. */
    private InetSocketAddress tcpServer(UnaryOperator<Message> reply) throws IOException {
        ServerSocket listener = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        pool.execute(
                () -> {
                    try (listener;
                            Socket s = listener.accept()) {
                        DataInputStream in = new DataInputStream(s.getInputStream());
                        byte[] q = new byte[in.readUnsignedShort()];
                        in.readFully(q);
                        byte[] wire = reply.apply(new Message(q)).toWire();
                        OutputStream out = s.getOutputStream();
                        out.write(new byte[] {(byte) (wire.length >>> 8), (byte) wire.length});
                        out.write(wire);
                        out.flush();
                    } catch (IOException e) {
                        // ended by the test
                    }
                });
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    @Test
    void tcpIsFramedWithItsLength() throws Exception {
        InetSocketAddress server = tcpServer(NetworkTransportTest::answer);
        try (NetworkTransport t = new NetworkTransport()) {
            Message m = t.exchange(server, query(1234), true, Duration.ofSeconds(5));
            assertEquals(1234, m.getHeader().getID());
        }
    }

    @Test
    void truncatedTcpAnswerIsRefused() throws Exception {
        InetSocketAddress server =
                tcpServer(
                        q -> {
                            Message m = answer(q);
                            m.getHeader().setFlag(Flags.TC);
                            return m;
                        });
        try (NetworkTransport t = new NetworkTransport()) {
            IOException e =
                    assertThrows(
                            IOException.class,
                            () -> t.exchange(server, query(5), true, Duration.ofSeconds(5)));
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        }
    }

    @Test
    void closedTransportRefusesToSend() throws Exception {
        NetworkTransport t = new NetworkTransport();
        t.close();
        assertThrows(
                IOException.class,
                () ->
                        t.exchange(
                                new InetSocketAddress("127.0.0.1", 9),
                                query(1),
                                false,
                                Duration.ofMillis(100)));
    }
}
