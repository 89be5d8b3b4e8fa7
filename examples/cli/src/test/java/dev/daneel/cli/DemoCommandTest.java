package dev.daneel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code daneel demo} in process: every step behaves as it says, and it exits 0. */
class DemoCommandTest {

    @Test
    void demoWalksThroughEveryCapabilityAndExitsZero() {
        Cli r = Cli.run("demo");
        assertEquals(0, r.exit(), r::toString);
        for (String s :
                new String[] {
                    "; secure\n",
                    "; NXDOMAIN",
                    "; insecure (unsigned delegation at unsigned.test.)",
                    "; bogus (SIGNATURE_EXPIRED)",
                    "\"ede\":7",
                    "IN TLSA 3 1 1",
                    "SUCCESS (usage 3 [DANE-EE])",
                    "NO_MATCH",
                    "SSHFP 4 2",
                    "MATCH (secure)",
                    "MISMATCH",
                    "IPSECKEY 10 1 4 192.0.2.7",
                    "Fetched (secure)",
                    "IN OPENPGPKEY ",
                    "DNSSEC-secure, 1 key(s)",
                    "-----BEGIN PGP PUBLIC KEY BLOCK-----",
                    "\"Hello Hugh, this travelled encrypted to a key found by DNSSEC.\"",
                    "secure proof that there is no key",
                    "ADD_PEND",
                    "REVOKED",
                    "tag",
                    "VALID",
                    "a resolver that did not track its anchors (still trusting only the old KSK): bogus (DNSKEY_MISSING)",
                    "Done: every step behaved as described."
                }) {
            assertTrue(r.out().contains(s), s + " in\n" + r);
        }
        assertTrue(!r.out().contains("!! unexpected"), r::toString);
        assertEquals("", r.err(), "the demo writes everything to stdout");
        for (int section = 1; section <= 6; section++) {
            assertTrue(r.out().contains("\n== " + section + ". "), "section " + section);
        }
    }
}
