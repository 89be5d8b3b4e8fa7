package dev.daneel.validator.rfc;

import static dev.daneel.validator.rfc.RfcExamples.flipSignatureBit;
import static dev.daneel.validator.rfc.RfcExamples.record;
import static dev.daneel.validator.rfc.RfcExamples.records;
import static dev.daneel.validator.rfc.RfcExamples.rsaPrivateKey;
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
 * RFC 5702 §6: the RSA/SHA-256 (algorithm 8, a 512-bit key) and RSA/SHA-512 (algorithm 10, 1024
 * bits) examples, with the private keys, DNSKEYs and signatures the RFC prints. The RFC prints no
 * DS: the printed DNSKEY is the trust anchor, and its RRset's own signature is made here with the
 * printed private key. Daneel must verify the printed RRSIG over {@code www.example.net. A
 * 192.0.2.91}.
 */
class Rfc5702Section6Test {

    /** Inside the printed signatures' window (2000-01-01 to 2030-01-01). */
    static final Instant AT = Instant.parse("2015-01-01T00:00:00Z");

    static final DNSKEYRecord SHA256_KEY =
            (DNSKEYRecord)
                    record(
                            """
            example.net.     3600  IN  DNSKEY  (256 3 8 AwEAAcFcGsaxxdgiuuGmCkVI
                             my4h99CqT7jwY3pexPGcnUFtR2Fh36BponcwtkZ4cAgtvd4Qs8P
                             kxUdp6p/DlUmObdk= );{id = 9033 (zsk), size = 512b}
            """);
    static final List<Record> SHA256_DATA =
            records(
                    """
            www.example.net. 3600  IN  A  192.0.2.91
            www.example.net. 3600  IN  RRSIG  (A 8 3 3600 20300101000000
                                20000101000000 9033 example.net. kRCOH6u7l0QGy9qpC9
                                l1sLncJcOKFLJ7GhiUOibu4teYp5VE9RncriShZNz85mwlMgNEa
                                cFYK/lPtPiVYP4bwg==);{id = 9033}
            """);

    static final DNSKEYRecord SHA512_KEY =
            (DNSKEYRecord)
                    record(
                            """
            example.net.    3600  IN  DNSKEY  (256 3 10 AwEAAdHoNTOW+et86KuJOWRD
                            p1pndvwb6Y83nSVXXyLA3DLroROUkN6X0O6pnWnjJQujX/AyhqFD
                            xj13tOnD9u/1kTg7cV6rklMrZDtJCQ5PCl/D7QNPsgVsMu1J2Q8g
                            pMpztNFLpPBz1bWXjDtaR7ZQBlZ3PFY12ZTSncorffcGmhOL
                            );{id = 3740 (zsk), size = 1024b}
            """);
    static final List<Record> SHA512_DATA =
            records(
                    """
            www.example.net. 3600  IN  A  192.0.2.91
            www.example.net. 3600  IN  RRSIG  (A 10 3 3600 20300101000000
                             20000101000000 3740 example.net. tsb4wnjRUDnB1BUi+t
                             6TMTXThjVnG+eCkWqjvvjhzQL1d0YRoOe0CbxrVDYd0xDtsuJRa
                             eUw1ep94PzEWzr0iGYgZBWm/zpq+9fOuagYJRfDqfReKBzMweOL
                             DiNa8iP5g9vMhpuv6OPlvpXwm9Sa9ZXIbNl1MBGk0fthPgxdDLw
                             =);{id = 3740}
            """);

    private static PrivateKey sha256Private() throws GeneralSecurityException {
        return rsaPrivateKey(
                "wVwaxrHF2CK64aYKRUibLiH30KpPuPBjel7E8ZydQW1HYWHfoGmidzC2RnhwCC293hCzw+TFR2nqn8OVSY5t2Q==",
                "AQAB",
                "UR44xX6zB3eaeyvTRzmskHADrPCmPWnr8dxsNwiDGHzrMKLN+i/HAam+97HxIKVWNDH2ba9Mf1SA8xu9dcHZAQ==",
                "4c8IvFu1AVXGWeFLLFh5vs7fbdzdC6U82fduE6KkSWk=",
                "2zZpBE8ZXVnL74QjG4zINlDfH+EOEtjJJ3RtaYDugvE=",
                "G2xAPFfK0KGxGANDVNxd1K1c9wOmmJ51mGbzKFFNMFk=",
                "GYxP1Pa7CAwtHm8SAGX594qZVofOMhgd6YFCNyeVpKE=",
                "icQdNRjlZGPmuJm2TIadubcO8X7V4y07aVhX464tx8Q=");
    }

