package dev.daneel.openpgpkey.internal;

import dev.daneel.openpgpkey.KeyIssue;
import dev.daneel.openpgpkey.OpenPgpKeyName;
import dev.daneel.openpgpkey.PublishedKey;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureSubpacketVector;
import org.bouncycastle.openpgp.operator.jcajce.JcaKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentVerifierBuilderProvider;

/**
 * Parses one OPENPGPKEY record's data and checks it for a given address: user ID (RFC 7929 §5.3),
 * revocation, expiry and an encryption-capable (sub)key. Self-signatures are verified
 * cryptographically. Stateless and thread-safe.
 */
public final class KeyInspector {

    private static final BouncyCastleProvider PROVIDER = new BouncyCastleProvider();

    private KeyInspector() {}

    /**
     * Parses {@code data} and reports what is wrong with it for {@code address}.
     *
     * @param ignoreLocalPartCase whether the local part is compared without case (the record was
     *     found under the lowercased owner name)
     */
    public static PublishedKey inspect(
            byte[] data, String address, boolean ignoreLocalPartCase, Instant now) {
        PGPPublicKeyRing ring;
        try {
            ring = new PGPPublicKeyRing(data, new JcaKeyFingerprintCalculator());
        } catch (IOException | RuntimeException e) {
            return new PublishedKey(
                    data,
                    null,
                    null,
                    EnumSet.of(KeyIssue.UNPARSEABLE),
                    List.of(
                            "the record data is not an OpenPGP transferable public key: "
                                    + e.getMessage()));
        }
        Set<KeyIssue> issues = EnumSet.noneOf(KeyIssue.class);
        List<String> details = new ArrayList<>();
        PGPPublicKey primary = ring.getPublicKey();
        List<String> matching = matchingUserIds(primary, address, ignoreLocalPartCase);
        if (matching.isEmpty()) {
            issues.add(KeyIssue.USER_ID_MISMATCH);
            List<String> ids = new ArrayList<>();
            primary.getUserIDs().forEachRemaining(ids::add);
            details.add(
                    "no self-signed user ID contains "
                            + address
                            + " (RFC 7929 §5.3); the key's user IDs are "
                            + ids);
        }
        if (primary.hasRevocation()) {
            issues.add(KeyIssue.REVOKED);
            details.add("the primary key " + keyId(primary) + " carries a revocation signature");
        }
        if (expired(primary, now)) {
            issues.add(KeyIssue.EXPIRED);
            details.add("the primary key " + keyId(primary) + " expired at " + expiry(primary));
        }
        PGPPublicKey encryptionKey = encryptionKey(ring, now);
        if (encryptionKey == null) {
            issues.add(KeyIssue.NO_ENCRYPTION_KEY);
            details.add(
                    "neither the primary key nor a valid subkey of "
                            + keyId(primary)
                            + " may encrypt");
        }
        return new PublishedKey(data, ring, encryptionKey, issues, details);
    }

