package dev.daneel.validator.internal.transport;

import dev.daneel.validator.internal.transport.ResponseMatcher.Verdict;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Sends one question to the configured recursive resolvers and returns the first acceptable
 * response: the validator's only way onto the network, and so the place where off-path spoofing is
 * kept out.
 *
 * <pre>{@code
 * ExecutorService io = Executors.newCachedThreadPool();
 * try (UpstreamClient client = new UpstreamClient(
 *         List.of(new InetSocketAddress("192.0.2.53", 53), new InetSocketAddress("198.51.100.53", 53)),
 *         Duration.ofSeconds(2), io, false)) {
 *     Message dnskeys = client.query(Name.fromString("example.com."), Type.DNSKEY).join();
 * }
 * // when nothing usable comes back, join() throws a CompletionException caused by
 * // UpstreamException: no upstream answered example.com./DNSKEY:
 * //     192.0.2.53:53: timeout after 2000 ms; 198.51.100.53:53: REFUSED
 * }</pre>
 *
 * <p>Every query asks for recursion (RD=1), disables the upstream's own validation (CD=1, so that
 * bogus data reaches us and gets a reason instead of an opaque SERVFAIL) and carries EDNS0 version
 * 0 with DO=1 and a {@value #EDNS_PAYLOAD}-byte payload. Each attempt uses a fresh message ID from
 * a {@link SecureRandom} and, over UDP, a fresh socket on a port the operating system picks,
 * connected to the upstream (RFC 5452 §9.2). A received packet is accepted only if it comes from
 * the upstream, parses, is a response and carries the query's ID and exactly its question (RFC 5452
 * §9.1); any other packet is counted in {@link #droppedResponses()} and ignored, and the attempt
 * keeps waiting for the genuine answer until its timeout, so a spoofer cannot make a query fail
 * just by answering first. A UDP answer with TC=1 is asked again over TCP (RFC 1035 §4.2.2, RFC
 * 7766), and so is a UDP attempt that timed out (a path that loses the fragments of large answers).
 *
 * <p>Built with the trust anchors' zones, the client first probes each upstream ({@link
 * #capabilities}, {@link CapabilityProbe}): one found to strip DNSSEC is never asked, one that did
 * not answer the probe is passed over until it is probed again, and one that carries DNSSEC over
 * TCP only is asked over TCP. When only stripping upstreams were left the query fails with a {@link
 * NoDnssecUpstreamException}.
 *
 * <p>Upstreams are tried in order, once each — except that one which gave nothing at all (a timeout
 * or an I/O error) goes to the back of the order for {@link #DOWN_HOLD} or until it answers again,
 * so a dead first upstream costs one timeout, not one per query of every cold chain. On a timeout,
 * an I/O error, an unusable TCP answer, or rcode REFUSED, NOTIMP, FORMERR or BADVERS the next one
 * is asked. SERVFAIL moves on as well, but when every upstream answered SERVFAIL that answer is
 * returned, since it is a real answer. If nothing usable came back the future fails with an {@link
 * UpstreamException} naming each upstream and what it did. Nothing is ever sent anywhere but the
 * configured upstreams.
 *
 * <p>Thread-safe; no lock is held while waiting on the network. The blocking I/O runs on the
 * executor given, one task per query. {@link #close()} aborts queries in flight and makes later
 * ones fail at once.
 */
public final class UpstreamClient implements AutoCloseable, dev.daneel.validator.internal.Fetcher {

    /**
     * The EDNS UDP payload size we advertise: 1232 bytes, the DNS Flag Day 2020 value, fits a
     * 1280-byte IPv6 minimum MTU so that answers are not IP-fragmented (fragments are a known
     * spoofing vector).
     */
    static final int EDNS_PAYLOAD = 1232;

    /**
     * The largest UDP payload possible; the receive buffer is this big so no datagram is cut short.
     */
    static final int MAX_UDP_RESPONSE = 65_535;

    /** The shortest per-attempt timeout accepted: below it no round trip can succeed. */
    static final Duration MIN_TIMEOUT = Duration.ofMillis(1);

    /**
     * The longest per-attempt timeout accepted: a stub waiting longer only hides a dead upstream.
     */
    static final Duration MAX_TIMEOUT = Duration.ofSeconds(60);

    private static final String MIN_TIMEOUT_TEXT = "1 ms";
    private static final String MAX_TIMEOUT_TEXT = "60 s";

    /**
     * How long an upstream that gave no response is asked last. Short, because a stub has few
     * upstreams and the one that timed out may have lost a single packet; Unbound's infrastructure
     * cache keeps such marks far longer (15 minutes, probing meanwhile).
     */
    static final Duration DOWN_HOLD = Duration.ofSeconds(30);

    /**
     * How long a probe's finding is kept. A capable upstream is believed for 10 minutes (re-probed
     * sooner after it fails to answer); one found stripping DNSSEC for 1 minute, since a laptop
     * moves from the café to the office behind the same DHCP-given address; an unreachable or
     * erring one for {@link #DOWN_HOLD}.
     */
    static final Duration CAPABLE_TTL = Duration.ofMinutes(10);

    static final Duration INCAPABLE_TTL = Duration.ofMinutes(1);

    /** A remembered probe result and the System.nanoTime() at which it expires. */
    private record Probed(CompletableFuture<Capabilities> result, long expires) {}

    /**
     * The anchor zones whose DNSKEY the capability probe asks for; empty: no probing (every
     * upstream is used).
     */
    private final List<Name> probeZones;

    private final ConcurrentHashMap<InetSocketAddress, Probed> probed = new ConcurrentHashMap<>();

    /**
     * Which upstream gave each response handed out, so that a response failing validation names its
     * path.
     */
    private final java.util.Map<Message, InetSocketAddress> origin =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    private final List<InetSocketAddress> upstreams;

    /** System.nanoTime() until which an upstream that gave no response is asked last. */
    private final ConcurrentHashMap<InetSocketAddress, Long> downUntil = new ConcurrentHashMap<>();

    private final Duration timeout;
    private final Executor executor;
    private final boolean tcpOnly;

    /**
     * Shared by every query; SecureRandom is thread-safe. IDs must not be guessable (RFC 5452
     * §4.3).
     */
    private final SecureRandom random = new SecureRandom();

    private final AtomicLong dropped = new AtomicLong();

    /** The sockets of attempts in flight, so that close() can end their blocking reads. */
    private final Set<Closeable> open = ConcurrentHashMap.newKeySet();

    private volatile boolean closed;

    /**
     * @param upstreams recursive resolvers, tried in this order, each at most once per query;
     *     resolved addresses only (resolving a name here would need the DNS we are implementing)
     * @param timeout how long one attempt may take (1 ms .. 60 s); a TCP repeat after a truncated
     *     UDP answer gets its own timeout
     * @param executor runs the blocking I/O, one task per query
     * @param tcpOnly skip UDP and ask over TCP straight away
     * @throws IllegalArgumentException when a parameter is out of range, naming it and the range
     */
    public UpstreamClient(
            List<InetSocketAddress> upstreams,
            Duration timeout,
            Executor executor,
            boolean tcpOnly) {
        this(upstreams, timeout, executor, tcpOnly, List.of());
    }

    /**
     * A client that probes each upstream's capabilities before using it ({@link #capabilities}): an
     * upstream found to strip DNSSEC is never asked, and when no other is left the query fails with
     * a {@link NoDnssecUpstreamException}.
     *
     * @param probeZones the trust anchors' zones; the probe asks for the first one's DNSKEY RRset
     *     (the root with the built-in anchors). Empty: no probing.
     */
    public UpstreamClient(
            List<InetSocketAddress> upstreams,
            Duration timeout,
            Executor executor,
            boolean tcpOnly,
            List<Name> probeZones) {
        Objects.requireNonNull(upstreams, "upstreams");
        this.probeZones = List.copyOf(probeZones);
        if (upstreams.isEmpty()) {
            throw new IllegalArgumentException("upstreams must name at least one resolver");
        }
        for (InetSocketAddress a : upstreams) {
            Objects.requireNonNull(a, "upstreams must not contain null");
            if (a.isUnresolved() || a.getPort() == 0) {
                throw new IllegalArgumentException(
                        "upstream " + a + " must be an IP address and a port 1..65535");
            }
        }
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.compareTo(MIN_TIMEOUT) < 0 || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException(
                    "timeout must be "
                            + MIN_TIMEOUT_TEXT
                            + " .. "
                            + MAX_TIMEOUT_TEXT
                            + ", got "
                            + timeout);
        }
        this.upstreams = List.copyOf(upstreams);
        this.timeout = timeout;
        this.executor = Objects.requireNonNull(executor, "executor");
        this.tcpOnly = tcpOnly;
    }

    /**
     * The resolvers the operating system is configured with ({@code resolv.conf}, the Windows
     * registry, ...), as dnsjava reads them: the default upstreams.
     */
    public static List<InetSocketAddress> systemUpstreams() {
        return List.copyOf(ResolverConfig.getCurrentConfig().servers());
    }

    /**
     * Sends {@code name}/{@code type}/IN with RD=1, CD=1 and EDNS0 (version 0, payload {@value
     * #EDNS_PAYLOAD}, DO=1).
     *
     * @param name an absolute name
     * @param type a {@link Type} constant
     * @return completes with the first acceptable response (possibly NXDOMAIN, or SERVFAIL when
     *     every upstream said so), or exceptionally with an {@link UpstreamException} listing what
     *     each upstream did
     */
    @Override
    public CompletableFuture<Message> query(Name name, int type) {
        Objects.requireNonNull(name, "name");
        if (!name.isAbsolute()) {
            throw new IllegalArgumentException(
                    "name must be absolute (end with a dot), got " + name);
        }
        Type.check(type);
        String question = name + "/" + Type.string(type);
        if (closed) {
            return CompletableFuture.failedFuture(
                    new UpstreamException("client closed; not sending " + question, List.of()));
        }
        CompletableFuture<Message> result = new CompletableFuture<>();
        try {
            executor.execute(() -> run(name, type, question, result));
        } catch (RejectedExecutionException e) {
            UpstreamException failure =
                    new UpstreamException("executor refused the query " + question, List.of());
            failure.initCause(e);
            result.completeExceptionally(failure);
        }
        return result;
    }

    /**
     * What {@code upstream} carries, probed now unless a finding is remembered (see {@link
     * #CAPABLE_TTL}). Blocks for the probe's queries (at most four timeouts); concurrent callers
     * share one probe.
     *
     * @throws IllegalStateException when this client was built without probe zones
     */
    public Capabilities capabilities(InetSocketAddress upstream) {
        if (probeZones.isEmpty()) {
            throw new IllegalStateException(
                    "this client was built without anchor zones to probe with");
        }
        long now = System.nanoTime();
        Probed[] mine = new Probed[1];
        // An entry being probed never expires (Long.MAX_VALUE), so concurrent callers wait for it.
        Probed p =
                probed.compute(
                        upstream,
                        (u, old) -> {
                            if (old != null && old.expires() - now > 0) {
                                return old;
                            }
                            mine[0] = new Probed(new CompletableFuture<>(), Long.MAX_VALUE);
                            return mine[0];
                        });
        if (p == mine[0]) {
            Capabilities c;
            try {
                c = new CapabilityProbe(this).probe(upstream, probeZones.get(0));
            } catch (RuntimeException e) {
                c =
                        new Capabilities(
                                upstream,
                                Capabilities.Carries.UNKNOWN,
                                false,
                                false,
                                -1,
                                false,
                                0,
                                List.of("probe failed: " + e));
            }
            Duration ttl =
                    switch (c.carries()) {
                        case DNSSEC -> CAPABLE_TTL;
                        case NO_DNSSEC -> INCAPABLE_TTL;
                        default -> DOWN_HOLD;
                    };
            probed.replace(upstream, p, new Probed(p.result(), System.nanoTime() + ttl.toNanos()));
            p.result().complete(c);
        }
        return p.result().join();
    }

    /** Whether {@code response} is one this client handed out (and so came from an upstream). */
    boolean gave(Message response) {
        return origin.containsKey(response);
    }

    /** The configured upstreams, in order. */
    public List<InetSocketAddress> upstreams() {
        return upstreams;
    }

    /**
     * The responses named failed validation: the upstreams that gave them are asked last for {@link
     * #DOWN_HOLD}, and true is returned when another upstream remains to be asked first.
     */
    @Override
    public boolean retryElsewhere(java.util.Collection<Message> responses) {
        Set<InetSocketAddress> gave = new java.util.HashSet<>();
        for (Message m : responses) {
            InetSocketAddress u = origin.get(m);
            if (u != null) {
                gave.add(u);
            }
        }
        if (gave.isEmpty()) {
            return false;
        }
        long until = System.nanoTime() + DOWN_HOLD.toNanos();
        for (InetSocketAddress u : gave) {
            downUntil.put(u, until);
        }
        return upstreams.stream()
                .anyMatch(u -> !gave.contains(u) && !known(u, Capabilities.Carries.NO_DNSSEC));
    }

    /** Whether a remembered, unexpired probe of {@code u} concluded {@code carries}. */
    private boolean known(InetSocketAddress u, Capabilities.Carries carries) {
        Probed p = probed.get(u);
        return p != null
                && p.result().isDone()
                && p.expires() - System.nanoTime() > 0
                && p.result().join().carries() == carries;
    }

    /**
     * How many received packets were dropped as not matching (wrong ID, question, source, not a
     * response, unparseable).
     */
    public long droppedResponses() {
        return dropped.get();
    }

    /**
     * Ends queries in flight (they fail with {@link UpstreamException}) and makes later ones fail
     * at once. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        for (Closeable c : open) {
            closeQuietly(c);
        }
    }

    /** One query's walk through the upstreams; runs on the executor. */
    private void run(Name name, int type, String question, CompletableFuture<Message> result) {
        try {
            List<UpstreamException.Attempt> attempts = new ArrayList<>();
            Message lastServfail = null;
            boolean allServfail = true;
            int incapable = 0;
            for (InetSocketAddress upstream : order()) {
                if (result.isDone()) {
                    return; // cancelled by the caller: asking further upstreams would be wasted
                    // traffic
                }
                if (closed) {
                    result.completeExceptionally(
                            new UpstreamException(
                                    "client closed while asking " + question, attempts));
                    return;
                }
                Capabilities caps = probeZones.isEmpty() ? null : capabilities(upstream);
                if (caps != null && caps.incapable()) {
                    // Its answers would turn every signed name Bogus: a broken path is not an
                    // attack.
                    attempts.add(
                            new UpstreamException.Attempt(
                                    upstream,
                                    caps.describe().substring(format(upstream).length() + 2)));
                    incapable++;
                    allServfail = false;
                    continue;
                }
                if (caps != null && caps.carries() == Capabilities.Carries.UNREACHABLE) {
                    // The probe just waited out its UDP and TCP timeouts: asking again now would
                    // only double the
                    // wait of a dead path (the probe is repeated after DOWN_HOLD).
                    attempts.add(
                            new UpstreamException.Attempt(
                                    upstream,
                                    caps.describe().substring(format(upstream).length() + 2)));
                    allServfail = false;
                    continue;
                }
                boolean udpDead = caps != null && !caps.udp() && caps.tcp();
                Outcome outcome = attempt(upstream, name, type, udpDead);
                if (outcome.response() != null) {
                    downUntil.remove(upstream); // it is alive, whatever it answered
                } else if (!closed) {
                    downUntil.put(upstream, System.nanoTime() + DOWN_HOLD.toNanos());
                    probed.remove(upstream); // re-probed after a failure: the path may have changed
                }
                if (outcome.problem() == null) {
                    origin.put(outcome.response(), upstream);
                    result.complete(outcome.response());
                    return;
                }
                if (outcome.response() != null && outcome.response().getRcode() == Rcode.SERVFAIL) {
                    lastServfail = outcome.response();
                } else {
                    allServfail = false;
                }
                attempts.add(new UpstreamException.Attempt(upstream, outcome.problem()));
            }
            if (closed) {
                result.completeExceptionally(
                        new UpstreamException("client closed while asking " + question, attempts));
            } else if (allServfail && lastServfail != null) {
                result.complete(lastServfail);
            } else if (incapable > 0 && incapable == attempts.size()) {
                result.completeExceptionally(
                        new NoDnssecUpstreamException(
                                "no upstream carries DNSSEC for " + question, attempts));
            } else {
                result.completeExceptionally(
                        new UpstreamException("no upstream answered " + question, attempts));
            }
        } catch (RuntimeException | Error e) {
            // The future must complete whatever happens, or the caller waits forever.
            result.completeExceptionally(e);
            if (e instanceof Error) {
                throw e;
            }
        }
    }

    /**
     * The configured order, with the upstreams marked down (still within their hold) moved to the
     * back.
     */
    private List<InetSocketAddress> order() {
        if (downUntil.isEmpty()) {
            return upstreams;
        }
        long now = System.nanoTime();
        List<InetSocketAddress> up = new ArrayList<>(upstreams.size());
        List<InetSocketAddress> down = new ArrayList<>();
        for (InetSocketAddress u : upstreams) {
            Long until = downUntil.get(u);
            (until != null && until - now > 0 ? down : up).add(u);
        }
        up.addAll(down);
        return up;
    }

    /**
     * What one upstream did.
     *
     * @param response the accepted response, or a SERVFAIL/REFUSED/... response that was not used,
     *     or null
     * @param problem null when {@code response} is the answer, else why this upstream was passed
     *     over
     */
    private record Outcome(Message response, String problem) {}

    /**
     * Thrown inside an attempt when the upstream gave nothing usable; the message says what
     * happened.
     */
    static final class AttemptFailed extends Exception {
        private static final long serialVersionUID = 1L;
        final boolean timeout;

        AttemptFailed(String reason) {
            this(reason, false);
        }

        AttemptFailed(String reason, boolean timeout) {
            super(reason, null, false, false);
            this.timeout = timeout;
        }
    }

    private Outcome attempt(InetSocketAddress upstream, Name name, int type, boolean udpDead) {
        Message query = newQuery(name, type);
        byte[] wire = query.toWire();
        Message response;
        String via = "";
        try {
            if (tcpOnly || udpDead) {
                via = udpDead ? "over TCP (no UDP answer to the probe): " : "";
                response = tcp(upstream, query, wire);
            } else {
                try {
                    response = udp(upstream, query, wire);
                } catch (AttemptFailed e) {
                    if (!e.timeout) {
                        throw e;
                    }
                    // A UDP timeout is often a path that loses fragments of large answers: TCP once
                    // more.
                    via = "UDP " + e.getMessage() + ", then over TCP: ";
                    response = tcp(upstream, query, wire);
                }
                if (response.getHeader().getFlag(Flags.TC)) {
                    // A truncated answer may lack the RRSIGs or records validation needs: ask again
                    // over TCP.
                    via = "truncated over UDP, then over TCP: ";
                    response = tcp(upstream, query, wire);
                }
            }
        } catch (AttemptFailed e) {
            return new Outcome(null, via + e.getMessage());
        } catch (IOException e) {
            return new Outcome(null, via + describe(e));
        }
        int rcode = response.getRcode();
        switch (rcode) {
            case Rcode.REFUSED, Rcode.NOTIMP, Rcode.FORMERR, Rcode.BADVERS, Rcode.SERVFAIL:
                // The upstream will not or cannot answer this; another may. SERVFAIL is kept by
                // run().
                return new Outcome(response, via + Rcode.string(rcode));
            default:
                return new Outcome(response, null);
        }
    }

    boolean tcpOnly() {
        return tcpOnly;
    }

    /** One UDP exchange with {@code upstream}, for the probe. */
    Message udpExchange(InetSocketAddress upstream, Message query)
            throws IOException, AttemptFailed {
        return udp(upstream, query, query.toWire());
    }

    /** One TCP exchange with {@code upstream}, for the probe. */
    Message tcpExchange(InetSocketAddress upstream, Message query)
            throws IOException, AttemptFailed {
        return tcp(upstream, query, query.toWire());
    }

    /** UDP (TCP when truncated or over a TCP-only client), for the probe. */
    Message exchange(InetSocketAddress upstream, Message query) throws IOException, AttemptFailed {
        Message m = tcpOnly ? tcpExchange(upstream, query) : udpExchange(upstream, query);
        return m.getHeader().getFlag(Flags.TC) ? tcpExchange(upstream, query) : m;
    }

    Message newQuery(Name name, int type) {
        // A fresh ID per attempt, so an ID seen by one upstream says nothing about the next
        // attempt.
        Message query = new Message(random.nextInt(0x10000));
        query.getHeader().setFlag(Flags.RD);
        query.getHeader().setFlag(Flags.CD);
        query.addRecord(Record.newRecord(name, type, DClass.IN), Section.QUESTION);
        query.addRecord(new OPTRecord(EDNS_PAYLOAD, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
        return query;
    }

    /**
     * One UDP exchange: the first matching datagram before the deadline; non-matching ones are
     * ignored.
     */
    private Message udp(InetSocketAddress upstream, Message query, byte[] wire)
            throws IOException, AttemptFailed {
        long deadline = System.nanoTime() + timeout.toNanos();
        // Bound to port 0: the OS picks the source port at random, which adds ~16 bits an off-path
        // attacker must guess besides the ID (RFC 5452 §9.2). Connected: the kernel discards
        // datagrams
        // from any other address or port before we see them.
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(0))) {
            track(socket);
            try {
                socket.connect(upstream);
                socket.send(new DatagramPacket(wire, wire.length));
                byte[] buffer = new byte[MAX_UDP_RESPONSE];
                int drops = 0;
                String lastDrop = null;
                while (true) {
                    int wait = remainingMillis(deadline);
                    if (wait <= 0) {
                        throw timedOut(drops, lastDrop);
                    }
                    socket.setSoTimeout(wait);
                    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    try {
                        socket.receive(packet);
                    } catch (SocketTimeoutException e) {
                        throw timedOut(drops, lastDrop);
                    }
                    // Checked again although the socket is connected: this must not depend on the
                    // platform.
                    String rejection =
                            upstream.equals(packet.getSocketAddress()) ? null : "wrong source";
                    if (rejection == null) {
                        Verdict v = ResponseMatcher.check(query, buffer, packet.getLength());
                        if (v.accepted()) {
                            return v.response();
                        }
                        rejection = v.rejection();
                    }
                    dropped.incrementAndGet();
                    drops++;
                    lastDrop = rejection;
                }
            } finally {
                open.remove(socket);
            }
        }
    }

    /**
     * One TCP exchange (RFC 1035 §4.2.2: a 2-byte length, then the message), connect and read
     * within the timeout.
     */
    private Message tcp(InetSocketAddress upstream, Message query, byte[] wire)
            throws IOException, AttemptFailed {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Socket socket = new Socket()) {
            track(socket);
            try {
                try {
                    socket.connect(upstream, Math.max(1, remainingMillis(deadline)));
                } catch (SocketTimeoutException e) {
                    throw timedOut(0, null);
                }
                socket.setTcpNoDelay(true);
                byte[] framed = new byte[2 + wire.length];
                framed[0] = (byte) (wire.length >>> 8);
                framed[1] = (byte) wire.length;
                System.arraycopy(wire, 0, framed, 2, wire.length);
                // One write, so that the length and the message leave in one segment.
                OutputStream out = socket.getOutputStream();
                out.write(framed);
                out.flush();
                InputStream in = socket.getInputStream();
                byte[] prefix = readFully(socket, in, 2, deadline);
                int length = ((prefix[0] & 0xff) << 8) | (prefix[1] & 0xff);
                byte[] message = readFully(socket, in, length, deadline);
                Verdict v = ResponseMatcher.check(query, message, message.length);
                if (!v.accepted()) {
                    dropped.incrementAndGet();
                    throw new AttemptFailed("unusable TCP answer: " + v.rejection());
                }
                if (v.response().getHeader().getFlag(Flags.TC)) {
                    // Over TCP there is nothing left to fall back to; a cut answer must not pass
                    // for a whole one.
                    throw new AttemptFailed("unusable TCP answer: TC=1");
                }
                return v.response();
            } finally {
                open.remove(socket);
            }
        }
    }

    private byte[] readFully(Socket socket, InputStream in, int length, long deadline)
            throws IOException, AttemptFailed {
        byte[] data = new byte[length];
        int read = 0;
        while (read < length) {
            int wait = remainingMillis(deadline);
            if (wait <= 0) {
                throw timedOut(0, null);
            }
            // Re-armed before every read: SO_TIMEOUT bounds one read, the deadline bounds the
            // exchange.
            socket.setSoTimeout(wait);
            int n;
            try {
                n = in.read(data, read, length - read);
            } catch (SocketTimeoutException e) {
                throw timedOut(0, null);
            }
            if (n < 0) {
                throw new AttemptFailed("TCP connection closed before the answer was complete");
            }
            read += n;
        }
        return data;
    }

    private AttemptFailed timedOut(int drops, String lastDrop) {
        String text = "timeout after " + timeout.toMillis() + " ms";
        if (drops > 0) {
            text +=
                    " (ignored "
                            + drops
                            + " non-matching packet"
                            + (drops == 1 ? "" : "s")
                            + ", last: "
                            + lastDrop
                            + ")";
        }
        return new AttemptFailed(text, true);
    }

    /**
     * Milliseconds left until {@code deadline} (System.nanoTime), rounded up; 0 or less when it has
     * passed.
     */
    private static int remainingMillis(long deadline) {
        // nanoTime, not a Clock: network timeouts must not jump with the wall clock or a test's
        // fixed clock.
        long nanos = deadline - System.nanoTime();
        if (nanos <= 0) {
            return 0;
        }
        return (int) Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(nanos + 999_999));
    }

    private void track(Closeable socket) throws IOException {
        open.add(socket);
        if (closed) { // close() may have run before add(): do not let this socket outlive it
            open.remove(socket);
            socket.close();
            throw new IOException("client closed");
        }
    }

    static String describe(IOException e) {
        if (e instanceof PortUnreachableException) {
            return "port unreachable";
        }
        if (e instanceof ConnectException) {
            return "TCP connect failed: " + e.getMessage();
        }
        String detail = e.getMessage();
        return "I/O error: " + (detail == null ? e.getClass().getSimpleName() : detail);
    }

    /**
     * {@code host:port} without the JDK's leading slash; an IPv6 host in brackets (RFC 3986) and in
     * its short form (RFC 5952), so that messages show the address the way the user wrote it.
     */
    static String format(InetSocketAddress a) {
        InetAddress ip = a.getAddress();
        if (ip instanceof Inet6Address v6) {
            return "[" + shortIpv6(v6) + "]:" + a.getPort();
        }
        return (ip == null ? a.getHostString() : ip.getHostAddress()) + ":" + a.getPort();
    }

    /**
     * RFC 5952 §4.2: the longest run of two or more zero groups (the first, on a tie) becomes "::".
     */
    private static String shortIpv6(Inet6Address ip) {
        byte[] b = ip.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = Math.max(i, j);
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        String host = out.toString();
        String scope = ip.getHostAddress();
        int percent = scope.indexOf('%');
        return percent < 0 ? host : host + scope.substring(percent);
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing to abort; there is nobody to tell
        }
    }
}
