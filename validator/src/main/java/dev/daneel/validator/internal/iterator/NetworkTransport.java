package dev.daneel.validator.internal.iterator;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;

/**
 * UDP and TCP to authoritative servers, IPv4 and IPv6. Over UDP each exchange has its own socket on
 * a port the operating system picks, connected to the server (RFC 5452 §9.2), and takes only a
 * datagram from the server that {@link ReplyCheck} accepts; others are counted and ignored. TCP
 * frames the message with its two-octet length (RFC 1035 §4.2.2) and refuses a response that is
 * itself truncated.
 *
 * <pre>{@code
 * try (NetworkTransport t = new NetworkTransport()) {
 *     Message m = t.exchange(server, query, false, Duration.ofMillis(400));
 * }
 * }</pre>
 *
 * <p>Thread-safe; {@link #close()} ends the exchanges in flight.
 */
public final class NetworkTransport implements Transport {

    /** The largest UDP payload; the buffer is that big so that no datagram is cut short. */
    private static final int MAX_UDP = 65_535;

    private final Set<Closeable> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean closed;

    @Override
    public Message exchange(InetSocketAddress server, Message query, boolean tcp, Duration timeout)
            throws IOException {
        if (closed) {
            throw new IOException("transport closed");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] wire = query.toWire();
        return tcp ? tcp(server, query, wire, deadline) : udp(server, query, wire, deadline);
    }

    /** Datagrams that were not the response asked for (wrong ID, question, source; unparseable). */
    public long droppedResponses() {
        return dropped.get();
    }

    private Message udp(InetSocketAddress server, Message query, byte[] wire, long deadline)
            throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(0))) {
            open.add(socket);
            try {
                socket.connect(server);
                socket.send(new DatagramPacket(wire, wire.length));
                byte[] buffer = new byte[MAX_UDP];
                while (true) {
                    int wait = remaining(deadline);
                    if (wait <= 0) {
                        throw new SocketTimeoutException("no response from " + server);
                    }
                    socket.setSoTimeout(wait);
                    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    socket.receive(packet);
                    if (server.equals(packet.getSocketAddress())) {
                        Message m = ReplyCheck.parse(query, buffer, packet.getLength());
                        if (m != null) {
                            return m;
                        }
                    }
                    dropped.incrementAndGet();
                }
            } finally {
                open.remove(socket);
            }
        }
    }

    private Message tcp(InetSocketAddress server, Message query, byte[] wire, long deadline)
            throws IOException {
        try (Socket socket = new Socket()) {
            open.add(socket);
            try {
                socket.connect(server, Math.max(1, remaining(deadline)));
                socket.setTcpNoDelay(true);
                byte[] framed = new byte[2 + wire.length];
                framed[0] = (byte) (wire.length >>> 8);
                framed[1] = (byte) wire.length;
                System.arraycopy(wire, 0, framed, 2, wire.length);
                OutputStream out = socket.getOutputStream();
                out.write(framed);
                out.flush();
                InputStream in = socket.getInputStream();
                byte[] prefix = read(socket, in, 2, deadline);
                int length = ((prefix[0] & 0xff) << 8) | (prefix[1] & 0xff);
                byte[] message = read(socket, in, length, deadline);
                Message m = ReplyCheck.parse(query, message, message.length);
                if (m == null) {
                    dropped.incrementAndGet();
                    throw new IOException(
                            "the TCP response from "
                                    + server
                                    + " is not the response to the query");
                }
                if (m.getHeader().getFlag(Flags.TC)) {
                    throw new IOException(
                            "the TCP response from " + server + " is truncated (TC=1)");
                }
                return m;
            } finally {
                open.remove(socket);
            }
        }
    }

    private static byte[] read(Socket socket, InputStream in, int n, long deadline)
            throws IOException {
        byte[] buf = new byte[n];
        int off = 0;
        while (off < n) {
            int wait = remaining(deadline);
            if (wait <= 0) {
                throw new SocketTimeoutException("TCP response incomplete");
            }
            socket.setSoTimeout(wait);
            int r = in.read(buf, off, n - off);
            if (r < 0) {
                throw new EOFException(
                        "the server closed the TCP connection after "
                                + off
                                + " of "
                                + n
                                + " octets");
            }
            off += r;
        }
        return buf;
    }

    private static int remaining(long deadline) {
        long ms = (deadline - System.nanoTime()) / 1_000_000;
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, ms));
    }

    @Override
    public void close() {
        closed = true;
        for (Closeable c : open) {
            try {
                c.close();
            } catch (IOException e) {
                // closing to end a blocked read; nothing more to do
            }
        }
    }
}
