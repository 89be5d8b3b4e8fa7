package dev.daneel.validator.internal.iterator;

import dev.daneel.validator.internal.iterator.IteratorException.Reason;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * One lookup's queries to authoritative servers: how each is built (RD=0, a fresh random ID, EDNS0
 * with DO=1), UDP then TCP, the timeout from the server's measured RTT, and the lookup's budget of
 * queries and its deadline, checked before every send. Used by one thread; not thread-safe.
 */
final class Sender {

    private final IterativeResolver r;
    private final IteratorConfig config;
    private final long deadline;
    private int queries;

    /**
     * @param deadline the lookup's end, in {@link System#nanoTime()} terms
     */
    Sender(IterativeResolver r, long deadline) {
        this.r = r;
        this.config = r.config;
        this.deadline = deadline;
    }

    /**
     * One query to one server: UDP with EDNS0, then TCP when the answer is truncated or UDP timed
     * out (a path that loses fragments, or drops large UDP answers). Null when nothing usable came
     * back.
     */
    Message send(InetAddress address, Name qn, int qt, List<String> problems)
            throws IteratorException {
        InetSocketAddress server = new InetSocketAddress(address, config.serverPort());
        long rto = Math.min(r.infra.rto(address), config.maxAttemptTimeout().toMillis());
        Message query = query(qn, qt);
        long started = System.nanoTime();
        try {
            Message m = exchange(server, query, false, rto);
            r.infra.measured(address, (System.nanoTime() - started) / 1_000_000);
            if (!m.getHeader().getFlag(Flags.TC)) {
                return m;
            }
            return tcp(
                    server,
                    qn,
                    qt,
                    Math.max(rto, config.unknownServerTimeout().toMillis()),
                    "truncated over UDP",
                    problems);
        } catch (IteratorException e) {
            throw e; // a limit or the deadline: the whole lookup ends, not just this server
        } catch (SocketTimeoutException e) {
            r.infra.timedOut(address, rto);
            // Once over TCP: a UDP answer too large for the path may get through as a stream.
            return tcp(server, qn, qt, rto, "timeout after " + rto + " ms over UDP", problems);
        } catch (IOException e) {
            problems.add(address.getHostAddress() + ": " + describe(e));
            return null;
        }
    }

    private Message tcp(
            InetSocketAddress server,
            Name qn,
            int qt,
            long timeout,
            String why,
            List<String> problems)
            throws IteratorException {
        try {
            Message m = exchange(server, query(qn, qt), true, timeout);
            if (m.getHeader().getFlag(Flags.TC)) {
                // Nothing is left to fall back to; a cut answer must not pass for a whole one.
                problems.add(
                        server.getAddress().getHostAddress()
                                + ": "
                                + why
                                + ", then truncated over TCP too");
                return null;
            }
            return m;
        } catch (IteratorException e) {
            throw e;
        } catch (IOException e) {
            problems.add(
                    server.getAddress().getHostAddress()
                            + ": "
                            + why
                            + ", then over TCP: "
                            + describe(e));
            return null;
        }
    }

    private Message exchange(
            InetSocketAddress server, Message query, boolean tcp, long timeoutMillis)
            throws IOException, IteratorException {
        if (r.closed) {
            throw new IteratorException(
                    Reason.CLOSED, "the iterative resolver was closed during the lookup");
        }
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new IteratorException(
                    Reason.DEADLINE,
                    query.getQuestion().getName()
                            + "/"
                            + Type.string(query.getQuestion().getType())
                            + ": the lookup ran out of time ("
                            + config.lookupTimeout().toMillis()
                            + " ms, lookupTimeout)");
        }
        if (++queries > config.limits().queriesPerLookup()) {
            throw new IteratorException(
                    Reason.QUERIES_PER_LOOKUP_LIMIT,
                    query.getQuestion().getName()
                            + "/"
                            + Type.string(query.getQuestion().getType())
                            + ": the lookup has sent "
                            + config.limits().queriesPerLookup()
                            + " queries, the limit (queriesPerLookup, NXNSAttack CVE-2020-12662)");
        }
        r.queries.incrementAndGet();
        if (tcp) {
            r.tcpQueries.incrementAndGet();
        }
        try {
            return r.transport.exchange(
                    server,
                    query,
                    tcp,
                    Duration.ofMillis(Math.max(1, Math.min(timeoutMillis, left))));
        } catch (IOException e) {
            if (r.closed) {
                throw new IteratorException(
                        Reason.CLOSED, "the iterative resolver was closed during the lookup");
            }
            throw e;
        }
    }

    /** RD=0 (an authority is asked), a fresh random ID, EDNS0 with DO=1. */
    private Message query(Name qn, int qt) {
        Message q = new Message(r.random.nextInt(0x10000));
        q.addRecord(Record.newRecord(qn, qt, DClass.IN), Section.QUESTION);
        q.addRecord(
                new OPTRecord(IterativeResolver.EDNS_PAYLOAD, 0, 0, ExtendedFlags.DO),
                Section.ADDITIONAL);
        return q;
    }

    private static String describe(IOException e) {
        return e instanceof SocketTimeoutException
                ? "timeout"
                : e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
