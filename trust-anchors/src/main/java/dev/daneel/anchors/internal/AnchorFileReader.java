package dev.daneel.anchors.internal;

import dev.daneel.anchors.AnchorFormatException;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.xml.sax.InputSource;

/**
 * Tells the three anchor formats apart and reads one: RFC 7958 XML (starts with {@code <}), BIND
 * clauses (starts with {@code trust-anchors}, {@code managed-keys} or {@code trusted-keys}), else
 * master-file lines. Refuses an input that yields no anchor, and a DS that names none of the keys
 * given beside it.
 */
public final class AnchorFileReader {

    private AnchorFileReader() {}

    /** Reads raw bytes (XML keeps its own encoding declaration; the other formats are UTF-8). */
    public static List<LocatedRecord> read(String source, byte[] content, Instant now) {
        if (startsWithAngle(content)) {
            return finish(
                    source,
                    RootAnchorsXml.parse(
                            source, new InputSource(new ByteArrayInputStream(content)), now));
        }
        String text;
        try {
            text =
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(content))
                            .toString();
        } catch (CharacterCodingException e) {
            throw new AnchorFormatException(
                    source,
                    0,
                    "expected UTF-8 text (DS/DNSKEY lines, BIND trust-anchors, or"
                            + " root-anchors.xml), saw bytes that are not UTF-8",
                    e);
        }
        return readText(source, text, now);
    }

    /** Reads text. */
    public static List<LocatedRecord> readText(String source, String content, Instant now) {
        String text = content.startsWith("\uFEFF") ? content.substring(1) : content;
        if (RootAnchorsXml.looksLikeXml(text)) {
            return finish(
                    source,
                    RootAnchorsXml.parse(source, new InputSource(new StringReader(text)), now));
        }
        String first = BindAnchorParser.firstWord(source, text).toLowerCase(Locale.ROOT);
        if (BindAnchorParser.CLAUSES.contains(first)) {
            return finish(source, BindAnchorParser.parse(source, text));
        }
        return finish(source, PresentationParser.parse(source, text));
    }

    private static List<LocatedRecord> finish(String source, List<LocatedRecord> records) {
        if (records.isEmpty()) {
            throw new AnchorFormatException(
                    source,
                    0,
                    "expected at least one DS or DNSKEY trust anchor, saw none:"
                            + " a validator without an anchor would validate nothing");
        }
        AnchorChecks.dsMatchKeys(source, records);
        return records;
    }

    private static boolean startsWithAngle(byte[] b) {
        for (byte x : b) {
            boolean blankOrBom =
                    x == ' '
                            || x == '\t'
                            || x == '\r'
                            || x == '\n'
                            || x == (byte) 0xEF
                            || x == (byte) 0xBB
                            || x == (byte) 0xBF;
            if (blankOrBom) {
                continue;
            }
            return x == '<';
        }
        return false;
    }
}
