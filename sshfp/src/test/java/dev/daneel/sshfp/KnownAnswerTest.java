package dev.daneel.sshfp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The fingerprints of the example keys of RFC 6594 (RSA, DSA, ECDSA) and RFC 7479 (Ed25519). */
class KnownAnswerTest {

    static final String RSA =
            "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDCUR4JOhxTinzq7QO3bQXW4jmPCCulFsnh8Yi7MKwpMnd96+T7uV7nEwy+6+GWYu98IxFJByIjFXX/a6BXDp3878wezH1DZ2tND/tu/eudz6ErpTFYmnVLyEDARYSzVBNQuIK1UDqvvB6KffJcyt78FpwW27euGkqEkam7GaurPRAgwXehDB/gMwRtXVRZ+13zYWkAmAY+5OAWVmdXuQVm5kjlvcNzto2H3m3nqJtD4J9L1lKPuSVVqwJr4/6hibXJkQEvWpUvdOAUw3frKpNwa932fXFk3ke4rsDjQ/W8GyleMtK3Tx8tE4z1wuowXtYe6Ba8q3LAPs/m2S4pUscx";
    static final String DSA =
            "ssh-dss AAAAB3NzaC1kc3MAAACBAPVFrc0U36gWaywbfJzjcv8ef13qAX4EJl8Na6xqvXh1t+aCJEdS7soRjtvK4KsNhk78DjdtnfhEhyFKHHNz3i6/c/s9lP0UjV7mRAo6nA7A3Gs6iQElb6O9Fqm6iVSC6bYWilTSB0tYencEEJUoaAua8YQF/uxRzPrReXxGqHnjAAAAFQDC9M/pli8VIVmEGOO0wC1TeUTN4wAAAIEAgA2Fbkbbeo0+u/qw8mQFOFWZpTaqNo7d7jov3majbh5LqEVD7yT3MS1GSGhjgvvhus/ehMTqzYbjTc0szUM9JnwT7xq15P2ZYDK98IVxrw31jMtsUUEmBqB4DUjTurtcaWmJ9LNaP1/k4bMo0/hotnOcOVnIPsTLBFWVvdNRxUAAAACAOZcDcK01NTM1qIIYbBqCffrwjQ+9PmsuSKI6nUzfS4NysXHkdbW5u5VxeXLcwWj5PGbRfoS2P3vwYAmakqgq502wigam18u9nAczUYl+2kOeOiIRrtSmLfpV7thLOAb8k1ESjIlkbn35jKmTcoMFRXbFmkKRTK8OEnWQ8AVg6w8=";
    static final String ECDSA =
            "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBAD+9COUiX7WYgcvIOdI8+djdoFDVUTxNrcog8sSYdbIzeG+bYdsssvcyy/nRfVhXC5QBCk8IThqs7D4/lFxX5g=";
    static final String ED25519 =
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGPKSUTyz1HwHReFVvD5obVsALAgJRNarH4TRpNePnAS";

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "RFC 6594 RSA,   1, 1, dd465c09cfa51fb45020cc83316fff21b9ec74ac",
        "RFC 6594 RSA,   1, 2, b049f950d1397b8fee6a61e4d14a9acdc4721e084eff5460bbed80cfaa2ce2cb",
        "RFC 6594 DSA,   2, 1, 3b6ba6110f5ffcd29469fc1ec2ee25d61718badd",
        "RFC 6594 DSA,   2, 2, f9b8a6a460639306f1b38910456a6ae1018a253c47ecec12db77d7a0878b4d83",
        "RFC 6594 ECDSA, 3, 1, c64607a28c5300fec1180b6e417b922943cffcdd",
        "RFC 6594 ECDSA, 3, 2, 821eb6c1c98d9cc827ab7f456304c0f14785b7008d9e8646a8519de80849afc7",
        "RFC 7479 Ed25519, 4, 2, a87f1b687ac0e57d2a081a2f282672334d90ed316d2b818ca9580ea384d92401",
    })
    void rfcExampleKeysGiveTheRfcFingerprints(String example, int algorithm, int type, String hex) {
        String line = List.of(RSA, DSA, ECDSA, ED25519).get(algorithm - 1);
        FingerprintType t = FingerprintType.fromCode(type).orElseThrow();
        List<SshfpRecord> records = Sshfp.create("host.example.com.", line, t);
        assertEquals(
                List.of("host.example.com. IN SSHFP " + algorithm + " " + type + " " + hex),
                records.stream().map(SshfpRecord::rfcForm).toList(),
                example);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "RFC 7479 Ed25519, host.example.com. IN TYPE44 \\# 34 0402a87f1b687ac0e57d2a081a2f282672334d90ed316d2b818ca9580ea384d92401",
        "RFC 6594 ECDSA,   host.example.com. IN TYPE44 \\# 34 0302821eb6c1c98d9cc827ab7f456304c0f14785b7008d9e8646a8519de80849afc7",
    })
    void genericFormCarriesAlgorithmTypeAndFingerprintOctets(String example, String expected) {
        String line = example.contains("7479") ? ED25519 : ECDSA;
        assertEquals(expected, Sshfp.create("host.example.com.", line).get(0).genericForm());
    }
}
