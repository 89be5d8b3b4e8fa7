package dev.daneel.openpgpkey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OpenPgpKeyNameTest {

    @Test
    void rfc7929Section3KnownAnswer() {
        // The worked example of RFC 7929 §3 (local part "hugh").
        assertEquals(
                "c93f1e400f26708f98cb19d936620da35eec8f72e57f9eec01c1afd6._openpgpkey.example.com.",
                OpenPgpKeyName.of("hugh@example.com"));
    }

    @Test
    void localPartIsHashedAsWrittenNotLowercased() {
        // RFC 7929 §3 hashes the local part as written; only the domain is case-insensitive.
        String lower = OpenPgpKeyName.of("hugh@example.com");
        String upper = OpenPgpKeyName.of("Hugh@EXAMPLE.com");
        assertEquals(lower.substring(56), upper.substring(56));
        org.junit.jupiter.api.Assertions.assertNotEquals(
                lower.substring(0, 56), upper.substring(0, 56));
    }

    @Test
    void addressWithoutLocalPartIsRejectedWithTheInput() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class, () -> OpenPgpKeyName.of("@example.com"));
        assertEquals(
                "expected an address of the form local@domain, got \"@example.com\"",
                e.getMessage());
    }

    @Test
    void nonAsciiLocalPartIsHashedAsUtf8InNfc() {
        // sha256(UTF-8 "h\u00fcgh")[0:28], computed independently with Python's hashlib.
        String expected =
                "175c9bf7d2c81b7278d3403d0dcdf59e194877c2c488f59980b18936._openpgpkey.example.com.";
        assertEquals(expected, OpenPgpKeyName.of("h\u00fcgh@example.com"));
        assertEquals(
                expected,
                OpenPgpKeyName.of("hu\u0308gh@example.com"),
                "decomposed u + diaeresis is put in NFC");
    }

    @Test
    void quotedLocalPartHashesLikeTheUnquotedOne() {
        assertEquals(
                OpenPgpKeyName.of("hugh@example.com"), OpenPgpKeyName.of("\"hugh\"@example.com"));
        assertEquals(
                OpenPgpKeyName.of("hugh@example.com"), OpenPgpKeyName.of("\"hu\\gh\"@example.com"));
        assertEquals(
                "hu gh@x",
                OpenPgpKeyName.localPart("\"hu gh@x\"@example.com"),
                "quotes keep spaces and @");
    }

    @Test
    void commentsAndWhiteSpaceOutsideQuotesAreRemoved() {
        assertEquals(
                OpenPgpKeyName.of("hugh@example.com"),
                OpenPgpKeyName.of("(work) hugh@example.com"));
    }

    @Test
    void internationalisedDomainIsWrittenAsALabels() {
        assertEquals("xn--bcher-kva.example.", OpenPgpKeyName.domain("hugh@B\u00fccher.example"));
        assertTrue(
                OpenPgpKeyName.of("hugh@b\u00fccher.example")
                        .endsWith("._openpgpkey.xn--bcher-kva.example."));
    }

    @Test
    void lowercasedNameIsWhatHashSlingerAndGnupgPublish() {
        assertEquals(
                OpenPgpKeyName.of("hugh@example.com"),
                OpenPgpKeyName.lowercased("Hugh@Example.COM"));
    }

    @Test
    void trailingDotOnTheDomainIsAccepted() {
        assertEquals(OpenPgpKeyName.of("hugh@example.com"), OpenPgpKeyName.of("hugh@example.com."));
    }

    @Test
    void localPartOfOnlyQuotesIsRejected() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> OpenPgpKeyName.of("\"\"@example.com"));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }
}
