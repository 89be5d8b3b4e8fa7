package dev.daneel.validator.rfc;

import static dev.daneel.validator.rfc.RfcExamples.answer;
import static dev.daneel.validator.rfc.RfcExamples.exchange;
import static dev.daneel.validator.rfc.RfcExamples.ksk;
import static dev.daneel.validator.rfc.RfcExamples.records;
import static dev.daneel.validator.rfc.RfcExamples.response;
import static dev.daneel.validator.rfc.RfcExamples.validate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.validator.Answer;
import dev.daneel.validator.Evidence;
import dev.daneel.validator.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * RFC 5155 Appendix B: the example responses of the NSEC3 example zone (Appendix A: SHA-1, 12
 * iterations, salt {@code aabbccdd}, every NSEC3 with the Opt-Out flag), replayed as printed
 * through Daneel's validator with the zone's printed KSK (key tag 12708, algorithm 7) as the only
 * trust anchor, at a time inside the printed signatures' window (2005-10-21 to 2015-04-20). The
 * NSEC3 owner hashes in the responses are the RFC's; the validator must find the closest encloser,
 * next closer and wildcard among them with its own hashing.
 *
 * <p>Because every NSEC3 in the zone has Opt-Out set, RFC 5155 §9.2 decides two verdicts: a
 * response whose closest encloser proof has an Opt-Out NSEC3 covering the next closer name must not
 * get the AD bit, so the name error (B.1) and the wildcard no-data (B.5) are Insecure, not Secure,
 * while the proofs that need no next-closer coverage (B.2, B.2.1) or only it (the wildcard answer,
 * B.4, RFC 5155 §8.8) are Secure.
 */
class Rfc5155AppendixBTest {

    /** Inside every printed RRSIG's validity (20051021000000 to 20150420235959). */
    static final Instant AT = Instant.parse("2010-01-01T00:00:00Z");

    /** The DNSKEY RRset of {@code example.} and its RRSIG, as Appendix A prints them. */
    static final String DNSKEYS =
            """
            example. DNSKEY  256 3 7 AwEAAaetidLzsKWUt4swWR8yu0wPHPiUi8LU (
                     sAD0QPWU+wzt89epO6tHzkMBVDkC7qphQO2h
                     TY4hHn9npWFRw5BYubE= )
             DNSKEY  257 3 7 AwEAAcUlFV1vhmqx6NSOUOq2R/dsR7Xm3upJ (
                     j7IommWSpJABVfW8Q0rOvXdM6kzt+TAu92L9
                     AbsUdblMFin8CVF3n4s= )
             RRSIG   DNSKEY 7 1 3600 20150420235959 (
                     20051021000000 12708 example.
                     AuU4juU9RaxescSmStrQks3Gh9FblGBlVU31
                     uzMZ/U/FpsUb8aC6QZS+sTsJXnLnz7flGOsm
                     MGQZf3bH+QsCtg== )
             """;

