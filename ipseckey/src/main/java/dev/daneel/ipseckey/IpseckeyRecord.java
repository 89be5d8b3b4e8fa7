package dev.daneel.ipseckey;

import dev.daneel.ipseckey.internal.KeyCodec;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.Name;
import org.xbill.DNS.WireParseException;

/**
 * One IPSECKEY record (RFC 4025): precedence, gateway, key algorithm and public key. Parsed from
 * and printed to presentation form, RFC 3597 generic form and wire form; made from a JCA key by
 * {@link #of(String, int, Gateway, PublicKey)}.
 *
 * <pre>{@code
 * IpseckeyRecord r = IpseckeyRecord.parse("38.2.0.192.in-addr.arpa. 7200 IN IPSECKEY ( 10 1 2 192.0.2.38"
 *         + " AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSGvgqt4AQ== )");
 * r.rfcForm();      // 38.2.0.192.in-addr.arpa. IN IPSECKEY 10 1 2 192.0.2.38 AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSGvgqt4AQ==
 * r.genericForm();  // 38.2.0.192.in-addr.arpa. IN TYPE45 \# 41 0a0102c0000226010351…
 * }</pre>
 *
 * @param owner the owner name as given (the TTL and class of a parsed line are not kept)
 * @param precedence 0..255, lower is preferred (RFC 4025 §2.2)
 * @param gateway the gateway
 * @param algorithm the key algorithm number (see {@link IpseckeyAlgorithm}); unknown numbers are
 *     kept
 * @param publicKey the key field, encoded for the algorithm
 */
