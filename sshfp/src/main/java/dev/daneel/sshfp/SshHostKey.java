package dev.daneel.sshfp;

import dev.daneel.sshfp.internal.SshWire;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * An SSH public host key in its wire form (the blob that OpenSSH base64-encodes in {@code .pub}
 * files and that SSHFP fingerprints, RFC 4255 §3.1), with its key type name.
 *
 * <pre>{@code
 * SshHostKey key = SshHostKey.parse("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGPKSUTyz1HwHReFVvD5obVsALAgJRNarH4TRpNePnAS");
 * key.algorithm();                        // ED25519
 * key.fingerprint(FingerprintType.SHA256); // a87f1b68…
 * SshHostKey same = SshHostKey.of(javaPublicKey);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class SshHostKey {

    private final String keyType;
    private final byte[] blob;
    private final SshfpAlgorithm algorithm;

    private SshHostKey(byte[] blob) {
        this.blob = blob.clone();
        this.keyType = SshWire.keyType(blob);
        this.algorithm = algorithmOf(keyType);
    }

    /** The key in a blob (as an SSH server sends it in its KEXDH reply). */
    public static SshHostKey fromBlob(byte[] blob) {
        return new SshHostKey(Objects.requireNonNull(blob, "blob"));
    }

    /**
     * Parses an OpenSSH public key line, {@code TYPE BASE64 [comment]} (the {@code .pub} format).
     *
     * @throws IllegalArgumentException when the line is not one, its base64 is broken, the blob's
     *     own type name differs from the line's, or the key type has no SSHFP algorithm
     *     (certificates, security keys)
     */
    public static SshHostKey parse(String opensshLine) {
        String[] parts = opensshLine.strip().split("\\s+");
        if (parts.length < 2) {
            throw new IllegalArgumentException(
                    "expected an OpenSSH public key line \"TYPE BASE64 [comment]\", got \""
                            + abbreviate(opensshLine)
                            + "\"");
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "the key data of \""
                            + abbreviate(opensshLine)
                            + "\" is not base64: "
                            + e.getMessage(),
                    e);
        }
        SshHostKey key = new SshHostKey(blob);
        if (!key.keyType.equals(parts[0])) {
            throw new IllegalArgumentException(
                    "the line says key type " + parts[0] + " but its key blob is " + key.keyType);
        }
        return key;
    }

    /**
     * Reads a public key file: OpenSSH ({@code ssh_host_ed25519_key.pub}) or RFC 4716 ({@code ----
     * BEGIN SSH2 PUBLIC KEY ----}). The first key in the file is taken.
     */
    public static SshHostKey read(Path pubFile) throws IOException {
        List<String> lines = Files.readAllLines(pubFile, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("---- BEGIN SSH2 PUBLIC KEY ----")) {
                return fromBlob(rfc4716Body(lines, i + 1, pubFile));
            }
            return parse(line);
        }
        throw new IllegalArgumentException(pubFile + " holds no public key");
    }

    /** The host key of a JCA public key: RSA, DSA, EC P-256/384/521, Ed25519 or Ed448. */
    public static SshHostKey of(PublicKey key) {
        return new SshHostKey(SshWire.blob(Objects.requireNonNull(key, "key")));
    }

    /** The SSH key type name ({@code ssh-ed25519}, {@code ecdsa-sha2-nistp256} …). */
    public String keyType() {
        return keyType;
    }

    /** The SSHFP algorithm of this key type. */
    public SshfpAlgorithm algorithm() {
        return algorithm;
    }

    /** A copy of the key blob. */
    public byte[] blob() {
        return blob.clone();
    }

    /** The SSHFP fingerprint: the digest of the blob (RFC 4255 §3.1.3). */
    public byte[] fingerprint(FingerprintType type) {
        return SshWire.digest(type.jcaName(), blob);
    }

    /** The OpenSSH public key line without comment. */
    public String toOpenSsh() {
        return keyType + " " + Base64.getEncoder().encodeToString(blob);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SshHostKey && Arrays.equals(blob, ((SshHostKey) o).blob);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(blob);
    }

    @Override
    public String toString() {
        return keyType
                + " SHA256:"
                + Base64.getEncoder()
                        .withoutPadding()
                        .encodeToString(fingerprint(FingerprintType.SHA256));
    }

    private static SshfpAlgorithm algorithmOf(String keyType) {
        for (SshfpAlgorithm a : SshfpAlgorithm.values()) {
            boolean hit =
                    a == SshfpAlgorithm.ECDSA
                            ? keyType.equals("ecdsa-sha2-nistp256")
                                    || keyType.equals("ecdsa-sha2-nistp384")
                                    || keyType.equals("ecdsa-sha2-nistp521")
                            : keyType.equals(a.opensshPrefix());
            if (hit) {
                return a;
            }
        }
        throw new IllegalArgumentException(
                "SSHFP has no algorithm for SSH key type "
                        + keyType
                        + " (supported: ssh-rsa, ssh-dss, ecdsa-sha2-nistp256/384/521, ssh-ed25519, ssh-ed448)");
    }

    /**
     * RFC 4716 §3: header lines ({@code Tag: value}, continued by a final backslash), then base64
     * lines.
     */
    private static byte[] rfc4716Body(List<String> lines, int from, Path file) {
        StringBuilder b64 = new StringBuilder();
        boolean continued = false;
        for (int i = from; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.startsWith("---- END SSH2 PUBLIC KEY ----")) {
                try {
                    return Base64.getDecoder().decode(b64.toString());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                            file + ": the RFC 4716 key body is not base64: " + e.getMessage(), e);
                }
            }
            if (continued || line.contains(":")) {
                continued = line.endsWith("\\");
                continue;
            }
            b64.append(line);
        }
        throw new IllegalArgumentException(file + ": \"---- END SSH2 PUBLIC KEY ----\" is missing");
    }

    private static String abbreviate(String s) {
        String t = s.strip();
        return t.length() <= 60 ? t : t.substring(0, 57) + "...";
    }
}
