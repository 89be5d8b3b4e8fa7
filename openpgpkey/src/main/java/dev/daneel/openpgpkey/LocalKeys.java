package dev.daneel.openpgpkey;

import dev.daneel.openpgpkey.internal.KeyInspector;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.gpg.keybox.KeyBlob;
import org.bouncycastle.gpg.keybox.KeyBox;
import org.bouncycastle.gpg.keybox.PublicKeyRingBlob;
import org.bouncycastle.gpg.keybox.jcajce.JcaKeyBoxBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.jcajce.JcaKeyFingerprintCalculator;

/**
 * Reads local OpenPGP public keys: an ASCII-armored or binary key file, a GnuPG 2.1+ keybox ({@code
 * pubring.kbx}) or a legacy GnuPG keyring ({@code pubring.gpg}); the format is detected from the
 * content. All reading is done by Bouncy Castle.
 *
 * <pre>{@code
 * List<PGPPublicKeyRing> mine = LocalKeys.read(Path.of(System.getProperty("user.home"), ".gnupg/pubring.kbx"));
 * List<PGPPublicKeyRing> hugh = LocalKeys.forAddress(mine, "hugh@example.com");
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class LocalKeys {

    /** The keybox header blob carries this magic at offset 8 (GnuPG {@code kbx/keybox-blob.c}). */
    private static final byte[] KEYBOX_MAGIC = "KBXf".getBytes(StandardCharsets.US_ASCII);

    private LocalKeys() {}

    /**
     * Reads every public key in {@code file}.
     *
     * @throws IOException if the file cannot be read or holds no OpenPGP public keys in a known
     *     format
     */
    public static List<PGPPublicKeyRing> read(Path file) throws IOException {
        byte[] data = Files.readAllBytes(file);
        try {
            return parse(data);
        } catch (IOException | PGPException | RuntimeException e) {
            throw new IOException(
                    file
                            + " is not an OpenPGP key file, keybox (pubring.kbx) or keyring (pubring.gpg): "
                            + e.getMessage(),
                    e);
        }
    }

    /** Reads every public key in {@code data} (armored, binary, keybox or legacy keyring). */
    public static List<PGPPublicKeyRing> parse(byte[] data) throws IOException, PGPException {
        if (isKeybox(data)) {
            List<PGPPublicKeyRing> rings = new ArrayList<>();
            KeyBox box;
            try {
                box = new JcaKeyBoxBuilder().setProvider(new BouncyCastleProvider()).build(data);
            } catch (NoSuchProviderException | NoSuchAlgorithmException e) {
                throw new IllegalStateException(
                        "the Bouncy Castle provider verifies keybox blobs", e);
            }
            for (KeyBlob blob : box.getKeyBlobs()) {
                if (blob instanceof PublicKeyRingBlob pub) {
                    rings.add(pub.getPGPPublicKeyRing());
                }
            }
            return rings;
        }
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(data))) {
            PGPPublicKeyRingCollection collection =
                    new PGPPublicKeyRingCollection(in, new JcaKeyFingerprintCalculator());
            List<PGPPublicKeyRing> rings = new ArrayList<>();
            collection.getKeyRings().forEachRemaining(rings::add);
            if (rings.isEmpty()) {
                throw new IOException("no public keys found");
            }
            return rings;
        }
    }

    /**
     * The keys with a self-signed user ID that contains {@code address} (same rule as for DNS
     * keys).
     */
    public static List<PGPPublicKeyRing> forAddress(List<PGPPublicKeyRing> rings, String address) {
        return rings.stream()
                .filter(
                        r ->
                                !KeyInspector.matchingUserIds(r.getPublicKey(), address, false)
                                        .isEmpty())
                .toList();
    }

    /**
     * The key whose primary fingerprint is {@code fingerprintHex} (case and spaces ignored), if
     * any.
     */
    public static List<PGPPublicKeyRing> forFingerprint(
            List<PGPPublicKeyRing> rings, String fingerprintHex) {
        byte[] fp =
                HexFormat.of().parseHex(fingerprintHex.replace(" ", "").toLowerCase(Locale.ROOT));
        return rings.stream()
                .filter(r -> Arrays.equals(r.getPublicKey().getFingerprint(), fp))
                .toList();
    }

    private static boolean isKeybox(byte[] data) {
        return data.length >= 12 && Arrays.equals(data, 8, 12, KEYBOX_MAGIC, 0, 4);
    }
}
