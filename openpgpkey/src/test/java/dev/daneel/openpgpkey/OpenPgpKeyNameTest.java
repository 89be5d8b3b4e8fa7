package dev.daneel.openpgpkey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class OpenPgpKeyNameTest {

    @Test
    void rfc7929Section3KnownAnswer() {
        // The worked example of RFC 7929 §3 (local part "hugh").
        assertEquals("c93f1e400f26708f98cb19d936620da35eec8f72e57f9eec01c1afd6._openpgpkey.example.com.",
                OpenPgpKeyName.of("hugh@example.com"));
    }

    @Test
    void localPartIsHashedAsWrittenNotLowercased() {
        // RFC 7929 §3 hashes the local part as written; only the domain is case-insensitive.
        String lower = OpenPgpKeyName.of("hugh@example.com");
        String upper = OpenPgpKeyName.of("Hugh@EXAMPLE.com");
        assertEquals(lower.substring(56), upper.substring(56));
        org.junit.jupiter.api.Assertions.assertNotEquals(lower.substring(0, 56), upper.substring(0, 56));
    }

    @Test
    void addressWithoutLocalPartIsRejectedWithTheInput() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OpenPgpKeyName.of("@example.com"));
        assertEquals("expected an address of the form local@domain, got \"@example.com\"", e.getMessage());
    }
}
