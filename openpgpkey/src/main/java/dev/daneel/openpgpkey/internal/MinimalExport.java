package dev.daneel.openpgpkey.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;

/**
 * The minimal transferable public key of RFC 7929 §2.2: the primary key with its own (direct-key
 * and revocation) self-signatures, the user IDs that contain the address with their newest
 * self-signature, and the valid subkeys with their newest binding signature. Third-party
 * certifications go; this is what GnuPG's {@code export-minimal} (and {@code export-dane}) keeps
 * for such a key.
 */
public final class MinimalExport {

    private MinimalExport() {}

    /**
     * @throws IllegalArgumentException if no self-signed user ID contains {@code address}
     */
    public static PGPPublicKeyRing of(PGPPublicKeyRing ring, String address, Instant now) {
        PGPPublicKey primary = ring.getPublicKey();
        List<String> keep = KeyInspector.matchingUserIds(primary, address, false);
        if (keep.isEmpty()) {
            throw new IllegalArgumentException(
                    "no self-signed user ID of key "
                            + String.format("%016X", primary.getKeyID())
                            + " contains "
                            + address
                            + "; its user IDs are "
                            + userIds(primary)
                            + " (create a record for one of those, or add the user ID with gpg --quick-add-uid)");
        }
        long selfId = primary.getKeyID();
        PGPPublicKey out = primary;
        for (String uid : userIds(primary)) {
            if (!keep.contains(uid)) {
                out = PGPPublicKey.removeCertification(out, uid);
                continue;
            }
            PGPSignature newest = newest(primary.getSignaturesForID(uid), selfId, true);
            for (Iterator<PGPSignature> it = primary.getSignaturesForID(uid); it.hasNext(); ) {
                PGPSignature sig = it.next();
                if (sig != newest) {
                    out = PGPPublicKey.removeCertification(out, uid, sig);
                }
            }
        }
        for (Iterator<PGPSignature> it = primary.getKeySignatures(); it.hasNext(); ) {
            PGPSignature sig = it.next();
            if (sig.getKeyID() != selfId) {
                out = PGPPublicKey.removeCertification(out, sig);
            }
        }
        List<PGPPublicKey> keys = new ArrayList<>();
        keys.add(out);
        for (Iterator<PGPPublicKey> it = ring.getPublicKeys(); it.hasNext(); ) {
            PGPPublicKey sub = it.next();
            if (sub.isMasterKey() || !KeyInspector.validSubkey(primary, sub, now)) {
                continue;
            }
            PGPPublicKey trimmed = sub;
            PGPSignature newest =
                    newest(sub.getSignaturesOfType(PGPSignature.SUBKEY_BINDING), selfId, false);
            for (Iterator<PGPSignature> s = sub.getSignatures(); s.hasNext(); ) {
                PGPSignature sig = s.next();
                if (sig != newest) {
                    trimmed = PGPPublicKey.removeCertification(trimmed, sig);
                }
            }
            keys.add(trimmed);
        }
        return new PGPPublicKeyRing(keys);
    }

    private static PGPSignature newest(
            Iterator<PGPSignature> sigs, long selfId, boolean certification) {
        PGPSignature newest = null;
        while (sigs != null && sigs.hasNext()) {
            PGPSignature sig = sigs.next();
            boolean kind = !certification || KeyInspector.isCertification(sig);
            if (sig.getKeyID() == selfId
                    && kind
                    && (newest == null || sig.getCreationTime().after(newest.getCreationTime()))) {
                newest = sig;
            }
        }
        return newest;
    }

    private static List<String> userIds(PGPPublicKey key) {
        List<String> ids = new ArrayList<>();
        key.getUserIDs().forEachRemaining(ids::add);
        return ids;
    }
}
