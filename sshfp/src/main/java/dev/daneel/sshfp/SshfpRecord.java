package dev.daneel.sshfp;

import dev.daneel.sshfp.internal.SshWire;
import java.util.Arrays;
import java.util.Objects;

/**
 * One SSHFP record (RFC 4255 §3): owner, key algorithm, fingerprint type and fingerprint. Unknown
 * algorithm and type numbers are kept as they are, so records read from DNS round-trip.
 *
 * <pre>{@code
 * SshfpRecord r = SshfpRecord.of("host.example.test.", SshHostKey.read(Path.of("/etc/ssh/ssh_host_ed25519_key.pub")),
 *         FingerprintType.SHA256);
 * r.rfcForm();     // host.example.test. IN SSHFP 4 2 a87f1b68…
 * r.genericForm(); // host.example.test. IN TYPE44 \# 34 0402a87f1b68…
 * }</pre>
 *
 * @param owner the owner name, as given (with or without a final dot)
 * @param algorithm the key algorithm number (see {@link SshfpAlgorithm})
 * @param fingerprintType the fingerprint type number (see {@link FingerprintType})
 * @param fingerprint the fingerprint octets
 */
public record SshfpRecord(String owner, int algorithm, int fingerprintType, byte[] fingerprint) {

    /** The RR type number of SSHFP. */
    public static final int TYPE = 44;

    /**
     * Checks that the owner is not blank and that algorithm and fingerprint type are octets
     * (0..255); copies the fingerprint.
     */
    public SshfpRecord {
        Objects.requireNonNull(owner, "owner");
        if (owner.isBlank()) {
            throw new IllegalArgumentException("owner must not be blank");
        }
        if (algorithm < 0 || algorithm > 255 || fingerprintType < 0 || fingerprintType > 255) {
            throw new IllegalArgumentException(
                    "algorithm and fingerprint type are octets (0..255), got "
                            + algorithm
                            + " and "
                            + fingerprintType);
        }
        fingerprint = fingerprint.clone();
    }

    /** The record for {@code key} with one fingerprint type. */
    public static SshfpRecord of(String owner, SshHostKey key, FingerprintType type) {
        return new SshfpRecord(owner, key.algorithm().code(), type.code(), key.fingerprint(type));
    }

    /** A copy of the fingerprint. */
    @Override
    public byte[] fingerprint() {
        return fingerprint.clone();
    }

    /**
     * Whether this record fingerprints {@code key} (same algorithm, same digest). Unknown types
     * never match.
     */
    public boolean matches(SshHostKey key) {
        if (algorithm != key.algorithm().code()) {
            return false;
        }
        return FingerprintType.fromCode(fingerprintType)
                .map(t -> java.security.MessageDigest.isEqual(fingerprint, key.fingerprint(t)))
                .orElse(false);
    }

    /** Presentation form, as {@code ssh-keygen -r} prints it: {@code owner IN SSHFP 4 2 hex}. */
    public String rfcForm() {
        return owner
                + " IN SSHFP "
                + algorithm
                + " "
                + fingerprintType
                + " "
                + SshWire.hex(fingerprint);
    }

    /**
     * RFC 3597 generic form, for signers that do not know SSHFP: {@code owner IN TYPE44 \# 34
     * 0402hex}.
     */
    public String genericForm() {
        return owner
                + " IN TYPE"
                + TYPE
                + " \\# "
                + (2 + fingerprint.length)
                + " "
                + String.format("%02x%02x", algorithm, fingerprintType)
                + SshWire.hex(fingerprint);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SshfpRecord)) {
            return false;
        }
        SshfpRecord r = (SshfpRecord) o;
        return owner.equals(r.owner)
                && algorithm == r.algorithm
                && fingerprintType == r.fingerprintType
                && Arrays.equals(fingerprint, r.fingerprint);
    }

    @Override
    public int hashCode() {
        return Objects.hash(owner, algorithm, fingerprintType, Arrays.hashCode(fingerprint));
    }

    @Override
    public String toString() {
        return rfcForm();
    }
}
