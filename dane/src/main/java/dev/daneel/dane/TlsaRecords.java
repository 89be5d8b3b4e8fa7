package dev.daneel.dane;

import dev.daneel.dane.internal.Association;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Creates TLSA records and zone-file lines from a certificate, a chain or a public key, in the RFC
 * 6698 form and in the RFC 3597 generic form ({@code TYPE52 \# len hex}) that older signers need.
 * The lines are those hash-slinger's {@code tlsa --create} prints, byte for byte.
 *
 * <pre>{@code
 * TlsaRecord r = TlsaRecords.create(cert, CertUsage.DANE_EE, Selector.SPKI, MatchingType.SHA2_256);
 * TlsaRecords.line("www.example.com", 443, "tcp", r);
 * // _443._tcp.www.example.com. IN TLSA 3 1 1 78bad910…
 * TlsaRecords.genericLine("www.example.com", 443, "tcp", r);
 * // _443._tcp.www.example.com. IN TYPE52 \# 35 030101 78bad910…
 * }</pre>
 *
 * <p>Stateless; thread-safe.
 */
public final class TlsaRecords {

    /** The TLSA RR type code (RFC 6698 §7.1). */
    public static final int TYPE_TLSA = 52;

    private TlsaRecords() {}

    /** The record for one certificate. */
    public static TlsaRecord create(
            X509Certificate cert, CertUsage usage, Selector selector, MatchingType type) {
        Objects.requireNonNull(cert, "cert");
        return new TlsaRecord(
                usage.code(), selector.code(), type.code(), Association.data(cert, selector, type));
    }

    /**
     * The record for a chain (leaf first): usages PKIX-EE and DANE-EE take the leaf, usages PKIX-TA
     * and DANE-TA the top-most certificate of the chain.
     */
    public static TlsaRecord create(
            List<X509Certificate> chain, CertUsage usage, Selector selector, MatchingType type) {
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("the chain has no certificate");
        }
        boolean endEntity = usage == CertUsage.DANE_EE || usage == CertUsage.PKIX_EE;
        return create(
                endEntity ? chain.get(0) : chain.get(chain.size() - 1), usage, selector, type);
    }

    /**
     * The record for a bare public key (selector SPKI(1)), e.g. for a raw-public-key server (RFC
     * 7250).
     */
    public static TlsaRecord create(PublicKey key, CertUsage usage, MatchingType type) {
        return new TlsaRecord(
                usage.code(), Selector.SPKI.code(), type.code(), type.apply(key.getEncoded()));
    }

    /**
     * The owner name {@code _port._protocol.host.} (RFC 6698 §3).
     *
     * @throws IllegalArgumentException when the port is not 0..65535 or the protocol is not a label
     */
    public static String owner(String host, int port, String protocol) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        if (!protocol.matches("[A-Za-z0-9-]{1,63}")) {
            throw new IllegalArgumentException(
                    "protocol must be one label such as tcp, udp or sctp, got " + protocol);
        }
        String h = host.endsWith(".") ? host : host + ".";
        return "_" + port + "._" + protocol.toLowerCase(Locale.ROOT) + "." + h;
    }

    /** The RFC 6698 zone-file line, {@code _443._tcp.host. IN TLSA 3 1 1 hex}. */
    public static String line(String host, int port, String protocol, TlsaRecord record) {
        return owner(host, port, protocol) + " IN TLSA " + record;
    }

    /** The RFC 3597 generic zone-file line, {@code _443._tcp.host. IN TYPE52 \# len hex}. */
    public static String genericLine(String host, int port, String protocol, TlsaRecord record) {
        byte[] data = record.data();
        byte[] rdata = new byte[3 + data.length];
        rdata[0] = (byte) record.usage();
        rdata[1] = (byte) record.selector();
        rdata[2] = (byte) record.matchingType();
        System.arraycopy(data, 0, rdata, 3, data.length);
        return owner(host, port, protocol)
                + " IN TYPE"
                + TYPE_TLSA
                + " \\# "
                + rdata.length
                + " "
                + HexFormat.of().formatHex(rdata);
    }
}
