package dev.daneel.dane.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The client side of an SMTP conversation up to and through STARTTLS (RFC 5321, RFC 3207):
 * greeting, EHLO, STARTTLS, the TLS handshake, EHLO again, QUIT. No mail is sent.
 */
public final class SmtpStartTls {

    /**
     * Longest reply accepted, in lines; a hostile server cannot make the client buffer without
     * bound.
     */
    private static final int MAX_REPLY_LINES = 100;

    /** What happened. */
    public enum Outcome {
        /** STARTTLS and the handshake succeeded. */
        TLS,
        /** The server offered no STARTTLS; the client quit. */
        NO_STARTTLS
    }

    /**
     * The conversation's result.
     *
     * @param outcome what happened
     * @param protocol the TLS protocol, or null
     */
    public record Result(Outcome outcome, String protocol) {}

    private SmtpStartTls() {}

    /**
     * Talks to {@code address}; the handshake uses {@code trustManager} and sends {@code sniHost}
     * as SNI.
     *
     * @throws IOException for a protocol error, a refused STARTTLS or a failed handshake (the trust
     *     manager's {@link java.security.cert.CertificateException} is in the cause chain)
     */
    public static Result run(
            InetSocketAddress address,
            String heloName,
            String sniHost,
            X509ExtendedTrustManager trustManager,
            Duration timeout)
            throws IOException {
        try (Socket raw = new Socket()) {
            raw.connect(address, (int) timeout.toMillis());
            raw.setSoTimeout((int) timeout.toMillis());
            BufferedReader in = reader(raw);
            OutputStream out = raw.getOutputStream();
            expect(in, 220, "greeting");
            send(out, "EHLO " + heloName);
            List<String> ehlo = expect(in, 250, "EHLO");
            boolean startTls =
                    ehlo.stream()
                            .skip(1)
                            .anyMatch(
                                    l ->
                                            l.substring(Math.min(4, l.length()))
                                                    .toUpperCase(Locale.ROOT)
                                                    .startsWith("STARTTLS"));
            if (!startTls) {
                send(out, "QUIT");
                return new Result(Outcome.NO_STARTTLS, null);
            }
            send(out, "STARTTLS");
            expect(in, 220, "STARTTLS");
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustManager}, null);
            try (SSLSocket tls =
                    (SSLSocket)
                            context.getSocketFactory()
                                    .createSocket(raw, sniHost, address.getPort(), false)) {
                SSLParameters p = tls.getSSLParameters();
                p.setServerNames(List.of(new SNIHostName(sniHost)));
                tls.setSSLParameters(p);
                tls.startHandshake();
                String protocol = tls.getSession().getProtocol();
                BufferedReader tin = reader(tls);
                OutputStream tout = tls.getOutputStream();
                send(tout, "EHLO " + heloName);
                expect(tin, 250, "EHLO after STARTTLS");
                send(tout, "QUIT");
                return new Result(Outcome.TLS, protocol);
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS is not available in this JDK: " + e.getMessage(), e);
        }
    }

    private static BufferedReader reader(Socket s) throws IOException {
        return new BufferedReader(
                new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
    }

    private static void send(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static List<String> expect(BufferedReader in, int code, String step)
            throws IOException {
        List<String> lines = new ArrayList<>();
        while (lines.size() < MAX_REPLY_LINES) {
            String l = in.readLine();
            if (l == null) {
                throw new IOException("the server closed the connection at " + step);
            }
            lines.add(l);
            if (l.length() < 3 || !l.substring(0, 3).equals(String.valueOf(code))) {
                throw new IOException("expected " + code + " at " + step + ", got \"" + l + "\"");
            }
            if (l.length() == 3 || l.charAt(3) != '-') {
                return lines;
            }
        }
        throw new IOException("reply at " + step + " longer than " + MAX_REPLY_LINES + " lines");
    }
}