    /** Appendix B.1, as printed. */
    static final String B1 =
            """
            ;; Header: QR AA DO RCODE=3
            ;;
            ;; Question
            a.c.x.w.example.         IN A

            ;; Answer
            ;; (empty)

            ;; Authority

            example.       SOA     ns1.example. bugs.x.w.example. 1 3600 300 (
                                   3600000 3600 )
            example.       RRSIG   SOA 7 1 3600 20150420235959 20051021000000 (
                                   40430 example.
                                   Hu25UIyNPmvPIVBrldN+9Mlp9Zql39qaUd8i
                                   q4ZLlYWfUUbbAS41pG+68z81q1xhkYAcEyHd
                                   VI2LmKusbZsT0Q== )

            ;; NSEC3 RR that covers the "next closer" name (c.x.w.example)
            ;; H(c.x.w.example) = 0va5bpr2ou0vk0lbqeeljri88laipsfh

            0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example. NSEC3 1 1 12 aabbccdd (
                                   2t7b4g4vsa5smi47k61mv5bv1a22bojr MX DNSKEY NS
                                   SOA NSEC3PARAM RRSIG )
            0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example. RRSIG NSEC3 7 2 3600 (
                                   20150420235959 20051021000000 40430 example.
                                   OSgWSm26B+cS+dDL8b5QrWr/dEWhtCsKlwKL
                                   IBHYH6blRxK9rC0bMJPwQ4mLIuw85H2EY762
                                   BOCXJZMnpuwhpA== )

            ;; NSEC3 RR that matches the closest encloser (x.w.example)
            ;; H(x.w.example) = b4um86eghhds6nea196smvmlo4ors995

            b4um86eghhds6nea196smvmlo4ors995.example. NSEC3 1 1 12 aabbccdd (
                                   gjeqe526plbf1g8mklp59enfd789njgi MX RRSIG )
            b4um86eghhds6nea196smvmlo4ors995.example. RRSIG NSEC3 7 2 3600 (
                                   20150420235959 20051021000000 40430 example.
                                   ZkPG3M32lmoHM6pa3D6gZFGB/rhL//Bs3Omh
                                   5u4m/CUiwtblEVOaAKKZd7S959OeiX43aLX3
                                   pOv0TSTyiTxIZg== )

            ;; NSEC3 RR that covers wildcard at the closest encloser (*.x.w.example)
            ;; H(*.x.w.example) = 92pqneegtaue7pjatc3l3qnk738c6v5m

            35mthgpgcu1qg68fab165klnsnk3dpvl.example. NSEC3 1 1 12 aabbccdd (
                                   b4um86eghhds6nea196smvmlo4ors995 NS DS RRSIG )
            35mthgpgcu1qg68fab165klnsnk3dpvl.example. RRSIG NSEC3 7 2 3600 (
                                   20150420235959 20051021000000 40430 example.
                                   g6jPUUpduAJKRljUsN8gB4UagAX0NxY9shwQ
                                   Aynzo8EUWH+z6hEIBlUTPGj15eZll6VhQqgZ
                                   XtAIR3chwgW+SA== )

            ;; Additional
            ;; (empty)
            """;

    /** Appendix B.2, as printed. */
    static final String B2 =
            """
            ;; Header: QR AA DO RCODE=0
            ;;
            ;; Question
            ns1.example.        IN MX

            ;; Answer
            ;; (empty)

            ;; Authority
            example.       SOA     ns1.example. bugs.x.w.example. 1 3600 300 (
                                   3600000 3600 )
            example.       RRSIG   SOA 7 1 3600 20150420235959 20051021000000 (
                                   40430 example.
                                   Hu25UIyNPmvPIVBrldN+9Mlp9Zql39qaUd8i
                                   q4ZLlYWfUUbbAS41pG+68z81q1xhkYAcEyHd
                                   VI2LmKusbZsT0Q== )

            ;; NSEC3 RR matches the QNAME and shows that the MX type bit is not set.

            2t7b4g4vsa5smi47k61mv5bv1a22bojr.example. NSEC3 1 1 12 aabbccdd (
                                   2vptu5timamqttgl4luu9kg21e0aor3s A RRSIG )
            2t7b4g4vsa5smi47k61mv5bv1a22bojr.example. RRSIG NSEC3 7 2 3600 (
                                   20150420235959 20051021000000 40430 example.
                                   OmBvJ1Vgg1hCKMXHFiNeIYHK9XVW0iLDLwJN
                                   4TFoNxZuP03gAXEI634YwOc4YBNITrj413iq
                                   NI6mRk/r1dOSUw== )
            ;; Additional
            ;; (empty)
            """;