    /**
     * The user IDs of {@code primary} that contain {@code address} and carry a valid, unrevoked
     * self-signature.
     */
    public static List<String> matchingUserIds(
            PGPPublicKey primary, String address, boolean ignoreLocalPartCase) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = primary.getUserIDs(); it.hasNext(); ) {
            String uid = it.next();
            if (sameAddress(addressOf(uid), address, ignoreLocalPartCase)
                    && selfCertified(primary, uid)) {
                out.add(uid);
            }
        }
        return out;
    }

    /** The address inside a user ID: the text between the last angle brackets, or the whole ID. */
    static String addressOf(String userId) {
        int open = userId.lastIndexOf('<');
        int close = userId.lastIndexOf('>');
        if (open >= 0 && close > open) {
            return userId.substring(open + 1, close).trim();
        }
        return userId.trim();
    }

    static boolean sameAddress(String candidate, String address, boolean ignoreLocalPartCase) {
        try {
            String a = OpenPgpKeyName.localPart(candidate);
            String b = OpenPgpKeyName.localPart(address);
            boolean local =
                    ignoreLocalPartCase
                            ? a.toLowerCase(Locale.ROOT).equals(b.toLowerCase(Locale.ROOT))
                            : a.equals(b);
            return local && OpenPgpKeyName.domain(candidate).equals(OpenPgpKeyName.domain(address));
        } catch (IllegalArgumentException notAnAddress) {
            return false;
        }
    }

    /** Whether the newest self-certification of {@code uid} verifies and is not a revocation. */
    static boolean selfCertified(PGPPublicKey primary, String uid) {
        PGPSignature newest = null;
        for (Iterator<PGPSignature> it = primary.getSignaturesForID(uid);
                it != null && it.hasNext(); ) {
            PGPSignature sig = it.next();
            if (sig.getKeyID() == primary.getKeyID()
                    && (isCertification(sig)
                            || sig.getSignatureType() == PGPSignature.CERTIFICATION_REVOCATION)
                    && verifies(
                            () -> {
                                sig.init(
                                        new JcaPGPContentVerifierBuilderProvider()
                                                .setProvider(PROVIDER),
                                        primary);
                                return sig.verifyCertification(uid, primary);
                            })
                    && (newest == null
                            || !sig.getCreationTime().before(newest.getCreationTime()))) {
                newest = sig;
            }
        }
        return newest != null && isCertification(newest);
    }

    public static boolean isCertification(PGPSignature sig) {
        int t = sig.getSignatureType();
        return t == PGPSignature.DEFAULT_CERTIFICATION
                || t == PGPSignature.NO_CERTIFICATION
                || t == PGPSignature.CASUAL_CERTIFICATION
                || t == PGPSignature.POSITIVE_CERTIFICATION;
    }

    /**
     * Whether {@code subkey} has a verifying binding signature, no revocation and has not expired.
     */
    public static boolean validSubkey(PGPPublicKey primary, PGPPublicKey subkey, Instant now) {
        if (subkey.hasRevocation() || expired(subkey, now)) {
            return false;
        }
        for (Iterator<PGPSignature> it = subkey.getSignaturesOfType(PGPSignature.SUBKEY_BINDING);
                it.hasNext(); ) {
            PGPSignature sig = it.next();
            if (sig.getKeyID() == primary.getKeyID()
                    && verifies(
                            () -> {
                                sig.init(
                                        new JcaPGPContentVerifierBuilderProvider()
                                                .setProvider(PROVIDER),
                                        primary);
                                return sig.verifyCertification(primary, subkey);
                            })) {
                return true;
            }
        }
        return false;
    }

    private static PGPPublicKey encryptionKey(PGPPublicKeyRing ring, Instant now) {
        PGPPublicKey primary = ring.getPublicKey();
        for (Iterator<PGPPublicKey> it = ring.getPublicKeys(); it.hasNext(); ) {
            PGPPublicKey key = it.next();
            if (key.isMasterKey()) {
                continue;
            }
            if (key.isEncryptionKey()
                    && validSubkey(primary, key, now)
                    && flagsAllowEncryption(key.getSignaturesOfType(PGPSignature.SUBKEY_BINDING))) {
                return key;
            }
        }
        if (primary.isEncryptionKey() && flagsAllowEncryption(primary.getSignatures())) {
            return primary;
        }
        return null;
    }

    /**
     * No key-flags subpacket means the algorithm decides (RFC 4880 §5.2.3.21); with one, an encrypt
     * flag is needed.
     */
    private static boolean flagsAllowEncryption(Iterator<PGPSignature> signatures) {
        boolean sawFlags = false;
        while (signatures.hasNext()) {
            PGPSignatureSubpacketVector hashed = signatures.next().getHashedSubPackets();
            if (hashed != null
                    && hashed.hasSubpacket(
                            org.bouncycastle.bcpg.SignatureSubpacketTags.KEY_FLAGS)) {
                sawFlags = true;
                if ((hashed.getKeyFlags() & (KeyFlags.ENCRYPT_COMMS | KeyFlags.ENCRYPT_STORAGE))
                        != 0) {
                    return true;
                }
            }
        }
        return !sawFlags;
    }

    public static boolean expired(PGPPublicKey key, Instant now) {
        long seconds = key.getValidSeconds();
        return seconds > 0 && !now.isBefore(expiry(key));
    }

    private static Instant expiry(PGPPublicKey key) {
        return key.getCreationTime().toInstant().plusSeconds(key.getValidSeconds());
    }

    private static String keyId(PGPPublicKey key) {
        return String.format(Locale.ROOT, "%016X", key.getKeyID());
    }

    private interface Check {
        boolean run() throws PGPException;
    }

    private static boolean verifies(Check check) {
        try {
            return check.run();
        } catch (PGPException | RuntimeException e) {
            return false;
        }
    }
}
