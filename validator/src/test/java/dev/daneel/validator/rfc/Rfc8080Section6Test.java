package dev.daneel.validator.rfc;

import static dev.daneel.validator.rfc.RfcExamples.edPrivateKey;
import static dev.daneel.validator.rfc.RfcExamples.flipSignatureBit;
import static dev.daneel.validator.rfc.RfcExamples.record;
import static dev.daneel.validator.rfc.RfcExamples.records;
import static dev.daneel.validator.rfc.RfcExamples.validateSigned;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.daneel.validator.Answer;
import dev.daneel.validator.Status;
import dev.daneel.validator.Verdict;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Record;

/**
 * RFC 8080 §6: the Ed25519 (algorithm 15) and Ed448 (algorithm 16) examples, with the keys, private
 * keys and DS records the RFC prints. The RRSIGs are those of the RFC's verified erratum 4935: the
 * published text leaves the algorithm field out of each RRSIG ({@code RRSIG MX 3 3600 …}) and its
 * signatures do not verify; the erratum prints {@code RRSIG MX 15 2 3600 …} (and 16) with the
 * signatures used here. The printed DS is the only trust anchor, so Daneel must compute the printed
 * SHA-256 digest of the printed key and verify the signature over {@code example.com. MX 10
 * mail.example.com.}. The DNSKEY RRset's own signature is made here with the printed private key.
 */
class Rfc8080Section6Test {

    /**
     * Inside the printed signatures' window (1438207200 to 1440021600, 2015-07-29 to 2015-08-19).
     */
    static final Instant AT = Instant.ofEpochSecond(1439000000L);

    record Vector(
            String name, int algorithm, String privateKey, String key, String ds, String rrsig) {
        DNSKEYRecord dnskey() {
            return (DNSKEYRecord)
                    record("example.com. 3600 IN DNSKEY 257 3 " + algorithm + " " + key);
        }

        Record dsRecord() {
            return record("example.com. 3600 IN DS " + ds);
        }

        List<Record> data() {
            return records(
                    "example.com. 3600 IN MX 10 mail.example.com.\nexample.com. 3600 IN RRSIG MX "
                            + rrsig);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> vectors() {
        return Stream.of(
                        new Vector(
                                "Ed25519, key 3613",
                                15,
                                "ODIyNjAzODQ2MjgwODAxMjI2NDUxOTAyMDQxNDIyNjI=",
                                "l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=",
                                "3613 15 2 3aa5ab37efce57f737fc1627013fee07bdf241bd10f3b1964ab55c78e79a304b",
                                "15 2 3600 1440021600 1438207200 3613 example.com. "
                                        + "oL9krJun7xfBOIWcGHi7mag5/hdZrKWw15jPGrHpjQeRAvTdszaPD+QLs3fx8A4M3e23mRZ9VrbpMngwcrqNAg=="),
                        new Vector(
                                "Ed25519, key 35217",
                                15,
                                "DSSF3o0s0f+ElWzj9E/Osxw8hLpk55chkmx0LYN5WiY=",
                                "zPnZ/QwEe7S8C5SPz2OfS5RR40ATk2/rYnE9xHIEijs=",
                                "35217 15 2 401781b934e392de492ec77ae2e15d70f6575a1c0bc59c5275c04ebe80c6614c",
                                "15 2 3600 1440021600 1438207200 35217 example.com. "
                                        + "zXQ0bkYgQTEFyfLyi9QoiY6D8ZdYo4wyUhVioYZXFdT410QPRITQSqJSnzQoSm5poJ7gD7AQR0O7KuI5k2pcBg=="),
                        new Vector(
                                "Ed448, key 9713",
                                16,
                                "xZ+5Cgm463xugtkY5B0Jx6erFTXp13rYegst0qRtNsOYnaVpMx0Z/c5EiA9x8wWbDDct/U3FhYWA",
                                "3kgROaDjrh0H2iuixWBrc8g2EpBBLCdGzHmn+G2MpTPhpj/OiBVHHSfPodx1FYYUcJKm1MDpJtIA",
                                "9713 16 2 6ccf18d5bc5d7fc2fceb1d59d17321402f2aa8d368048db93dd811f5cb2b19c7",
                                "16 2 3600 1440021600 1438207200 9713 example.com. 3cPAHkmlnxcDHMyg7vFC34l0blBhuG1qpwLmjInI8w1C"
                                        + "MB29FkEAIJUA0amxWndkmnBZ6SKiwZSAxGILn/NBtOXft0+Gj7FSvOKxE/07+4RQvE581N3Aj/JtIyaiYVdnYtyMWbSNyG"
                                        + "EY2213WKsJlwEA"),
                        new Vector(
                                "Ed448, key 38353",
                                16,
                                "WEykD3ht3MHkU8iH4uVOLz8JLwtRBSqiBoM6fF72+Mrp/u5gjxuB1DV6NnPO2BlZdz4hdSTkOdOA",
                                "kkreGWoccSDmUBGAe7+zsbG6ZAFQp+syPmYUurBRQc3tDjeMCJcVMRDmgcNLp5HlHAMy12VoISsA",
                                "38353 16 2 645ff078b3568f5852b70cb60e8e696cc77b75bfaaffc118cf79cbda1ba28af4",
                                "16 2 3600 1440021600 1438207200 38353 example.com. E1/oLjSGIbmLny/4fcgM1z4oL6aqo+izT3urCyHyvEp4"
                                        + "Sp8Syg1eI+lJ57CSnZqjJP41O/9l4m0AsQ4f7qI1gVnML8vWWiyW2KXhT9kuAICUSxv5OWbf81Rq7Yu60npabODB0QFPb/"
                                        + "rkW3kUZmQ0YQUA"))
                .map(Arguments::of);
    }

    private static String curve(Vector v) {
        return v.algorithm() == 15 ? "Ed25519" : "Ed448";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void theSignatureVerifiesUnderThePrintedDs(Vector v) throws GeneralSecurityException {
        Answer a =
                validateSigned(
                        v.dsRecord(),
                        v.dnskey(),
                        edPrivateKey(curve(v), v.privateKey()),
                        v.data(),
                        AT);
        assertEquals(Status.SECURE, a.status(), a.toString());
        assertEquals(Set.of(v.algorithm()), ((Verdict.Secure) a.verdict()).algorithms());
        assertEquals("10 mail.example.com.", a.records().get(0).rdataToString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void theSignatureWithOneBitFlippedIsBogus(Vector v) throws GeneralSecurityException {
        Answer a =
                validateSigned(
                        v.dsRecord(),
                        v.dnskey(),
                        edPrivateKey(curve(v), v.privateKey()),
                        flipSignatureBit(v.data()),
                        AT);
        assertEquals(Status.BOGUS, a.status(), a.toString());
    }
}
