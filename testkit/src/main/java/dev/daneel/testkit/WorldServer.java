package dev.daneel.testkit;

import dev.daneel.testkit.internal.Responder;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * A running DNS endpoint for a {@link World}, on a loopback address and a free port, over UDP and
 * TCP (same port). It answers as a recursive resolver holding every zone of the world would, sets
 * TC when a UDP answer exceeds the client's EDNS payload size (512 without EDNS) so that TCP
 * fallback is exercised, records every query in its {@link QueryLog}, and applies injected {@link
 * Fault}s.
 *
 * <pre>{@code
 * try (World world = World.builder().zone("example.test.", z -> z.record("www A 192.0.2.1")).start()) {
 *     WorldServer server = world.server();
 *     SimpleResolver r = new SimpleResolver(server.address());
 *     server.inject(Fault.drop().times(1));
 * }
 * }</pre>
 *
 * <p>Thread-safe. Each world may run several servers over the same data (for failover tests); each
 * has its own log and faults. Closing is idempotent.
 */
public final class WorldServer implements AutoCloseable {

    /** Idle TCP connections are closed after this long, as RFC 7766 §6.2.3 lets servers do. */
    private static final int TCP_IDLE_MILLIS = 10_000;

    private static final int MAX_UDP_RESPONSE = 65_535;

    /**
     * Pause between attempts to bind a fixed port that is still held (50 attempts: 2.5 s at most).
     */
    private static final int FIXED_PORT_RETRY_MILLIS = 50;

    private final Responder responder;
    private final Clock clock;
    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final DatagramSocket spoofer;

    /** Kept apart from the sockets, which forget their port once closed. */
    private final InetSocketAddress address;

    private final ExecutorService workers;
    private final ScheduledExecutorService timer;
    private final QueryLog log = new QueryLog();
    private final List<ActiveFault> faults = new CopyOnWriteArrayList<>();

    /**
     * Accepted TCP connections, closed with the server: their handlers block in reads no interrupt
     * ends.
     */
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();

    private final Random random = new Random();
    private volatile boolean closed;

    private record ActiveFault(Fault fault, AtomicInteger remaining) {}

    WorldServer(Responder responder, Clock clock, InetAddress bind, int port) throws IOException {
        this.responder = responder;
        this.clock = clock;
        DatagramSocket u = null;
        ServerSocket t = null;
        // A free port for both UDP and TCP: with port 0 try other ports; with a fixed port (a world
        // restarted
        // behind its predecessor's address) retry briefly, since the kernel may still hold it for a
        // moment.
        for (int attempt = 0; attempt < 50 && t == null; attempt++) {
            u = new DatagramSocket(null);
            u.setReuseAddress(port != 0);
            try {
                u.bind(new InetSocketAddress(bind, port));
                t = new ServerSocket(u.getLocalPort(), 64, bind);
            } catch (BindException e) {
                u.close();
                if (port != 0) {
                    pause(FIXED_PORT_RETRY_MILLIS);
                }
            }
        }
        if (t == null) {
            throw new BindException(
                    "no port free for both UDP and TCP on " + bind.getHostAddress());
        }
        this.udp = u;
        this.tcp = t;
        this.spoofer = new DatagramSocket(new InetSocketAddress(bind, 0));
        this.address = new InetSocketAddress(bind, u.getLocalPort());
        this.workers = Executors.newCachedThreadPool(daemon("testkit-dns-" + udp.getLocalPort()));
        this.timer =
                Executors.newSingleThreadScheduledExecutor(
                        daemon("testkit-dns-delay-" + udp.getLocalPort()));
        workers.execute(this::udpLoop);
        workers.execute(this::tcpLoop);
    }

    /** The address and port clients should query (UDP and TCP); the same after closing. */
    public InetSocketAddress address() {
        return address;
    }

    /** The port, for {@code HOST:PORT} strings. */
    public int port() {
        return address.getPort();
    }

    /** Every query received so far. */
    public QueryLog log() {
        return log;
    }

    /** Adds a fault; it applies to matching queries from now on. */
    public WorldServer inject(Fault fault) {
        faults.add(new ActiveFault(fault, new AtomicInteger(fault.times())));
        return this;
    }

    /** Removes every injected fault. */
    public WorldServer clearFaults() {
        faults.clear();
        return this;
    }

    /**
     * Stops answering: closes both listening sockets and every open TCP connection, and drops
     * delayed answers not yet sent. {@link #address()} still names the address it served on.
     */
    @Override
    public void close() {
        closed = true;
        udp.close();
        spoofer.close();
        try {
            tcp.close();
        } catch (IOException ignored) {
            // closing a listening socket has nothing to report
        }
        connections.forEach(WorldServer::closeQuietly);
        workers.shutdownNow();
        timer.shutdownNow();
    }

