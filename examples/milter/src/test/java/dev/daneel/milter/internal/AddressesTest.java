package dev.daneel.milter.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Lookup keys, visibility and the UTF-8-or-Latin-1 reading of MTA octets. */
class AddressesTest {

    @Test
    void lookupKeyLowercasesTheDomainOnlyAndNormalisesToNfc() {
        assertEquals("Hugh@keys.test", Addresses.lookupKey(" Hugh@Keys.TEST. "));
        // "o" + combining diaeresis is the same mailbox as the precomposed "ö" (RFC 7929 §3 hashes
        // NFC).
        assertEquals("j\u00f6rg@keys.test", Addresses.lookupKey("jo\u0308rg@KEYS.test"));
        assertEquals("", Addresses.lookupKey(""));
    }

    @Test
    void namedAddressesSkipDisplayNamesQuotedStringsAndComments() {
        List<Mail.Header> headers =
                List.of(
                        new Mail.Header(
                                "To",
                                "\"bob@keys.test\" <Alice@Keys.test>, carol@keys.test (not dave@keys.test)"),
                        new Mail.Header("Cc", "J\u00f6rg <j\u00f6rg@keys.test>"),
                        new Mail.Header("Bcc", "frank@keys.test"),
                        new Mail.Header("Reply-To", "eve@keys.test"));
        assertEquals(
                Set.of("alice@keys.test", "carol@keys.test", "j\u00f6rg@keys.test"),
                Addresses.named(headers));
    }

    @Test
    void mtaOctetsAreUtf8WhenValidAndLatin1OctetForOctetOtherwise() {
        byte[] utf8 = "j\u00f6rg@keys.test".getBytes(StandardCharsets.UTF_8);
        assertEquals("j\u00f6rg@keys.test", Packet.text(utf8));
        byte[] latin1 = {'J', (byte) 0xf6, 'r', 'g'};
        assertEquals("J\u00f6rg", Packet.text(latin1));
        assertEquals(4, Packet.text(latin1).getBytes(StandardCharsets.ISO_8859_1).length);
    }
}
