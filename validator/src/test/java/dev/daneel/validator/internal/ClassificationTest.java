package dev.daneel.validator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.validator.Limit;
import dev.daneel.validator.Reason;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * {@link Classification#of}: each kind of response, decided from its structure before any signature
 * is checked.
 */
class ClassificationTest {

    private static final Name Q = Name.fromConstantString("www.example.test.");

    private static Message response(int rcode, String... sections) throws IOException {
        Message m = new Message();
        m.getHeader().setRcode(rcode);
        m.addRecord(Record.newRecord(Q, Type.A, DClass.IN), Section.QUESTION);
        for (String s : sections) {
            String[] parts = s.split(":", 2);
            int section = parts[0].equals("an") ? Section.ANSWER : Section.AUTHORITY;
            m.addRecord(parse(parts[1]), section);
        }
        return m;
    }

    private static Record parse(String line) throws IOException {
        String[] f = line.trim().split("\\s+", 3);
        return Record.fromString(
                Name.fromString(f[0]), Type.value(f[1]), DClass.IN, 300, f[2], Name.root);
    }

    private static Classification.Answered answered(Classification c) {
        return assertInstanceOf(Classification.Answered.class, c);
    }

    @Test
    void positiveAnswerAtTheQuestionName() throws IOException {
        Classification.Answered a =
                answered(
                        Classification.of(
                                response(Rcode.NOERROR, "an:www.example.test. A 192.0.2.1"),
                                Q,
                                Type.A,
                                12));
        assertEquals(Classification.Kind.POSITIVE, a.kind());
        assertEquals(Q, a.finalName());
        assertTrue(a.links().isEmpty());
    }

    @Test
    void cnameChainEndsWhereTheDataIs() throws IOException {
        Classification.Answered a =
                answered(
                        Classification.of(
                                response(
                                        Rcode.NOERROR,
                                        "an:www.example.test. CNAME host.other.test.",
                                        "an:host.other.test. A 192.0.2.1"),
                                Q,
                                Type.A,
                                12));
        assertEquals(Classification.Kind.POSITIVE, a.kind());
        assertEquals(Name.fromConstantString("host.other.test."), a.finalName());
        assertEquals(1, a.links().size());
    }

    @Test
    void cnameToNothingIsANegativeAnswerAtTheTarget() throws IOException {
        Classification.Answered a =
                answered(
                        Classification.of(
                                response(
                                        Rcode.NXDOMAIN,
                                        "an:www.example.test. CNAME gone.other.test.",
                                        "ns:other.test. SOA ns. host. 1 2 3 4 5"),
                                Q,
                                Type.A,
                                12));
        assertEquals(Classification.Kind.NXDOMAIN, a.kind());
        assertEquals(Name.fromConstantString("gone.other.test."), a.finalName());
    }

    @Test
    void noDataReferralAndAny() throws IOException {
        assertEquals(
                Classification.Kind.NODATA,
                answered(
                                Classification.of(
                                        response(
                                                Rcode.NOERROR,
                                                "ns:example.test. SOA ns. host. 1 2 3 4 5"),
                                        Q,
                                        Type.A,
                                        12))
                        .kind());
        assertEquals(
                Classification.Kind.REFERRAL,
                answered(
                                Classification.of(
                                        response(
                                                Rcode.NOERROR,
                                                "ns:www.example.test. NS ns.elsewhere."),
                                        Q,
                                        Type.A,
                                        12))
                        .kind());
        assertEquals(
                Classification.Kind.ANY,
                answered(
                                Classification.of(
                                        response(
                                                Rcode.NOERROR,
                                                "an:www.example.test. A 192.0.2.1",
                                                "an:www.example.test. TXT \"t\""),
                                        Q,
                                        Type.ANY,
                                        12))
                        .kind());
    }

    @Test
    void aDnameRedirectsAndItsSynthesisedCnameMustAgree() throws IOException {
        Classification.Answered a =
                answered(
                        Classification.of(
                                response(
                                        Rcode.NOERROR,
                                        "an:example.test. DNAME example.net.",
                                        "an:www.example.net. A 192.0.2.1"),
                                Q,
                                Type.A,
                                12));
        assertEquals(Name.fromConstantString("www.example.net."), a.finalName());
        assertTrue(a.links().get(0).dname());
        Classification broken =
                Classification.of(
                        response(
                                Rcode.NOERROR,
                                "an:example.test. DNAME example.net.",
                                "an:www.example.test. CNAME www.evil.test."),
                        Q,
                        Type.A,
                        12);
        assertEquals(
                Reason.DNSSEC_BOGUS,
                assertInstanceOf(Classification.BrokenChain.class, broken).reason());
    }

    @Test
    void loopsAndLongChainsAreBrokenChainsNamingTheLimit() throws IOException {
        Classification loop =
                Classification.of(
                        response(
                                Rcode.NOERROR,
                                "an:www.example.test. CNAME a.example.test.",
                                "an:a.example.test. CNAME www.example.test."),
                        Q,
                        Type.A,
                        12);
        Classification.BrokenChain l = assertInstanceOf(Classification.BrokenChain.class, loop);
        assertEquals(Reason.CHAIN_TOO_LONG, l.reason());
        assertEquals(null, l.limit(), "a loop is no limit");
        Classification tooLong =
                Classification.of(
                        response(
                                Rcode.NOERROR,
                                "an:www.example.test. CNAME a.example.test.",
                                "an:a.example.test. CNAME b.example.test.",
                                "an:b.example.test. A 192.0.2.1"),
                        Q,
                        Type.A,
                        1);
        assertEquals(
                Limit.CNAME_HOPS,
                assertInstanceOf(Classification.BrokenChain.class, tooLong).limit());
    }

    @Test
    void errorsYxdomainAndSignatureQueries() throws IOException {
        assertEquals(
                Rcode.SERVFAIL,
                assertInstanceOf(
                                Classification.ErrorRcode.class,
                                Classification.of(response(Rcode.SERVFAIL), Q, Type.A, 12))
                        .rcode());
        assertInstanceOf(
                Classification.Yxdomain.class,
                Classification.of(response(Rcode.YXDOMAIN), Q, Type.A, 12));
        assertInstanceOf(
                Classification.SignatureQuery.class,
                Classification.of(response(Rcode.NOERROR), Q, Type.RRSIG, 12));
    }
}