    private void udpLoop() {
        byte[] buf = new byte[MAX_UDP_RESPONSE];
        while (!closed) {
            DatagramPacket packet = new DatagramPacket(buf, buf.length);
            try {
                udp.receive(packet);
            } catch (IOException e) {
                return; // socket closed
            }
            byte[] query = Arrays.copyOf(packet.getData(), packet.getLength());
            InetSocketAddress client = (InetSocketAddress) packet.getSocketAddress();
            try {
                workers.execute(() -> handleUdp(query, client));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                return; // closing
            }
        }
    }

    private void handleUdp(byte[] wire, InetSocketAddress client) {
        Exchange x = exchange(wire, Transport.UDP, client);
        if (x == null) {
            return;
        }
        Runnable send =
                () -> {
                    try {
                        DatagramSocket from = x.fault == Fault.Kind.WRONG_SOURCE ? spoofer : udp;
                        from.send(new DatagramPacket(x.response, x.response.length, client));
                    } catch (IOException e) {
                        // the client went away or the server is closing; nothing to tell anyone
                    }
                };
        if (x.delayMillis > 0) {
            timer.schedule(send, x.delayMillis, TimeUnit.MILLISECONDS);
        } else {
            send.run();
        }
    }

    private void tcpLoop() {
        while (!closed) {
            Socket s;
            try {
                s = tcp.accept();
            } catch (IOException e) {
                return;
            }
            connections.add(s);
            if (closed) { // close() may have run between accept and add
                closeQuietly(s);
                return;
            }
            try {
                workers.execute(() -> handleTcp(s));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                closeQuietly(s);
                return;
            }
        }
    }

    private void handleTcp(Socket s) {
        try (s) {
            s.setSoTimeout(TCP_IDLE_MILLIS);
            DataInputStream in = new DataInputStream(s.getInputStream());
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            InetSocketAddress client = (InetSocketAddress) s.getRemoteSocketAddress();
            while (!closed) {
                int length;
                try {
                    length = in.readUnsignedShort();
                } catch (EOFException e) {
                    return;
                }
                byte[] wire = new byte[length];
                in.readFully(wire);
                Exchange x = exchange(wire, Transport.TCP, client);
                if (x == null) {
                    return; // dropped: close the connection so the client does not wait for the
                    // idle timeout
                }
                if (x.delayMillis > 0) {
                    Thread.sleep(x.delayMillis);
                }
                out.writeShort(x.response.length);
                out.write(x.response);
                out.flush();
            }
        } catch (IOException e) {
            // connection reset or idle timeout
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            connections.remove(s);
        }
    }

    /** What to send back for one query, or null to send nothing. */
    private record Exchange(byte[] response, long delayMillis, Fault.Kind fault) {}

