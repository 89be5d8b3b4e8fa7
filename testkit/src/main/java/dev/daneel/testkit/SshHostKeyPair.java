package dev.daneel.testkit;

import dev.daneel.testkit.internal.RecordFactory;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.OpenSSHPrivateKeyUtil;
import org.bouncycastle.crypto.util.OpenSSHPublicKeyUtil;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import org.xbill.DNS.Name;

/**
 * An SSH host key generated in Java (no {@code ssh-keygen}), with its OpenSSH public key line, a
 * private key file that OpenSSH's {@code sshd} and {@code ssh-keygen -y} read, and its SSHFP lines
 * (RFC 4255, RFC 6594, RFC 7479).
 *
 * <pre>{@code
 * SshHostKeyPair key = SshHostKeyPair.generate(SshHostKeyPair.Type.ED25519);
 * World world = World.builder().zone("test.")
 *         .zone("example.test.", z -> z.sshfp("host", key.publicKeyLine(), 2))
 *         .start();
 * Files.writeString(dir.resolve("ssh_host_ed25519_key"), key.privateKeyPem());   // then chmod 600
 * List<String> lines = key.sshfpLines("host.example.test");   // host.example.test IN SSHFP 4 1 …, 4 2 …
 * }</pre>
 *
 * <p>The encodings are Bouncy Castle's ({@code OpenSSHPublicKeyUtil}, {@code
 * OpenSSHPrivateKeyUtil}); needs {@code bcprov-jdk18on} on the test class path. Immutable.
 */
public final class SshHostKeyPair {

    /** The key types, with their OpenSSH names and SSHFP algorithm numbers. */
    public enum Type {
        /**
         * {@code ssh-rsa}, 3072 bits (as {@code ssh-keygen} makes by default); SSHFP algorithm 1.
         */
        RSA("ssh-rsa", 1),
        /** {@code ecdsa-sha2-nistp256}; SSHFP algorithm 3 (RFC 6594). */
        ECDSA_P256("ecdsa-sha2-nistp256", 3),
        /** {@code ssh-ed25519}; SSHFP algorithm 4 (RFC 7479). */
        ED25519("ssh-ed25519", 4);

        private final String openSshName;
        private final int sshfpAlgorithm;

        Type(String openSshName, int sshfpAlgorithm) {
            this.openSshName = openSshName;
            this.sshfpAlgorithm = sshfpAlgorithm;
        }

        /** The key type as OpenSSH writes it ({@code ssh-ed25519}). */
        public String openSshName() {
            return openSshName;
        }

        /** The SSHFP algorithm number. */
        public int sshfpAlgorithm() {
            return sshfpAlgorithm;
        }
    }

    private static final int RSA_BITS = 3072;

    private final Type type;
    private final KeyPair keys;
    private final byte[] publicBlob;

    private SshHostKeyPair(Type type, KeyPair keys) {
        this.type = type;
        this.keys = keys;
        try {
            this.publicBlob =
                    OpenSSHPublicKeyUtil.encodePublicKey(
                            PublicKeyFactory.createKey(keys.getPublic().getEncoded()));
        } catch (IOException e) {
            throw new IllegalStateException(
                    "Bouncy Castle could not encode the " + type + " public key: " + e.getMessage(),
                    e);
        }
    }

    /** A new host key of {@code type}. */
    public static SshHostKeyPair generate(Type type) {
        Objects.requireNonNull(type, "type");
        try {
            KeyPairGenerator g;
            switch (type) {
                case RSA:
                    g = KeyPairGenerator.getInstance("RSA");
                    g.initialize(RSA_BITS);
                    break;
                case ECDSA_P256:
                    g = KeyPairGenerator.getInstance("EC");
                    g.initialize(new ECGenParameterSpec("secp256r1"));
                    break;
                default:
                    g = KeyPairGenerator.getInstance("Ed25519");
                    break;
            }
            return new SshHostKeyPair(type, g.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "the JDK cannot make " + type + " keys: " + e.getMessage(), e);
        }
    }

    /** The key type. */
    public Type type() {
        return type;
    }

    /** The JCA key pair (for SSH servers written in Java, such as Apache MINA SSHD). */
    public KeyPair keys() {
        return keys;
    }

    /** The public key in SSH wire format (RFC 4253 §6.6), what SSHFP fingerprints hash. */
    public byte[] publicKeyBlob() {
        return publicBlob.clone();
    }

    /** The OpenSSH public key line without comment: {@code ssh-ed25519 AAAAC3…}. */
    public String publicKeyLine() {
        return type.openSshName + " " + Base64.getEncoder().encodeToString(publicBlob);
    }

    /**
     * The private key as a PEM file {@code sshd} and {@code ssh-keygen} read: {@code OPENSSH
     * PRIVATE KEY} for Ed25519, {@code PRIVATE KEY} (PKCS #8) for ECDSA, {@code RSA PRIVATE KEY}
     * (PKCS #1) for RSA; unencrypted.
     */
    public String privateKeyPem() {
        try {
            AsymmetricKeyParameter p = PrivateKeyFactory.createKey(keys.getPrivate().getEncoded());
            // Bouncy Castle's SEC 1 form for EC keys omits the curve, which OpenSSH refuses: EC
            // keys go out as
            // PKCS #8 (the JDK's encoding names the curve), which OpenSSH reads as well.
            byte[] encoded =
                    type == Type.ECDSA_P256
                            ? keys.getPrivate().getEncoded()
                            : OpenSSHPrivateKeyUtil.encodePrivateKey(p);
            String label =
                    switch (type) {
                        case RSA -> "RSA PRIVATE KEY";
                        case ECDSA_P256 -> "PRIVATE KEY";
                        case ED25519 -> "OPENSSH PRIVATE KEY";
                    };
            StringWriter out = new StringWriter();
            try (PemWriter w = new PemWriter(out)) {
                w.writeObject(new PemObject(label, encoded));
            }
            return out.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Bouncy Castle could not encode the " + type + " private key", e);
        }
    }

    /**
     * The SSHFP record data for fingerprint type 1 (SHA-1) or 2 (SHA-256): {@code "4 2 c0ffee…"}.
     */
    public String sshfpData(int fingerprintType) {
        return RecordFactory.sshfp(Name.root, 0, publicKeyLine(), fingerprintType).rdataToString();
    }

    /**
     * The SSHFP lines for {@code host}, SHA-1 then SHA-256, as {@code ssh-keygen -r host} prints
     * them ({@code host IN SSHFP 4 1 …}).
     */
    public List<String> sshfpLines(String host) {
        Objects.requireNonNull(host, "host");
        return List.of(
                host + " IN SSHFP " + sshfpData(1).toLowerCase(java.util.Locale.ROOT),
                host + " IN SSHFP " + sshfpData(2).toLowerCase(java.util.Locale.ROOT));
    }
}
