package dev.daneel.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Fetches the certificate chain a TLS server presents, after a STARTTLS exchange where the protocol
 * needs one (SMTP, IMAP, POP3, FTP), as hash-slinger's {@code tlsa --verify} does. The chain is not
 * judged here: {@code daneel tlsa --verify} judges it against the validated TLSA records.
 *
 * <pre>{@code
 * List<X509Certificate> chain = TlsProbe.chain(new InetSocketAddress("127.0.0.1", 25), "mail.example.test.",
 *         TlsProbe.Starttls.SMTP, Duration.ofSeconds(5));
 * }</pre>
 *
 * <p>Stateless.
 */
final class TlsProbe {
    /** The application protocols whose STARTTLS exchange the probe speaks. */
    enum Starttls {
        NONE,
        SMTP,
        IMAP,
        POP3,
        FTP;

        /**
         * hash-slinger's choice by port: 25 and 587 SMTP, 143 IMAP, 110 POP3, 21 FTP, else none.
         */
        static Starttls forPort(int port) {
            return switch (port) {
                case 25, 587 -> SMTP;
                case 143 -> IMAP;
                case 110 -> POP3;
                case 21 -> FTP;
                default -> NONE;
            };
        }

        static Starttls parse(String text) {
            String t = text.toLowerCase(Locale.ROOT);
            if (t.equals("no")) {
                return NONE;
            }
            for (Starttls s : values()) {
                if (s.name().toLowerCase(Locale.ROOT).equals(t)) {
                    return s;
                }
            }
            throw new UsageError(
                    "--starttls must be smtp, imap, pop3, ftp or none, got \"" + text + "\"");
        }
    }

    private TlsProbe() {}

    static List<X509Certificate> chain(
            InetSocketAddress address, String host, Starttls starttls, Duration timeout)
            throws IOException {
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        List<X509Certificate> seen = new ArrayList<>();
        try (Socket plain = new Socket()) {
            plain.connect(address, millis);
            plain.setSoTimeout(millis);
            startTls(plain, starttls);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new Recorder(seen)}, null);
            String sni = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
            try (SSLSocket tls =
                    (SSLSocket)
                            context.getSocketFactory()
                                    .createSocket(plain, sni, address.getPort(), true)) {
                SSLParameters p = tls.getSSLParameters();
                try {
                    p.setServerNames(List.of(new SNIHostName(sni)));
                } catch (IllegalArgumentException e) {
                    // not a host name (an address literal): no SNI, as browsers do
                }
                tls.setSSLParameters(p);
                tls.startHandshake();
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS is not available in this JVM: " + e.getMessage(), e);
        }
        if (seen.isEmpty()) {
            throw new IOException("the server at " + address + " presented no certificate");
        }
        return seen;
    }

    private static void startTls(Socket s, Starttls starttls) throws IOException {
        if (starttls == Starttls.NONE) {
            return;
        }
        BufferedReader in =
                new BufferedReader(
                        new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
        OutputStream out = s.getOutputStream();
        switch (starttls) {
            case SMTP -> {
                expect(in, l -> l.startsWith("220 "), "SMTP greeting");
                send(out, "EHLO daneel.invalid");
                String last = expect(in, l -> l.length() >= 4 && l.charAt(3) == ' ', "EHLO reply");
                if (!last.startsWith("250")) {
                    throw new IOException("the SMTP server refused EHLO: " + last);
                }
                send(out, "STARTTLS");
                require(
                        expect(in, l -> l.length() >= 4 && l.charAt(3) == ' ', "STARTTLS reply"),
                        "220",
                        "SMTP STARTTLS");
            }
            case IMAP -> {
                expect(in, l -> l.startsWith("* "), "IMAP greeting");
                send(out, "a001 STARTTLS");
                require(
                        expect(in, l -> l.startsWith("a001 "), "STARTTLS reply"),
                        "a001 OK",
                        "IMAP STARTTLS");
            }
            case POP3 -> {
                require(expect(in, l -> true, "POP3 greeting"), "+OK", "POP3 greeting");
                send(out, "STLS");
                require(expect(in, l -> true, "STLS reply"), "+OK", "POP3 STLS");
            }
            case FTP -> {
                expect(in, l -> l.startsWith("220 "), "FTP greeting");
                send(out, "AUTH TLS");
                require(
                        expect(in, l -> l.length() >= 4 && l.charAt(3) == ' ', "AUTH TLS reply"),
                        "234",
                        "FTP AUTH TLS");
            }
            default -> throw new IllegalStateException(starttls.name());
        }
    }

    private static String expect(BufferedReader in, Predicate<String> last, String what)
            throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            if (last.test(line)) {
                return line;
            }
        }
        throw new IOException("the server closed the connection before its " + what);
    }

    private static void require(String line, String prefix, String what) throws IOException {
        if (!line.startsWith(prefix)) {
            throw new IOException(what + " refused: " + line);
        }
    }

    private static void send(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /**
     * Accepts any chain and records it: the DANE verdict is made afterwards, from the TLSA records.
     */
    private static final class Recorder implements X509TrustManager {
        private final List<X509Certificate> seen;

        Recorder(List<X509Certificate> seen) {
            this.seen = seen;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("client side only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            seen.clear();
            seen.addAll(List.of(chain));
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
