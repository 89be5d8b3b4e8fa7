package dev.daneel.milter;

import dev.daneel.milter.internal.AddressRange;
import dev.daneel.validator.HostPort;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The milter's configuration: built in code or read from a file of {@code key = value} lines
 * ({@code #} starts a comment; list keys may repeat or take comma-separated values).
 *
 * <pre>{@code
 * listen = inet:10025@127.0.0.1          # or unix:/run/daneel-milter/milter.sock
 * policy = opportunistic                 # or require
 * upstream = 127.0.0.1:53                # repeatable; default: the system's resolvers
 * anchors = /etc/daneel/root.key         # default: the built-in IANA root anchors
 * sender-copy-key = /etc/daneel/archive.asc
 * exclude-sender = @lists.example.com, alerts@example.com
 * exclude-recipient-domain = example.com
 * exclude-client = 10.0.0.0/8, 192.0.2.7
 * max-message-size = 10M                 # larger messages: oversize-action
 * oversize-action = reject               # 552 5.3.4; or tempfail (452 4.3.4)
 * max-sessions = 32                      # concurrent MTA connections
 * lookup-timeout = 20                    # seconds for all of a message's key lookups
 * dns-timeout = 2                        # seconds per upstream attempt
 * mode = stub                            # or recursive, stub-then-recursive (recurse when no upstream carries DNSSEC)
 * protected-headers = true
 * lowercase-fallback = true              # after a proven absence, look up the lowercased local part too
 * hide-recipients = bcc                  # or all, none: whose key IDs are thrown (wildcard)
 * compression = zlib                     # or zip, none
 * mta-size-limit = 10240000              # the MTA's message_size_limit, checked after encryption
 * wkd = false                            # also look keys up in Web Key Directories when the DNS has none
 * accept-wkd = false                     # whether a WKD key satisfies policy = require
 * wkd-ca-file = /etc/ssl/certs/ca-certificates.crt   # PEM CAs for WKD servers; default: the JDK's
 * }</pre>
 *
 * <p>Memory is bounded by {@code max-sessions × max-message-size} for stored messages plus, per
 * message being encrypted, about two more copies (the encrypted entity and its ASCII armor).
 *
 * <p>Immutable and thread-safe.
 */
public final class MilterConfig {

    /** What happens to a message larger than {@link #maxMessageSize()}. */
    public enum Oversize {
        /** {@code 552 5.3.4}: the sender gets a bounce; never sent unencrypted. */
        REJECT,
        /** {@code 452 4.3.4}: the MTA retries until its queue lifetime ends. */
        TEMPFAIL
    }

    /**
     * Whose key IDs an encrypted message hides (a wildcard key ID, as {@code gpg
     * --hidden-recipient} writes).
     */
    public enum HideRecipients {
        /**
         * Envelope recipients not named in To or Cc: Bcc recipients stay hidden from the others.
         */
        BCC,
        /** Every recipient (and the sender copy key). */
        ALL,
        /** No one: every key ID is in the message, as most mail clients write it. */
        NONE
    }

    /** How the message is compressed inside the encryption (RFC 4880 §5.6). */
    public enum Compression {
        /** ZLIB (RFC 1950), what GnuPG writes by default for mail. */
        ZLIB,
        /** ZIP (raw deflate, RFC 1951). */
        ZIP,
        /** Never compress. */
        NONE
    }

    /** Default MTA size limit: Postfix's default {@code message_size_limit}, 10,240,000 octets. */
    public static final long DEFAULT_MTA_SIZE_LIMIT = 10_240_000L;

    /**
     * Default cap on one message held in memory: 10 MiB, Postfix's default {@code
     * message_size_limit}.
     */
    public static final long DEFAULT_MAX_MESSAGE_SIZE = 10L * 1024 * 1024;

    /**
     * Default concurrent MTA connections; a connection beyond it is closed (the MTA applies its
     * default action).
     */
    public static final int DEFAULT_MAX_SESSIONS = 32;

    /**
     * Default deadline for all key lookups of one message: well inside Postfix's {@code
     * milter_content_timeout} (300 s), so the milter answers tempfail before the MTA gives up on
     * it.
     */
    public static final Duration DEFAULT_LOOKUP_TIMEOUT = Duration.ofSeconds(20);

    private final SocketAddress listen;
    private final Policy policy;
    private final List<InetSocketAddress> upstreams;
    private final Optional<Path> anchors;
    private final Optional<Path> senderCopyKey;
    private final Set<String> excludedSenders;
    private final Set<String> excludedRecipientDomains;
    private final List<String> excludedClients;
    private final long maxMessageSize;
    private final Oversize oversize;
    private final int maxSessions;
    private final Duration lookupTimeout;
    private final Duration dnsTimeout;
    private final dev.daneel.validator.Mode mode;
    private final boolean protectedHeaders;
    private final boolean lowercaseFallback;
    private final HideRecipients hideRecipients;
    private final Compression compression;
    private final long mtaSizeLimit;
    private final boolean wkd;
    private final boolean acceptWkd;
    private final Optional<Path> wkdCaFile;
    private final int wkdPort;

    private MilterConfig(Builder b) {
        listen = b.listen;
        policy = b.policy;
        upstreams = List.copyOf(b.upstreams);
        anchors = Optional.ofNullable(b.anchors);
        senderCopyKey = Optional.ofNullable(b.senderCopyKey);
        excludedSenders = Set.copyOf(b.excludedSenders);
        excludedRecipientDomains = Set.copyOf(b.excludedRecipientDomains);
        excludedClients = List.copyOf(b.excludedClients);
        maxMessageSize = b.maxMessageSize;
        oversize = b.oversize;
        maxSessions = b.maxSessions;
        lookupTimeout = b.lookupTimeout;
        dnsTimeout = b.dnsTimeout;
        mode = b.mode;
        protectedHeaders = b.protectedHeaders;
        lowercaseFallback = b.lowercaseFallback;
        hideRecipients = b.hideRecipients;
        compression = b.compression;
        mtaSizeLimit = b.mtaSizeLimit;
        wkd = b.wkd;
        acceptWkd = b.acceptWkd;
        wkdCaFile = Optional.ofNullable(b.wkdCaFile);
        wkdPort = b.wkdPort;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads a configuration file.
     *
     * @throws MilterConfigException naming the file, line and key at fault
     */
    public static MilterConfig load(Path file) throws IOException {
        Builder b = builder();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new MilterConfigException(file + ": not UTF-8 text; expected key = value lines");
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String text = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (text.isEmpty()) {
                continue;
            }
            int eq = text.indexOf('=');
            if (eq <= 0) {
                throw new MilterConfigException(
                        file + ":" + (i + 1) + ": expected key = value, got \"" + text + "\"");
            }
            String key = text.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = text.substring(eq + 1).strip();
            try {
                b.set(key, value, file.toAbsolutePath().getParent());
            } catch (IllegalArgumentException e) {
                throw new MilterConfigException(
                        file + ":" + (i + 1) + ": " + key + ": " + e.getMessage());
            } catch (RuntimeException e) {
                // A parser bug must still point at the line: the operator can fix the value even
                // when the
                // message is poor. The malformed-input properties make sure this stays unused.
                throw new MilterConfigException(
                        file
                                + ":"
                                + (i + 1)
                                + ": "
                                + key
                                + ": cannot read \""
                                + value
                                + "\" ("
                                + e
                                + ")");
            }
        }
        return b.build();
    }

    /**
     * Where the milter listens: an {@link InetSocketAddress} or a {@link UnixDomainSocketAddress}.
     */
    public SocketAddress listen() {
        return listen;
    }

    public Policy policy() {
        return policy;
    }

    /** Recursive resolvers to forward to; empty means the system's. */
    public List<InetSocketAddress> upstreams() {
        return upstreams;
    }

    /** The trust anchor file; empty means the built-in IANA root anchors. */
    public Optional<Path> anchors() {
        return anchors;
    }

    /** A public key file (armored or binary) that every encrypted message is also encrypted to. */
    public Optional<Path> senderCopyKey() {
        return senderCopyKey;
    }

    /** Excluded envelope senders: full addresses and {@code @domain} entries, lowercased. */
    public Set<String> excludedSenders() {
        return excludedSenders;
    }

    /** Recipient domains never encrypted to, lowercased. */
    public Set<String> excludedRecipientDomains() {
        return excludedRecipientDomains;
    }

    /** Excluded SMTP client addresses and CIDR ranges, as written. */
    public List<String> excludedClients() {
        return excludedClients;
    }

    public long maxMessageSize() {
        return maxMessageSize;
    }

    public Oversize oversize() {
        return oversize;
    }

    public int maxSessions() {
        return maxSessions;
    }

    public Duration lookupTimeout() {
        return lookupTimeout;
    }

    /** Per-attempt upstream timeout for the validating resolver. */
    public Duration dnsTimeout() {
        return dnsTimeout;
    }

    /**
     * Where the validating resolver gets its data (default {@link dev.daneel.validator.Mode#STUB}).
     */
    public dev.daneel.validator.Mode mode() {
        return mode;
    }

    public boolean protectedHeaders() {
        return protectedHeaders;
    }

    /**
     * Whether a proven absence under the RFC 7929 owner name is followed by a lookup under the
     * lowercased local part, as GnuPG's {@code export-dane} and hash-slinger publish (on by
     * default).
     */
    public boolean lowercaseFallback() {
        return lowercaseFallback;
    }

    /** Whose key IDs are hidden in encrypted messages (default {@link HideRecipients#BCC}). */
    public HideRecipients hideRecipients() {
        return hideRecipients;
    }

    /** Compression inside the encryption (default {@link Compression#ZLIB}). */
    public Compression compression() {
        return compression;
    }

    /**
     * The most octets the MTA accepts in a message (Postfix's {@code message_size_limit}); an
     * encrypted message that would be larger is refused with {@code 552 5.3.4 … after encryption}.
     */
    public long mtaSizeLimit() {
        return mtaSizeLimit;
    }

    /**
     * Whether a recipient without a key in the DNS (a proven absence or an Insecure zone, never a
     * Bogus or failed lookup) is looked up in a Web Key Directory too (off by default).
     */
    public boolean wkd() {
        return wkd;
    }

    /**
     * Whether a key from a Web Key Directory satisfies {@code policy = require} (off by default:
     * only DNSSEC does).
     */
    public boolean acceptWkd() {
        return acceptWkd;
    }

    /**
     * PEM file of the CAs that authenticate Web Key Directory servers; empty means the JDK's trust
     * store.
     */
    public Optional<Path> wkdCaFile() {
        return wkdCaFile;
    }

    /**
     * The HTTPS port of Web Key Directory servers: 443, as the draft says; another only for tests.
     */
    public int wkdPort() {
        return wkdPort;
    }

    /** A human summary, one setting per line, as {@code --check-config} prints it. */
    public String summary() {
        return String.join(
                "\n",
                "listen = " + describe(listen),
                "policy = " + policy.name().toLowerCase(Locale.ROOT),
                "upstream = "
                        + (upstreams.isEmpty()
                                ? "(system resolvers)"
                                : upstreams.stream()
                                        .map(
                                                a ->
                                                        a.getAddress().getHostAddress()
                                                                + ":"
                                                                + a.getPort())
                                        .toList()),
                "anchors = " + anchors.map(Path::toString).orElse("(built-in IANA root anchors)"),
                "sender-copy-key = " + senderCopyKey.map(Path::toString).orElse("(none)"),
                "exclude-sender = " + excludedSenders,
                "exclude-recipient-domain = " + excludedRecipientDomains,
                "exclude-client = " + excludedClients,
                "max-message-size = " + maxMessageSize,
                "oversize-action = " + oversize.name().toLowerCase(Locale.ROOT),
                "max-sessions = " + maxSessions,
                "lookup-timeout = " + lookupTimeout.toMillis() / 1000.0,
                "dns-timeout = " + dnsTimeout.toMillis() / 1000.0,
                "mode = " + mode.name().toLowerCase(Locale.ROOT).replace('_', '-'),
                "protected-headers = " + protectedHeaders,
                "lowercase-fallback = " + lowercaseFallback,
                "hide-recipients = " + hideRecipients.name().toLowerCase(Locale.ROOT),
                "compression = " + compression.name().toLowerCase(Locale.ROOT),
                "mta-size-limit = " + mtaSizeLimit,
                "wkd = " + wkd,
                "accept-wkd = " + acceptWkd,
                "wkd-ca-file = " + wkdCaFile.map(Path::toString).orElse("(the JDK's trust store)"),
                "wkd-port = " + wkdPort);
    }

    static String describe(SocketAddress a) {
        if (a instanceof InetSocketAddress i) {
            return "inet:" + i.getPort() + "@" + i.getAddress().getHostAddress();
        }
        return "unix:" + ((UnixDomainSocketAddress) a).getPath();
    }

    /** Builds a {@link MilterConfig}; every setter checks its argument at once. */
    public static final class Builder {
        private SocketAddress listen;
        private Policy policy = Policy.OPPORTUNISTIC;
        private final List<InetSocketAddress> upstreams = new ArrayList<>();
        private Path anchors;
        private Path senderCopyKey;
        private final Set<String> excludedSenders = new LinkedHashSet<>();
        private final Set<String> excludedRecipientDomains = new LinkedHashSet<>();
        private final List<String> excludedClients = new ArrayList<>();
        private long maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
        private Oversize oversize = Oversize.REJECT;
        private int maxSessions = DEFAULT_MAX_SESSIONS;
        private Duration lookupTimeout = DEFAULT_LOOKUP_TIMEOUT;
        private Duration dnsTimeout = Duration.ofSeconds(2);
        private dev.daneel.validator.Mode mode = dev.daneel.validator.Mode.STUB;
        private boolean protectedHeaders = true;
        private boolean lowercaseFallback = true;
        private HideRecipients hideRecipients = HideRecipients.BCC;
        private Compression compression = Compression.ZLIB;
        private long mtaSizeLimit = DEFAULT_MTA_SIZE_LIMIT;
        private boolean wkd;
        private boolean acceptWkd;
        private Path wkdCaFile;
        private int wkdPort = 443;

        private Builder() {
            listen = new InetSocketAddress(InetAddress.getLoopbackAddress(), 10025);
        }

        /**
         * {@code inet:PORT@HOST} (Sendmail and Postfix style), {@code inet:HOST:PORT}, or {@code
         * unix:PATH}. HOST must be an IP literal.
         */
        public Builder listen(String spec) {
            String s = spec.strip();
            if (s.startsWith("unix:") || s.startsWith("local:")) {
                String path = s.substring(s.indexOf(':') + 1);
                if (path.isEmpty()) {
                    throw new IllegalArgumentException("unix: needs a socket path");
                }
                listen = UnixDomainSocketAddress.of(path);
                return this;
            }
            if (!s.startsWith("inet:")) {
                throw new IllegalArgumentException(
                        "expected inet:PORT@HOST or unix:PATH, got \"" + spec + "\"");
            }
            String rest = s.substring(5);
            String host;
            String port;
            int at = rest.indexOf('@');
            if (at >= 0) {
                port = rest.substring(0, at);
                host = rest.substring(at + 1);
            } else {
                int colon = rest.lastIndexOf(':');
                if (colon < 0) {
                    throw new IllegalArgumentException(
                            "expected inet:PORT@HOST, got \"" + spec + "\"");
                }
                host = rest.substring(0, colon);
                port = rest.substring(colon + 1);
            }
            listen =
                    new InetSocketAddress(
                            ipLiteral(host.replace("[", "").replace("]", "")), port(port));
            return this;
        }

        public Builder listen(SocketAddress address) {
            this.listen = Objects.requireNonNull(address, "address");
            return this;
        }

        public Builder policy(Policy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Adds a recursive resolver: {@code IP}, {@code IP:PORT} or {@code [IPv6]:PORT} (port
         * default 53), read by {@link HostPort}, the parser the library and the {@code daneel}
         * command use too.
         */
        public Builder upstream(String spec) {
            return upstream(HostPort.parse(spec, 53).socketAddress());
        }

        public Builder upstream(InetSocketAddress address) {
            upstreams.add(Objects.requireNonNull(address, "address"));
            return this;
        }

        public Builder anchors(Path file) {
            this.anchors = Objects.requireNonNull(file, "file");
            return this;
        }

        public Builder senderCopyKey(Path file) {
            this.senderCopyKey = Objects.requireNonNull(file, "file");
            return this;
        }

        /** Excludes an envelope sender address, or a whole domain written {@code @domain}. */
        public Builder excludeSender(String addressOrAtDomain) {
            String s = addressOrAtDomain.strip().toLowerCase(Locale.ROOT);
            if (s.isEmpty() || (!s.startsWith("@") && s.indexOf('@') <= 0)) {
                throw new IllegalArgumentException(
                        "expected an address or @domain, got \"" + addressOrAtDomain + "\"");
            }
            excludedSenders.add(s);
            return this;
        }

        public Builder excludeRecipientDomain(String domain) {
            String d = domain.strip().toLowerCase(Locale.ROOT);
            while (d.endsWith(".")) {
                d = d.substring(0, d.length() - 1);
            }
            if (d.isEmpty() || d.contains("@")) {
                throw new IllegalArgumentException("expected a domain, got \"" + domain + "\"");
            }
            excludedRecipientDomains.add(d);
            return this;
        }

        /** Excludes an SMTP client address or CIDR range (IPv4 or IPv6). */
        public Builder excludeClient(String addressOrCidr) {
            AddressRange.parse(addressOrCidr.strip());
            excludedClients.add(addressOrCidr.strip());
            return this;
        }

        /** 1 KiB .. 1 GiB. */
        public Builder maxMessageSize(long bytes) {
            if (bytes < 1024 || bytes > 1L << 30) {
                throw new IllegalArgumentException(
                        "max-message-size must be 1K .. 1G, got " + bytes);
            }
            this.maxMessageSize = bytes;
            return this;
        }

        public Builder oversize(Oversize action) {
            this.oversize = Objects.requireNonNull(action, "action");
            return this;
        }

        /** 1 .. 4096. */
        public Builder maxSessions(int n) {
            if (n < 1 || n > 4096) {
                throw new IllegalArgumentException("max-sessions must be 1 .. 4096, got " + n);
            }
            this.maxSessions = n;
            return this;
        }

        /** 100 ms .. 240 s (below Postfix's 300 s {@code milter_content_timeout}). */
        public Builder lookupTimeout(Duration d) {
            if (d.compareTo(Duration.ofMillis(100)) < 0
                    || d.compareTo(Duration.ofSeconds(240)) > 0) {
                throw new IllegalArgumentException("lookup-timeout must be 0.1 .. 240 s, got " + d);
            }
            this.lookupTimeout = d;
            return this;
        }

        /** 10 ms .. 60 s (the validator's range). */
        public Builder dnsTimeout(Duration d) {
            if (d.compareTo(Duration.ofMillis(10)) < 0 || d.compareTo(Duration.ofSeconds(60)) > 0) {
                throw new IllegalArgumentException("dns-timeout must be 0.01 .. 60 s, got " + d);
            }
            this.dnsTimeout = d;
            return this;
        }

        /**
         * Where the validating resolver gets its data: the upstreams, recursion from the root, or
         * both.
         */
        public Builder mode(dev.daneel.validator.Mode mode) {
            this.mode = java.util.Objects.requireNonNull(mode, "mode");
            return this;
        }

        public Builder protectedHeaders(boolean on) {
            this.protectedHeaders = on;
            return this;
        }

        public Builder lowercaseFallback(boolean on) {
            this.lowercaseFallback = on;
            return this;
        }

        public Builder hideRecipients(HideRecipients which) {
            this.hideRecipients = Objects.requireNonNull(which, "which");
            return this;
        }

        public Builder compression(Compression c) {
            this.compression = Objects.requireNonNull(c, "compression");
            return this;
        }

        /** 1 KiB .. 4 GiB; set it to the MTA's {@code message_size_limit}. */
        public Builder mtaSizeLimit(long bytes) {
            if (bytes < 1024 || bytes > 1L << 32) {
                throw new IllegalArgumentException(
                        "mta-size-limit must be 1K .. 4G (Postfix's message_size_limit),"
                                + " got "
                                + bytes);
            }
            this.mtaSizeLimit = bytes;
            return this;
        }

        public Builder wkd(boolean on) {
            this.wkd = on;
            return this;
        }

        public Builder acceptWkd(boolean on) {
            this.acceptWkd = on;
            return this;
        }

        public Builder wkdCaFile(Path pem) {
            this.wkdCaFile = Objects.requireNonNull(pem, "pem");
            return this;
        }

        /** 1 .. 65535; 443 unless a test serves its directory elsewhere. */
        public Builder wkdPort(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("wkd-port must be 1 .. 65535, got " + port);
            }
            this.wkdPort = port;
            return this;
        }

        void set(String key, String value, Path base) {
            switch (key) {
                case "listen" -> listen(value);
                case "policy" ->
                        policy(
                                switch (value.toLowerCase(Locale.ROOT)) {
                                    case "opportunistic" -> Policy.OPPORTUNISTIC;
                                    case "require" -> Policy.REQUIRE;
                                    default ->
                                            throw new IllegalArgumentException(
                                                    "expected opportunistic or require, got \""
                                                            + value
                                                            + "\"");
                                });
                case "upstream" -> list(value).forEach(this::upstream);
                case "anchors" -> anchors(path(base, value));
                case "sender-copy-key" -> senderCopyKey(path(base, value));
                case "exclude-sender" -> list(value).forEach(this::excludeSender);
                case "exclude-recipient-domain" ->
                        list(value).forEach(this::excludeRecipientDomain);
                case "exclude-client" -> list(value).forEach(this::excludeClient);
                case "max-message-size" -> maxMessageSize(size(value));
                case "oversize-action" ->
                        oversize(
                                switch (value.toLowerCase(Locale.ROOT)) {
                                    case "reject" -> Oversize.REJECT;
                                    case "tempfail" -> Oversize.TEMPFAIL;
                                    default ->
                                            throw new IllegalArgumentException(
                                                    "expected reject or tempfail, got \""
                                                            + value
                                                            + "\"");
                                });
                case "max-sessions" -> maxSessions(integer(value));
                case "lookup-timeout" -> lookupTimeout(seconds(value));
                case "dns-timeout" -> dnsTimeout(seconds(value));
                case "mode" ->
                        mode(
                                switch (value.toLowerCase(Locale.ROOT)) {
                                    case "stub" -> dev.daneel.validator.Mode.STUB;
                                    case "recursive" -> dev.daneel.validator.Mode.RECURSIVE;
                                    case "stub-then-recursive" ->
                                            dev.daneel.validator.Mode.STUB_THEN_RECURSIVE;
                                    default ->
                                            throw new IllegalArgumentException(
                                                    "mode must be stub, recursive or stub-then-recursive, got \""
                                                            + value
                                                            + "\"");
                                });
                case "protected-headers" -> protectedHeaders(bool(value));
                case "lowercase-fallback" -> lowercaseFallback(bool(value));
                case "hide-recipients" ->
                        hideRecipients(
                                switch (value.toLowerCase(Locale.ROOT)) {
                                    case "bcc" -> HideRecipients.BCC;
                                    case "all" -> HideRecipients.ALL;
                                    case "none" -> HideRecipients.NONE;
                                    default ->
                                            throw new IllegalArgumentException(
                                                    "expected bcc, all or none, got \""
                                                            + value
                                                            + "\"");
                                });
                case "compression" ->
                        compression(
                                switch (value.toLowerCase(Locale.ROOT)) {
                                    case "zlib" -> Compression.ZLIB;
                                    case "zip" -> Compression.ZIP;
                                    case "none" -> Compression.NONE;
                                    default ->
                                            throw new IllegalArgumentException(
                                                    "expected zlib, zip or none, got \""
                                                            + value
                                                            + "\"");
                                });
                case "mta-size-limit" -> mtaSizeLimit(size(value));
                case "wkd" -> wkd(bool(value));
                case "accept-wkd" -> acceptWkd(bool(value));
                case "wkd-ca-file" -> wkdCaFile(path(base, value));
                case "wkd-port" -> wkdPort(integer(value));
                default ->
                        throw new IllegalArgumentException(
                                "unknown key; known: listen, policy, upstream, anchors,"
                                        + " sender-copy-key, exclude-sender, exclude-recipient-domain, exclude-client, max-message-size,"
                                        + " oversize-action, max-sessions, lookup-timeout, dns-timeout, protected-headers,"
                                        + " lowercase-fallback, hide-recipients, compression, mta-size-limit, wkd, accept-wkd, wkd-ca-file,"
                                        + " wkd-port");
            }
        }

        public MilterConfig build() {
            return new MilterConfig(this);
        }

        private static List<String> list(String value) {
            return java.util.Arrays.stream(value.split(","))
                    .map(String::strip)
                    .filter(s -> !s.isEmpty())
                    .toList();
        }

        /** A file named relative to the configuration file's directory. */
        private static Path path(Path base, String value) {
            if (value.isEmpty()) {
                throw new IllegalArgumentException("expected a file path, got nothing");
            }
            try {
                return base.resolve(value);
            } catch (java.nio.file.InvalidPathException e) {
                throw new IllegalArgumentException(
                        "expected a file path, got \"" + value + "\": " + e.getReason());
            }
        }

        private static int integer(String v) {
            try {
                return Integer.parseInt(v.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected a whole number, got \"" + v + "\"");
            }
        }

        private static int port(String v) {
            int p = integer(v);
            if (p < 0 || p > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, got " + p);
            }
            return p;
        }

        private static long size(String v) {
            String s = v.strip().toUpperCase(Locale.ROOT);
            long unit = 1;
            if (s.endsWith("K") || s.endsWith("M") || s.endsWith("G")) {
                unit =
                        switch (s.charAt(s.length() - 1)) {
                            case 'K' -> 1024L;
                            case 'M' -> 1024L * 1024;
                            default -> 1024L * 1024 * 1024;
                        };
                s = s.substring(0, s.length() - 1);
            }
            try {
                return Long.parseLong(s.strip()) * unit;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "expected a size like 10485760, 512K or 10M, got \"" + v + "\"");
            }
        }

        private static Duration seconds(String v) {
            try {
                return Duration.ofMillis(Math.round(Double.parseDouble(v.strip()) * 1000));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "expected seconds like 20 or 0.5, got \"" + v + "\"");
            }
        }

        private static boolean bool(String v) {
            return switch (v.strip().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on" -> true;
                case "false", "no", "off" -> false;
                default ->
                        throw new IllegalArgumentException(
                                "expected true or false, got \"" + v + "\"");
            };
        }

        private static InetAddress ipLiteral(String host) {
            return AddressRange.parse(host).address();
        }
    }
}
