package dev.daneel.testkit;

import dev.daneel.testkit.internal.RecordFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyPacket;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPDigestCalculatorProviderBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPKeyPair;

/**
 * An OpenPGP key generated in Java with Bouncy Castle (no {@code gpg}): an RSA certification and
 * signing primary key with one user ID, and an RSA encryption subkey, unprotected. For tests that
 * need a key to publish in an OPENPGPKEY record (RFC 7929) or to encrypt to.
 *
 * <pre>{@code
 * OpenPgpTestKey key = OpenPgpTestKey.generate("Alice <alice@example.test>", clock.instant());
 * World world = World.builder().zone("test.")
 *         .zone("example.test.", z -> z.openpgpkey("alice@example.test", key.publicKeyBytes()))
 *         .start();
 * PGPPublicKeyRing ring = key.publicKeyRing();   // what a fetch should give back
 * }</pre>
 *
 * <p>Needs {@code bcpg-jdk18on} on the test class path. Immutable.
 */
public final class OpenPgpTestKey {

    /**
     * Small enough to generate fast in tests, large enough that every OpenPGP implementation
     * accepts it.
     */
    private static final int RSA_BITS = 2048;

    private final String userId;
    private final PGPPublicKeyRing publicRing;
    private final PGPSecretKeyRing secretRing;

    private OpenPgpTestKey(
            String userId, PGPPublicKeyRing publicRing, PGPSecretKeyRing secretRing) {
        this.userId = userId;
        this.publicRing = publicRing;
        this.secretRing = secretRing;
    }

    /**
     * A new key for {@code userId} (such as {@code "Alice <alice@example.test>"}), created at
     * {@code created} (pass the test clock's instant, so signatures are valid at the time the test
     * validates).
     */
    public static OpenPgpTestKey generate(String userId, Instant created) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(created, "created");
        if (userId.isBlank()) {
            throw new IllegalArgumentException(
                    "expected a user ID such as \"Alice <alice@example.test>\", got \""
                            + userId
                            + "\"");
        }
        try {
            Date when = Date.from(created);
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(RSA_BITS);
            PGPKeyPair primary =
                    new JcaPGPKeyPair(
                            PublicKeyPacket.VERSION_4,
                            PGPPublicKey.RSA_GENERAL,
                            g.generateKeyPair(),
                            when);
            PGPKeyPair encryption =
                    new JcaPGPKeyPair(
                            PublicKeyPacket.VERSION_4,
                            PGPPublicKey.RSA_GENERAL,
                            g.generateKeyPair(),
                            when);
            PGPSignatureSubpacketGenerator primaryFlags = new PGPSignatureSubpacketGenerator();
            primaryFlags.setKeyFlags(false, KeyFlags.CERTIFY_OTHER | KeyFlags.SIGN_DATA);
            primaryFlags.setPreferredHashAlgorithms(
                    false, new int[] {HashAlgorithmTags.SHA256, HashAlgorithmTags.SHA512});
            primaryFlags.setPreferredSymmetricAlgorithms(
                    false,
                    new int[] {
                        SymmetricKeyAlgorithmTags.AES_256, SymmetricKeyAlgorithmTags.AES_128
                    });
            PGPSignatureSubpacketGenerator subkeyFlags = new PGPSignatureSubpacketGenerator();
            subkeyFlags.setKeyFlags(false, KeyFlags.ENCRYPT_COMMS | KeyFlags.ENCRYPT_STORAGE);
            PGPKeyRingGenerator gen =
                    new PGPKeyRingGenerator(
                            PGPSignature.POSITIVE_CERTIFICATION,
                            primary,
                            userId,
                            new JcaPGPDigestCalculatorProviderBuilder()
                                    .build()
                                    .get(HashAlgorithmTags.SHA1),
                            primaryFlags.generate(),
                            null,
                            new JcaPGPContentSignerBuilder(
                                    PGPPublicKey.RSA_GENERAL, HashAlgorithmTags.SHA256),
                            null);
            gen.addSubKey(encryption, subkeyFlags.generate(), null);
            return new OpenPgpTestKey(
                    userId, gen.generatePublicKeyRing(), gen.generateSecretKeyRing());
        } catch (GeneralSecurityException | PGPException e) {
            throw new IllegalStateException(
                    "could not generate an OpenPGP key for " + userId + ": " + e.getMessage(), e);
        }
    }

    /** The user ID. */
    public String userId() {
        return userId;
    }

    /**
     * The public key ring (primary key, user ID and its self-signature, subkey and its binding).
     */
    public PGPPublicKeyRing publicKeyRing() {
        return publicRing;
    }

    /** The secret key ring (unprotected), for decrypting in tests. */
    public PGPSecretKeyRing secretKeyRing() {
        return secretRing;
    }

    /** The primary key's fingerprint in upper-case hex, as {@code gpg --with-colons} prints it. */
    public String fingerprint() {
        return java.util.HexFormat.of()
                .withUpperCase()
                .formatHex(publicRing.getPublicKey().getFingerprint());
    }

    /** The binary transferable public key (RFC 4880 §11.1): the data of an OPENPGPKEY record. */
    public byte[] publicKeyBytes() {
        try {
            return publicRing.getEncoded();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The public key ASCII-armored ({@code -----BEGIN PGP PUBLIC KEY BLOCK-----}), as {@code gpg
     * --import} reads it.
     */
    public String armoredPublicKey() {
        return armor(publicKeyBytes());
    }

    /** The secret key ASCII-armored, unprotected. */
    public String armoredSecretKey() {
        try {
            return armor(secretRing.getEncoded());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The OPENPGPKEY zone-file line for {@code address} (RFC 7929 §3 owner name, absolute). */
    public String openpgpkeyLine(String address) {
        return RecordFactory.openpgpkey(address, 3600, publicKeyBytes()).toString();
    }

    private static String armor(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArmoredOutputStream a = ArmoredOutputStream.builder().clearHeaders().build(out)) {
            a.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.US_ASCII);
    }
}
