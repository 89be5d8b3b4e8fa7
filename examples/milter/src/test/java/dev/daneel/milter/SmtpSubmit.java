package dev.daneel.milter;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A plain SMTP client for submitting test messages to Postfix: one message per connection. */
final class SmtpSubmit {

    /** The server's last reply: its code and full text. */
    record Reply(int code, String text) {}

    private SmtpSubmit() {}

    /** Sends from 127.0.0.1. */
    static Reply send(int port, String from, List<String> to, String message) throws IOException {
        return send(InetAddress.getLoopbackAddress(), port, from, to, message);
    }

    /**
     * Sends {@code message} (LF or CRLF line ends) from {@code source}; returns the reply to the
     * end of DATA, or the first reply that was not a success.
     */
    static Reply send(InetAddress source, int port, String from, List<String> to, String message)
            throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(source, 0));
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 60_000);
            s.setSoTimeout(120_000);
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            Reply r = read(in);
            if (r.code() != 220) {
                return r;
            }
            for (String cmd : command(from, to)) {
                out.write((cmd + "\r\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                r = read(in);
                if (r.code() >= 400) {
                    return r;
                }
            }
            StringBuilder data = new StringBuilder();
            String text = message.replace("\r\n", "\n");
            text = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
            for (String line : text.split("\n", -1)) {
                data.append(line.startsWith(".") ? "." : "").append(line).append("\r\n");
            }
            data.append(".\r\n");
            out.write(data.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            Reply end = read(in);
            out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return end;
        }
    }

    /**
     * One SMTP connection for several messages in a row (RSET-free: each transaction ends with its
     * DATA reply), as a submission client that keeps its connection open sends them.
     */
    static final class Session implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Session(int port) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 60_000);
            socket.setSoTimeout(120_000);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
            expect(read(in), 220);
            out.write("EHLO client.corp.test\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            expect(read(in), 250);
        }

        /**
         * Sends one message (MAIL, RCPT, DATA pipelined one by one) and returns the reply to its
         * end of data.
         */
        Reply send(String from, List<String> to, String message) throws IOException {
            List<String> cmds = command(from, to);
            for (String cmd : cmds.subList(1, cmds.size())) {
                out.write((cmd + "\r\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                Reply r = read(in);
                if (r.code() >= 400) {
                    return r;
                }
            }
            out.write(dotStuffed(message));
            out.flush();
            return read(in);
        }

        private static void expect(Reply r, int code) throws IOException {
            if (r.code() != code) {
                throw new IOException("expected " + code + ", got " + r.text());
            }
        }

        @Override
        public void close() throws IOException {
            try {
                out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } finally {
                socket.close();
            }
        }
    }

    static byte[] dotStuffed(String message) {
        StringBuilder data = new StringBuilder();
        String text = message.replace("\r\n", "\n");
        text = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        for (String line : text.split("\n", -1)) {
            data.append(line.startsWith(".") ? "." : "").append(line).append("\r\n");
        }
        data.append(".\r\n");
        return data.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> command(String from, List<String> to) {
        java.util.ArrayList<String> c = new java.util.ArrayList<>();
        c.add("EHLO client.corp.test");
        boolean utf8 =
                !StandardCharsets.US_ASCII.newEncoder().canEncode(from + String.join("", to));
        c.add("MAIL FROM:<" + from + ">" + (utf8 ? " SMTPUTF8" : ""));
        to.forEach(t -> c.add("RCPT TO:<" + t + ">"));
        c.add("DATA");
        return c;
    }

    private static Reply read(InputStream in) throws IOException {
        StringBuilder text = new StringBuilder();
        while (true) {
            String line = SmtpSink.readLine(in);
            if (line == null) {
                throw new IOException("connection closed; so far: " + text);
            }
            text.append(line).append('\n');
            if (line.length() < 4 || line.charAt(3) != '-') {
                return new Reply(Integer.parseInt(line.substring(0, 3)), text.toString().strip());
            }
        }
    }
}