    /** Appendix B.2.1, as printed. */
    static final String B2_1 =
            """
            ;; Header: QR AA DO RCODE=0
            ;;
            ;; Question
            y.w.example.        IN A

            ;; Answer
            ;; (empty)

            ;; Authority
            example.       SOA     ns1.example. bugs.x.w.example. 1 3600 300 (
                                   3600000 3600 )
            example.       RRSIG   SOA 7 1 3600 20150420235959 20051021000000 (
                                   40430 example.
                                   Hu25UIyNPmvPIVBrldN+9Mlp9Zql39qaUd8i
                                   q4ZLlYWfUUbbAS41pG+68z81q1xhkYAcEyHd
                                   VI2LmKusbZsT0Q== )

            ;; NSEC3 RR matches the QNAME and shows that the A type bit is not set.

            ji6neoaepv8b5o6k4ev33abha8ht9fgc.example. NSEC3 1 1 12 aabbccdd (
                                   k8udemvp1j2f7eg6jebps17vp3n8i58h )
            ji6neoaepv8b5o6k4ev33abha8ht9fgc.example. RRSIG NSEC3 7 2 3600 (
                                   20150420235959 20051021000000 40430 example.
                                   gPkFp1s2QDQ6wQzcg1uSebZ61W33rUBDcTj7
                                   2F3kQ490fEdp7k1BUIfbcZtPbX3YCpE+sIt0
                                   MpzVSKfTwx4uYA== )

            ;; Additional
            ;; (empty)
            """;

    /** Appendix B.3, as printed. */
    static final String B3 =
            """
            ;; Header: QR DO RCODE=0
            ;;
            ;; Question
            mc.c.example.       IN MX

            ;; Answer
            ;; (empty)

            ;; Authority
            c.example.     NS      ns1.c.example.
                           NS      ns2.c.example.

            ;; NSEC3 RR that covers the "next closer" name (c.example)
            ;; H(c.example) = 4g6p9u5gvfshp30pqecj98b3maqbn1ck

            35mthgpgcu1qg68fab165klnsnk3dpvl.example. NSEC3 1 1 12 aabbccdd (
                                   b4um86eghhds6nea196smvmlo4ors995 NS DS RRSIG )
            35mthgpgcu1qg68fab165klnsnk3dpvl.example. RRSIG NSEC3 7 2 3600 (
                                   20150420235959 20051021000000 40430 example.
                                   g6jPUUpduAJKRljUsN8gB4UagAX0NxY9shwQ
                                   Aynzo8EUWH+z6hEIBlUTPGj15eZll6VhQqgZ
                                   XtAIR3chwgW+SA== )

            ;; NSEC3 RR that matches the closest encloser (example)
            ;; H(example) = 0p9mhaveqvm6t7vbl5lop2u3t2rp3tom

            0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example. NSEC3 1 1 12 aabbccdd (
                                   2t7b4g4vsa5smi47k61mv5bv1a22bojr MX DNSKEY NS
                                   SOA NSEC3PARAM RRSIG )
            0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example. RRSIG NSEC3 7 2 3600 (
                                   20150420235959 20051021000000 40430 example.
                                   OSgWSm26B+cS+dDL8b5QrWr/dEWhtCsKlwKL
                                   IBHYH6blRxK9rC0bMJPwQ4mLIuw85H2EY762
                                   BOCXJZMnpuwhpA== )

            ;; Additional
            ns1.c.example. A       192.0.2.7
            ns2.c.example. A       192.0.2.8
            """;

