package dev.daneel.validator.interop;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A broken network path between a stub and a real recursive resolver, on 127.0.0.1: it relays UDP
 * and TCP queries to the resolver and breaks them the way home routers, hotel Wi-Fi and container
 * DNS proxies do.
 *
 * <pre>{@code
 * try (PathProxy p = PathProxy.start(PathProxy.Breakage.STRIP_DNSSEC, unbound)) {
 *     resolver.upstream(p.address());
 * }
 * }</pre>
 *
 * <p>Thread-safe; one thread per exchange, daemon threads; {@link #close()} stops everything.
 */
final class PathProxy implements AutoCloseable {

    /** How the path breaks DNS. */
    enum Breakage {
        /**
         * Removes RRSIG, NSEC, NSEC3 and DS records from every answer (a DNSSEC-unaware middlebox).
         */
        STRIP_DNSSEC,
        /**
         * Clears DO in the query it forwards (a forwarder that rewrites EDNS): no signatures come
         * back.
         */
        CLEAR_DO,
        /**
         * Answers UDP; every TCP connection is reset at once (a firewall that blocks port 53/TCP).
         */
        DROP_TCP,
        /**
         * Answers over UDP above 512 octets are cut to the header with TC=1, EDNS ignored (pre-EDNS
         * box).
         */
        TRUNCATE_512,
        /** UDP answers above 1,232 octets are lost (a path that drops IP fragments); TCP works. */
        DROP_LARGE_UDP,
        /** Every answer waits 0–150 ms (a congested link). */
        RANDOM_DELAY,
        /** Every DNSKEY query gets SERVFAIL (a resolver whose path to a zone's servers fails). */
        SERVFAIL_DNSKEY
    }

    private final Breakage breakage;
    private final InetSocketAddress target;
    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final ExecutorService threads =
            Executors.newCachedThreadPool(
                    r -> {
                        Thread t = new Thread(r, "path-proxy");
                        t.setDaemon(true);
                        return t;
                    });
    private volatile boolean closed;

    private PathProxy(
            Breakage breakage, InetSocketAddress target, DatagramSocket udp, ServerSocket tcp) {
        this.breakage = breakage;
        this.target = target;
        this.udp = udp;
        this.tcp = tcp;
    }

    /** Listens on 127.0.0.1, UDP and TCP on one free port, relaying to {@code target}. */
    static PathProxy start(Breakage breakage, InetSocketAddress target) throws IOException {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        for (int attempt = 0; ; attempt++) {
            DatagramSocket u = new DatagramSocket(new InetSocketAddress(lo, 0));
            try {
                ServerSocket t = new ServerSocket(u.getLocalPort(), 50, lo);
                PathProxy p = new PathProxy(breakage, target, u, t);
                p.threads.execute(p::udpLoop);
                p.threads.execute(p::tcpLoop);
                return p;
            } catch (IOException e) {
                u.close();
                if (attempt > 20) {
                    throw e;
                }
            }
        }
    }

    InetSocketAddress address() {
        return new InetSocketAddress(udp.getLocalAddress(), udp.getLocalPort());
    }

    Breakage breakage() {
        return breakage;
    }

    private void udpLoop() {
        byte[] buf = new byte[65535];
        while (!closed) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                udp.receive(p);
            } catch (IOException e) {
                return;
            }
            byte[] query = java.util.Arrays.copyOf(p.getData(), p.getLength());
            InetSocketAddress client = (InetSocketAddress) p.getSocketAddress();
            threads.execute(
                    () -> {
                        try {
                            byte[] answer = relay(query, false);
                            if (answer != null) {
                                udp.send(new DatagramPacket(answer, answer.length, client));
                            }
                        } catch (IOException e) {
                            // a lost exchange, as on a real path
                        }
                    });
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
            threads.execute(
                    () -> {
                        try (Socket c = s) {
                            if (breakage == Breakage.DROP_TCP) {
                                c.setSoLinger(
                                        true, 0); // a reset, as a firewall rejecting the connection
                                return;
                            }
                            c.setSoTimeout(5000);
                            DataInputStream in = new DataInputStream(c.getInputStream());
                            byte[] query = new byte[in.readUnsignedShort()];
                            in.readFully(query);
                            byte[] answer = relay(query, true);
                            if (answer != null) {
                                DataOutputStream out = new DataOutputStream(c.getOutputStream());
                                out.writeShort(answer.length);
                                out.write(answer);
                                out.flush();
                            }
                        } catch (IOException e) {
                            // the client gave up or the resolver did not answer
                        }
                    });
        }
    }

    /**
     * Forwards one query to the resolver (over the same transport) and breaks the answer; null to
     * lose it.
     */
    private byte[] relay(byte[] queryWire, boolean overTcp) throws IOException {
        Message query = new Message(queryWire);
        if (breakage == Breakage.SERVFAIL_DNSKEY
                && query.getQuestion() != null
                && query.getQuestion().getType() == Type.DNSKEY) {
            Message fail = new Message(query.getHeader().getID());
            fail.getHeader().setFlag(Flags.QR);
            fail.getHeader().setFlag(Flags.RA);
            fail.getHeader().setRcode(Rcode.SERVFAIL);
            fail.addRecord(query.getQuestion(), Section.QUESTION);
            return fail.toWire();
        }
        if (breakage == Breakage.CLEAR_DO && query.getOPT() != null) {
            OPTRecord opt = query.getOPT();
            query.removeAllRecords(Section.ADDITIONAL);
            query.addRecord(new OPTRecord(opt.getPayloadSize(), 0, 0, 0), Section.ADDITIONAL);
            queryWire = query.toWire();
        }
        if (breakage == Breakage.TRUNCATE_512 && !overTcp) {
            query.removeAllRecords(
                    Section.ADDITIONAL); // the box drops EDNS: the resolver may use only 512 octets
            queryWire = query.toWire();
        }
        byte[] answer = overTcp ? tcpExchange(queryWire) : udpExchange(queryWire);
        if (answer == null) {
            return null;
        }
        switch (breakage) {
            case STRIP_DNSSEC -> {
                Message m = new Message(answer);
                for (int section :
                        new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
                    for (Record r : new ArrayList<>(m.getSection(section))) {
                        int t = r.getType();
                        if (t == Type.RRSIG || t == Type.NSEC || t == Type.NSEC3 || t == Type.DS) {
                            m.removeRecord(r, section);
                        }
                    }
                }
                return m.toWire();
            }
            case TRUNCATE_512 -> {
                if (!overTcp && answer.length > 512) {
                    Message m = new Message(answer);
                    Message cut = new Message(m.getHeader().getID());
                    cut.getHeader().setFlag(Flags.QR);
                    cut.getHeader().setFlag(Flags.TC);
                    cut.getHeader().setFlag(Flags.RA);
                    cut.addRecord(m.getQuestion(), Section.QUESTION);
                    return cut.toWire();
                }
                return answer;
            }
            case DROP_LARGE_UDP -> {
                return !overTcp && answer.length > 1232 ? null : answer;
            }
            case RANDOM_DELAY -> {
                try {
                    Thread.sleep(ThreadLocalRandom.current().nextInt(150));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return answer;
            }
            default -> {
                return answer;
            }
        }
    }

    private byte[] udpExchange(byte[] query) throws IOException {
        try (DatagramSocket s =
                new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))) {
            s.setSoTimeout(3000);
            s.send(new DatagramPacket(query, query.length, target));
            byte[] buf = new byte[65535];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                s.receive(p);
            } catch (java.net.SocketTimeoutException e) {
                return null;
            }
            return java.util.Arrays.copyOf(p.getData(), p.getLength());
        }
    }

    private byte[] tcpExchange(byte[] query) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(target, 3000);
            s.setSoTimeout(3000);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.writeShort(query.length);
            out.write(query);
            out.flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] answer = new byte[in.readUnsignedShort()];
            in.readFully(answer);
            return answer;
        } catch (java.net.SocketTimeoutException e) {
            return null;
        }
    }

    @Override
    public void close() {
        closed = true;
        udp.close();
        try {
            tcp.close();
        } catch (IOException ignored) {
            // closing
        }
        threads.shutdownNow();
    }

    @Override
    public String toString() {
        return "proxy " + breakage + " at 127.0.0.1:" + udp.getLocalPort() + " → " + target;
    }

    static List<Breakage> all() {
        return List.of(Breakage.values());
    }
}
