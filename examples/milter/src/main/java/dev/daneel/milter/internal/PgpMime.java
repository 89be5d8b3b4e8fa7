package dev.daneel.milter.internal;

import dev.daneel.milter.MilterConfig;
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
import java.util.Set;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.CompressionAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openpgp.PGPCompressedDataGenerator;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.operator.jcajce.JcePGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcePublicKeyKeyEncryptionMethodGenerator;

/**
 * PGP/MIME (RFC 3156 §4) for a collected {@link Mail} ({@link AlreadyEncrypted} recognises what
 * needs none): turns a message into a {@code multipart/encrypted} one whose encrypted part is the
 * original MIME entity. With protected headers ({@code protected-headers="v1"},
 * draft-autocrypt-lamps-protected-headers) the inner entity carries copies of Subject, From, To,
 * Cc, Date, Message-ID and Reply-To, and the outer Subject becomes {@value #NEUTRAL_SUBJECT}. The
 * entity is compressed (ZLIB or ZIP) unless it is of a type that already is (images, audio, video,
 * archives sent as binary); hidden recipients get a wildcard key ID (RFC 4880 §5.1, as {@code gpg
 * --hidden-recipient} writes), which their software answers by trying its secret keys.
 *
 * <pre>{@code
 * PgpMime.Encrypted e = PgpMime.encrypt(mail, List.of(new PgpMime.Recipient(key, false)), true,
 *         MilterConfig.Compression.ZLIB, new SecureRandom());
 * if (e.size() > limit) ... else return e.verdict();
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class PgpMime {

    /** The outer Subject when headers are protected, as Enigmail, Thunderbird and K-9 write it. */
    public static final String NEUTRAL_SUBJECT = "...";

    private static final Set<String> PROTECTED =
            Set.of("subject", "from", "to", "cc", "date", "message-id", "reply-to");
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private static final String CRLF = "\r\n";
    private static final byte[] CRLF_OCTETS = {'\r', '\n'};

    /** Content types whose octets are already compressed: deflating them again only costs time. */
    private static final List<String> COMPRESSED_TYPES =
            List.of(
                    "image/jpeg",
                    "image/png",
                    "image/gif",
                    "image/webp",
                    "audio/",
                    "video/",
                    "application/zip",
                    "application/gzip",
                    "application/x-gzip",
                    "application/x-7z-compressed",
                    "application/x-rar-compressed",
                    "application/vnd.rar",
                    "application/x-xz",
                    "application/x-bzip2",
                    "application/zstd");

    /**
     * One key the message is encrypted to.
     *
     * @param hidden whether its key ID is replaced by the wildcard (zero) key ID
     */
    public record Recipient(PGPPublicKey key, boolean hidden) {}

    /**
     * The encryption's result.
     *
     * @param verdict the header changes and new body
     * @param size the octets of the whole message as the MTA will hold it (headers, blank line,
     *     body)
     * @param compressed whether the entity was compressed
     */
    public record Encrypted(Verdict verdict, long size, boolean compressed) {}

    private PgpMime() {}

    /**
     * The verdict that replaces {@code mail}'s body by a PGP/MIME message encrypted to every key
     * (AES-256 with an integrity packet) and adjusts its headers.
     */
    public static Encrypted encrypt(
            Mail mail,
            List<Recipient> keys,
            boolean protectHeaders,
            MilterConfig.Compression compression,
            SecureRandom random) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no keys to encrypt to");
        }
        List<Mail.Header> headers = mail.headers();
        ByteArrayOutputStream entity = new ByteArrayOutputStream(mail.body().length + 4096);
        boolean hasType = false;
        long keptHeaderOctets = 0;
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
                entity.writeBytes(h.bytes(crlf(value)));
                entity.writeBytes(CRLF_OCTETS);
                continue;
            } else if (protectHeaders && PROTECTED.contains(lower)) {
                entity.writeBytes(h.bytes(crlf(h.value())));
                entity.writeBytes(CRLF_OCTETS);
            }
            keptHeaderOctets +=
                    lower.equals("subject") && protectHeaders
                            ? h.name().length() + 2 + NEUTRAL_SUBJECT.length() + 2
                            : h.bytes(crlf(h.value())).length + 2;
        }
        byte[] headerOctets = entity.toByteArray();
        entity.reset();
        if (!hasType) {
            String type = "text/plain; charset=us-ascii"; // RFC 2045 §5.2 default
            entity.writeBytes(
                    ("Content-Type: "
                                    + (protectHeaders ? withProtectedParameter(type) : type)
                                    + CRLF)
                            .getBytes(StandardCharsets.US_ASCII));
        }
        entity.writeBytes(headerOctets);
        entity.writeBytes(CRLF_OCTETS);
        entity.writeBytes(mail.body());
        boolean compress = compression != MilterConfig.Compression.NONE && !alreadyCompressed(mail);

        byte[] boundaryBytes = new byte[12];
        random.nextBytes(boundaryBytes);
        String boundary = "daneel-" + HexFormat.of().formatHex(boundaryBytes);
        String armored =
                armoredMessage(
                        entity.toByteArray(),
                        keys,
                        compress ? compression : MilterConfig.Compression.NONE,
                        random);
        String body =
                "This is an OpenPGP/MIME encrypted message (RFC 4880 and 3156)"
                        + CRLF
                        + "--"
                        + boundary
                        + CRLF
                        + "Content-Type: application/pgp-encrypted"
                        + CRLF
                        + "Content-Description: PGP/MIME version identification"
                        + CRLF
                        + CRLF
                        + "Version: 1"
                        + CRLF
                        + CRLF
                        + "--"
                        + boundary
                        + CRLF
                        + "Content-Type: application/octet-stream; name=\"encrypted.asc\""
                        + CRLF
                        + "Content-Description: OpenPGP encrypted message"
                        + CRLF
                        + "Content-Disposition: inline; filename=\"encrypted.asc\""
                        + CRLF
                        + CRLF
                        + armored
                        + CRLF
                        + "--"
                        + boundary
                        + "--"
                        + CRLF;

        List<Verdict.HeaderChange> changes = new ArrayList<>();
        // Delete every outer Content-* header (last occurrence first, so indexes stay valid), then
        // add ours.
        for (Map.Entry<String, Integer> e : contentHeaders.entrySet()) {
            for (int i = e.getValue(); i >= 1; i--) {
                changes.add(Verdict.HeaderChange.change(e.getKey(), i, ""));
            }
        }
        changes.add(
                Verdict.HeaderChange.add(
                        "Content-Type",
                        "multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\""
                                + boundary
                                + "\""));
        if (mail.header("MIME-Version").isEmpty()) {
            changes.add(Verdict.HeaderChange.add("MIME-Version", "1.0"));
        }
        if (protectHeaders && mail.header("Subject").isPresent()) {
            changes.add(Verdict.HeaderChange.change("Subject", 1, NEUTRAL_SUBJECT));
        }
        byte[] newBody = body.getBytes(StandardCharsets.US_ASCII);
        long size = keptHeaderOctets + 2 + newBody.length;
        for (Verdict.HeaderChange c : changes) {
            if (c.index() == 0) {
                size +=
                        c.name().length()
                                + 2
                                + c.value().getBytes(StandardCharsets.UTF_8).length
                                + 2;
            }
        }
        return new Encrypted(new Verdict(changes, newBody, null), size, compress);
    }

    /**
     * Whether the entity is a single part of an already compressed type sent as 8bit or binary (not
     * base64).
     */
    static boolean alreadyCompressed(Mail mail) {
        String type =
                mail.header("Content-Type").orElse("text/plain").strip().toLowerCase(Locale.ROOT);
        String encoding =
                mail.header("Content-Transfer-Encoding")
                        .orElse("7bit")
                        .strip()
                        .toLowerCase(Locale.ROOT);
        // Base64 spends 8 bits on 6: even compressed data deflates back by about a quarter, so only
        // raw octets skip.
        return (encoding.equals("binary") || encoding.equals("8bit"))
                && COMPRESSED_TYPES.stream().anyMatch(type::startsWith);
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

    private static String armoredMessage(
            byte[] plain,
            List<Recipient> keys,
            MilterConfig.Compression compression,
            SecureRandom random) {
        PGPEncryptedDataGenerator generator =
                new PGPEncryptedDataGenerator(
                        new JcePGPDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256)
                                .setWithIntegrityPacket(true)
                                .setSecureRandom(random)
                                .setProvider(BC));
        for (Recipient r : keys) {
            generator.addMethod(
                    new JcePublicKeyKeyEncryptionMethodGenerator(r.key())
                            .setProvider(BC)
                            .setSecureRandom(random)
                            .setUseWildcardKeyID(r.hidden()));
        }
        ByteArrayOutputStream armoredBytes = new ByteArrayOutputStream(plain.length * 4 / 3 + 1024);
        try {
            try (ArmoredOutputStream armor =
                            ArmoredOutputStream.builder().clearHeaders().build(armoredBytes);
                    OutputStream encrypted = generator.open(armor, new byte[1 << 16])) {
                PGPCompressedDataGenerator zip =
                        compression == MilterConfig.Compression.NONE
                                ? null
                                : new PGPCompressedDataGenerator(
                                        compression == MilterConfig.Compression.ZLIB
                                                ? CompressionAlgorithmTags.ZLIB
                                                : CompressionAlgorithmTags.ZIP);
                OutputStream inner =
                        zip == null ? encrypted : zip.open(encrypted, new byte[1 << 16]);
                try (OutputStream literal =
                        new PGPLiteralDataGenerator()
                                .open(inner, PGPLiteralData.BINARY, "", plain.length, new Date())) {
                    literal.write(plain);
                }
                if (zip != null) {
                    zip.close();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (PGPException e) {
            throw new IllegalStateException("OpenPGP encryption failed: " + e.getMessage(), e);
        }
        String text =
                armoredBytes
                        .toString(StandardCharsets.US_ASCII)
                        .replace("\r\n", "\n")
                        .replace("\n", CRLF);
        return text.endsWith(CRLF) ? text.substring(0, text.length() - 2) : text;
    }
}