    /** Appendix B.4, as printed. */
    static final String B4 =
            """
            ;; Header: QR AA DO RCODE=0
            ;;
            ;; Question
            a.z.w.example. IN MX

            ;; Answer
            a.z.w.example. MX      1 ai.example.
            a.z.w.example. RRSIG   MX 7 2 3600 20150420235959 20051021000000 (
                                   40430 example.
                                   CikebjQwGQPwijVcxgcZcSJKtfynugtlBiKb
                                   9FcBTrmOoyQ4InoWVudhCWsh/URX3lc4WRUM
                                   ivEBP6+4KS3ldA== )

            ;; Authority
            example.       NS      ns1.example.
            example.       NS      ns2.example.
            example.       RRSIG   NS 7 1 3600 20150420235959 20051021000000 (
                                   40430 example.
                                   PVOgtMK1HHeSTau+HwDWC8Ts+6C8qtqd4pQJ
                                   qOtdEVgg+MA+ai4fWDEhu3qHJyLcQ9tbD2vv
                                   CnMXjtz6SyObxA== )

            ;; NSEC3 RR that covers the "next closer" name (z.w.example)
            ;; H(z.w.example) = qlu7gtfaeh0ek0c05ksfhdpbcgglbe03

            q04jkcevqvmu85r014c7dkba38o0ji5r.example. NSEC3 1 1 12 aabbccdd (
                                   r53bq7cc2uvmubfu5ocmm6pers9tk9en A RRSIG )
            q04jkcevqvmu85r014c7dkba38o0ji5r.example. RRSIG NSEC3 7 2 3600 (
                                   20150420235959 20051021000000 40430 example.
                                   hV5I89b+4FHJDATp09g4bbN0R1F845CaXpL3
                                   ZxlMKimoPAyqletMlEWwLfFia7sdpSzn+ZlN
                                   NlkxWcLsIlMmUg== )

            ;; Additional
            ai.example.    A       192.0.2.9
            ai.example.    RRSIG   A 7 2 3600 20150420235959 20051021000000 (
                                   40430 example.
                                   hVe+wKYMlObTRPhX0NL67GxeZfdxqr/QeR6F
                                   tfdAj5+FgYxyzPEjIzvKWy00hWIl6wD3Vws+
                                   rznEn8sQ64UdqA== )
            ai.example.    AAAA    2001:db8:0:0:0:0:f00:baa9
            ai.example.    RRSIG   AAAA 7 2 3600 20150420235959 20051021000000 (
                                   40430 example.
                                   LcdxKaCB5bGZwPDg+3JJ4O02zoMBrjxqlf6W
                                   uaHQZZfTUpb9Nf2nxFGe2XRPfR5tpJT6GdRG
                                   cHueLuXkMjBArQ== )
            """;

    /** Appendix B.5, as printed. */
    static final String B5 =
            """
            ;; Header: QR AA DO RCODE=0
            ;;
            ;; Question
            a.z.w.example.      IN AAAA

            ;; Answer
            ;; (empty)

            ;; Authority
            example.       SOA     ns1.example. bugs.x.w.example. 1 3600 300 (
                                   3600000 3600 )
            example.       RRSIG   SOA 7 1 3600 20150420235959 20051021000000 (
                                   40430 example.
                                   Hu25UIyNPmvPIVBrldN+9Mlp9Zql39qaUd8i
                                   q4ZLlYWfUUbbAS41pG+68z81q1xhkYAcEyHd
                                   VI2LmKusbZsT0Q== )

            ;; NSEC3 RR that matches the closest encloser (w.example)
            ;; H(w.example) = k8udemvp1j2f7eg6jebps17vp3n8i58h

            k8udemvp1j2f7eg6jebps17vp3n8i58h.example. NSEC3 1 1 12 aabbccdd (
                                   kohar7mbb8dc2ce8a9qvl8hon4k53uhi )
            k8udemvp1j2f7eg6jebps17vp3n8i58h.example. RRSIG NSEC3 7 2 3600 (
                                   20150420235959 20051021000000 40430 example.
                                   FtXGbvF0+wf8iWkyo73enAuVx03klN+pILBK
                                   S6qCcftVtfH4yVzsEZquJ27NHR7ruxJWDNMt
                                   Otx7w9WfcIg62A== )

            ;; NSEC3 RR that covers the "next closer" name (z.w.example)
            ;; H(z.w.example) = qlu7gtfaeh0ek0c05ksfhdpbcgglbe03

            q04jkcevqvmu85r014c7dkba38o0ji5r.example. NSEC3 1 1 12 aabbccdd (
                                   r53bq7cc2uvmubfu5ocmm6pers9tk9en A RRSIG )
            q04jkcevqvmu85r014c7dkba38o0ji5r.example. RRSIG NSEC3 7 2 3600 (
                                   20150420235959 20051021000000 40430 example.
                                   hV5I89b+4FHJDATp09g4bbN0R1F845CaXpL3
                                   ZxlMKimoPAyqletMlEWwLfFia7sdpSzn+ZlN
                                   NlkxWcLsIlMmUg== )

            ;; NSEC3 RR that matches a wildcard at the closest encloser.
            ;; H(*.w.example) = r53bq7cc2uvmubfu5ocmm6pers9tk9en

            r53bq7cc2uvmubfu5ocmm6pers9tk9en.example. NSEC3 1 1 12 aabbccdd (
                                   t644ebqk9bibcna874givr6joj62mlhv MX RRSIG )
            r53bq7cc2uvmubfu5ocmm6pers9tk9en.example. RRSIG NSEC3 7 2 3600 (
                                   20150420235959 20051021000000 40430 example.
                                   aupviViruXs4bDg9rCbezzBMf9h1ZlDvbW/C
                                   ZFKulIGXXLj8B/fsDJarXVDA9bnUoRhEbKp+
                                   HF1FWKW7RIJdtQ== )

            ;; Additional
            ;; (empty)
            """;