    private Exchange exchange(byte[] wire, Transport transport, InetSocketAddress client) {
        Message query;
        try {
            query = new Message(wire);
        } catch (IOException e) {
            log.add(
                    new LoggedQuery(
                            clock.instant(),
                            transport,
                            client,
                            wire.length >= 2 ? ((wire[0] & 0xff) << 8) | (wire[1] & 0xff) : -1,
                            null,
                            -1,
                            false,
                            false,
                            0,
                            null));
            return formerr(wire);
        }
        Record question = query.getQuestion();
        Name qname = question == null ? null : question.getName();
        int qtype = question == null ? -1 : question.getType();
        OPTRecord opt = query.getOPT();
        if (query.getHeader().getFlag(Flags.QR)) {
            // A response sent to us: answering it could start a loop between two servers.
            log.add(
                    new LoggedQuery(
                            clock.instant(),
                            transport,
                            client,
                            query.getHeader().getID(),
                            qname,
                            qtype,
                            false,
                            false,
                            0,
                            null));
            return null;
        }
        Fault fault = question == null ? null : takeFault(qname, qtype, transport);
        Fault.Kind kind = fault == null ? null : fault.kind();
        log.add(
                new LoggedQuery(
                        clock.instant(),
                        transport,
                        client,
                        query.getHeader().getID(),
                        qname,
                        qtype,
                        opt != null && (opt.getFlags() & ExtendedFlags.DO) != 0,
                        query.getHeader().getFlag(Flags.CD),
                        opt == null ? 0 : opt.getPayloadSize(),
                        kind));
        if (kind == Fault.Kind.DROP
                || (kind == Fault.Kind.WRONG_SOURCE && transport == Transport.TCP)) {
            return null;
        }
        if (kind == Fault.Kind.GARBAGE) {
            byte[] junk = new byte[12 + random.nextInt(100)];
            random.nextBytes(junk);
            return new Exchange(junk, 0, kind);
        }
        Message response;
        try {
            response = responder.answer(query);
        } catch (RuntimeException e) {
            // A zone that cannot be built (signed on first use) must not kill the handler silently:
            // the client gets SERVFAIL and the test output the reason.
            System.err.println(
                    "testkit: cannot answer "
                            + qname
                            + "/"
                            + org.xbill.DNS.Type.string(qtype)
                            + ": "
                            + e);
            e.printStackTrace();
            response = new Message(query.getHeader().getID());
            response.getHeader().setFlag(Flags.QR);
            response.getHeader().setRcode(Rcode.SERVFAIL);
            if (question != null) {
                response.addRecord(question, Section.QUESTION);
            }
        }
        if (kind == Fault.Kind.SERVFAIL || kind == Fault.Kind.REFUSED) {
            response =
                    emptyCopy(
                            response,
                            kind == Fault.Kind.SERVFAIL ? Rcode.SERVFAIL : Rcode.REFUSED,
                            false);
        } else if (kind == Fault.Kind.WRONG_ID) {
            response.getHeader().setID((query.getHeader().getID() + 1) & 0xffff);
        } else if (kind == Fault.Kind.AD_BIT) {
            response.getHeader().setFlag(Flags.AD);
        } else if (kind == Fault.Kind.WRONG_QUESTION) {
            response = withQuestion(response, question, qname);
        } else if (kind == Fault.Kind.REWRITE && fault.edit() != null) {
            response = fault.edit().apply(response);
        }
        byte[] out = response.toWire();
        if (transport == Transport.UDP) {
            int limit = opt == null ? 512 : Math.max(512, opt.getPayloadSize());
            if (out.length > limit || kind == Fault.Kind.FORCE_TRUNCATION) {
                out = emptyCopy(response, response.getRcode(), true).toWire();
            }
        }
        if (kind == Fault.Kind.TRUNCATED_PACKET) {
            out = Arrays.copyOf(out, Math.max(1, out.length / 2));
        } else if (kind == Fault.Kind.REWRITE && fault.mangler() != null) {
            out = fault.mangler().apply(out);
            if (out == null) {
                return null;
            }
        }
        return new Exchange(
                out, kind == Fault.Kind.DELAY ? fault.delayDuration().toMillis() : 0, kind);
    }

    private Fault takeFault(Name qname, int qtype, Transport transport) {
        for (ActiveFault f : faults) {
            if (f.fault().matches(qname, qtype, transport)) {
                if (f.remaining().get() < 0) {
                    return f.fault();
                }
                if (f.remaining().getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                    return f.fault();
                }
            }
        }
        return null;
    }

    /** The same header, question and OPT, no records; with TC when {@code truncated}. */
    private static Message emptyCopy(Message full, int rcode, boolean truncated) {
        Header src = full.getHeader();
        Message m = new Message(src.getID());
        Header h = m.getHeader();
        for (int flag : new int[] {Flags.QR, Flags.AA, Flags.RD, Flags.RA, Flags.AD, Flags.CD}) {
            if (src.getFlag(flag)) {
                h.setFlag(flag);
            }
        }
        h.setOpcode(src.getOpcode());
        h.setRcode(rcode);
        if (truncated) {
            h.setFlag(Flags.TC);
        }
        Record q = full.getQuestion();
        if (q != null) {
            m.addRecord(q, Section.QUESTION);
        }
        OPTRecord opt = full.getOPT();
        if (opt != null) {
            m.addRecord(opt, Section.ADDITIONAL);
        }
        return m;
    }

    private static Message withQuestion(Message response, Record question, Name qname) {
        Name other;
        try {
            other = Name.concatenate(Name.fromConstantString("spoofed"), qname);
        } catch (org.xbill.DNS.NameTooLongException e) {
            other = Name.root;
        }
        Message m = response.clone();
        m.removeAllRecords(Section.QUESTION);
        m.addRecord(
                Record.newRecord(other, question.getType(), question.getDClass()),
                Section.QUESTION);
        return m;
    }

    private static Exchange formerr(byte[] wire) {
        if (wire.length < Header.LENGTH) {
            return null;
        }
        byte[] out = Arrays.copyOf(wire, Header.LENGTH);
        out[2] = (byte) ((out[2] | 0x80) & 0xf9); // QR=1, keep opcode and RD, clear AA/TC
        out[3] = (byte) Rcode.FORMERR;
        Arrays.fill(out, 4, Header.LENGTH, (byte) 0); // no records in any section
        return new Exchange(out, 0, null);
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static void pause(int millis) throws java.io.InterruptedIOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for a port");
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
