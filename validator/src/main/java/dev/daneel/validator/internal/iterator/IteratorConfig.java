package dev.daneel.validator.internal.iterator;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * The configuration of an {@link IterativeResolver}, built with {@link #builder()}. Immutable.
 *
 * <pre>{@code
 * IteratorConfig config = IteratorConfig.builder()
 *         .rootHints(RootHints.of(List.of(new RootHints.Server(Name.fromString("ns1."), List.of(InetAddress.getByName("127.0.0.2"))))))
 *         .serverPort(5300)
 *         .build();
 * }</pre>
 *
 * @param rootHints where recursion starts (default: IANA's {@code named.root})
 * @param clock the time that cached records age by
 * @param executor runs the lookups (blocking I/O, one task per lookup), or null: the resolver owns
 *     a pool of daemon threads and shuts it down on close
 * @param transport how queries reach servers, or null: the network, through a transport the
 *     resolver owns
 * @param serverPort the port every authoritative server is asked on: 53, except in tests
 * @param unknownServerTimeout how long the first query to a server never measured waits (Unbound's
 *     {@code UNKNOWN_SERVER_NICENESS} is 376 ms)
 * @param maxAttemptTimeout the longest one query waits, however slow the server has been
 * @param lookupTimeout the deadline of a whole lookup, everything included: a lookup ends by then
 * @param limits the work bounds of one lookup
 * @param qnameMinimisation RFC 9156 QNAME minimisation, relaxed: a server that fails a minimised
 *     query is asked the full name
 * @param ipv4 whether servers are asked over IPv4
 * @param ipv6 whether servers are asked over IPv6
 * @param cacheSize how many RRsets and how many responses are cached, each
 */
public record IteratorConfig(
        RootHints rootHints,
        Clock clock,
        Executor executor,
        Transport transport,
        int serverPort,
        Duration unknownServerTimeout,
        Duration maxAttemptTimeout,
        Duration lookupTimeout,
        IteratorLimits limits,
        boolean qnameMinimisation,
        boolean ipv4,
        boolean ipv6,
        int cacheSize) {

    public IteratorConfig {
        Objects.requireNonNull(rootHints, "rootHints");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(limits, "limits");
        if (serverPort < 1 || serverPort > 65535) {
            throw new IllegalArgumentException("serverPort must be 1..65535, got " + serverPort);
        }
        checkDuration(
                "unknownServerTimeout",
                unknownServerTimeout,
                Duration.ofMillis(1),
                Duration.ofSeconds(30));
        checkDuration(
                "maxAttemptTimeout",
                maxAttemptTimeout,
                Duration.ofMillis(1),
                Duration.ofSeconds(60));
        checkDuration("lookupTimeout", lookupTimeout, Duration.ofMillis(1), Duration.ofMinutes(5));
        if (!ipv4 && !ipv6) {
            throw new IllegalArgumentException("at least one of ipv4 and ipv6 must be enabled");
        }
        if (cacheSize < 0 || cacheSize > 10_000_000) {
            throw new IllegalArgumentException("cacheSize must be 0..10000000, got " + cacheSize);
        }
    }

    private static void checkDuration(String name, Duration d, Duration min, Duration max) {
        Objects.requireNonNull(d, name);
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new IllegalArgumentException(
                    name
                            + " must be "
                            + min.toMillis()
                            + " ms .. "
                            + max.toMillis()
                            + " ms, got "
                            + d);
        }
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds an {@link IteratorConfig}; every setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        /** Unbound's {@code UNKNOWN_SERVER_NICENESS}. */
        public static final Duration DEFAULT_UNKNOWN_SERVER_TIMEOUT = Duration.ofMillis(376);

        public static final Duration DEFAULT_MAX_ATTEMPT_TIMEOUT = Duration.ofSeconds(3);
        public static final Duration DEFAULT_LOOKUP_TIMEOUT = Duration.ofSeconds(10);
        public static final int DEFAULT_CACHE_SIZE = 10_000;

        private RootHints rootHints;
        private Clock clock = Clock.systemUTC();
        private Executor executor;
        private Transport transport;
        private int serverPort = 53;
        private Duration unknownServerTimeout = DEFAULT_UNKNOWN_SERVER_TIMEOUT;
        private Duration maxAttemptTimeout = DEFAULT_MAX_ATTEMPT_TIMEOUT;
        private Duration lookupTimeout = DEFAULT_LOOKUP_TIMEOUT;
        private IteratorLimits limits = IteratorLimits.DEFAULT;
        private boolean qnameMinimisation = true;
        private boolean ipv4 = true;
        private boolean ipv6 = true;
        private int cacheSize = DEFAULT_CACHE_SIZE;

        private Builder() {}

        public Builder rootHints(RootHints hints) {
            this.rootHints = Objects.requireNonNull(hints, "rootHints");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Runs the lookups; the caller keeps ownership (close() does not shut it down). */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** How queries reach servers; the caller keeps ownership (close() does not close it). */
        public Builder transport(Transport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        public Builder serverPort(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("serverPort must be 1..65535, got " + port);
            }
            this.serverPort = port;
            return this;
        }

        public Builder unknownServerTimeout(Duration d) {
            checkDuration("unknownServerTimeout", d, Duration.ofMillis(1), Duration.ofSeconds(30));
            this.unknownServerTimeout = d;
            return this;
        }

        public Builder maxAttemptTimeout(Duration d) {
            checkDuration("maxAttemptTimeout", d, Duration.ofMillis(1), Duration.ofSeconds(60));
            this.maxAttemptTimeout = d;
            return this;
        }

        public Builder lookupTimeout(Duration d) {
            checkDuration("lookupTimeout", d, Duration.ofMillis(1), Duration.ofMinutes(5));
            this.lookupTimeout = d;
            return this;
        }

        public Builder limits(IteratorLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        public Builder qnameMinimisation(boolean on) {
            this.qnameMinimisation = on;
            return this;
        }

        public Builder ipv4(boolean on) {
            this.ipv4 = on;
            return this;
        }

        public Builder ipv6(boolean on) {
            this.ipv6 = on;
            return this;
        }

        public Builder cacheSize(int entries) {
            if (entries < 0 || entries > 10_000_000) {
                throw new IllegalArgumentException("cacheSize must be 0..10000000, got " + entries);
            }
            this.cacheSize = entries;
            return this;
        }

        public IteratorConfig build() {
            return new IteratorConfig(
                    rootHints != null ? rootHints : RootHints.builtIn(),
                    clock,
                    executor,
                    transport,
                    serverPort,
                    unknownServerTimeout,
                    maxAttemptTimeout,
                    lookupTimeout,
                    limits,
                    qnameMinimisation,
                    ipv4,
                    ipv6,
                    cacheSize);
        }
    }
}