    /**
     * Appendix B.6, as printed, but for the RRSIG's opening parenthesis, which the RFC leaves out
     * (a typo).
     */
    static final String B6 =
            """
            ;; Header: QR AA DO RCODE=0
            ;;
            ;; Question
            example.            IN DS

            ;; Answer
            ;; (empty)

            ;; Authority
            example.       SOA     ns1.example. bugs.x.w.example. 1 3600 300 (
                                   3600000 3600 )
            example.       RRSIG   SOA 7 1 3600 20150420235959 20051021000000 (
                                   40430 example.
                                   Hu25UIyNPmvPIVBrldN+9Mlp9Zql39qaUd8i
                                   q4ZLlYWfUUbbAS41pG+68z81q1xhkYAcEyHd
                                   VI2LmKusbZsT0Q== )

            ;; NSEC3 RR matches the QNAME and shows that the DS type bit is not set.

            0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example. NSEC3 1 1 12 aabbccdd (
                                   2t7b4g4vsa5smi47k61mv5bv1a22bojr MX DNSKEY NS
                                   SOA NSEC3PARAM RRSIG )
            0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example. RRSIG NSEC3 7 2 3600 (
                                   20150420235959 20051021000000 40430 example.
                                   OSgWSm26B+cS+dDL8b5QrWr/dEWhtCsKlwKL
                                   IBHYH6blRxK9rC0bMJPwQ4mLIuw85H2EY762
                                   BOCXJZMnpuwhpA== )

            ;; Additional
            ;; (empty)
            """;

    private static final List<Record> KEYS = records(DNSKEYS);

    /**
     * The validator's verdict on a printed response, given the zone's DNSKEY RRset as Appendix A
     * prints it.
     */
    private static Answer replay(String name, int type, String printed) {
        List<Evidence.Exchange> chain = new ArrayList<>();
        chain.add(
                exchange(
                        "example.",
                        Type.DNSKEY,
                        answer(Name.fromConstantString("example."), Type.DNSKEY, KEYS)));
        chain.add(exchange(name, type, response(printed)));
        return validate(ksk(KEYS), AT, name, type, chain);
    }

    @Test
    void b1NameErrorWithAnOptOutNextCloserIsProvenButNotSecure() {
        Answer a = replay("a.c.x.w.example.", Type.A, B1);
        assertEquals(Rcode.NXDOMAIN, a.rcode(), a.toString());
        assertEquals(
                Status.INSECURE,
                a.status(),
                "RFC 5155 §9.2: no AD when the next closer is covered by Opt-Out: " + a);
    }

    @Test
    void b2NoDataIsSecure() {
        Answer a = replay("ns1.example.", Type.MX, B2);
        assertEquals(Status.SECURE, a.status(), a.toString());
        assertEquals(Rcode.NOERROR, a.rcode());
        assertTrue(a.records().isEmpty());
    }

    @Test
    void b2_1NoDataAtAnEmptyNonTerminalIsSecure() {
        Answer a = replay("y.w.example.", Type.A, B2_1);
        assertEquals(Status.SECURE, a.status(), a.toString());
        assertTrue(a.records().isEmpty());
    }

