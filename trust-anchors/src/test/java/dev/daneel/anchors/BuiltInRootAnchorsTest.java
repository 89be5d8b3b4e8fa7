package dev.daneel.anchors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The compiled-in root-anchors.xml: its public keys hash to the DS records IANA publishes (the
 * reference values below are typed in independently, from IANA's announcement, not read from the
 * file), and {@link TrustAnchors#builtIn(Clock)} honours validFrom and validUntil.
 */
class BuiltInRootAnchorsTest {

    /** The independent reference: the root KSKs' DS records as IANA publishes them. */
    static final Map<Integer, String> REFERENCE_DS =
            Map.of(
                    20326,
                            ". DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D",
                    38696,
                            ". DS 38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16");

    static final Pattern KEY_DIGEST =
            Pattern.compile("<KeyDigest\\b(.*?)</KeyDigest>", Pattern.DOTALL);

    static String resource() throws Exception {
        try (InputStream in = TrustAnchors.class.getResourceAsStream("root-anchors.xml")) {
            assertNotNull(in, "root-anchors.xml must be a resource next to TrustAnchors");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static String element(String block, String name) {
        Matcher m =
                Pattern.compile("<" + name + ">\\s*(.*?)\\s*</" + name + ">", Pattern.DOTALL)
                        .matcher(block);
        return m.find() ? m.group(1) : null;
    }

    static Clock at(String instant) {
        return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
    }

    @Test
    void publicKeysInTheResourceHashToIanasPublishedDsRecords() throws Exception {
        Map<Integer, String> computed = new LinkedHashMap<>();
        Matcher m = KEY_DIGEST.matcher(resource());
        while (m.find()) {
            String block = m.group(1);
            String publicKey = element(block, "PublicKey");
            if (publicKey == null) {
                continue; // KSK-2010 predates PublicKey in the file
            }
            DNSKEYRecord key =
                    (DNSKEYRecord)
                            Record.fromString(
                                    Name.root,
                                    Type.DNSKEY,
                                    DClass.IN,
                                    172800,
                                    element(block, "Flags")
                                            + " 3 "
                                            + element(block, "Algorithm")
                                            + " "
                                            + publicKey,
                                    Name.root);
            DSRecord ds = new DSRecord(Name.root, DClass.IN, 0, DNSSEC.Digest.SHA256, key);
            computed.put(
                    key.getFootprint(),
                    ". DS "
                            + ds.getFootprint()
                            + " "
                            + ds.getAlgorithm()
                            + " "
                            + ds.getDigestID()
                            + " "
                            + HexFormat.of().withUpperCase().formatHex(ds.getDigest()));
            assertEquals(
                    element(block, "KeyTag"),
                    Integer.toString(key.getFootprint()),
                    "KeyTag element vs the key's tag");
            assertEquals(
                    element(block, "Digest"),
                    HexFormat.of().withUpperCase().formatHex(ds.getDigest()),
                    "Digest element vs the key's digest");
        }
        assertEquals(REFERENCE_DS, computed);
    }

    @Test
    void resourceCarriesIanasValidityDates() throws Exception {
        String xml = resource();
        assertTrue(
                xml.contains("id=\"Klajeyz\" validFrom=\"2017-02-02T00:00:00+00:00\""),
                "KSK-2017 validFrom");
        assertTrue(
                xml.contains("id=\"Kmyv6jo\" validFrom=\"2024-07-18T00:00:00+00:00\""),
                "KSK-2024 validFrom");
    }

    static Set<Integer> tags(TrustAnchors a) {
        return a.forZone(Name.root).orElseThrow().ds().stream()
                .map(DSRecord::getFootprint)
                .collect(Collectors.toSet());
    }

    @Test
    void builtInTodayHasKsk2017AndKsk2024AsDs() {
        TrustAnchors a = TrustAnchors.builtIn(at("2026-11-21T00:00:00Z"));
        assertEquals(Set.of(Name.root), a.zones());
        assertEquals(Set.of(20326, 38696), tags(a));
        assertTrue(
                a.forZone(Name.root).orElseThrow().keys().isEmpty(),
                "the digests are the anchors, as RFC 7958 says");
        assertEquals(Set.of(20326, 38696), tags(TrustAnchors.builtIn()));
    }

    @Test
    void builtInHonoursValidFrom() {
        assertEquals(
                Set.of(20326),
                tags(TrustAnchors.builtIn(at("2020-01-01T00:00:00Z"))),
                "KSK-2024 only from 2024-07-18");
        assertEquals(Set.of(20326), tags(TrustAnchors.builtIn(at("2024-07-17T23:59:59Z"))));
        assertEquals(Set.of(20326, 38696), tags(TrustAnchors.builtIn(at("2024-07-18T00:00:00Z"))));
    }

    @Test
    void builtInHonoursValidUntil() {
        assertEquals(Set.of(19036), tags(TrustAnchors.builtIn(at("2012-01-01T00:00:00Z"))));
        assertEquals(Set.of(19036, 20326), tags(TrustAnchors.builtIn(at("2018-06-01T00:00:00Z"))));
        assertEquals(
                Set.of(20326),
                tags(TrustAnchors.builtIn(at("2019-01-12T00:00:00Z"))),
                "KSK-2010 ended 2019-01-11");
    }

    @Test
    void builtInWithAClockBeforeEveryKeyIsAClearError() {
        IllegalStateException e =
                assertThrows(
                        IllegalStateException.class,
                        () -> TrustAnchors.builtIn(at("2001-01-01T00:00:00Z")));
        assertTrue(e.getMessage().contains("is the clock right?"), e.getMessage());
        assertTrue(e.getMessage().contains("valid only from 2010-07-15T00:00:00Z"), e.getMessage());
    }
}
