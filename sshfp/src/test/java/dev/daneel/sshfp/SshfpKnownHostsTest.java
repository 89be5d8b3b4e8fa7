package dev.daneel.sshfp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Records from a known_hosts file: which entries name the host, and what is skipped with a note.
 */
class SshfpKnownHostsTest {

    private static final List<String> FILE =
            List.of(
                    "# a comment",
                    "host.example.test,192.0.2.1 " + KnownAnswerTest.ED25519,
                    "|1|JfKTdBh7rNbXkVAQCRp4OQoPfmI=|USECr3SWf1JUPsms5AqfD5QfxkM= "
                            + KnownAnswerTest.RSA,
                    "[HOST.example.test]:2222 " + KnownAnswerTest.ECDSA + " comment",
                    "@revoked host.example.test " + KnownAnswerTest.DSA,
                    "other.example.test " + KnownAnswerTest.DSA,
                    "*.example.test " + KnownAnswerTest.DSA,
                    "",
                    "host.example.test");

    @Test
    void entriesNamingTheHostBecomeRecordsOwnedByTheNameAsGiven() {
        KnownHostsRecords r = Sshfp.fromKnownHosts(FILE, "host.example.test.");
        assertEquals(
                List.of(
                        "host.example.test. IN SSHFP 4 2 a87f1b687ac0e57d2a081a2f282672334d90ed316d2b818ca9580ea384d92401",
                        "host.example.test. IN SSHFP 3 2 821eb6c1c98d9cc827ab7f456304c0f14785b7008d9e8646a8519de80849afc7"),
                r.records().stream().map(SshfpRecord::rfcForm).toList());
    }

    @Test
    void hashedMarkedAndMalformedLinesAreSkippedWithANoteEach() {
        KnownHostsRecords r = Sshfp.fromKnownHosts(FILE, "host.example.test");
        assertEquals(3, r.notes().size(), r.notes().toString());
        assertTrue(
                r.notes().get(0).startsWith("line 3: hashed host name skipped"),
                r.notes().toString());
        assertTrue(
                r.notes().get(1).startsWith("line 5: @revoked entry skipped"),
                r.notes().toString());
        assertTrue(r.notes().get(2).startsWith("line 9: skipped"), r.notes().toString());
    }

    @Test
    void sha1IsAddedOnRequestAndWildcardOrNegatedPatternsNeverName() {
        KnownHostsRecords r =
                Sshfp.fromKnownHosts(
                        List.of(
                                "*.example.test " + KnownAnswerTest.DSA,
                                "other.example.test,!other.example.test " + KnownAnswerTest.DSA,
                                "other.example.test " + KnownAnswerTest.RSA),
                        "other.example.test",
                        FingerprintType.SHA1,
                        FingerprintType.SHA256);
        assertEquals(
                List.of(
                        "other.example.test IN SSHFP 1 1 dd465c09cfa51fb45020cc83316fff21b9ec74ac",
                        "other.example.test IN SSHFP 1 2 b049f950d1397b8fee6a61e4d14a9acdc4721e084eff5460bbed80cfaa2ce2cb"),
                r.records().stream().map(SshfpRecord::rfcForm).toList());
    }
}