public record IpseckeyRecord(
        String owner, int precedence, Gateway gateway, int algorithm, byte[] publicKey) {

    /** The RR type number of IPSECKEY. */
    public static final int TYPE = 45;

    /**
     * Checks owner and gateway, that precedence and algorithm are octets (0..255); copies the key.
     */
    public IpseckeyRecord {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(gateway, "gateway");
        if (precedence < 0 || precedence > 255) {
            throw new IllegalArgumentException("precedence must be 0..255, got " + precedence);
        }
        if (algorithm < 0 || algorithm > 255) {
            throw new IllegalArgumentException("algorithm must be 0..255, got " + algorithm);
        }
        publicKey = publicKey.clone();
    }

    /**
     * The record publishing {@code key} (RSA, EC P-256/P-384, Ed25519 or Ed448) behind {@code
     * gateway}.
     */
    public static IpseckeyRecord of(String owner, int precedence, Gateway gateway, PublicKey key) {
        KeyCodec.Encoded e = KeyCodec.encode(key);
        return new IpseckeyRecord(owner, precedence, gateway, e.algorithm(), e.key());
    }

    /**
     * Parses a presentation line, {@code OWNER [TTL] [CLASS] IPSECKEY PREC GWTYPE ALG GATEWAY
     * BASE64}, parentheses and line breaks allowed.
     */
    public static IpseckeyRecord parse(String line) {
        List<String> t = tokens(line);
        int i = indexOfType(t);
        if (i < 1) {
            throw new IllegalArgumentException(
                    "expected \"OWNER [TTL] [CLASS] IPSECKEY ...\", got \"" + line.strip() + "\"");
        }
        return parseRdata(t.get(0), String.join(" ", t.subList(i + 1, t.size())));
    }

    /** Parses the RDATA text, {@code PREC GWTYPE ALG GATEWAY BASE64}, for {@code owner}. */
    public static IpseckeyRecord parseRdata(String owner, String rdata) {
        List<String> t = tokens(rdata);
        if (t.size() < 4) {
            throw new IllegalArgumentException(
                    "IPSECKEY data needs precedence, gateway type, algorithm and gateway,"
                            + " got \""
                            + rdata.strip()
                            + "\"");
        }
        int precedence = octet(t.get(0), "precedence");
        int gwType = octet(t.get(1), "gateway type");
        GatewayType type =
                GatewayType.fromCode(gwType)
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                "gateway type must be 0..3, got " + gwType));
        int algorithm = octet(t.get(2), "algorithm");
        Gateway gateway = Gateway.parse(type, t.get(3));
        String b64 = String.join("", t.subList(4, t.size()));
        byte[] key;
        try {
            key = Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "the IPSECKEY public key is not base64: " + e.getMessage(), e);
        }
        return new IpseckeyRecord(owner, precedence, gateway, algorithm, key);
    }

    /** Reads wire-form RDATA (RFC 4025 §2.1). */
    public static IpseckeyRecord fromWire(String owner, byte[] rdata) {
        DNSInput in = new DNSInput(rdata);
        try {
            int precedence = in.readU8();
            int gwType = in.readU8();
            int algorithm = in.readU8();
            Gateway gateway;
            switch (gwType) {
                case 0:
                    gateway = Gateway.none();
                    break;
                case 1:
                    gateway = Gateway.ofAddress(GatewayType.IPV4, in.readByteArray(4));
                    break;
                case 2:
                    gateway = Gateway.ofAddress(GatewayType.IPV6, in.readByteArray(16));
                    break;
                case 3:
                    gateway = Gateway.ofName(new Name(in));
                    break;
                default:
                    throw new IllegalArgumentException("gateway type must be 0..3, got " + gwType);
            }
            return new IpseckeyRecord(owner, precedence, gateway, algorithm, in.readByteArray());
        } catch (WireParseException e) {
            throw new IllegalArgumentException("truncated IPSECKEY RDATA: " + e.getMessage(), e);
        }
    }

    /** A copy of the key field. */
    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** The key as a JCA key (RSA, EC, Ed25519, Ed448). */
    public PublicKey toPublicKey() {
        return KeyCodec.decode(algorithm, publicKey);
    }

    /** Whether this record publishes exactly {@code key} (same algorithm, same encoded key). */
    public boolean matches(PublicKey key) {
        KeyCodec.Encoded e = KeyCodec.encode(key);
        return e.algorithm() == algorithm && MessageDigest.isEqual(e.key(), publicKey);
    }

    /** Wire-form RDATA. */
    public byte[] toWire() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(precedence);
        out.write(gateway.type().code());
        out.write(algorithm);
        switch (gateway.type()) {
            case IPV4:
            case IPV6:
                out.writeBytes(gateway.address());
                break;
            case DOMAIN_NAME:
                out.writeBytes(gateway.domainName().toWire()); // uncompressed (RFC 4025 §2.5)
                break;
            default:
                break;
        }
        out.writeBytes(publicKey);
        return out.toByteArray();
    }

    /** Presentation form: {@code owner IN IPSECKEY 10 1 2 192.0.2.38 BASE64}. */
    public String rfcForm() {
        String s =
                owner
                        + " IN IPSECKEY "
                        + precedence
                        + " "
                        + gateway.type().code()
                        + " "
                        + algorithm
                        + " "
                        + gateway.text();
        return publicKey.length == 0 ? s : s + " " + Base64.getEncoder().encodeToString(publicKey);
    }

    /**
     * RFC 3597 generic form, for signers that do not know IPSECKEY: {@code owner IN TYPE45 \# len
     * hex}.
     */
    public String genericForm() {
        byte[] wire = toWire();
        return owner
                + " IN TYPE"
                + TYPE
                + " \\# "
                + wire.length
                + " "
                + HexFormat.of().formatHex(wire);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof IpseckeyRecord)) {
            return false;
        }
        IpseckeyRecord r = (IpseckeyRecord) o;
        return owner.equals(r.owner)
                && precedence == r.precedence
                && gateway.equals(r.gateway)
                && algorithm == r.algorithm
                && Arrays.equals(publicKey, r.publicKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(owner, precedence, gateway, algorithm, Arrays.hashCode(publicKey));
    }

    @Override
    public String toString() {
        return rfcForm();
    }

    private static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        for (String s : text.replace("(", " ").replace(")", " ").strip().split("\\s+")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    private static int indexOfType(List<String> t) {
        for (int i = 0; i < t.size(); i++) {
            if (t.get(i).toUpperCase(Locale.ROOT).equals("IPSECKEY")) {
                return i;
            }
        }
        return -1;
    }

    private static int octet(String s, String what) {
        try {
            int v = Integer.parseInt(s);
            if (v >= 0 && v <= 255) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(what + " must be 0..255, got \"" + s + "\"");
    }
}
