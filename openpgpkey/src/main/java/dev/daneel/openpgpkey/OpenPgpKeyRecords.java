package dev.daneel.openpgpkey;

import dev.daneel.openpgpkey.internal.MinimalExport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import org.bouncycastle.openpgp.PGPPublicKeyRing;

/**
 * Creates OPENPGPKEY record lines (RFC 7929) for an address from a local key, in RFC presentation
 * form ({@code owner. IN OPENPGPKEY base64}, one line) and in RFC 3597 generic form ({@code owner.
 * IN TYPE61 \# len hex}) for signers that do not know the type, each preceded by a comment line
 * with the key ID, as hash-slinger prints:
 *
 * <pre>{@code
 * PGPPublicKeyRing ring = LocalKeys.forAddress(LocalKeys.read(kbx), "hugh@example.com").get(0);
 * System.out.print(OpenPgpKeyRecords.create(ring, "hugh@example.com").text(OpenPgpKeyRecords.Form.BOTH));
 * // ; keyid: BE12518EDB4C2A3D
 * // c93f1e40…._openpgpkey.example.com. IN OPENPGPKEY mQGNBGsBS1oBDADO…
 * // ; keyid: BE12518EDB4C2A3D
 * // c93f1e40…._openpgpkey.example.com. IN TYPE61 \# 1732 99018d04…
 * }</pre>
 *
 * <p>By default the key is exported minimal, as RFC 7929 §2.2 recommends: the primary key, the user
 * IDs that contain the address, the valid subkeys and their newest self-signatures; for a key with
 * one user ID the bytes equal {@code gpg --export --export-options export-dane}. {@link
 * Export#FULL} publishes the key as held. The owner name is {@link OpenPgpKeyName#of(String)}; pass
 * an already lowercased address to match what hash-slinger and GnuPG publish.
 *
 * @param ownerName the absolute owner name
 * @param keyId the primary key ID, 16 uppercase hex digits
 * @param keyData the record data: the exported transferable public key
 */
public record OpenPgpKeyRecords(String ownerName, String keyId, byte[] keyData) {

    /** Which lines {@link #text(Form)} prints. */
    public enum Form {
        /** {@code owner. IN OPENPGPKEY base64} (RFC 7929 §2.3). */
        RFC,
        /** {@code owner. IN TYPE61 \# len hex} (RFC 3597 §5). */
        GENERIC,
        /** Both, RFC first. */
        BOTH
    }

    /** How much of the key goes into the record. */
    public enum Export {
        /**
         * RFC 7929 §2.2: primary key, matching user IDs, valid subkeys, newest self-signatures
         * only.
         */
        MINIMAL,
        /** The key ring as given, every user ID, subkey and signature. */
        FULL
    }

    /** Checks that the owner name and key ID are present; copies the key data. */
    public OpenPgpKeyRecords {
        Objects.requireNonNull(ownerName, "ownerName");
        Objects.requireNonNull(keyId, "keyId");
        keyData = keyData.clone();
    }

    /** Minimal export, user ID checked against {@code address}, expiry judged now. */
    public static OpenPgpKeyRecords create(PGPPublicKeyRing ring, String address) {
        return create(ring, address, Export.MINIMAL, Clock.systemUTC());
    }

    /**
     * Creates the record for {@code address} from {@code ring}.
     *
     * @param clock decides which subkeys have expired (minimal export drops them)
     * @throws IllegalArgumentException for {@link Export#MINIMAL} when no self-signed user ID
     *     contains the address
     */
    public static OpenPgpKeyRecords create(
            PGPPublicKeyRing ring, String address, Export export, Clock clock) {
        String owner = OpenPgpKeyName.of(address);
        PGPPublicKeyRing exported =
                export == Export.MINIMAL ? MinimalExport.of(ring, address, clock.instant()) : ring;
        byte[] data;
        try {
            data = exported.getEncoded(true);
        } catch (IOException e) {
            throw new UncheckedIOException("encoding a key in memory failed", e);
        }
        return new OpenPgpKeyRecords(
                owner, String.format(Locale.ROOT, "%016X", ring.getPublicKey().getKeyID()), data);
    }

    /** A copy of the record data (the exported transferable public key). */
    @Override
    public byte[] keyData() {
        return keyData.clone();
    }

    /** The comment line hash-slinger prints before a record: {@code ; keyid: 16HEX}. */
    public String comment() {
        return "; keyid: " + keyId;
    }

    /** {@code owner. IN OPENPGPKEY base64}, one line. */
    public String rfcLine() {
        return ownerName + " IN OPENPGPKEY " + Base64.getEncoder().encodeToString(keyData);
    }

    /** {@code owner. IN TYPE61 \# len hex}, one line (RFC 3597 §5). */
    public String genericLine() {
        return ownerName
                + " IN TYPE61 \\# "
                + keyData.length
                + " "
                + HexFormat.of().formatHex(keyData);
    }

    /** The comment and record lines for {@code form}, each line ending in a newline. */
    public String text(Form form) {
        StringBuilder out = new StringBuilder();
        if (form != Form.GENERIC) {
            out.append(comment()).append('\n').append(rfcLine()).append('\n');
        }
        if (form != Form.RFC) {
            out.append(comment()).append('\n').append(genericLine()).append('\n');
        }
        return out.toString();
    }
}
