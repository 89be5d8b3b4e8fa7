package dev.daneel.testkit;

import java.time.Duration;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * A misbehaviour a {@link WorldServer} applies to the queries it matches, for testing how a client
 * copes with a faulty network or upstream. Immutable: the {@code for…}, {@code over} and {@code
 * times} methods return narrowed copies.
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
        AD_BIT,
        /**
         * The normal response edited by a function of the test's choosing, as an on-path attacker
         * or a broken middlebox would: records added, stripped or changed ({@link #rewrite}), or
         * bytes mangled ({@link #mangle}).
         */
        REWRITE
    }

    private final Kind kind;
    private final Duration delay;
    private final Name name;
    private final Integer type;
    private final Transport transport;
    private final int times;
    private final UnaryOperator<Message> edit;
    private final UnaryOperator<byte[]> mangle;

    private Fault(
            Kind kind,
            Duration delay,
            Name name,
            Integer type,
            Transport transport,
            int times,
            UnaryOperator<Message> edit,
            UnaryOperator<byte[]> mangle) {
        this.kind = kind;
        this.delay = delay;
        this.name = name;
        this.type = type;
        this.transport = transport;
        this.times = times;
        this.edit = edit;
        this.mangle = mangle;
    }

    private Fault(
            Kind kind, Duration delay, Name name, Integer type, Transport transport, int times) {
        this(kind, delay, name, type, transport, times, null, null);
    }

    private Fault narrowed(Name n, Integer t, Transport via, int count) {
        return new Fault(kind, delay, n, t, via, count, edit, mangle);
    }

    private static Fault of(Kind kind) {
        return new Fault(kind, Duration.ZERO, null, null, null, -1);
    }

    /**
     * The normal response passed through {@code edit} before it is encoded (and, over UDP,
     * truncated to the client's payload size): add unsigned records, strip RRSIGs, swap sections.
     * The function gets a fresh message per query and returns the one to send; it runs on the
     * server's thread, so it must not block.
     *
     * <pre>{@code
     * world.server().inject(Fault.rewrite(m -> { m.addRecord(forged, Section.ADDITIONAL); return m; }));
     * }</pre>
     */
    public static Fault rewrite(UnaryOperator<Message> edit) {
        return new Fault(
                Kind.REWRITE,
                Duration.ZERO,
                null,
                null,
                null,
                -1,
                Objects.requireNonNull(edit, "edit"),
                null);
    }

    /**
     * The normal response's bytes, as they would go on the wire, passed through {@code mangle}: bit
     * flips, wrong counts, compression loops, cut-off or oversized records. Returning null sends
     * nothing.
     */
    public static Fault mangle(UnaryOperator<byte[]> mangle) {
        return new Fault(
                Kind.REWRITE,
                Duration.ZERO,
                null,
                null,
                null,
                -1,
                null,
                Objects.requireNonNull(mangle, "mangle"));
    }

    /** See {@link Kind#DROP}. */
    public static Fault drop() {
        return of(Kind.DROP);
    }

    /** See {@link Kind#DELAY}; {@code delay} is 1 ms to 60 s. */
    public static Fault delay(Duration delay) {
        if (delay.compareTo(Duration.ofMillis(1)) < 0
                || delay.compareTo(Duration.ofSeconds(60)) > 0) {
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
            return narrowed(Name.fromString(name, Name.root), type, transport, times);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a domain name: \"" + name + "\"", e);
        }
    }

    /** Only queries for this type ({@code org.xbill.DNS.Type} constants). */
    public Fault forType(int type) {
        return narrowed(name, type, transport, times);
    }

    /** Only queries arriving over this transport. */
    public Fault over(Transport transport) {
        return narrowed(name, type, Objects.requireNonNull(transport, "transport"), times);
    }

    /** Applies to the first {@code n} matching queries only (1..1000000); by default to all. */
    public Fault times(int n) {
        if (n < 1 || n > 1_000_000) {
            throw new IllegalArgumentException("times must be 1..1000000, got " + n);
        }
        return narrowed(name, type, transport, n);
    }

    /** What the fault does. */
    public Kind kind() {
        return kind;
    }

    /** How long a {@link Kind#DELAY} fault holds each answer; zero for the other kinds. */
    public Duration delayDuration() {
        return delay;
    }

    /** How many matching queries this fault applies to, or -1 for all. */
    public int times() {
        return times;
    }

    /** The message edit of a {@link #rewrite} fault, else null. */
    UnaryOperator<Message> edit() {
        return edit;
    }

    /** The byte edit of a {@link #mangle} fault, else null. */
    UnaryOperator<byte[]> mangler() {
        return mangle;
    }

    boolean matches(Name qname, int qtype, Transport via) {
        return (name == null || name.equals(qname))
                && (type == null || type == qtype)
                && (transport == null || transport == via);
    }

    @Override
    public String toString() {
        return kind
                + (kind == Kind.DELAY ? " " + delay.toMillis() + "ms" : "")
                + (name != null ? " name=" + name : "")
                + (type != null ? " type=" + org.xbill.DNS.Type.string(type) : "")
                + (transport != null ? " over " + transport : "")
                + (times > 0 ? " x" + times : "");
    }
}
