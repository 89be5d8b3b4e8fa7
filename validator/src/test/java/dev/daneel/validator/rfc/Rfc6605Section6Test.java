package dev.daneel.validator.rfc;

import static dev.daneel.validator.rfc.RfcExamples.ecPrivateKey;
import static dev.daneel.validator.rfc.RfcExamples.flipSignatureBit;
import static dev.daneel.validator.rfc.RfcExamples.record;
import static dev.daneel.validator.rfc.RfcExamples.records;
import static dev.daneel.validator.rfc.RfcExamples.validateSigned;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.daneel.validator.Answer;
import dev.daneel.validator.Status;
import dev.daneel.validator.Verdict;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Record;

/**
 * RFC 6605 §6: the ECDSA P-256 (algorithm 13) and P-384 (algorithm 14) examples, with the keys, DS
 * records and signatures the RFC prints. The printed DS is the only trust anchor, so Daneel must
 * compute the printed digest (SHA-256, SHA-384) from the printed key, and must verify the printed
 * RRSIG over {@code www.example.net. A}. The DNSKEY RRset's own signature is not in the RFC: it is
 * made here with the printed private key.
 */
class Rfc6605Section6Test {

    /** Inside the printed signatures' window (2010-08-12 to 2010-09-09). */
    static final Instant AT = Instant.parse("2010-08-20T00:00:00Z");

    static final String P256_PRIVATE_KEY = "GU6SnQ/Ou+xC5RumuIUIuJZteXT2z0O/ok1s38Et6mQ=";
    static final DNSKEYRecord P256_KEY =
            (DNSKEYRecord)
                    record(
                            """
            example.net. 3600 IN DNSKEY 257 3 13 (
                    GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edb
                    krSqQpF64cYbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA== )
            """);
    static final Record P256_DS =
            record(
                    """
            example.net. 3600 IN DS 55648 13 2 (
                    b4c8c1fe2e7477127b27115656ad6256f424625bf5c1
                    e2770ce6d6e37df61d17 )
            """);
    static final List<Record> P256_DATA =
            records(
                    """
            www.example.net. 3600 IN A 192.0.2.1
            www.example.net. 3600 IN RRSIG A 13 3 3600 (
                    20100909100439 20100812100439 55648 example.net.
                    qx6wLYqmh+l9oCKTN6qIc+bw6ya+KJ8oMz0YP107epXA
                    yGmt+3SNruPFKG7tZoLBLlUzGGus7ZwmwWep666VCw== )
            """);

    static final String P384_PRIVATE_KEY =
            "WURgWHCcYIYUPWgeLmiPY2DJJk02vgrmTfitxgqcL4vwW7BOrbawVmVe0d9V94SR";
    static final DNSKEYRecord P384_KEY =
            (DNSKEYRecord)
                    record(
                            """
            example.net. 3600 IN DNSKEY 257 3 14 (
                    xKYaNhWdGOfJ+nPrL8/arkwf2EY3MDJ+SErKivBVSum1
                    w/egsXvSADtNJhyem5RCOpgQ6K8X1DRSEkrbYQ+OB+v8
                    /uX45NBwY8rp65F6Glur8I/mlVNgF6W/qTI37m40 )
            """);
    static final Record P384_DS =
            record(
                    """
            example.net. 3600 IN DS 10771 14 4 (
                    72d7b62976ce06438e9c0bf319013cf801f09ecc84b8
                    d7e9495f27e305c6a9b0563a9b5f4d288405c3008a94
                    6df983d6 )
            """);
    static final List<Record> P384_DATA =
            records(
                    """
            www.example.net. 3600 IN A 192.0.2.1
            www.example.net. 3600 IN RRSIG A 14 3 3600 (
                    20100909102025 20100812102025 10771 example.net.
                    /L5hDKIvGDyI1fcARX3z65qrmPsVz73QD1Mr5CEqOiLP
                    95hxQouuroGCeZOvzFaxsT8Glr74hbavRKayJNuydCuz
                    WTSSPdz7wnqXL5bdcJzusdnI0RSMROxxwGipWcJm )
            """);

    private static PrivateKey p256() throws GeneralSecurityException {
        return ecPrivateKey("secp256r1", P256_PRIVATE_KEY);
    }

    private static PrivateKey p384() throws GeneralSecurityException {
        return ecPrivateKey("secp384r1", P384_PRIVATE_KEY);
    }

    @Test
    void thePrintedP256SignatureVerifiesUnderThePrintedSha256Ds() throws GeneralSecurityException {
        Answer a = validateSigned(P256_DS, P256_KEY, p256(), P256_DATA, AT);
        assertEquals(Status.SECURE, a.status(), a.toString());
        assertEquals(Set.of(13), ((Verdict.Secure) a.verdict()).algorithms());
        assertEquals("192.0.2.1", a.records().get(0).rdataToString());
    }

    @Test
    void thePrintedP384SignatureVerifiesUnderThePrintedSha384Ds() throws GeneralSecurityException {
        Answer a = validateSigned(P384_DS, P384_KEY, p384(), P384_DATA, AT);
        assertEquals(Status.SECURE, a.status(), a.toString());
        assertEquals(Set.of(14), ((Verdict.Secure) a.verdict()).algorithms());
    }

    @Test
    void aPrintedSignatureWithOneBitFlippedIsBogus() throws GeneralSecurityException {
        assertEquals(
                Status.BOGUS,
                validateSigned(P256_DS, P256_KEY, p256(), flipSignatureBit(P256_DATA), AT)
                        .status());
        assertEquals(
                Status.BOGUS,
                validateSigned(P384_DS, P384_KEY, p384(), flipSignatureBit(P384_DATA), AT)
                        .status());
    }

    @Test
    void aDsOfAnotherKeyAnchorsNothing() throws GeneralSecurityException {
        assertEquals(
                Status.BOGUS, validateSigned(P384_DS, P256_KEY, p256(), P256_DATA, AT).status());
    }

    @Test
    void thePrintedSignatureOutsideItsWindowIsBogus() throws GeneralSecurityException {
        Answer a =
                validateSigned(
                        P256_DS,
                        P256_KEY,
                        p256(),
                        P256_DATA,
                        Instant.parse("2010-09-10T00:00:00Z"));
        assertEquals(Status.BOGUS, a.status(), a.toString());
    }
}
