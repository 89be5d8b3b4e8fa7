package dev.daneel.milter;

import dev.daneel.milter.internal.Decider;
import dev.daneel.milter.internal.KeyLookups;
import dev.daneel.milter.internal.MilterSession;
import dev.daneel.openpgpkey.LocalKeys;
import dev.daneel.openpgpkey.OpenPgpKeyFetcher;
import dev.daneel.validator.ValidatingResolver;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;

/**
 * The OPENPGPKEY milter: Postfix (or Sendmail) connects with milter protocol 6; for each message
 * whose recipients all publish a Secure OPENPGPKEY (RFC 7929) it replaces the body with PGP/MIME
 * (RFC 3156) encrypted to all of them; otherwise it follows the {@link Policy}. See {@link
 * Decision} for the outcomes.
 *
 * <pre>{@code
 * MilterConfig config = MilterConfig.load(Path.of("/etc/daneel/milter.conf"));
 * try (ValidatingResolver resolver = ValidatingResolver.builder().build();
 *      OpenPgpKeyMilter milter = OpenPgpKeyMilter.start(config, resolver, System.out::println)) {
 *     milter.awaitClose();
 * }
 * }</pre>
 *
 * <p>One thread per MTA connection, at most {@link MilterConfig#maxSessions()}; a connection beyond
 * that is closed at once and the MTA applies its {@code milter_default_action} (set it to {@code
 * tempfail}). Key lookups run on a pool of the same size. Every failure inside the milter ends in a
 * 4xx for the message, never in an accepted message that was silently dropped or left unencrypted
 * by accident.
 *
 * <p>Thread-safe; {@link #close()} stops listening and ends open sessions.
 */
public final class OpenPgpKeyMilter implements AutoCloseable {

