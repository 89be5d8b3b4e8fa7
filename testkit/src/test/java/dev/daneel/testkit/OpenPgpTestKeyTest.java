package dev.daneel.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.operator.jcajce.JcaKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentVerifierBuilderProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenPgpTestKeyTest {

    private static final Instant CREATED = Instant.parse("2026-11-21T12:00:00Z");
    private static final OpenPgpTestKey ALICE =
            OpenPgpTestKey.generate("Alice <alice@example.test>", CREATED);

    @Test
    void theTransferableKeyParsesBackWithAValidSelfSignatureAndAnEncryptionSubkey()
            throws Exception {
        PGPPublicKeyRing ring =
                new PGPPublicKeyRing(ALICE.publicKeyBytes(), new JcaKeyFingerprintCalculator());
        PGPPublicKey primary = ring.getPublicKey();
        assertEquals(List.of("Alice <alice@example.test>"), toList(primary.getUserIDs()));
        PGPSignature self = primary.getSignaturesForID("Alice <alice@example.test>").next();
        self.init(new JcaPGPContentVerifierBuilderProvider(), primary);
        assertTrue(self.verifyCertification("Alice <alice@example.test>", primary));
        assertEquals(CREATED, primary.getCreationTime().toInstant());
        List<PGPPublicKey> keys = toList(ring.getPublicKeys());
        assertEquals(2, keys.size());
        assertTrue(keys.get(1).isEncryptionKey());
    }

    @Test
    void openpgpkeyLineUsesTheRfc7929OwnerName() {
        // SHA-256("alice") truncated to 28 octets, as RFC 7929 §3 computes it.
        assertTrue(
                ALICE.openpgpkeyLine("alice@example.test")
                        .startsWith(
                                "2bd806c97f0e00af1a1fc3328fa763a9269723c8db8fac4f93af71db._openpgpkey.example.test."),
                ALICE.openpgpkeyLine("alice@example.test"));
    }

    /** Real GnuPG imports the armored key and reports the same fingerprint and user ID. */
    @Test
    void gnuPgImportsTheKey(@TempDir Path dir) throws Exception {
        try (GnuPgHome gpg = GnuPgHome.create()) {
            Path file = dir.resolve("alice.asc");
            Files.writeString(file, ALICE.armoredPublicKey());
            gpg.gpg("--import", file.toString());
            String listing =
                    new String(
                            gpg.gpg("--with-colons", "--list-keys", "alice@example.test"),
                            StandardCharsets.UTF_8);
            assertTrue(listing.contains("fpr:::::::::" + ALICE.fingerprint() + ":"), listing);
            assertTrue(listing.contains("Alice <alice@example.test>"), listing);
            Path secret = dir.resolve("alice-secret.asc");
            Files.writeString(secret, ALICE.armoredSecretKey());
            gpg.gpg("--import", secret.toString());
            String secrets =
                    new String(
                            gpg.gpg("--with-colons", "--list-secret-keys"), StandardCharsets.UTF_8);
            assertTrue(secrets.contains(ALICE.fingerprint()), secrets);
        }
    }

    private static <T> List<T> toList(java.util.Iterator<T> it) {
        List<T> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
