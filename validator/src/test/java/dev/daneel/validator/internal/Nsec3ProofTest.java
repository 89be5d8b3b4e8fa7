package dev.daneel.validator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.validator.Limit;
import dev.daneel.validator.Limits;
import dev.daneel.validator.Reason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * {@link Nsec3Proof} on the NSEC3 chain of the example zone of RFC 5155 Appendix A (salt aabbccdd,
 * 12 iterations), asked the questions of Appendix B. The hashed owners are the ones the appendix
 * prints (they were checked against dnspython's {@code nsec3_hash}, an independent implementation),
 * not values the code under test computed. The RFC's records all carry the opt-out flag; {@code
 * optOut=false} builds the same chain without it.
 */
class Nsec3ProofTest {

    private static final Name EXAMPLE = Name.fromConstantString("example.");

    /** Hashed owner, next hashed owner and types; the names are RFC 5155 Appendix A's. */
    private static final String[][] CHAIN = {
        {
            "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom",
            "2t7b4g4vsa5smi47k61mv5bv1a22bojr",
            "NS SOA MX RRSIG DNSKEY NSEC3PARAM"
        }, // example
        {"2t7b4g4vsa5smi47k61mv5bv1a22bojr", "2vptu5timamqttgl4luu9kg21e0aor3s", "A RRSIG"}, // ns1
        {
            "2vptu5timamqttgl4luu9kg21e0aor3s", "35mthgpgcu1qg68fab165klnsnk3dpvl", "MX RRSIG"
        }, // x.y.w
        {
            "35mthgpgcu1qg68fab165klnsnk3dpvl", "b4um86eghhds6nea196smvmlo4ors995", "NS DS RRSIG"
        }, // a
        {"b4um86eghhds6nea196smvmlo4ors995", "gjeqe526plbf1g8mklp59enfd789njgi", "MX RRSIG"}, // x.w
        {
            "gjeqe526plbf1g8mklp59enfd789njgi",
            "ji6neoaepv8b5o6k4ev33abha8ht9fgc",
            "A HINFO AAAA RRSIG"
        }, // ai
        {
            "ji6neoaepv8b5o6k4ev33abha8ht9fgc", "k8udemvp1j2f7eg6jebps17vp3n8i58h", ""
        }, // y.w (empty non-terminal)
        {
            "k8udemvp1j2f7eg6jebps17vp3n8i58h", "q04jkcevqvmu85r014c7dkba38o0ji5r", ""
        }, // w (empty non-terminal)
        {"q04jkcevqvmu85r014c7dkba38o0ji5r", "r53bq7cc2uvmubfu5ocmm6pers9tk9en", "A RRSIG"}, // ns2
        {"r53bq7cc2uvmubfu5ocmm6pers9tk9en", "t644ebqk9bibcna874givr6joj62mlhv", "MX RRSIG"}, // *.w
        {
            "t644ebqk9bibcna874givr6joj62mlhv",
            "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom",
            "A HINFO AAAA RRSIG"
        }, // xx
    };