    /**
     * B.3 is the referral a recursive sees; the stub's question is the DS of {@code c.example},
     * whose NODATA carries the same printed closest encloser proof (RFC 5155 §8.6: no NSEC3
     * matches, the one covering the next closer has Opt-Out, so the delegation is insecure). The
     * child's MX is unsigned.
     */
    @Test
    void b3ReferralIntoAnOptOutSpanIsInsecure() {
        Message referral = response(B3);
        Message ds = new Message();
        ds.getHeader().setFlag(org.xbill.DNS.Flags.QR);
        ds.addRecord(
                Record.newRecord(Name.fromConstantString("c.example."), Type.DS, 1),
                Section.QUESTION);
        for (Record r : response(B1).getSection(Section.AUTHORITY)) {
            if (r.getType() == Type.SOA
                    || r instanceof org.xbill.DNS.RRSIGRecord s && s.getTypeCovered() == Type.SOA) {
                ds.addRecord(r, Section.AUTHORITY);
            }
        }
        for (Record r : referral.getSection(Section.AUTHORITY)) {
            if (r.getType() != Type.NS) {
                ds.addRecord(r, Section.AUTHORITY);
            }
        }
        Message mx =
                answer(
                        Name.fromConstantString("mc.c.example."),
                        Type.MX,
                        records("mc.c.example. 3600 IN MX 1 mx.c.example."));
        Answer b =
                validate(
                        ksk(KEYS),
                        AT,
                        "mc.c.example.",
                        Type.MX,
                        List.of(
                                exchange(
                                        "example.",
                                        Type.DNSKEY,
                                        answer(
                                                Name.fromConstantString("example."),
                                                Type.DNSKEY,
                                                KEYS)),
                                exchange("c.example.", Type.DS, ds),
                                exchange("mc.c.example.", Type.MX, mx)));
        assertEquals(Status.INSECURE, b.status(), b.toString());
        assertEquals(1, b.records().size());
    }

    /**
     * B.4: the expanded wildcard needs only the NSEC3 covering the next closer name (§8.8), which
     * here has Opt-Out. The RFC reads it as proven; whether §9.2 withholds AD (a name in the
     * Opt-Out span could be an unsigned delegation) is read both ways: Unbound answers Secure,
     * stricter validators Insecure. Either way the proof holds: never Bogus, the expanded record
     * returned at the query name.
     */
    @Test
    void b4WildcardExpansionIsProven() {
        Answer a = replay("a.z.w.example.", Type.MX, B4);
        assertTrue(a.status() == Status.SECURE || a.status() == Status.INSECURE, a.toString());
        assertEquals(1, a.records().stream().filter(r -> r.getType() == Type.MX).count());
        assertEquals(Name.fromConstantString("a.z.w.example."), a.records().get(0).getName());
    }

    @Test
    void b5WildcardNoDataWithAnOptOutNextCloserIsProvenButNotSecure() {
        Answer a = replay("a.z.w.example.", Type.AAAA, B5);
        assertEquals(Rcode.NOERROR, a.rcode(), a.toString());
        assertTrue(a.records().isEmpty());
        assertEquals(
                Status.INSECURE,
                a.status(),
                "RFC 5155 §9.2: no AD when the next closer is covered by Opt-Out: " + a);
    }

    /**
     * B.6 is the zone's own answer to a DS question at its apex: the DS lives in the parent, where
     * no anchor is, and a child-side NSEC3 (SOA bit set) cannot deny it (RFC 5155 §8.6). Nothing
     * above the anchor can be proven, so the answer is not Secure; neither is it Bogus (RFC 4035
     * §4.3: no anchor, no verdict).
     */
    @Test
    void b6DsAtTheAnchoredApexIsNeitherSecureNorBogus() {
        Answer a = replay("example.", Type.DS, B6);
        assertNotEquals(Status.SECURE, a.status(), a.toString());
        assertNotEquals(Status.BOGUS, a.status(), a.toString());
        assertEquals(
                Status.INDETERMINATE,
                a.status(),
                "no anchor above example. can judge its DS: " + a);
    }

    @Test
    void aPrintedSignatureWithOneBitFlippedIsBogus() {
        String damaged = B2.replace("OmBvJ1Vgg1hC", "OmBvJ2Vgg1hC");
        assertNotEquals(B2, damaged, "the edit must hit the printed signature");
        Answer a = replay("ns1.example.", Type.MX, damaged);
        assertEquals(Status.BOGUS, a.status(), a.toString());
    }
}
