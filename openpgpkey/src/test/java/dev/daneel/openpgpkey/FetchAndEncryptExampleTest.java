package dev.daneel.openpgpkey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.daneel.anchors.TrustAnchors;
import dev.daneel.testkit.World;
import dev.daneel.validator.ValidatingResolver;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Date;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.PGPEncryptedDataList;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyEncryptedData;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.jcajce.JcaPGPObjectFactory;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPDigestCalculatorProviderBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcePBESecretKeyDecryptorBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcePGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcePublicKeyDataDecryptorFactoryBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcePublicKeyKeyEncryptionMethodGenerator;
import org.junit.jupiter.api.Test;

/**
 * The README's fetch-and-encrypt example, run against a signed world: the recipient can decrypt.
 */
class FetchAndEncryptExampleTest {

    /**
     * The README example: encrypt {@code message} to {@code key}, ASCII-armored, AES-256 with
     * integrity protection.
     */
    static String encrypt(PGPPublicKey key, String message) throws IOException, PGPException {
        byte[] plain = message.getBytes(StandardCharsets.UTF_8);
        PGPEncryptedDataGenerator generator =
                new PGPEncryptedDataGenerator(
                        new JcePGPDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256)
                                .setWithIntegrityPacket(true)
                                .setSecureRandom(new SecureRandom())
                                .setProvider(TestKeys.BC));
        generator.addMethod(
                new JcePublicKeyKeyEncryptionMethodGenerator(key).setProvider(TestKeys.BC));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArmoredOutputStream armor = new ArmoredOutputStream(out);
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

    private static String decrypt(String armored, PGPSecretKeyRing secret) throws Exception {
        InputStream in =
                PGPUtil.getDecoderStream(
                        new ByteArrayInputStream(armored.getBytes(StandardCharsets.US_ASCII)));
        PGPEncryptedDataList list = (PGPEncryptedDataList) new JcaPGPObjectFactory(in).nextObject();
        PGPPublicKeyEncryptedData data = (PGPPublicKeyEncryptedData) list.get(0);
        var privateKey =
                secret.getSecretKey(data.getKeyIdentifier().getKeyId())
                        .extractPrivateKey(
                                new JcePBESecretKeyDecryptorBuilder(
                                                new JcaPGPDigestCalculatorProviderBuilder()
                                                        .setProvider(TestKeys.BC)
                                                        .build())
                                        .setProvider(TestKeys.BC)
                                        .build(new char[0]));
        InputStream clear =
                data.getDataStream(
                        new JcePublicKeyDataDecryptorFactoryBuilder()
                                .setProvider(TestKeys.BC)
                                .build(privateKey));
        PGPLiteralData literal = (PGPLiteralData) new JcaPGPObjectFactory(clear).nextObject();
        String text = new String(literal.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(true, data.verify(), "integrity protection verifies");
        return text;
    }

    @Test
    void keyFetchedFromASecureAnswerEncryptsAMessageTheRecipientCanDecrypt() throws Exception {
        TestKeys.Generated hugh = TestKeys.forUserIds("Hugh <hugh@example.test>").generate();
        try (World world =
                        World.builder()
                                .zone("test.")
                                .zone(
                                        "example.test.",
                                        z -> z.openpgpkey("hugh@example.test", hugh.encoded()))
                                .start();
                ValidatingResolver resolver =
                        ValidatingResolver.builder()
                                .upstream(world.address())
                                .trustAnchors(TrustAnchors.of(world.trustAnchors()))
                                .build()) {
            OpenPgpKeyFetcher fetcher = OpenPgpKeyFetcher.builder(resolver).build();

            FetchResult result = fetcher.fetch("hugh@example.test");
            FetchResult.Secure secure = assertInstanceOf(FetchResult.Secure.class, result);
            PGPPublicKey to = secure.encryptionKeys().get(0).encryptionKey().orElseThrow();
            String armored = encrypt(to, "Hello Hugh, this travelled encrypted.");

            assertEquals(
                    "Hello Hugh, this travelled encrypted.", decrypt(armored, hugh.secretRing()));
        }
    }
}
