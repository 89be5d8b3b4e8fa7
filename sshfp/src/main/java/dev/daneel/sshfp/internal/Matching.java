package dev.daneel.sshfp.internal;

import dev.daneel.sshfp.FingerprintType;
import dev.daneel.sshfp.SshHostKey;
import dev.daneel.sshfp.SshfpRecord;
import java.util.ArrayList;
import java.util.List;

/** Which published records are compared with a presented key. */
public final class Matching {

    private Matching() {}

    /**
     * The records of the key's algorithm with the strongest known fingerprint type present: SHA-256
     * when there is one, else SHA-1 (RFC 6594 made SHA-256 the stronger choice; a SHA-1 record next
     * to a SHA-256 record for the same key type adds nothing but a weaker hash to match). Unknown
     * types are ignored.
     */
    public static List<SshfpRecord> considered(SshHostKey key, List<SshfpRecord> records) {
        List<SshfpRecord> sha256 = new ArrayList<>();
        List<SshfpRecord> sha1 = new ArrayList<>();
        for (SshfpRecord r : records) {
            if (r.algorithm() != key.algorithm().code()) {
                continue;
            }
            if (r.fingerprintType() == FingerprintType.SHA256.code()) {
                sha256.add(r);
            } else if (r.fingerprintType() == FingerprintType.SHA1.code()) {
                sha1.add(r);
            }
        }
        return sha256.isEmpty() ? sha1 : sha256;
    }
}
