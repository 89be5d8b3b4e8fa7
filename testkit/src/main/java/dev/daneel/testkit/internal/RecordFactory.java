package dev.daneel.testkit.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.xbill.DNS.Address;
import org.xbill.DNS.DClass;
import org.xbill.DNS.IPSECKEYRecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPENPGPKEYRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SSHFPRecord;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TextParseException;

/**
 * Builds records from master-file text and from keys and certificates. The encodings here are the
 * testkit's own, written from the RFCs, so that tests of Daneel's record modules compare against an
 * independent implementation. Stateless and thread-safe.
 */
public final class RecordFactory {

    private RecordFactory() {}

    /** Parses master-file lines relative to {@code origin}, naming the offending line on error. */
    public static List<Record> parse(String lines, Name origin, long defaultTtl) {
        List<Record> out = new ArrayList<>();
        for (String line : lines.split("\n")) {
            if (line.isBlank() || line.trim().startsWith(";")) {
                continue;
            }
            String text = "$ORIGIN " + origin + "\n$TTL " + defaultTtl + "\n" + line + "\n";
            try (Master master =
                    new Master(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)))) {
                master.disableIncludes();
                Record r;
                while ((r = master.nextRecord()) != null) {
                    out.add(r);
                }
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException(
                        "cannot parse record line \""
                                + line.trim()
                                + "\" in zone "
                                + origin
                                + ": "
                                + e.getMessage(),
                        e);
            }
        }
        return out;
    }

    /** A TLSA record with data computed from a certificate (RFC 6698 §2.1.2, §2.1.3). */
    public static TLSARecord tlsa(
            Name owner, long ttl, X509Certificate cert, int usage, int selector, int matchingType) {
        byte[] selected;
        try {
            switch (selector) {
                case 0:
                    selected = cert.getEncoded();
                    break;
                case 1:
                    selected = cert.getPublicKey().getEncoded();
                    break;
                default:
                    throw new IllegalArgumentException(
                            "TLSA selector must be 0 (Cert) or 1 (SPKI), got " + selector);
            }
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException(
                    "certificate cannot be encoded: " + e.getMessage(), e);
        }
        byte[] data;
        switch (matchingType) {
            case 0:
                data = selected;
                break;
            case 1:
                data = digest("SHA-256", selected);
                break;
            case 2:
                data = digest("SHA-512", selected);
                break;
            default:
                throw new IllegalArgumentException(
                        "TLSA matching type must be 0, 1 or 2, got " + matchingType);
        }
        if (usage < 0 || usage > 255) {
            throw new IllegalArgumentException("TLSA usage must be 0..255, got " + usage);
        }
        return new TLSARecord(owner, DClass.IN, ttl, usage, selector, matchingType, data);
    }

    /** An OPENPGPKEY record at the RFC 7929 §3 owner name of {@code address}. */
    public static OPENPGPKEYRecord openpgpkey(String address, long ttl, byte[] key) {
        int at = address.lastIndexOf('@');
        if (at <= 0 || at == address.length() - 1) {
            throw new IllegalArgumentException(
                    "expected an address local@domain, got \"" + address + "\"");
        }
        String localPart = canonicalLocalPart(address.substring(0, at));
        byte[] hash = digest("SHA-256", localPart.getBytes(StandardCharsets.UTF_8));
        String owner =
                HexFormat.of().formatHex(hash, 0, 28) + "._openpgpkey." + address.substring(at + 1);
        return new OPENPGPKEYRecord(absolute(owner), DClass.IN, ttl, key);
    }

    /**
     * RFC 7929 §3 steps 2 and 3: comments and folding white space outside quotes are removed, as
     * are enclosing double quotes and literal quoting; the result is put in Unicode NFC. Case is
     * kept: the RFC maps nothing else (§5), so {@code Hugh} and {@code hugh} have different owner
     * names.
     */
    static String canonicalLocalPart(String localPart) {
        StringBuilder out = new StringBuilder(localPart.length());
        boolean quoted = false;
        int comment = 0;
        for (int i = 0; i < localPart.length(); i++) {
            char c = localPart.charAt(i);
            if (c == '\\' && (quoted || comment > 0) && i + 1 < localPart.length()) {
                c = localPart.charAt(++i);
                if (comment == 0) {
                    out.append(c);
                }
            } else if (comment > 0) {
                comment += c == '(' ? 1 : c == ')' ? -1 : 0;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (quoted) {
                out.append(c);
            } else if (c == '(') {
                comment = 1;
            } else if (!Character.isWhitespace(c)) {
                out.append(c);
            }
        }
        return Normalizer.normalize(out, Normalizer.Form.NFC);
    }

    /** An SSHFP record from an OpenSSH public key line. */
    public static SSHFPRecord sshfp(Name owner, long ttl, String opensshLine, int fingerprintType) {
        String[] parts = opensshLine.trim().split("\\s+");
        if (parts.length < 2) {
            throw new IllegalArgumentException(
                    "expected an OpenSSH public key line \"TYPE BASE64 [comment]\", got \""
                            + opensshLine
                            + "\"");
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "OpenSSH key data is not base64: " + e.getMessage(), e);
        }
        String embedded = sshString(blob);
        if (!embedded.equals(parts[0])) {
            throw new IllegalArgumentException(
                    "OpenSSH key type " + parts[0] + " does not match the key blob's " + embedded);
        }
        int algorithm;
        if (parts[0].equals("ssh-rsa")) {
            algorithm = 1;
        } else if (parts[0].equals("ssh-dss")) {
            algorithm = 2;
        } else if (parts[0].startsWith("ecdsa-sha2-")) {
            algorithm = 3;
        } else if (parts[0].equals("ssh-ed25519")) {
            algorithm = 4;
        } else if (parts[0].equals("ssh-ed448")) {
            algorithm = 6;
        } else {
            throw new IllegalArgumentException(
                    "no SSHFP algorithm for OpenSSH key type " + parts[0]);
        }
        byte[] fingerprint;
        switch (fingerprintType) {
            case 1:
                fingerprint = digest("SHA-1", blob);
                break;
            case 2:
                fingerprint = digest("SHA-256", blob);
                break;
            default:
                throw new IllegalArgumentException(
                        "SSHFP fingerprint type must be 1 (SHA-1) or 2 (SHA-256), got "
                                + fingerprintType);
        }
        return new SSHFPRecord(owner, DClass.IN, ttl, algorithm, fingerprintType, fingerprint);
    }

    /** An IPSECKEY record (RFC 4025) for a gateway and a public key. */
    public static IPSECKEYRecord ipseckey(
            Name owner, long ttl, int precedence, String gateway, PublicKey key) {
        if (precedence < 0 || precedence > 255) {
            throw new IllegalArgumentException(
                    "IPSECKEY precedence must be 0..255, got " + precedence);
        }
        int gatewayType;
        Object gatewayValue;
        if (gateway == null) {
            gatewayType = IPSECKEYRecord.Gateway.None;
            gatewayValue = null;
        } else if (gateway.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            gatewayType = IPSECKEYRecord.Gateway.IPv4;
            gatewayValue = literal(gateway, Address.IPv4);
        } else if (gateway.contains(":")) {
            gatewayType = IPSECKEYRecord.Gateway.IPv6;
            gatewayValue = literal(gateway, Address.IPv6);
        } else {
            gatewayType = IPSECKEYRecord.Gateway.Name;
            gatewayValue = absolute(gateway);
        }
        int algorithm;
        byte[] data;
        if (key instanceof RSAPublicKey) {
            algorithm = 2;
            data = rfc3110((RSAPublicKey) key);
        } else if (key instanceof ECPublicKey) {
            algorithm = 3;
            data = ecPoint((ECPublicKey) key);
        } else if (key.getAlgorithm().equals("Ed25519")
                || key.getAlgorithm().equals("Ed448")
                || key.getAlgorithm().equals("EdDSA")) {
            algorithm = 4;
            byte[] spki = key.getEncoded();
            // The SPKI of an EdDSA key ends with the raw key: 32 octets for Ed25519, 57 for Ed448.
            int raw = spki.length == 44 ? 32 : 57;
            data = Arrays.copyOfRange(spki, spki.length - raw, spki.length);
        } else {
            throw new IllegalArgumentException(
                    "IPSECKEY needs an RSA, EC or EdDSA key, got " + key.getAlgorithm());
        }
        return new IPSECKEYRecord(
                owner, DClass.IN, ttl, precedence, gatewayType, algorithm, gatewayValue, data);
    }

    /** RFC 3110 §2: exponent length (one octet, or zero and two octets), exponent, modulus. */
    static byte[] rfc3110(RSAPublicKey key) {
        byte[] e = unsigned(key.getPublicExponent());
        byte[] n = unsigned(key.getModulus());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (e.length <= 255) {
            out.write(e.length);
        } else {
            out.write(0);
            out.write(e.length >>> 8);
            out.write(e.length);
        }
        out.writeBytes(e);
        out.writeBytes(n);
        return out.toByteArray();
    }

    private static byte[] ecPoint(ECPublicKey key) {
        int size = (key.getParams().getCurve().getField().getFieldSize() + 7) / 8;
        byte[] out = new byte[2 * size];
        byte[] x = unsigned(key.getW().getAffineX());
        byte[] y = unsigned(key.getW().getAffineY());
        System.arraycopy(x, 0, out, size - x.length, x.length);
        System.arraycopy(y, 0, out, 2 * size - y.length, y.length);
        return out;
    }

    private static byte[] unsigned(BigInteger v) {
        byte[] b = v.toByteArray();
        return b[0] == 0 && b.length > 1 ? Arrays.copyOfRange(b, 1, b.length) : b;
    }

    private static String sshString(byte[] blob) {
        if (blob.length < 4) {
            throw new IllegalArgumentException("OpenSSH key blob too short");
        }
        ByteBuffer buf = ByteBuffer.wrap(blob);
        int len = buf.getInt();
        if (len < 0 || len > blob.length - 4) {
            throw new IllegalArgumentException("OpenSSH key blob has a bad type length " + len);
        }
        return new String(blob, 4, len, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
    }

    /** A dotted IPv4 literal as an address, never looked up. */
    public static InetAddress ipv4(String literal) {
        return literal(literal, Address.IPv4);
    }

    /** An IPv4 or IPv6 literal as an address; parsed by dnsjava, so nothing is ever looked up. */
    private static InetAddress literal(String literal, int family) {
        byte[] bytes =
                family == Address.IPv4 && !literal.matches("\\d{1,3}(\\.\\d{1,3}){3}")
                        ? null
                        : Address.toByteArray(literal, family);
        if (bytes == null) {
            throw new IllegalArgumentException(
                    "not an "
                            + (family == Address.IPv4 ? "IPv4" : "IPv6")
                            + " address literal: \""
                            + literal
                            + "\"");
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a 4- or 16-octet address is always accepted", e);
        }
    }

    private static Name absolute(String name) {
        try {
            return Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a domain name: \"" + name + "\"", e);
        }
    }

    static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required of every Java platform", e);
        }
    }
}