    private final ServerSocketChannel server;
    private final SocketAddress address;
    private final ThreadPoolExecutor sessions;
    private final ExecutorService lookupPool;
    private final Decider decider;
    private final MilterConfig config;
    private final Consumer<String> log;
    private final Thread acceptor;
    private final java.util.Set<SocketChannel> open =
            java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private OpenPgpKeyMilter(
            MilterConfig config,
            ValidatingResolver resolver,
            Consumer<String> log,
            Optional<PGPPublicKey> copyKey)
            throws IOException {
        this.config = config;
        this.log = log;
        AtomicInteger n = new AtomicInteger();
        this.lookupPool =
                Executors.newFixedThreadPool(
                        config.maxSessions(),
                        r -> daemon(r, "daneel-milter-lookup-" + n.incrementAndGet()));
        this.sessions =
                new ThreadPoolExecutor(
                        config.maxSessions(),
                        config.maxSessions(),
                        30,
                        TimeUnit.SECONDS,
                        new SynchronousQueue<>(),
                        r -> daemon(r, "daneel-milter-session-" + n.incrementAndGet()));
        this.sessions.allowCoreThreadTimeOut(true);
        OpenPgpKeyFetcher.Builder fetcher = OpenPgpKeyFetcher.builder(resolver);
        if (config.lowercaseFallback()) {
            fetcher.retryLowercaseLocalPart();
        }
        Optional<dev.daneel.milter.internal.WkdClient> wkd =
                config.wkd()
                        ? Optional.of(
                                new dev.daneel.milter.internal.WkdClient(
                                        resolver,
                                        wkdTls(config),
                                        config.wkdPort(),
                                        java.time.Clock.systemUTC()))
                        : Optional.empty();
        this.decider =
                new Decider(
                        config,
                        new KeyLookups(fetcher.build(), lookupPool, config.lookupTimeout(), wkd),
                        copyKey);
        SocketAddress listen = config.listen();
        if (listen instanceof UnixDomainSocketAddress u) {
            Files.deleteIfExists(u.getPath());
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        } else {
            server = ServerSocketChannel.open();
            server.socket().setReuseAddress(true);
        }
        server.bind(listen, 256);
        this.address = server.getLocalAddress();
        this.acceptor = daemon(this::acceptLoop, "daneel-milter-accept");
        acceptor.start();
        log.accept(
                "daneel-milter listening on "
                        + MilterConfig.describe(address)
                        + ", policy "
                        + config.policy().name().toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * Starts listening on {@link MilterConfig#listen()}.
     *
     * @param resolver the validating resolver for key lookups (its cache serves repeated
     *     recipients)
     * @param log receives one line per message ({@link Decision#logLine()}) and problem reports
     * @throws IOException if the address cannot be bound or the sender copy key cannot be read
     */
    public static OpenPgpKeyMilter start(
            MilterConfig config, ValidatingResolver resolver, Consumer<String> log)
            throws IOException {
        Objects.requireNonNull(resolver, "resolver");
        return new OpenPgpKeyMilter(
                Objects.requireNonNull(config, "config"),
                resolver,
                Objects.requireNonNull(log, "log"),
                readCopyKey(config));
    }

    /**
     * Reads the sender copy key file named in {@code config}: the first encryption-capable key in
     * it.
     *
     * @throws MilterConfigException if it holds no key that can encrypt
     */
    public static Optional<PGPPublicKey> readCopyKey(MilterConfig config) throws IOException {
        if (config.senderCopyKey().isEmpty()) {
            return Optional.empty();
        }
        List<PGPPublicKeyRing> rings = LocalKeys.read(config.senderCopyKey().get());
        for (PGPPublicKeyRing ring : rings) {
            Iterator<PGPPublicKey> keys = ring.getPublicKeys();
            while (keys.hasNext()) {
                PGPPublicKey k = keys.next();
                if (k.isEncryptionKey()
                        && !k.hasRevocation()
                        && (!k.isMasterKey() || !keys.hasNext())) {
                    return Optional.of(k);
                }
            }
        }
        throw new MilterConfigException(
                "sender-copy-key "
                        + config.senderCopyKey().get()
                        + ": no key that can encrypt (export the public key with gpg --export KEYID > FILE)");
    }

    /**
     * TLS for Web Key Directory servers: PKIX against {@code wkd-ca-file}, or the JDK's trust
     * store.
     */
    static javax.net.ssl.SSLContext wkdTls(MilterConfig config) throws IOException {
        try {
            if (config.wkdCaFile().isEmpty()) {
                return javax.net.ssl.SSLContext.getDefault();
            }
            java.security.KeyStore trust =
                    java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
            trust.load(null, null);
            int n = 0;
            try (java.io.InputStream in = Files.newInputStream(config.wkdCaFile().get())) {
                for (java.security.cert.Certificate c :
                        java.security.cert.CertificateFactory.getInstance("X.509")
                                .generateCertificates(in)) {
                    trust.setCertificateEntry("ca-" + n++, c);
                }
            }
            if (n == 0) {
                throw new MilterConfigException(
                        "wkd-ca-file "
                                + config.wkdCaFile().get()
                                + ": no PEM certificate in it (expected -----BEGIN CERTIFICATE----- blocks)");
            }
            javax.net.ssl.TrustManagerFactory tmf =
                    javax.net.ssl.TrustManagerFactory.getInstance(
                            javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (java.security.GeneralSecurityException e) {
            throw new MilterConfigException(
                    "wkd-ca-file "
                            + config.wkdCaFile().orElse(null)
                            + ": no PEM certificate"
                            + " read (expected -----BEGIN CERTIFICATE----- blocks of the CAs that issue WKD servers' certificates): "
                            + e.getMessage());
        }
    }

    /** The bound address (with the real port when the configuration said port 0). */
    public SocketAddress address() {
        return address;
    }

    /** Blocks until {@link #close()}. */
    public void awaitClose() throws InterruptedException {
        acceptor.join();
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.accept("daneel-milter accept failed: " + e.getMessage());
                }
                continue;
            }
            try {
                sessions.execute(() -> serve(ch));
            } catch (RejectedExecutionException e) {
                log.accept(
                        "daneel-milter overload: "
                                + config.maxSessions()
                                + " sessions busy, connection closed (the MTA applies milter_default_action)");
                closeQuietly(ch);
            }
        }
    }

    private void serve(SocketChannel ch) {
        open.add(ch);
        try {
            if (!(address instanceof UnixDomainSocketAddress)) {
                // Replies are single small writes that the MTA waits for: Nagle would hold each
                // until an ACK
                // that the MTA's delayed-ACK timer sends 40 ms later.
                ch.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
            }
            new MilterSession(
                            Channels.newInputStream(ch),
                            Channels.newOutputStream(ch),
                            config.maxMessageSize(),
                            mail -> {
                                Decider.Result r = decider.decide(mail);
                                log.accept(r.decision().logLine());
                                return r.verdict();
                            },
                            log)
                    .run();
        } catch (IOException e) {
            if (!closed) {
                log.accept("daneel-milter session ended: " + e.getMessage());
            }
        } catch (RuntimeException e) {
            log.accept("daneel-milter session failed: " + e);
        } finally {
            open.remove(ch);
            closeQuietly(ch);
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // nothing left to do with a connection that cannot even close
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // already closed
        }
        open.forEach(OpenPgpKeyMilter::closeQuietly);
        sessions.shutdownNow();
        lookupPool.shutdownNow();
        if (address instanceof UnixDomainSocketAddress u) {
            try {
                Files.deleteIfExists(u.getPath());
            } catch (IOException e) {
                // a stale socket file is removed on the next start
            }
        }
    }
}
