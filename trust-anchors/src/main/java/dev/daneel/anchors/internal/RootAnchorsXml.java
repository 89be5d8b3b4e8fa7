package dev.daneel.anchors.internal;

import dev.daneel.anchors.AnchorFormatException;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * IANA's {@code root-anchors.xml} (RFC 7958, with the {@code PublicKey} and {@code Flags} elements
 * RFC 9718 added):
 *
 * <pre>{@code
 * <TrustAnchor id="..." source="http://data.iana.org/root-anchors/root-anchors.xml">
 *   <Zone>.</Zone>
 *   <KeyDigest id="Klajeyz" validFrom="2017-02-02T00:00:00+00:00">
 *     <KeyTag>20326</KeyTag> <Algorithm>8</Algorithm> <DigestType>2</DigestType>
 *     <Digest>E06D44B8...</Digest> <PublicKey>AwEAAaz/...</PublicKey> <Flags>257</Flags>
 *   </KeyDigest>
 * </TrustAnchor>
 * }</pre>
 *
 * <p>Each {@code KeyDigest} becomes a DS record when {@code validFrom <= now} and {@code
 * validUntil} (if any) has not passed; the others are skipped (IANA keeps retired keys in the
 * file). A file where no digest is valid now is an error. Where a public key is given, its key tag
 * and digest must match.
 *
 * <p>The JDK's SAX parser runs with secure processing, DOCTYPE declarations refused and external
 * entities and DTDs off, so the file cannot make the parser read anything else (no XXE).
 */
public final class RootAnchorsXml {

    private static final Logger LOG = System.getLogger("dev.daneel.anchors");

    private RootAnchorsXml() {}

    /** One {@code KeyDigest} element. */
    private static final class KeyDigest {
        final int line;
        final String id;
        final String validFrom;
        final String validUntil;
        final Map<String, String> fields = new LinkedHashMap<>();

        KeyDigest(int line, String id, String validFrom, String validUntil) {
            this.line = line;
            this.id = id;
            this.validFrom = validFrom;
            this.validUntil = validUntil;
        }

        String label() {
            String tag = fields.get("KeyTag");
            return "KeyDigest"
                    + (id == null ? "" : " " + id)
                    + (tag == null ? "" : " (key tag " + tag + ")");
        }
    }

