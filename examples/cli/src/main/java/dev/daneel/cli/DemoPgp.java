package dev.daneel.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyPacket;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.PGPEncryptedDataList;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyEncryptedData;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.jcajce.JcaPGPObjectFactory;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPDigestCalculatorProviderBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPKeyPair;
import org.bouncycastle.openpgp.operator.jcajce.JcePBESecretKeyDecryptorBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcePGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcePublicKeyDataDecryptorFactoryBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcePublicKeyKeyEncryptionMethodGenerator;

/**
 * The demo's OpenPGP side: a key generated in memory (RSA-2048 primary and encryption subkey, no
 * passphrase), a message encrypted to a fetched key, and decrypted again by the key's owner.
 *
 * <pre>{@code
 * DemoPgp.Generated hugh = DemoPgp.generate("Hugh <hugh@example.test>");
 * String armored = DemoPgp.encrypt(fetchedKey, "hello");
 * DemoPgp.decrypt(armored, hugh.secretRing());   // "hello"
 * }</pre>
 *
 * <p>Stateless.
 */
final class DemoPgp {
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();

    /** A generated key: the public ring (what goes into DNS) and the secret ring (to decrypt). */
    record Generated(PGPPublicKeyRing publicRing, PGPSecretKeyRing secretRing) {}

    private DemoPgp() {}

    static Generated generate(String userId) {
        try {
            KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
            rsa.initialize(2048, new SecureRandom());
            Date date =
                    Date.from(
                            Instant.now()
                                    .minus(Duration.ofMinutes(5))
                                    .truncatedTo(ChronoUnit.SECONDS));
            PGPKeyPair primary =
                    new JcaPGPKeyPair(
                            PublicKeyPacket.VERSION_4,
                            PublicKeyAlgorithmTags.RSA_GENERAL,
                            rsa.generateKeyPair(),
                            date);
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setKeyFlags(false, KeyFlags.CERTIFY_OTHER | KeyFlags.SIGN_DATA);
            var digests = new JcaPGPDigestCalculatorProviderBuilder().setProvider(BC).build();
            PGPKeyRingGenerator gen =
                    new PGPKeyRingGenerator(
                            PGPSignature.POSITIVE_CERTIFICATION,
                            primary,
                            userId,
                            digests.get(HashAlgorithmTags.SHA1),
                            hashed.generate(),
                            null,
                            new JcaPGPContentSignerBuilder(
                                            PublicKeyAlgorithmTags.RSA_GENERAL,
                                            HashAlgorithmTags.SHA256)
                                    .setProvider(BC),
                            null);
            PGPKeyPair sub =
                    new JcaPGPKeyPair(
                            PublicKeyPacket.VERSION_4,
                            PublicKeyAlgorithmTags.RSA_GENERAL,
                            rsa.generateKeyPair(),
                            date);
            PGPSignatureSubpacketGenerator subHashed = new PGPSignatureSubpacketGenerator();
            subHashed.setKeyFlags(false, KeyFlags.ENCRYPT_COMMS | KeyFlags.ENCRYPT_STORAGE);
            gen.addSubKey(sub, subHashed.generate(), null);
            return new Generated(gen.generatePublicKeyRing(), gen.generateSecretKeyRing());
        } catch (GeneralSecurityException | PGPException e) {
            throw new IllegalStateException(
                    "cannot generate the demo OpenPGP key: " + e.getMessage(), e);
        }
    }

    /**
     * Encrypts {@code message} to {@code key}: ASCII-armored, AES-256 with integrity protection.
     */
    static String encrypt(PGPPublicKey key, String message) throws IOException, PGPException {
        byte[] plain = message.getBytes(StandardCharsets.UTF_8);
        PGPEncryptedDataGenerator generator =
                new PGPEncryptedDataGenerator(
                        new JcePGPDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256)
                                .setWithIntegrityPacket(true)
                                .setSecureRandom(new SecureRandom())
                                .setProvider(BC));
        generator.addMethod(new JcePublicKeyKeyEncryptionMethodGenerator(key).setProvider(BC));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArmoredOutputStream armor = ArmoredOutputStream.builder().clearHeaders().build(out);
                OutputStream encrypted = generator.open(armor, new byte[4096]);
                OutputStream literal =
                        new PGPLiteralDataGenerator()
                                .open(
                                        encrypted,
                                        PGPLiteralData.UTF8,
                                        PGPLiteralData.CONSOLE,
                                        plain.length,
                                        new Date())) {
            literal.write(plain);
        }
        return out.toString(StandardCharsets.US_ASCII);
    }

    /** Decrypts what {@link #encrypt} made, with the recipient's secret ring (no passphrase). */
    static String decrypt(String armored, PGPSecretKeyRing secret)
            throws IOException, PGPException {
        InputStream in =
                PGPUtil.getDecoderStream(
                        new ByteArrayInputStream(armored.getBytes(StandardCharsets.US_ASCII)));
        PGPEncryptedDataList list = (PGPEncryptedDataList) new JcaPGPObjectFactory(in).nextObject();
        PGPPublicKeyEncryptedData data = (PGPPublicKeyEncryptedData) list.get(0);
        var privateKey =
                secret.getSecretKey(data.getKeyID())
                        .extractPrivateKey(
                                new JcePBESecretKeyDecryptorBuilder(
                                                new JcaPGPDigestCalculatorProviderBuilder()
                                                        .setProvider(BC)
                                                        .build())
                                        .setProvider(BC)
                                        .build(new char[0]));
        InputStream clear =
                data.getDataStream(
                        new JcePublicKeyDataDecryptorFactoryBuilder()
                                .setProvider(BC)
                                .build(privateKey));
        PGPLiteralData literal = (PGPLiteralData) new JcaPGPObjectFactory(clear).nextObject();
        String text = new String(literal.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!data.verify()) {
            throw new PGPException("the message's integrity protection does not verify");
        }
        return text;
    }
}