    private static List<NSEC3Record> records(boolean optOut, int iterations) {
        List<NSEC3Record> out = new ArrayList<>();
        for (String[] r : CHAIN) {
            try {
                out.add(
                        (NSEC3Record)
                                Record.fromString(
                                        Name.fromConstantString(r[0] + ".example."),
                                        Type.NSEC3,
                                        DClass.IN,
                                        3600,
                                        "1 "
                                                + (optOut ? 1 : 0)
                                                + " "
                                                + iterations
                                                + " aabbccdd "
                                                + r[1].toUpperCase()
                                                + " "
                                                + r[2],
                                        EXAMPLE));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    private static Nsec3Proof proof(boolean optOut) {
        return new Nsec3Proof(
                EXAMPLE,
                records(optOut, 12),
                new Nsec3Hasher(new Budget(Limits.DEFAULT)),
                Limits.DEFAULT);
    }

    private static Name n(String name) {
        return Name.fromConstantString(name);
    }

    @Test
    void appendixB1NameErrorIsAClosestEncloserProofAndACoveredWildcard() {
        // a.c.x.w.example.: closest encloser x.w.example., next closer c.x.w.example. covered by
        // the
        // example. record, wildcard *.x.w.example. covered by the a.example. record.
        DenialProof.Proof secure = proof(false).nxdomain(n("a.c.x.w.example."));
        assertTrue(secure.proven(), secure.why());
        assertFalse(secure.optOut());
        DenialProof.Proof rfc = proof(true).nxdomain(n("a.c.x.w.example."));
        assertTrue(rfc.proven(), rfc.why());
        assertTrue(
                rfc.optOut(),
                "the next closer name lies in an opt-out span: an unsigned delegation may hide there");
    }

    @Test
    void appendixB2NoDataErrorIsTheMatchingRecordWithoutTheType() {
        assertTrue(proof(false).nodata(n("ns1.example."), Type.MX).proven());
        assertFalse(proof(false).nodata(n("ns1.example."), Type.A).proven());
    }

    @Test
    void appendixB21NoDataAtAnEmptyNonTerminalIsAnEmptyBitmap() {
        assertTrue(proof(false).nodata(n("y.w.example."), Type.A).proven());
        assertTrue(proof(false).emptyNonTerminal(n("y.w.example.")).proven());
        assertFalse(proof(false).emptyNonTerminal(n("ns1.example.")).proven(), "ns1 has data");
    }

    @Test
    void appendixB3AnOptOutSpanOverTheDelegationProvesOnlyThatItMayBeUnsigned() {
        // mc.c.example.: closest encloser example., next closer c.example. inside the opt-out span
        // of a.example.
        Nsec3Proof rfc = proof(true);
        assertEquals(
                DenialProof.DsAbsence.OPT_OUT_DELEGATION, rfc.dsAbsence(n("c.example.")).absence());
        assertTrue(rfc.nodata(n("mc.c.example."), Type.MX).optOut());
        assertEquals(
                DenialProof.DsAbsence.NOT_PROVEN,
                proof(false).dsAbsence(n("c.example.")).absence(),
                "without opt-out, a covered name is simply absent; it is no proof about a delegation");
    }

    @Test
    void aDelegationRecordListingDsIsNoDsAbsence() {
        assertEquals(
                DenialProof.DsAbsence.NOT_PROVEN,
                proof(false).dsAbsence(n("a.example.")).absence());
        assertFalse(proof(false).insecureDelegationAt(n("a.example.")).proven());
    }

    @Test
    void appendixB4WildcardExpansionNeedsTheNextCloserNameCovered() {
        // a.z.w.example. from *.w.example. (RRSIG labels 2): next closer z.w.example. covered by
        // the ns2 record.
        assertTrue(proof(false).wildcardExpansion(n("a.z.w.example."), 2).proven());
        assertFalse(
                proof(false).wildcardExpansion(n("ns1.example."), 1).proven(),
                "ns1.example. exists");
    }

    @Test
    void appendixB5WildcardNoDataIsEncloserCoverAndWildcardWithoutTheType() {
        assertTrue(proof(false).nodata(n("a.z.w.example."), Type.AAAA).proven());
        assertFalse(
                proof(false).nodata(n("a.z.w.example."), Type.MX).proven(), "the wildcard owns MX");
    }

    @Test
    void appendixB6DsNoDataFromTheChildApexIsNotAProof() {
        assertFalse(proof(false).nodata(n("example."), Type.DS).proven());
    }

    @Test
    void recordsOfTwoParameterSetsProveNothing() {
        List<NSEC3Record> mixed = new ArrayList<>(records(false, 12));
        mixed.set(1, records(false, 13).get(1));
        Nsec3Proof p =
                new Nsec3Proof(
                        EXAMPLE,
                        mixed,
                        new Nsec3Hasher(new Budget(Limits.DEFAULT)),
                        Limits.DEFAULT);
        assertFalse(p.nodata(n("ns1.example."), Type.MX).proven());
        assertFalse(p.nxdomain(n("a.c.x.w.example.")).proven());
    }

    @Test
    void recordsAboveTheHardIterationLimitAreNotUsedButStillCounted() {
        Limits limits =
                Limits.DEFAULT
                        .withNsec3IterationsInsecureAbove(5)
                        .withNsec3IterationsBogusAbove(10);
        Nsec3Proof p =
                new Nsec3Proof(
                        EXAMPLE, records(false, 12), new Nsec3Hasher(new Budget(limits)), limits);
        assertTrue(p.nsec3s().isEmpty());
        assertEquals(12, p.maxNsec3Iterations());
        assertFalse(p.nodata(n("ns1.example."), Type.MX).proven());
    }

    @Test
    void aSpentHashBudgetFailsTheProofAndNamesTheLimit() {
        Limits limits = Limits.DEFAULT.withMaxNsec3Hashes(1);
        Nsec3Proof p =
                new Nsec3Proof(
                        EXAMPLE, records(false, 12), new Nsec3Hasher(new Budget(limits)), limits);
        DenialProof.Proof nx = p.nxdomain(n("a.c.x.w.example."));
        assertFalse(nx.proven());
        assertEquals(Limit.NSEC3_HASHES, nx.limitHit());
        assertEquals(Reason.WORK_LIMIT_EXCEEDED, nx.failure());
        assertTrue(nx.why().contains("CVE-2023-50868"), nx.why());
    }

    @Test
    void aProvenDenialNamesNoLimit() {
        assertNull(proof(false).nxdomain(n("a.c.x.w.example.")).limitHit());
    }

    @Test
    void theHasherCountsEachNameOnce() {
        Budget budget = new Budget(Limits.DEFAULT);
        Nsec3Hasher hasher = new Nsec3Hasher(budget);
        NSEC3Record params = records(false, 12).get(0);
        assertEquals("0p9mhaveqvm6t7vbl5lop2u3t2rp3tom", hasher.hash(EXAMPLE, params));
        assertEquals("0p9mhaveqvm6t7vbl5lop2u3t2rp3tom", hasher.hash(EXAMPLE, params));
        assertEquals("k8udemvp1j2f7eg6jebps17vp3n8i58h", hasher.hash(n("w.example."), params));
        assertFalse(hasher.budgetSpent());
    }
}