    /**
     * Whether {@code text} looks like XML (a {@code <} before anything else but a BOM and
     * whitespace).
     */
    public static boolean looksLikeXml(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\uFEFF' || Character.isWhitespace(c)) {
                continue;
            }
            return c == '<';
        }
        return false;
    }

    /**
     * One {@code KeyDigest} of the file with its validity window (RFC 7958 §2.3).
     *
     * @param ds the digest as a DS record
     * @param id the KeyDigest's {@code id} attribute, or null
     * @param validFrom the start of its validity
     * @param validUntil its end, if the file gives one
     * @param line where it starts in the file
     */
    public record Digest(
            DSRecord ds, String id, Instant validFrom, Optional<Instant> validUntil, int line) {

        /** Whether the digest is valid at {@code now}. */
        public boolean validAt(Instant now) {
            return !now.isBefore(validFrom)
                    && (validUntil.isEmpty() || !now.isAfter(validUntil.get()));
        }
    }

    /**
     * Every digest of the file, whatever its validity window, in file order; the file's checks all
     * apply.
     */
    public static List<Digest> parseAll(String source, InputSource input) {
        Handler h = handle(source, input);
        List<Digest> out = new ArrayList<>();
        for (KeyDigest kd : h.digests) {
            DSRecord ds = toDs(source, h.zone, kd);
            Instant from = time(source, kd, "validFrom", kd.validFrom);
            Optional<Instant> until =
                    kd.validUntil == null
                            ? Optional.empty()
                            : Optional.of(time(source, kd, "validUntil", kd.validUntil));
            out.add(new Digest(ds, kd.id, from, until, kd.line));
        }
        return out;
    }

    /** The DS records of the digests valid at {@code now}. */
    public static List<LocatedRecord> parse(String source, InputSource input, Instant now) {
        Handler h = handle(source, input);
        return validAt(source, h, now);
    }

    private static Handler handle(String source, InputSource input) {
        Handler h = new Handler(source);
        try {
            newParser().parse(input, h);
        } catch (SAXParseException e) {
            String msg = e.getMessage();
            if (msg != null && msg.contains("DOCTYPE")) {
                msg =
                        "expected no DOCTYPE (DTDs and entities are refused, so the file cannot pull in other files), saw one";
            }
            throw new AnchorFormatException(
                    source, Math.max(e.getLineNumber(), 0), "malformed XML: " + msg, e);
        } catch (SAXException e) {
            if (e.getCause() instanceof AnchorFormatException) {
                throw (AnchorFormatException) e.getCause();
            }
            throw new AnchorFormatException(source, 0, "malformed XML: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new AnchorFormatException(source, 0, "cannot read: " + e.getMessage(), e);
        }
        if (!h.sawRoot) {
            throw new AnchorFormatException(
                    source, 0, "expected a <TrustAnchor> document (RFC 7958), saw none");
        }
        if (h.zone == null) {
            throw new AnchorFormatException(
                    source, h.rootLine, "expected a <Zone> element in <TrustAnchor>, saw none");
        }
        if (h.digests.isEmpty()) {
            throw new AnchorFormatException(
                    source,
                    h.rootLine,
                    "expected at least one <KeyDigest> in <TrustAnchor>, saw none");
        }
        return h;
    }

    private static List<LocatedRecord> validAt(String source, Handler h, Instant now) {
        List<LocatedRecord> out = new ArrayList<>();
        StringJoiner skipped = new StringJoiner("; ");
        for (KeyDigest kd : h.digests) {
            DSRecord ds = toDs(source, h.zone, kd);
            Instant from = time(source, kd, "validFrom", kd.validFrom);
            Optional<Instant> until =
                    kd.validUntil == null
                            ? Optional.empty()
                            : Optional.of(time(source, kd, "validUntil", kd.validUntil));
            if (now.isBefore(from)) {
                skipped.add(kd.label() + " at line " + kd.line + " is valid only from " + from);
                LOG.log(
                        Level.INFO,
                        () ->
                                source
                                        + ":"
                                        + kd.line
                                        + ": "
                                        + kd.label()
                                        + " not yet valid (validFrom "
                                        + from
                                        + "); skipped");
            } else if (until.isPresent() && now.isAfter(until.get())) {
                skipped.add(kd.label() + " at line " + kd.line + " expired at " + until.get());
                LOG.log(
                        Level.INFO,
                        () ->
                                source
                                        + ":"
                                        + kd.line
                                        + ": "
                                        + kd.label()
                                        + " expired (validUntil "
                                        + until.get()
                                        + "); skipped");
            } else {
                out.add(new LocatedRecord(ds, kd.line));
            }
        }
        if (out.isEmpty()) {
            throw new AnchorFormatException(
                    source,
                    0,
                    "no KeyDigest is valid at "
                            + now
                            + ": "
                            + skipped
                            + ". Fetch the current file from https://data.iana.org/root-anchors/root-anchors.xml");
        }
        return out;
    }

    private static DSRecord toDs(String source, Name zone, KeyDigest kd) {
        int tag = number(source, kd, "KeyTag", 65535);
        int alg = number(source, kd, "Algorithm", 255);
        int digestType = number(source, kd, "DigestType", 255);
        String hex = required(source, kd, "Digest").replaceAll("\\s+", "");
        byte[] digest;
        try {
            digest = HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            throw new AnchorFormatException(
                    source,
                    kd.line,
                    "expected hexadecimal in <Digest> of "
                            + kd.label()
                            + ", saw '"
                            + AnchorChecks.abbreviate(hex)
                            + "'",
                    e);
        }
        if (kd.validFrom == null) {
            throw new AnchorFormatException(
                    source,
                    kd.line,
                    "expected a validFrom attribute on "
                            + kd.label()
                            + " (RFC 7958 §2.3), saw none");
        }
        DSRecord ds;
        try {
            ds = new DSRecord(zone, DClass.IN, 0, tag, alg, digestType, digest);
        } catch (IllegalArgumentException e) {
            throw new AnchorFormatException(
                    source,
                    kd.line,
                    "expected a digest that fits <DigestType> "
                            + digestType
                            + " in "
                            + kd.label()
                            + ": "
                            + e.getMessage(),
                    e);
        }
        AnchorChecks.checkDs(source, kd.line, ds);
        String publicKey = kd.fields.get("PublicKey");
        String flags = kd.fields.get("Flags");
        if ((publicKey == null) != (flags == null)) {
            throw new AnchorFormatException(
                    source,
                    kd.line,
                    "expected <PublicKey> and <Flags> together in "
                            + kd.label()
                            + ", saw only <"
                            + (publicKey == null ? "Flags" : "PublicKey")
                            + ">");
        }
        if (publicKey != null) {
            byte[] key;
            try {
                key = Base64.getDecoder().decode(publicKey.replaceAll("\\s+", ""));
            } catch (IllegalArgumentException e) {
                throw new AnchorFormatException(
                        source,
                        kd.line,
                        "expected base64 in <PublicKey> of " + kd.label() + ": " + e.getMessage(),
                        e);
            }
            DNSKEYRecord dnskey =
                    new DNSKEYRecord(
                            zone, DClass.IN, 0, number(source, kd, "Flags", 65535), 3, alg, key);
            AnchorChecks.checkKey(source, kd.line, dnskey);
            if (dnskey.getFootprint() != tag) {
                throw new AnchorFormatException(
                        source,
                        kd.line,
                        kd.label()
                                + ": its <PublicKey> has key tag "
                                + dnskey.getFootprint()
                                + ", expected "
                                + tag
                                + " as <KeyTag> says; the file is corrupt");
            }
            if ((digestType == DNSSEC.Digest.SHA1
                            || digestType == DNSSEC.Digest.SHA256
                            || digestType == DNSSEC.Digest.SHA384)
                    && !ProbeProcessor.dsMatches(ds, dnskey)) {
                throw new AnchorFormatException(
                        source,
                        kd.line,
                        kd.label()
                                + ": <Digest> does not match the digest of its"
                                + " <PublicKey>; the file is corrupt");
            }
        }
        return ds;
    }

    private static int number(String source, KeyDigest kd, String element, int max) {
        String text = required(source, kd, element);
        try {
            int v = Integer.parseInt(text.trim());
            if (v < 0 || v > max) {
                throw new NumberFormatException("out of range");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new AnchorFormatException(
                    source,
                    kd.line,
                    "expected a number from 0 to "
                            + max
                            + " in <"
                            + element
                            + "> of "
                            + kd.label()
                            + ", saw '"
                            + text.trim()
                            + "'",
                    e);
        }
    }

    private static String required(String source, KeyDigest kd, String element) {
        String v = kd.fields.get(element);
        if (v == null || v.isBlank()) {
            throw new AnchorFormatException(
                    source, kd.line, "expected <" + element + "> in " + kd.label() + ", saw none");
        }
        return v.trim();
    }

    private static Instant time(String source, KeyDigest kd, String attribute, String text) {
        try {
            return OffsetDateTime.parse(text.trim()).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(text.trim())
                        .toInstant(ZoneOffset.UTC); // xsd:dateTime without zone: UTC
            } catch (DateTimeParseException e2) {
                throw new AnchorFormatException(
                        source,
                        kd.line,
                        "expected an xsd:dateTime like 2017-02-02T00:00:00+00:00 in "
                                + attribute
                                + " of "
                                + kd.label()
                                + ", saw '"
                                + text
                                + "'",
                        e);
            }
        }
    }

    private static SAXParser newParser() {
        try {
            SAXParserFactory f = SAXParserFactory.newInstance();
            f.setNamespaceAware(false);
            f.setValidating(false);
            f.setXIncludeAware(false);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            SAXParser p = f.newSAXParser();
            p.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            p.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            return p;
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException(
                    "the JDK's XML parser cannot be configured securely: " + e.getMessage(), e);
        }
    }

    private static final class Handler extends DefaultHandler {
        private final String source;
        private Locator locator;
        private final List<String> path = new ArrayList<>();
        private final StringBuilder text = new StringBuilder();
        boolean sawRoot;
        int rootLine;
        Name zone;
        final List<KeyDigest> digests = new ArrayList<>();
        private KeyDigest current;

        Handler(String source) {
            this.source = source;
        }

        @Override
        public void setDocumentLocator(Locator l) {
            this.locator = l;
        }

        private int line() {
            return locator == null ? 0 : locator.getLineNumber();
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes atts)
                throws SAXException {
            text.setLength(0);
            if (path.isEmpty()) {
                if (!qName.equals("TrustAnchor")) {
                    throw fail(
                            line(),
                            "expected the root element <TrustAnchor> (RFC 7958), saw <"
                                    + qName
                                    + ">");
                }
                sawRoot = true;
                rootLine = line();
            } else if (path.size() == 1 && qName.equals("KeyDigest")) {
                current =
                        new KeyDigest(
                                line(),
                                atts.getValue("id"),
                                atts.getValue("validFrom"),
                                atts.getValue("validUntil"));
            }
            path.add(qName);
        }

        @Override
        public void characters(char[] ch, int start, int length) {
            text.append(ch, start, length);
        }

        @Override
        public void endElement(String uri, String localName, String qName) throws SAXException {
            path.remove(path.size() - 1);
            if (path.size() == 1 && qName.equals("Zone")) {
                if (zone != null) {
                    throw fail(line(), "expected one <Zone> in <TrustAnchor>, saw a second");
                }
                try {
                    zone = Name.fromString(text.toString().trim(), Name.root);
                } catch (TextParseException e) {
                    throw fail(
                            line(),
                            "expected a zone name in <Zone>, saw '" + text.toString().trim() + "'");
                }
            } else if (path.size() == 1 && qName.equals("KeyDigest")) {
                digests.add(current);
                current = null;
            } else if (path.size() == 2 && current != null) {
                if (current.fields.put(qName, text.toString()) != null) {
                    throw fail(
                            line(),
                            "expected one <"
                                    + qName
                                    + "> in "
                                    + current.label()
                                    + ", saw a second");
                }
            }
            text.setLength(0);
        }

        private SAXException fail(int line, String problem) {
            return new SAXException(new AnchorFormatException(source, line, problem));
        }
    }
}
