package dev.daneel.milter.internal;

import dev.daneel.openpgpkey.KeyIssue;
import dev.daneel.openpgpkey.OpenPgpKeyName;
import dev.daneel.openpgpkey.PublishedKey;
import dev.daneel.validator.Answer;
import dev.daneel.validator.ValidatingResolver;
import dev.daneel.validator.Verdict;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.operator.jcajce.JcaKeyFingerprintCalculator;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Looks a key up in a Web Key Directory (draft-koch-openpgp-webkey-service §3.1): the advanced
 * method ({@code https://openpgpkey.DOMAIN/.well-known/openpgpkey/DOMAIN/hu/HASH?l=LOCAL}) and,
 * only when the {@code openpgpkey} subdomain does not exist, the direct method ({@code
 * https://DOMAIN/.well-known/openpgpkey/hu/HASH?l=LOCAL}). HASH is the z-base-32 SHA-1 of the local
 * part with ASCII letters lowercased. The server is authenticated by PKIX and its host name ({@code
 * HTTPS} endpoint identification, SNI); host names are resolved through the milter's validating
 * resolver, never the JVM's (a Bogus address is a failure, an Insecure one is fine: TLS
 * authenticates the server). The key must carry a self-signed user ID with the address, compared
 * without case as the directory itself is.
 *
 * <pre>{@code
 * WkdClient wkd = new WkdClient(resolver, SSLContext.getDefault(), 443, Clock.systemUTC());
 * WkdClient.Result r = wkd.lookUp("alice@example.org", System.nanoTime() + 10_000_000_000L);
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class WkdClient {

    /**
     * Largest response read: a key with a few subkeys and user IDs is a few KiB; a WKD may hold
     * several.
     */
    static final int MAX_RESPONSE = 256 * 1024;

    private static final String ZBASE32 = "ybndrfg8ejkmcpqxot1uwisza345h769";

    /** What the directory said. */
    public sealed interface Result {
        /** Usable keys whose user ID holds the address; {@code url} is where they came from. */
        record Found(List<PublishedKey> keys, String url) implements Result {}

        /**
         * No usable key: no directory, no key in it, or a key that fails the checks; {@code why}
         * says which.
         */
        record NotFound(String why) implements Result {}

        /** The directory's host name is Bogus or the DNS could not say: the message must wait. */
        record Failed(String why) implements Result {}
    }

    private final ValidatingResolver resolver;
    private final SSLContext tls;
    private final int port;
    private final Clock clock;

    /**
     * @param port 443 in production; a test directory's port otherwise
     */
    public WkdClient(ValidatingResolver resolver, SSLContext tls, int port, Clock clock) {
        this.resolver = resolver;
        this.tls = tls;
        this.port = port;
        this.clock = clock;
    }

    /** Looks {@code address} up; {@code deadline} is a {@link System#nanoTime()} value. */
    public Result lookUp(String address, long deadline) {
        int at = address.lastIndexOf('@');
        String local = address.substring(0, at);
        String domain = OpenPgpKeyName.domain(address);
        domain = domain.substring(0, domain.length() - 1);
        String hash = zbase32(sha1(asciiLower(local).getBytes(StandardCharsets.UTF_8)));
        String query = "?l=" + URLEncoder.encode(local, StandardCharsets.UTF_8);
        String advancedHost = "openpgpkey." + domain;
        Addresses advanced = addresses(advancedHost);
        if (advanced.failure != null) {
            return new Result.Failed(advanced.failure);
        }
        if (!advanced.list.isEmpty()) {
            return fetch(
                    address,
                    advancedHost,
                    advanced.list,
                    "/.well-known/openpgpkey/" + domain + "/hu/" + hash + query,
                    deadline);
        }
        Addresses direct = addresses(domain);
        if (direct.failure != null) {
            return new Result.Failed(direct.failure);
        }
        if (direct.list.isEmpty()) {
            return new Result.NotFound(
                    "no Web Key Directory (neither "
                            + advancedHost
                            + " nor "
                            + domain
                            + " has an address)");
        }
        return fetch(
                address,
                domain,
                direct.list,
                "/.well-known/openpgpkey/hu/" + hash + query,
                deadline);
    }

    private record Addresses(List<InetAddress> list, String failure) {}

    private Addresses addresses(String host) {
        List<InetAddress> out = new ArrayList<>();
        for (int type : new int[] {Type.A, Type.AAAA}) {
            Answer a = resolver.resolve(host + ".", type);
            if (a.verdict() instanceof Verdict.Bogus b) {
                return new Addresses(
                        List.of(),
                        "bogus DNSSEC for the Web Key Directory host "
                                + host
                                + " ("
                                + b.reason()
                                + ")");
            }
            if (a.verdict() instanceof Verdict.Indeterminate i) {
                return new Addresses(
                        List.of(),
                        "DNS unavailable for the Web Key Directory host "
                                + host
                                + " ("
                                + i.detail()
                                + ")");
            }
            for (Record r : a.records()) {
                if (r instanceof ARecord ar) {
                    out.add(ar.getAddress());
                } else if (r instanceof AAAARecord ar) {
                    out.add(ar.getAddress());
                }
            }
        }
        return new Addresses(out, null);
    }

    private Result fetch(
            String address, String host, List<InetAddress> ips, String path, long deadline) {
        String url = "https://" + host + (port == 443 ? "" : ":" + port) + path;
        byte[] body;
        try {
            body = get(host, ips.get(0), path, deadline);
        } catch (IOException e) {
            return new Result.NotFound(
                    "Web Key Directory " + url + " unreachable or not trusted: " + e.getMessage());
        }
        if (body == null) {
            return new Result.NotFound("no key at " + url);
        }
        List<PublishedKey> usable = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try {
            PGPPublicKeyRingCollection rings =
                    new PGPPublicKeyRingCollection(body, new JcaKeyFingerprintCalculator());
            for (Iterator<PGPPublicKeyRing> it = rings.getKeyRings(); it.hasNext(); ) {
                PublishedKey k =
                        PublishedKey.check(it.next().getEncoded(), address, true, clock.instant());
                if (k.usableForEncryption() && !k.issues().contains(KeyIssue.USER_ID_MISMATCH)) {
                    usable.add(k);
                } else {
                    problems.addAll(k.details());
                }
            }
        } catch (IOException | org.bouncycastle.openpgp.PGPException | RuntimeException e) {
            return new Result.NotFound(
                    "the Web Key Directory answer at "
                            + url
                            + " is not a binary OpenPGP key: "
                            + e.getMessage());
        }
        return usable.isEmpty()
                ? new Result.NotFound(
                        "the Web Key Directory key at " + url + " is unusable " + problems)
                : new Result.Found(usable, url);
    }

    /** GET over HTTPS/1.1; the body on 200, null on 404, an exception otherwise. */
    private byte[] get(String host, InetAddress ip, String path, long deadline) throws IOException {
        int timeout =
                (int) Math.max(1, Math.min(10_000, (deadline - System.nanoTime()) / 1_000_000));
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(ip, port), timeout);
            plain.setSoTimeout(timeout);
            try (SSLSocket s =
                    (SSLSocket) tls.getSocketFactory().createSocket(plain, host, port, true)) {
                SSLParameters p = s.getSSLParameters();
                p.setServerNames(List.of(new SNIHostName(host)));
                p.setEndpointIdentificationAlgorithm("HTTPS");
                s.setSSLParameters(p);
                s.startHandshake();
                OutputStream out = s.getOutputStream();
                out.write(
                        ("GET "
                                        + path
                                        + " HTTP/1.1\r\nHost: "
                                        + host
                                        + (port == 443 ? "" : ":" + port)
                                        + "\r\nUser-Agent: daneel-milter\r\nAccept: application/octet-stream\r\nConnection: close\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return response(s.getInputStream());
            }
        }
    }

    private static byte[] response(InputStream in) throws IOException {
        String status = line(in);
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP response: " + status);
        }
        int code = Integer.parseInt(parts[1]);
        long length = -1;
        boolean chunked = false;
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            String name = colon > 0 ? h.substring(0, colon).strip().toLowerCase(Locale.ROOT) : "";
            String value = colon > 0 ? h.substring(colon + 1).strip() : "";
            if (name.equals("content-length")) {
                length = Long.parseLong(value);
            } else if (name.equals("transfer-encoding")
                    && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                chunked = true;
            }
        }
        if (code == 404) {
            return null;
        }
        if (code != 200) {
            throw new IOException("HTTP " + status.substring(status.indexOf(' ') + 1));
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunked) {
            for (long n = Long.parseLong(line(in).split(";")[0].strip(), 16);
                    n > 0;
                    n = Long.parseLong(line(in).split(";")[0].strip(), 16)) {
                copy(in, body, n);
                line(in);
            }
        } else if (length >= 0) {
            copy(in, body, length);
        } else {
            copy(in, body, MAX_RESPONSE + 1L);
        }
        return body.toByteArray();
    }

    private static void copy(InputStream in, ByteArrayOutputStream body, long n)
            throws IOException {
        if (body.size() + n > MAX_RESPONSE + 1L && n != MAX_RESPONSE + 1L) {
            throw new IOException("answer larger than " + MAX_RESPONSE + " octets");
        }
        byte[] buf = new byte[8192];
        long left = n;
        while (left > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (r < 0) {
                if (n == MAX_RESPONSE + 1L) {
                    return; // read to the end of a response without a length
                }
                throw new IOException("answer cut short");
            }
            body.write(buf, 0, r);
            left -= r;
        }
        if (body.size() > MAX_RESPONSE) {
            throw new IOException("answer larger than " + MAX_RESPONSE + " octets");
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed inside the HTTP header");
            }
            if (b.length() > 8192) {
                throw new IOException("HTTP header line too long");
            }
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    /**
     * Only ASCII A-Z are mapped, as the draft says (a Unicode lowercase could hash another
     * mailbox).
     */
    static String asciiLower(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            b.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
        }
        return b.toString();
    }

    /** z-base-32 (the draft's §3.1 encoding of the 160-bit SHA-1: 32 characters). */
    static String zbase32(byte[] data) {
        StringBuilder out = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte d : data) {
            buffer = (buffer << 8) | (d & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(ZBASE32.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(ZBASE32.charAt((buffer << (5 - bits)) & 31));
        }
        return out.toString();
    }

    private static byte[] sha1(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-1", e);
        }
    }
}
