package dev.daneel.openpgpkey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link PublishedKey#check}: a key from outside the DNS checked as a record's key is. */
class PublishedKeyTest {

    @Test
    void checkAppliesTheUserIdRuleWithTheDomainAlwaysAndTheLocalPartCaseAsAsked() {
        byte[] key = TestKeys.forUserIds("Hugh <hugh@Example.TEST>").generate().encoded();
        PublishedKey exact = PublishedKey.check(key, "hugh@example.test", false, Instant.now());
        assertEquals(Set.of(), exact.issues());
        assertTrue(exact.usableForEncryption());
        assertEquals(
                Set.of(KeyIssue.USER_ID_MISMATCH),
                PublishedKey.check(key, "Hugh@example.test", false, Instant.now()).issues());
        assertEquals(
                Set.of(),
                PublishedKey.check(key, "Hugh@example.test", true, Instant.now()).issues());
        assertEquals(
                Set.of(KeyIssue.UNPARSEABLE),
                PublishedKey.check(new byte[] {1, 2, 3}, "hugh@example.test", true, Instant.now())
                        .issues());
    }
}
