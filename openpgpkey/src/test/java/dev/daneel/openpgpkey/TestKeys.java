package dev.daneel.openpgpkey;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyPacket;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPDigestCalculatorProviderBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPKeyPair;

/** OpenPGP keys generated in code with Bouncy Castle, for tests. */
final class TestKeys {

    static final BouncyCastleProvider BC = new BouncyCastleProvider();

    /**
     * A generated key: its public ring (what goes into DNS) and secret ring (to decrypt in tests).
     */
    record Generated(PGPPublicKeyRing publicRing, PGPSecretKeyRing secretRing) {
        byte[] encoded() {
            try {
                return publicRing.getEncoded(true);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final List<String> userIds = new ArrayList<>();
    private boolean encryptionSubkey = true;
    private boolean revoked;
    private boolean revokedSubkey;
    private Duration expiresAfter;
    private Instant created =
            Instant.now()
                    .minus(Duration.ofDays(10))
                    .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

    static TestKeys forUserIds(String... ids) {
        TestKeys k = new TestKeys();
        k.userIds.addAll(List.of(ids));
        return k;
    }

    /** Only a signing primary key, no encryption subkey. */
    TestKeys signOnly() {
        encryptionSubkey = false;
        return this;
    }

    TestKeys revoked() {
        revoked = true;
        return this;
    }

    TestKeys revokedSubkey() {
        revokedSubkey = true;
        return this;
    }

    /** Expires one day after creation (ten days ago). */
    TestKeys expired() {
        expiresAfter = Duration.ofDays(1);
        return this;
    }

    Generated generate() {
        try {
            KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA", BC);
            rsa.initialize(2048, new SecureRandom());
            Date date = Date.from(created);
            PGPKeyPair primary =
                    new JcaPGPKeyPair(
                            PublicKeyPacket.VERSION_4,
                            PublicKeyAlgorithmTags.RSA_GENERAL,
                            rsa.generateKeyPair(),
                            date);
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setKeyFlags(false, KeyFlags.CERTIFY_OTHER | KeyFlags.SIGN_DATA);
            if (expiresAfter != null) {
                hashed.setKeyExpirationTime(false, expiresAfter.toSeconds());
            }
            var digests = new JcaPGPDigestCalculatorProviderBuilder().setProvider(BC).build();
            PGPKeyRingGenerator gen =
                    new PGPKeyRingGenerator(
                            PGPSignature.POSITIVE_CERTIFICATION,
                            primary,
                            userIds.get(0),
                            digests.get(HashAlgorithmTags.SHA1),
                            hashed.generate(),
                            null,
                            new JcaPGPContentSignerBuilder(
                                            PublicKeyAlgorithmTags.RSA_GENERAL,
                                            HashAlgorithmTags.SHA256)
                                    .setProvider(BC),
                            null);
            if (encryptionSubkey) {
                PGPKeyPair sub =
                        new JcaPGPKeyPair(
                                PublicKeyPacket.VERSION_4,
                                PublicKeyAlgorithmTags.RSA_GENERAL,
                                rsa.generateKeyPair(),
                                date);
                PGPSignatureSubpacketGenerator subHashed = new PGPSignatureSubpacketGenerator();
                subHashed.setKeyFlags(false, KeyFlags.ENCRYPT_COMMS | KeyFlags.ENCRYPT_STORAGE);
                gen.addSubKey(sub, subHashed.generate(), null);
            }
            PGPSecretKeyRing secret = gen.generateSecretKeyRing();
            PGPPublicKeyRing pub = gen.generatePublicKeyRing();
            PGPPublicKey key = pub.getPublicKey();
            for (String extra : userIds.subList(1, userIds.size())) {
                PGPSignatureGenerator sig =
                        new PGPSignatureGenerator(
                                new JcaPGPContentSignerBuilder(
                                                PublicKeyAlgorithmTags.RSA_GENERAL,
                                                HashAlgorithmTags.SHA256)
                                        .setProvider(BC),
                                key);
                sig.init(PGPSignature.POSITIVE_CERTIFICATION, primary.getPrivateKey());
                key =
                        PGPPublicKey.addCertification(
                                key, extra, sig.generateCertification(extra, key));
            }
            if (revoked) {
                PGPSignatureGenerator sig =
                        new PGPSignatureGenerator(
                                new JcaPGPContentSignerBuilder(
                                                PublicKeyAlgorithmTags.RSA_GENERAL,
                                                HashAlgorithmTags.SHA256)
                                        .setProvider(BC),
                                key);
                sig.init(PGPSignature.KEY_REVOCATION, primary.getPrivateKey());
                key = PGPPublicKey.addCertification(key, sig.generateCertification(key));
            }
            pub = PGPPublicKeyRing.insertPublicKey(pub, key);
            if (revokedSubkey) {
                java.util.Iterator<PGPPublicKey> keys = pub.getPublicKeys();
                keys.next();
                PGPPublicKey sub = keys.next();
                PGPSignatureGenerator sig =
                        new PGPSignatureGenerator(
                                new JcaPGPContentSignerBuilder(
                                                PublicKeyAlgorithmTags.RSA_GENERAL,
                                                HashAlgorithmTags.SHA256)
                                        .setProvider(BC),
                                key);
                sig.init(PGPSignature.SUBKEY_REVOCATION, primary.getPrivateKey());
                pub =
                        PGPPublicKeyRing.insertPublicKey(
                                pub,
                                PGPPublicKey.addCertification(
                                        sub, sig.generateCertification(key, sub)));
            }
            return new Generated(pub, secret);
        } catch (java.security.GeneralSecurityException | PGPException e) {
            throw new IllegalStateException(e);
        }
    }
}
