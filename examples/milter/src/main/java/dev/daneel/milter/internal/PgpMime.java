package dev.daneel.milter.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.operator.jcajce.JcePGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcePublicKeyKeyEncryptionMethodGenerator;

/**
 * PGP/MIME (RFC 3156 §4) for a collected {@link Mail}: recognises mail that is already encrypted, and
 * turns a message into a {@code multipart/encrypted} one whose encrypted part is the original MIME
 * entity. With protected headers ({@code protected-headers="v1"}, draft-autocrypt-lamps-protected-headers)
 * the inner entity carries copies of Subject, From, To, Cc, Date, Message-ID and Reply-To, and the outer
 * Subject becomes {@value #NEUTRAL_SUBJECT}.
 *
 * <p>Stateless and thread-safe.
 */
public final class PgpMime {

    /** The outer Subject when headers are protected, as Enigmail, Thunderbird and K-9 write it. */
    public static final String NEUTRAL_SUBJECT = "...";
    private static final Set<String> PROTECTED = Set.of("subject", "from", "to", "cc", "date", "message-id", "reply-to");
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private static final String CRLF = "\r\n";

    private PgpMime() {
    }

    /** Why {@code mail} needs no encryption because it already is (PGP/MIME, inline PGP, S/MIME), if so. */
    public static Optional<String> alreadyEncrypted(Mail mail) {
        String type = mail.header("Content-Type").orElse("").strip().toLowerCase(Locale.ROOT);
        if (type.startsWith("multipart/encrypted")) {
            return Optional.of("already encrypted (multipart/encrypted, PGP/MIME)");
        }
        if (type.startsWith("application/pkcs7-mime") || type.startsWith("application/x-pkcs7-mime")) {
            return Optional.of("already encrypted (S/MIME application/pkcs7-mime)");
        }
        String body = Mail.latin1(mail.body());
        if (body.startsWith("-----BEGIN PGP MESSAGE-----") || body.contains("\n-----BEGIN PGP MESSAGE-----")) {
            return Optional.of("already encrypted (inline PGP)");
        }
        return Optional.empty();
    }

    /**
     * The verdict that replaces {@code mail}'s body by a PGP/MIME message encrypted to every key (AES-256
     * with an integrity packet) and adjusts its headers.
     */
    public static Verdict encrypt(Mail mail, List<PGPPublicKey> keys, boolean protectHeaders, SecureRandom random) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no keys to encrypt to");
        }
        List<Mail.Header> headers = mail.headers();
        StringBuilder inner = new StringBuilder();
        boolean hasType = false;
        Map<String, Integer> contentHeaders = new LinkedHashMap<>();
        for (Mail.Header h : headers) {
            String lower = h.name().toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-")) {
                contentHeaders.merge(h.name(), 1, Integer::sum);
                String value = h.value();
                if (lower.equals("content-type")) {
                    if (hasType) {
                        continue;
                    }
                    hasType = true;
                    value = protectHeaders ? withProtectedParameter(value) : value;
                }
                inner.append(h.name()).append(": ").append(crlf(value)).append(CRLF);
            } else if (protectHeaders && PROTECTED.contains(lower)) {
                inner.append(h.name()).append(": ").append(crlf(h.value())).append(CRLF);
            }
        }
        if (!hasType) {
            String type = "text/plain; charset=us-ascii";   // RFC 2045 §5.2 default
            inner.insert(0, "Content-Type: " + (protectHeaders ? withProtectedParameter(type) : type) + CRLF);
        }
        inner.append(CRLF);
        ByteArrayOutputStream entity = new ByteArrayOutputStream();
        entity.writeBytes(inner.toString().getBytes(StandardCharsets.ISO_8859_1));
        entity.writeBytes(mail.body());

        byte[] boundaryBytes = new byte[12];
        random.nextBytes(boundaryBytes);
        String boundary = "daneel-" + HexFormat.of().formatHex(boundaryBytes);
        String armored = armoredMessage(entity.toByteArray(), keys, random);
        String body = "This is an OpenPGP/MIME encrypted message (RFC 4880 and 3156)" + CRLF
                + "--" + boundary + CRLF
                + "Content-Type: application/pgp-encrypted" + CRLF
                + "Content-Description: PGP/MIME version identification" + CRLF
                + CRLF
                + "Version: 1" + CRLF
                + CRLF
                + "--" + boundary + CRLF
                + "Content-Type: application/octet-stream; name=\"encrypted.asc\"" + CRLF
                + "Content-Description: OpenPGP encrypted message" + CRLF
                + "Content-Disposition: inline; filename=\"encrypted.asc\"" + CRLF
                + CRLF
                + armored
                + CRLF + "--" + boundary + "--" + CRLF;

        List<Verdict.HeaderChange> changes = new ArrayList<>();
        // Delete every outer Content-* header (last occurrence first, so indexes stay valid), then add ours.
        for (Map.Entry<String, Integer> e : contentHeaders.entrySet()) {
            for (int i = e.getValue(); i >= 1; i--) {
                changes.add(Verdict.HeaderChange.change(e.getKey(), i, ""));
            }
        }
        changes.add(Verdict.HeaderChange.add("Content-Type",
                "multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"" + boundary + "\""));
        if (mail.header("MIME-Version").isEmpty()) {
            changes.add(Verdict.HeaderChange.add("MIME-Version", "1.0"));
        }
        if (protectHeaders && mail.header("Subject").isPresent()) {
            changes.add(Verdict.HeaderChange.change("Subject", 1, NEUTRAL_SUBJECT));
        }
        return new Verdict(changes, body.getBytes(StandardCharsets.US_ASCII), null);
    }

    private static String withProtectedParameter(String contentType) {
        String t = contentType.strip();
        while (t.endsWith(";")) {
            t = t.substring(0, t.length() - 1).strip();
        }
        return t + "; protected-headers=\"v1\"";
    }

    /** Folded header lines as the MTA passed them (LF or CRLF) with CRLF line ends. */
    private static String crlf(String value) {
        return value.replace("\r\n", "\n").replace("\n", CRLF);
    }

    private static String armoredMessage(byte[] plain, List<PGPPublicKey> keys, SecureRandom random) {
        PGPEncryptedDataGenerator generator = new PGPEncryptedDataGenerator(
                new JcePGPDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256)
                        .setWithIntegrityPacket(true).setSecureRandom(random).setProvider(BC));
        for (PGPPublicKey key : keys) {
            generator.addMethod(new JcePublicKeyKeyEncryptionMethodGenerator(key).setProvider(BC).setSecureRandom(random));
        }
        ByteArrayOutputStream armoredBytes = new ByteArrayOutputStream(plain.length * 4 / 3 + 1024);
        try {
            try (ArmoredOutputStream armor = ArmoredOutputStream.builder().clearHeaders().build(armoredBytes);
                 OutputStream encrypted = generator.open(armor, new byte[1 << 16]);
                 OutputStream literal = new PGPLiteralDataGenerator().open(encrypted, PGPLiteralData.BINARY, "",
                         plain.length, new Date())) {
                literal.write(plain);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (PGPException e) {
            throw new IllegalStateException("OpenPGP encryption failed: " + e.getMessage(), e);
        }
        String text = armoredBytes.toString(StandardCharsets.US_ASCII).replace("\r\n", "\n").replace("\n", CRLF);
        return text.endsWith(CRLF) ? text.substring(0, text.length() - 2) : text;
    }
}
