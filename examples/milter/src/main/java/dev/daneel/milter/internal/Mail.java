package dev.daneel.milter.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One message as the MTA hands it over: client address, envelope, headers and body (CRLF line
 * ends). The body is kept up to a byte cap; past it the message is only counted, never stored.
 *
 * <p>Not thread-safe: one session fills it, then one decision reads it.
 */
public final class Mail {

    /**
     * A header as received: its name and its value without the separating colon and space.
     *
     * @param charset how the value's octets were decoded (UTF-8 when valid, else ISO-8859-1), so
     *     that {@link #bytes()} gives back exactly the octets the MTA sent
     */
    public record Header(String name, String value, java.nio.charset.Charset charset) {
        public Header(String name, String value) {
            this(name, value, StandardCharsets.UTF_8);
        }

        /** {@code Name: value} in the octets received (without a line end). */
        public byte[] bytes(String value) {
            return (name + ": " + value).getBytes(charset);
        }
    }

    private final long cap;
    private String clientAddress = "";
    private String sender = "";
    private final List<String> recipients = new ArrayList<>();
    private final List<Header> headers = new ArrayList<>();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final Map<String, String> macros = new HashMap<>();
    private long size;
    private boolean oversize;

    /**
     * @param cap the most header and body octets stored
     */
    public Mail(long cap, String clientAddress, Map<String, String> connectionMacros) {
        this.cap = cap;
        this.clientAddress = clientAddress;
        this.macros.putAll(connectionMacros);
    }

    void sender(String s) {
        sender = s;
    }

    void recipient(String r) {
        recipients.add(r);
    }

    void macros(Map<String, String> m) {
        macros.putAll(m);
    }

    void header(String name, byte[] value) {
        count(name.length() + value.length + 4L);
        if (!oversize) {
            boolean utf8 = Packet.isUtf8(value);
            headers.add(
                    new Header(
                            name,
                            Packet.text(value),
                            utf8 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1));
        }
    }

    void body(byte[] chunk) {
        count(chunk.length);
        if (!oversize) {
            body.writeBytes(chunk);
        }
    }

    private void count(long n) {
        size += n;
        if (size > cap && !oversize) {
            oversize = true;
            body.reset();
            headers.clear();
        }
    }

    /** The SMTP client's IP address as the MTA reported it, or "" when unknown. */
    public String clientAddress() {
        return clientAddress;
    }

    /** MAIL FROM without angle brackets ("" for the null sender). */
    public String sender() {
        return sender;
    }

    /** RCPT TO addresses without angle brackets, as given. */
    public List<String> recipients() {
        return List.copyOf(recipients);
    }

    /** The headers in order (empty when oversize). */
    public List<Header> headers() {
        return List.copyOf(headers);
    }

    /** The first header called {@code name} (case-insensitive). */
    public Optional<String> header(String name) {
        return headers.stream()
                .filter(h -> h.name().equalsIgnoreCase(name))
                .map(Header::value)
                .findFirst();
    }

    /** The body octets (empty when oversize). */
    public byte[] body() {
        return body.toByteArray();
    }

    /** Header and body octets seen, stored or not. */
    public long size() {
        return size;
    }

    /** Whether the message exceeded the cap (then headers and body were dropped). */
    public boolean oversize() {
        return oversize;
    }

    /** The MTA's queue ID (macro {@code i}), or "-". */
    public String queueId() {
        String id = macros.getOrDefault("i", macros.get("{i}"));
        return id == null || id.isEmpty() ? "-" : id;
    }

    /** Strips angle brackets and surrounding space from an SMTP path. */
    static String path(String arg) {
        String s = arg.strip();
        if (s.startsWith("<") && s.endsWith(">")) {
            s = s.substring(1, s.length() - 1);
        }
        return s;
    }

    /** The domain of an address, lowercased, or "" when there is no {@code @}. */
    public static String domainOf(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? "" : address.substring(at + 1).toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "Mail[" + sender + " -> " + recipients + ", " + size + " octets]";
    }

    static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
