package dev.daneel.milter.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Only mail encrypted as a whole counts as already encrypted; the real end-to-end cases run through
 * Postfix.
 */
class AlreadyEncryptedTest {

    private static Mail mail(String contentType, String body) {
        Mail m = new Mail(1 << 20, "127.0.0.1", Map.of());
        m.header("Content-Type", contentType.getBytes(StandardCharsets.US_ASCII));
        m.body(body.replace("\n", "\r\n").getBytes(StandardCharsets.US_ASCII));
        return m;
    }

    private static final String ARMOR =
            "-----BEGIN PGP MESSAGE-----\n\nhQEMA8/x\n-----END PGP MESSAGE-----\n";

    @Test
    void pgpMimeNeedsTheProtocolTheVersionPartAndOneArmoredMessage() {
        String body =
                "--b\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n\n--b\n"
                        + "Content-Type: application/octet-stream\n\n"
                        + ARMOR
                        + "\n--b--\n";
        String type =
                "multipart/encrypted;\n protocol=\"application/pgp-encrypted\"; boundary=\"b\"";
        assertEquals(
                Optional.of("already encrypted (PGP/MIME)"),
                AlreadyEncrypted.check(mail(type, body)));
        assertEquals(
                Optional.empty(),
                AlreadyEncrypted.check(mail("multipart/encrypted; boundary=\"b\"", body)),
                "no protocol parameter");
        assertEquals(
                Optional.empty(),
                AlreadyEncrypted.check(mail(type, body.replace("Version: 1", "Version: 2"))));
        assertEquals(
                Optional.empty(),
                AlreadyEncrypted.check(mail(type, body.replace(ARMOR, "plain text\n"))));
        assertEquals(
                Optional.empty(),
                AlreadyEncrypted.check(mail(type, body.replace("--b--", "--b\n\nthird\n--b--"))),
                "a third part is not RFC 3156");
    }

    @Test
    void inlineArmorMustBeTheWholeBody() {
        assertTrue(AlreadyEncrypted.check(mail("text/plain", "\n" + ARMOR + "\n")).isPresent());
        assertEquals(Optional.empty(), AlreadyEncrypted.check(mail("text/plain", "Hi,\n" + ARMOR)));
        assertEquals(Optional.empty(), AlreadyEncrypted.check(mail("text/plain", ARMOR + ARMOR)));
        assertEquals(
                Optional.empty(),
                AlreadyEncrypted.check(mail("multipart/mixed; boundary=x", ARMOR)));
    }

    @Test
    void smimeIsJudgedByTheCmsContentTypeNotBySmimeType() {
        // 30 80 06 09 2a864886f70d010703 (enveloped-data), 06 09 ... 010702 (signed-data)
        String enveloped = "MIAGCSqGSIb3DQEHA6CAMIACAQAx\n";
        String signed = "MIAGCSqGSIb3DQEHAqCAMIACAQEx\n";
        assertTrue(
                AlreadyEncrypted.check(
                                mail(
                                        "application/pkcs7-mime; smime-type=enveloped-data",
                                        enveloped))
                        .isPresent());
        assertEquals(
                Optional.empty(),
                AlreadyEncrypted.check(
                        mail("application/pkcs7-mime; smime-type=enveloped-data", signed)));
        assertEquals(
                Optional.empty(),
                AlreadyEncrypted.check(mail("application/pkcs7-mime", "not base64 at all!\n")));
    }
}
