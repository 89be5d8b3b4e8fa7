package dev.daneel.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A JDK TLS server on a loopback address that presents a chosen certificate chain and answers every
 * HTTP/1.x request with {@code 200 OK} and the body {@code ok}; for tests of TLS clients and trust
 * managers. One connection at a time, each closed after its response.
 *
 * <pre>{@code
 * Pki.Issued www = Pki.create(now).selfSigned("www.example.test");
 * try (LoopbackTlsServer server = LoopbackTlsServer.start(www)) {
 *     URI uri = URI.create("https://www.example.test:" + server.port() + "/");   // with a HostsFile entry
 *     ...
 *     assertEquals(1, server.handshakes());
 * }
 * }</pre>
 *
 * <p>{@link #handshakes()} counts handshakes the server completed, so a test can tell a client that
 * rejected the server from one that never connected.
 */
public final class LoopbackTlsServer implements AutoCloseable {

    /** A stalled client cannot hold the single serving thread longer than this. */
    private static final int READ_TIMEOUT_MILLIS = 10_000;

    /** The longest request head read before the response is sent anyway. */
    private static final int MAX_HEAD = 16 * 1024;

    private final SSLServerSocket socket;
    private final AtomicInteger handshakes = new AtomicInteger();

    private LoopbackTlsServer(SSLServerSocket socket) {
        this.socket = socket;
        Thread t = new Thread(this::serve, "loopback-tls-" + socket.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    /** Serves {@code issued.chain()} on 127.0.0.1, on a free port. */
    public static LoopbackTlsServer start(Pki.Issued issued) throws IOException {
        return start(InetAddress.getLoopbackAddress(), issued.chain(), issued.privateKey());
    }

    /**
     * Serves {@code chain} (leaf first) with {@code key} on {@code address} (which must be a
     * loopback address, such as 127.0.0.7), on a free port.
     */
    public static LoopbackTlsServer start(
            InetAddress address, List<X509Certificate> chain, PrivateKey key) throws IOException {
        Objects.requireNonNull(address, "address");
        if (!address.isLoopbackAddress()) {
            throw new IllegalArgumentException(
                    "expected a loopback address (127.0.0.0/8 or ::1), got "
                            + address
                            + "; tests must not listen on other interfaces");
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException(
                    "expected a certificate chain with at least the leaf, got none");
        }
        SSLServerSocket s =
                (SSLServerSocket)
                        serverContext(chain, key).getServerSocketFactory().createServerSocket();
        s.bind(new InetSocketAddress(address, 0));
        return new LoopbackTlsServer(s);
    }

    /**
     * A server-side {@link SSLContext} presenting {@code chain} with {@code key} (for SSLEngine
     * tests).
     */
    public static SSLContext serverContext(List<X509Certificate> chain, PrivateKey key) {
        try {
            char[] pw = "testkit".toCharArray();
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, pw);
            ks.setKeyEntry(
                    "server",
                    Objects.requireNonNull(key, "key"),
                    pw,
                    chain.toArray(new X509Certificate[0]));
            KeyManagerFactory kmf =
                    KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, pw);
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(kmf.getKeyManagers(), null, null);
            return c;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(
                    "the JDK could not build a TLS server context: " + e.getMessage(), e);
        }
    }

    /** The port the server listens on. */
    public int port() {
        return socket.getLocalPort();
    }

    /** The address the server listens on. */
    public InetAddress address() {
        return socket.getInetAddress();
    }

    /** How many TLS handshakes the server has completed so far. */
    public int handshakes() {
        return handshakes.get();
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (SSLSocket s = (SSLSocket) socket.accept()) {
                s.setSoTimeout(READ_TIMEOUT_MILLIS);
                s.startHandshake();
                handshakes.incrementAndGet();
                readHead(s.getInputStream());
                OutputStream out = s.getOutputStream();
                out.write(
                        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                                .getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (SocketException e) {
                // closed by close(), or the client reset the connection: serve the next one (or
                // stop)
            } catch (IOException e) {
                // the client rejected the certificate or went away; serve the next one
            }
        }
    }

    private static void readHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        for (int n = 0; n < MAX_HEAD; n++) {
            int c = in.read();
            if (c < 0) {
                return;
            }
            matched = c == end[matched] ? matched + 1 : (c == '\r' ? 1 : 0);
            if (matched == end.length) {
                return;
            }
        }
    }

    /** Stops listening. */
    @Override
    public void close() throws IOException {
        socket.close();
    }
}
