package dev.daneel.dane;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import org.xbill.DNS.TLSARecord;

/**
 * The RDATA of one TLSA record (RFC 6698 §2.1): the three parameter octets and the association
 * data. Unassigned parameters are kept, so that such a record can be reported and then ignored as
 * unusable (RFC 7671 §4.1).
 *
 * <pre>{@code
 * TlsaRecord r = TlsaRecord.parse("3 1 1 3111668338043DE264D0256A702248696C9484B6221A42740F920187B4C61838");
 * r.usable(); // true
 * }</pre>
 *
 * @param usage the certificate usage octet
 * @param selector the selector octet
 * @param matchingType the matching type octet
 * @param data the certificate association data
 */
public record TlsaRecord(int usage, int selector, int matchingType, byte[] data) {

    /** Checks that usage, selector and matching type are octets (0..255); copies the data. */
    public TlsaRecord {
        checkOctet("usage", usage);
        checkOctet("selector", selector);
        checkOctet("matching type", matchingType);
        data = Objects.requireNonNull(data, "data").clone();
    }

    private static void checkOctet(String what, int value) {
        if (value < 0 || value > 255) {
            throw new IllegalArgumentException("TLSA " + what + " must be 0..255, got " + value);
        }
    }

    /** The record data of a dnsjava TLSA record. */
    public static TlsaRecord of(TLSARecord record) {
        return new TlsaRecord(
                record.getCertificateUsage(),
                record.getSelector(),
                record.getMatchingType(),
                record.getCertificateAssociationData());
    }

    /**
     * Parses {@code "usage selector mtype hex"}; the hex may contain whitespace.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static TlsaRecord parse(String text) {
        String[] parts = text.trim().split("\\s+", 4);
        if (parts.length < 4) {
            throw new IllegalArgumentException(
                    "expected \"usage selector mtype hex\", got \"" + text.trim() + "\"");
        }
        try {
            return new TlsaRecord(
                    Integer.parseInt(parts[0]),
                    Integer.parseInt(parts[1]),
                    Integer.parseInt(parts[2]),
                    HexFormat.of().parseHex(parts[3].replaceAll("\\s+", "")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "TLSA parameters must be decimal 0..255 in \"" + text.trim() + "\"", e);
        }
    }

    /** The association data (a copy). */
    @Override
    public byte[] data() {
        return data.clone();
    }

    /** The usage, if assigned. */
    public Optional<CertUsage> certUsage() {
        return CertUsage.fromCode(usage);
    }

    /** The selector, if assigned. */
    public Optional<Selector> certSelector() {
        return Selector.fromCode(selector);
    }

    /** The matching type, if assigned. */
    public Optional<MatchingType> certMatchingType() {
        return MatchingType.fromCode(matchingType);
    }

    /**
     * Whether this record can be used (RFC 7671 §4.1): usage, selector and matching type are
     * assigned and a digest has its digest's length. Whether Full(0) data parses is checked where
     * it is used.
     */
    public boolean usable() {
        Optional<MatchingType> m = certMatchingType();
        return certUsage().isPresent()
                && certSelector().isPresent()
                && m.isPresent()
                && (m.get() == MatchingType.FULL
                        ? data.length > 0
                        : data.length == m.get().length());
    }

    /**
     * Presentation form, {@code "3 1 1 ab12…"} (lower-case hex, as {@code ldns-dane} prints it).
     */
    @Override
    public String toString() {
        return usage + " " + selector + " " + matchingType + " " + HexFormat.of().formatHex(data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TlsaRecord t
                && t.usage == usage
                && t.selector == selector
                && t.matchingType == matchingType
                && Arrays.equals(t.data, data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(usage, selector, matchingType, Arrays.hashCode(data));
    }
}
