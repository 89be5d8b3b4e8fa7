package dev.daneel.validator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * {@link NsecProof} on the NSEC chain of the example zone of RFC 4035 Appendix A, asked the
 * questions of Appendix B. The records are the appendix's; the expected outcomes are the appendix's
 * explanations.
 */
class NsecProofTest {

    private static final Name EXAMPLE = Name.fromConstantString("example.");

    /** RFC 4035 Appendix A: every NSEC record of "example.", owner, next name and type bitmap. */
    private static final String[][] CHAIN = {
        {"example.", "a.example. NS SOA MX RRSIG NSEC DNSKEY"},
        {"a.example.", "ai.example. NS DS RRSIG NSEC"},
        {"ai.example.", "b.example. A HINFO AAAA RRSIG NSEC"},
        {"b.example.", "ns1.example. NS RRSIG NSEC"},
        {"ns1.example.", "ns2.example. A RRSIG NSEC"},
        {"ns2.example.", "*.w.example. A RRSIG NSEC"},
        {"*.w.example.", "x.w.example. MX RRSIG NSEC"},
        {"x.w.example.", "x.y.w.example. MX RRSIG NSEC"},
        {"x.y.w.example.", "xx.example. MX RRSIG NSEC"},
        {"xx.example.", "example. A HINFO AAAA RRSIG NSEC"},
    };

    private static NsecProof proof(String... owners) {
        List<NSECRecord> records = new ArrayList<>();
        for (String[] r : CHAIN) {
            if (owners.length == 0 || List.of(owners).contains(r[0])) {
                try {
                    records.add(
                            (NSECRecord)
                                    Record.fromString(
                                            Name.fromConstantString(r[0]),
                                            Type.NSEC,
                                            DClass.IN,
                                            3600,
                                            r[1],
                                            EXAMPLE));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return new NsecProof(EXAMPLE, records, -1);
    }

    private static Name n(String name) {
        return Name.fromConstantString(name);
    }

    @Test
    void appendixB2NameErrorNeedsTheCoveringNsecAndTheWildcardDenial() {
        // ml.example. lies between b.example. and ns1.example.; the wildcard *.example. between
        // example. and a.example.
        assertTrue(proof("b.example.", "example.").nxdomain(n("ml.example.")).proven());
        DenialProof.Proof withoutWildcard = proof("b.example.").nxdomain(n("ml.example."));
        assertFalse(
                withoutWildcard.proven(),
                "without a denial of *.example. a wildcard could have answered");
        assertEquals(
                dev.daneel.validator.Reason.DNSSEC_BOGUS,
                withoutWildcard.failure(),
                "records came and do not prove it (RFC 8914 §4.7)");
    }

    @Test
    void appendixB3NoDataErrorIsTheMatchingNsecWithoutTheType() {
        assertTrue(proof("ns1.example.").nodata(n("ns1.example."), Type.MX).proven());
        assertFalse(
                proof("ns1.example.").nodata(n("ns1.example."), Type.A).proven(),
                "the bitmap lists A");
    }

    @Test
    void appendixB4ReferralToAnUnsignedZoneIsNsWithoutDs() {
        NsecProof p = proof("b.example.");
        assertTrue(p.insecureDelegationAt(n("b.example.")).proven());
        assertEquals(
                DenialProof.DsAbsence.INSECURE_DELEGATION, p.dsAbsence(n("b.example.")).absence());
        assertEquals(
                DenialProof.DsAbsence.NOT_PROVEN,
                proof("a.example.").dsAbsence(n("a.example.")).absence(),
                "a.example.'s NSEC lists DS: its absence is not proven");
    }

    @Test
    void parentSideNsecAtACutCannotDenyDataInTheChild() {
        // The NSEC at b.example. (NS, no SOA) is the parent's; names below b.example. live in the
        // child zone.
        assertFalse(proof("b.example.", "example.").nxdomain(n("mc.b.example.")).proven());
        assertFalse(proof("b.example.").nodata(n("b.example."), Type.A).proven());
    }

    @Test
    void appendixB6WildcardExpansionNeedsTheNsecCoveringTheName() {
        // a.z.w.example. answered from *.w.example. (RRSIG labels 2): x.y.w.example. NSEC covers
        // it.
        assertTrue(proof("x.y.w.example.").wildcardExpansion(n("a.z.w.example."), 2).proven());
        assertFalse(
                proof("x.y.w.example.").wildcardExpansion(n("a.z.w.example."), 1).proven(),
                "the NSEC proves the closest encloser w.example., not example.");
        assertFalse(proof("ns1.example.").wildcardExpansion(n("a.z.w.example."), 2).proven());
    }

    @Test
    void appendixB7WildcardNoDataIsTheCoverPlusTheWildcardWithoutTheType() {
        NsecProof p = proof("x.y.w.example.", "*.w.example.");
        assertTrue(p.nodata(n("a.z.w.example."), Type.AAAA).proven());
        assertFalse(p.nodata(n("a.z.w.example."), Type.MX).proven(), "the wildcard owns MX");
    }

    @Test
    void appendixB8DsNoDataFromTheChildApexIsNotAProof() {
        // The apex NSEC of example. lists SOA: it is the child's record and cannot deny the
        // parent-side DS.
        assertFalse(proof("example.").nodata(n("example."), Type.DS).proven());
        assertEquals(
                DenialProof.DsAbsence.NOT_PROVEN,
                proof("example.").dsAbsence(n("example.")).absence());
    }

    @Test
    void aSpanEndingBelowTheNameShowsAnEmptyNonTerminal() {
        // y.w.example. exists only as the parent of x.y.w.example.: the x.w.example. NSEC's span
        // ends below it.
        assertTrue(proof("x.w.example.").emptyNonTerminal(n("y.w.example.")).proven());
        assertFalse(proof("x.w.example.").nxdomain(n("y.w.example.")).proven());
        assertTrue(proof("x.w.example.").nodata(n("y.w.example."), Type.A).proven());
    }

    @Test
    void theLastRecordWrapsToTheApex() {
        assertTrue(proof("xx.example.").covers(n("xy.example.")));
        assertFalse(
                proof("xx.example.").covers(n("xx.example.")),
                "a name at the owner is matched, not covered");
    }

    @Test
    void proofsLeaveNothingBehindForTheNextQuestion() {
        NsecProof p = proof();
        DenialProof.Proof first = p.nxdomain(n("ml.example."));
        DenialProof.Proof second = p.nodata(n("ns1.example."), Type.A);
        assertTrue(first.proven());
        assertFalse(second.proven());
        assertEquals(
                first,
                p.nxdomain(n("ml.example.")),
                "the same question gives the same immutable answer");
    }
}