    private static PrivateKey sha512Private() throws GeneralSecurityException {
        return rsaPrivateKey(
                "0eg1M5b563zoq4k5ZEOnWmd2/BvpjzedJVdfIsDcMuuhE5SQ3pfQ7qmdaeMlC6Nf8DKGoUPGPXe06cP27/WRODtxXquSUytkO0kJDk"
                        + "8KX8PtA0+yBWwy7UnZDyCkynO00Uuk8HPVtZeMO1pHtlAGVnc8VjXZlNKdyit99waaE4s=",
                "AQAB",
                "rFS1IPbJllFFgFc33B5DDlC1egO8e81P4fFadODbp56V7sphKa6AZQCx8NYAew6VXFFPAKTw41QdHnK5kIYOwxvfFDjDcUGza88qbj"
                        + "yrDPSJenkeZbISMUSSqy7AMFzEolkk6WSn6k3thUVRgSlqDoOV3SEIAsrB043XzGrKIVE=",
                "8mbtsu9Tl9v7tKSHdCIeprLIQXQLzxlSZun5T1n/OjvXSUtvD7xnZJ+LHqaBj1dIgMbCq2U8O04QVcK3TS9GiQ==",
                "3a6gkfs74d0Jb7yL4j4adAif4fcp7ZrGt7G5NRVDDY/Mv4TERAKMa0TKN3okKE0A7X+Rv2K84mhT4QLDlllEcw==",
                "v3D5A9uuCn5rgVR7wgV8ba0/KSpsdSiLgsoA42GxiB1gvvs7gJMMmVTDu/ZG1p1ZnpLbhh/S/Qd/MSwyNlxC+Q==",
                "m+ezf9dsDvYQK+gzjOLWYeKq5xWYBEYFGa3BLocMiF4oxkzOZ3JPZSWU/h1Fjp5RV7aPP0Vmx+hNjYMPIQ8Y5w==",
                "Je5YhYpUron/WdOXjxNAxDubAp3i5X7UOUfhJcyIggqwY86IE0Q/Bk0Dw4SC9zxnsimmdBXW2Izd8Lwuk8FQcQ==");
    }

    @Test
    void thePrintedKeyTagsAreTheOnesThePrintedSignaturesName() {
        assertEquals(9033, SHA256_KEY.getFootprint());
        assertEquals(3740, SHA512_KEY.getFootprint());
    }

    @Test
    void thePrintedRsaSha256SignatureVerifies() throws GeneralSecurityException {
        Answer a = validateSigned(SHA256_KEY, SHA256_KEY, sha256Private(), SHA256_DATA, AT);
        assertEquals(Status.SECURE, a.status(), a.toString());
        assertEquals(Set.of(8), ((Verdict.Secure) a.verdict()).algorithms());
        assertEquals("192.0.2.91", a.records().get(0).rdataToString());
    }

    @Test
    void thePrintedRsaSha512SignatureVerifies() throws GeneralSecurityException {
        Answer a = validateSigned(SHA512_KEY, SHA512_KEY, sha512Private(), SHA512_DATA, AT);
        assertEquals(Status.SECURE, a.status(), a.toString());
        assertEquals(Set.of(10), ((Verdict.Secure) a.verdict()).algorithms());
    }

    @Test
    void aPrintedSignatureWithOneBitFlippedIsBogus() throws GeneralSecurityException {
        assertEquals(
                Status.BOGUS,
                validateSigned(
                                SHA256_KEY,
                                SHA256_KEY,
                                sha256Private(),
                                flipSignatureBit(SHA256_DATA),
                                AT)
                        .status());
        assertEquals(
                Status.BOGUS,
                validateSigned(
                                SHA512_KEY,
                                SHA512_KEY,
                                sha512Private(),
                                flipSignatureBit(SHA512_DATA),
                                AT)
                        .status());
    }
}
