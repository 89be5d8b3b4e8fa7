package dev.daneel.dane;

import dev.daneel.testkit.LoopbackTlsServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A minimal SMTP server (greeting, EHLO, STARTTLS, QUIT) on a loopback address, presenting a given
 * chain after STARTTLS, or offering no STARTTLS at all; for SMTP DANE tests.
 */
final class SmtpTestServer implements AutoCloseable {

    private final ServerSocket socket;
    private final SSLContext tls;
    private final java.util.concurrent.atomic.AtomicInteger sessions =
            new java.util.concurrent.atomic.AtomicInteger();

    SmtpTestServer(String loopbackIp, int port, List<X509Certificate> chain, PrivateKey key)
            throws Exception {
        this.tls = chain == null ? null : LoopbackTlsServer.serverContext(chain, key);
        this.socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(loopbackIp), port));
        Thread t = new Thread(this::serve, "smtp-" + loopbackIp);
        t.setDaemon(true);
        t.start();
    }

    /** How many connections this server has accepted. */
    int sessions() {
        return sessions.get();
    }

    int port() {
        return socket.getLocalPort();
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket s = socket.accept()) {
                sessions.incrementAndGet();
                s.setSoTimeout(10_000);
                converse(s);
            } catch (IOException e) {
                // client went away or refused our certificate
            }
        }
    }

    private void converse(Socket s) throws IOException {
        BufferedReader in =
                new BufferedReader(
                        new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
        OutputStream out = s.getOutputStream();
        write(out, "220 mx.test ESMTP");
        String line;
        while ((line = in.readLine()) != null) {
            String cmd = line.toUpperCase(java.util.Locale.ROOT);
            if (cmd.startsWith("EHLO")) {
                write(
                        out,
                        tls == null
                                ? "250-mx.test\r\n250 8BITMIME"
                                : "250-mx.test\r\n250-8BITMIME\r\n250 STARTTLS");
            } else if (cmd.equals("STARTTLS") && tls != null) {
                write(out, "220 2.0.0 Ready to start TLS");
                SSLSocket t =
                        (SSLSocket)
                                tls.getSocketFactory().createSocket(s, null, s.getPort(), false);
                t.setUseClientMode(false);
                t.startHandshake();
                converse2(t);
                return;
            } else if (cmd.equals("QUIT")) {
                write(out, "221 2.0.0 Bye");
                return;
            } else {
                write(out, "502 5.5.2 Error: command not recognized");
            }
        }
    }

    private void converse2(SSLSocket t) throws IOException {
        BufferedReader in =
                new BufferedReader(
                        new InputStreamReader(t.getInputStream(), StandardCharsets.US_ASCII));
        OutputStream out = t.getOutputStream();
        String line;
        while ((line = in.readLine()) != null) {
            if (line.toUpperCase(java.util.Locale.ROOT).startsWith("EHLO")) {
                write(out, "250-mx.test\r\n250 8BITMIME");
            } else if (line.equalsIgnoreCase("QUIT")) {
                write(out, "221 2.0.0 Bye");
                return;
            }
        }
    }

    private static void write(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
