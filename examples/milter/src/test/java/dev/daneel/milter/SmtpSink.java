package dev.daneel.milter;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The next hop Postfix delivers to: a minimal ESMTP server on 127.0.0.1 that keeps every message it
 * accepts (envelope and data with dot-stuffing undone). Several transactions per connection are
 * served.
 */
final class SmtpSink implements AutoCloseable {

    /** One delivered message. */
    record Delivered(String sender, List<String> recipients, byte[] data) {
        String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    private final ServerSocket server;
    private final ExecutorService pool =
            Executors.newCachedThreadPool(
                    r -> {
                        Thread t = new Thread(r, "smtp-sink");
                        t.setDaemon(true);
                        return t;
                    });
    private final ConcurrentLinkedQueue<Delivered> delivered = new ConcurrentLinkedQueue<>();

    SmtpSink() throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        pool.execute(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    List<Delivered> delivered() {
        return List.copyOf(delivered);
    }

    /** Messages whose data contains {@code needle} (e.g. a Message-ID). */
    List<Delivered> containing(String needle) {
        return delivered.stream().filter(d -> d.text().contains(needle)).toList();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                pool.execute(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s;
                InputStream in = new BufferedInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream()) {
            write(out, "220 sink.test ESMTP");
            String sender = null;
            List<String> rcpts = new ArrayList<>();
            while (true) {
                String line = readLine(in);
                if (line == null) {
                    return;
                }
                String verb =
                        line.length() >= 4
                                ? line.substring(0, 4).toUpperCase(Locale.ROOT)
                                : line.toUpperCase(Locale.ROOT);
                switch (verb) {
                    case "EHLO" ->
                            write(
                                    out,
                                    "250-sink.test\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 SIZE 104857600");
                    case "HELO" -> write(out, "250 sink.test");
                    case "MAIL" -> {
                        sender = path(line);
                        rcpts = new ArrayList<>();
                        write(out, "250 2.1.0 ok");
                    }
                    case "RCPT" -> {
                        rcpts.add(path(line));
                        write(out, "250 2.1.5 ok");
                    }
                    case "DATA" -> {
                        write(out, "354 go ahead");
                        byte[] data = readData(in);
                        delivered.add(new Delivered(sender, List.copyOf(rcpts), data));
                        write(out, "250 2.0.0 stored");
                    }
                    case "RSET" -> {
                        sender = null;
                        rcpts = new ArrayList<>();
                        write(out, "250 2.0.0 ok");
                    }
                    case "QUIT" -> {
                        write(out, "221 2.0.0 bye");
                        return;
                    }
                    default -> write(out, "250 2.0.0 ok");
                }
            }
        } catch (IOException e) {
            // the client went away; whatever was accepted is kept
        }
    }

    private static String path(String line) {
        int lt = line.indexOf('<');
        int gt = line.indexOf('>', lt + 1);
        return lt >= 0 && gt > lt ? line.substring(lt + 1, gt) : "";
    }

    private static void write(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.UTF_8);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
        return null;
    }

    /** Reads DATA up to the lone dot, undoing dot-stuffing; lines keep their CRLF. */
    private static byte[] readData(InputStream in) throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            line.write(c);
            if (c == '\n') {
                byte[] l = line.toByteArray();
                line.reset();
                if (l.length == 3 && l[0] == '.' && l[1] == '\r') {
                    return data.toByteArray();
                }
                int skip = l.length > 1 && l[0] == '.' ? 1 : 0;
                data.write(l, skip, l.length - skip);
            }
        }
        throw new IOException("connection closed inside DATA");
    }

    @Override
    public void close() throws IOException {
        server.close();
        pool.shutdownNow();
    }
}
