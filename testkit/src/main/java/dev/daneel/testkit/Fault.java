package dev.daneel.testkit;

import java.time.Duration;
import java.util.Objects;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * A misbehaviour a {@link WorldServer} applies to the queries it matches, for testing how a client
 * copes with a faulty network or upstream. Immutable: the {@code for…}, {@code over} and {@code times}
 * methods return narrowed copies.
 *
 * <pre>{@code
 * world.server().inject(Fault.drop().forName("www.example.test.").times(1)); // first query lost
 * world.server().inject(Fault.delay(Duration.ofMillis(300)));                  // everything slow
 * world.server().inject(Fault.servfail().forType(Type.DNSKEY).over(Transport.UDP));
 * }</pre>
 *
 * <p>When several faults match a query, the first one injected that still has uses left applies.
 */
public final class Fault {

    /** What the server does instead of (or on top of) answering normally. */
    public enum Kind {
        /** No response at all (over TCP: the connection is closed). */
        DROP,
        /** The normal response, after a pause. */
        DELAY,
        /** An empty response with rcode SERVFAIL. */
        SERVFAIL,
        /** An empty response with rcode REFUSED. */
        REFUSED,
        /** Random bytes instead of a DNS message. */
        GARBAGE,
        /** The normal response with a different message ID. */
        WRONG_ID,
        /** The normal response for a different question name. */
        WRONG_QUESTION,
        /** The normal response sent from another UDP port (over TCP: the connection is closed). */
        WRONG_SOURCE,
        /** The normal response cut off in the middle, without the TC bit. */
        TRUNCATED_PACKET,
        /** Over UDP, an empty response with TC=1 whatever its size; over TCP no effect. */
        FORCE_TRUNCATION,
        /** The normal response with the AD bit set, as a lying upstream would send it. */
        AD_BIT
    }

    private final Kind kind;
    private final Duration delay;
    private final Name name;
    private final Integer type;
    private final Transport transport;
    private final int times;

    private Fault(Kind kind, Duration delay, Name name, Integer type, Transport transport, int times) {
        this.kind = kind;
        this.delay = delay;
        this.name = name;
        this.type = type;
        this.transport = transport;
        this.times = times;
    }

    private static Fault of(Kind kind) {
        return new Fault(kind, Duration.ZERO, null, null, null, -1);
    }

    /** See {@link Kind#DROP}. */
    public static Fault drop() {
        return of(Kind.DROP);
    }

    /** See {@link Kind#DELAY}; {@code delay} is 1 ms to 60 s. */
    public static Fault delay(Duration delay) {
        if (delay.compareTo(Duration.ofMillis(1)) < 0 || delay.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new IllegalArgumentException("delay must be 1 ms .. 60 s, got " + delay);
        }
        return new Fault(Kind.DELAY, delay, null, null, null, -1);
    }

    /** See {@link Kind#SERVFAIL}. */
    public static Fault servfail() {
        return of(Kind.SERVFAIL);
    }

    /** See {@link Kind#REFUSED}. */
    public static Fault refused() {
        return of(Kind.REFUSED);
    }

    /** See {@link Kind#GARBAGE}. */
    public static Fault garbage() {
        return of(Kind.GARBAGE);
    }

    /** See {@link Kind#WRONG_ID}. */
    public static Fault wrongId() {
        return of(Kind.WRONG_ID);
    }

    /** See {@link Kind#WRONG_QUESTION}. */
    public static Fault wrongQuestion() {
        return of(Kind.WRONG_QUESTION);
    }

    /** See {@link Kind#WRONG_SOURCE}. */
    public static Fault wrongSource() {
        return of(Kind.WRONG_SOURCE);
    }

    /** See {@link Kind#TRUNCATED_PACKET}. */
    public static Fault truncatedPacket() {
        return of(Kind.TRUNCATED_PACKET);
    }

    /** See {@link Kind#FORCE_TRUNCATION}. */
    public static Fault forceTruncation() {
        return of(Kind.FORCE_TRUNCATION);
    }

    /** See {@link Kind#AD_BIT}. */
    public static Fault adBit() {
        return of(Kind.AD_BIT);
    }

    /** Only queries for this name (absolute, case-insensitive). */
    public Fault forName(String name) {
        try {
            return new Fault(kind, delay, Name.fromString(name, Name.root), type, transport, times);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a domain name: \"" + name + "\"", e);
        }
    }

    /** Only queries for this type ({@code org.xbill.DNS.Type} constants). */
    public Fault forType(int type) {
        return new Fault(kind, delay, name, type, transport, times);
    }

    /** Only queries arriving over this transport. */
    public Fault over(Transport transport) {
        return new Fault(kind, delay, name, type, Objects.requireNonNull(transport, "transport"), times);
    }

    /** Applies to the first {@code n} matching queries only (1..1000000); by default to all. */
    public Fault times(int n) {
        if (n < 1 || n > 1_000_000) {
            throw new IllegalArgumentException("times must be 1..1000000, got " + n);
        }
        return new Fault(kind, delay, name, type, transport, n);
    }

    public Kind kind() {
        return kind;
    }

    public Duration delayDuration() {
        return delay;
    }

    /** How many matching queries this fault applies to, or -1 for all. */
    public int times() {
        return times;
    }

    boolean matches(Name qname, int qtype, Transport via) {
        return (name == null || name.equals(qname)) && (type == null || type == qtype)
                && (transport == null || transport == via);
    }

    @Override
    public String toString() {
        return kind + (kind == Kind.DELAY ? " " + delay.toMillis() + "ms" : "")
                + (name != null ? " name=" + name : "") + (type != null ? " type=" + org.xbill.DNS.Type.string(type) : "")
                + (transport != null ? " over " + transport : "") + (times > 0 ? " x" + times : "");
    }
}
