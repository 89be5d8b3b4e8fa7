package dev.daneel.anchors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.anchors.TestKeys.SigningKey;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;

/** The anchor set the validator reads: grouping by zone and lookup by name. */
class TrustAnchorsTest {

    static final Name EXAMPLE = Name.fromConstantString("example.");
    static final Name SUB = Name.fromConstantString("sub.example.");

    @Test
    void closestEnclosingFindsTheDeepestAnchoredZone() {
        SigningKey root = TestKeys.ksk(Name.root, 3600);
        SigningKey sub = TestKeys.ksk(SUB, 3600);
        TrustAnchors a = TrustAnchors.of(root.ds(), sub.dnskey());
        assertEquals(Set.of(Name.root, SUB), a.zones());
        assertEquals(
                SUB,
                a.closestEnclosing(Name.fromConstantString("www.sub.example."))
                        .orElseThrow()
                        .zone());
        assertEquals(
                Name.root,
                a.closestEnclosing(Name.fromConstantString("www.example.")).orElseThrow().zone());
        assertEquals(Optional.empty(), a.forZone(EXAMPLE));
        assertEquals(List.of(sub.dnskey()), a.forZone(SUB).orElseThrow().keys());
    }

    @Test
    void emptyOrNonAnchorRecordsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> TrustAnchors.of(List.of()));
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                TrustAnchors.of(
                                        new ARecord(
                                                EXAMPLE,
                                                DClass.IN,
                                                60,
                                                java.net.InetAddress.getLoopbackAddress())));
        assertTrue(e.getMessage().contains("must be a DS or DNSKEY"), e.getMessage());
    }

    @Test
    void fromAnchorsRegroupsTrackerAnchors() {
        SigningKey k = TestKeys.ksk(EXAMPLE, 3600);
        TrustAnchors a =
                TrustAnchors.fromAnchors(
                        List.of(new Anchor(EXAMPLE, List.of(k.ds()), List.of(k.dnskey()))));
        assertEquals(1, a.forZone(EXAMPLE).orElseThrow().ds().size());
        assertEquals(1, a.forZone(EXAMPLE).orElseThrow().keys().size());
    }
}
