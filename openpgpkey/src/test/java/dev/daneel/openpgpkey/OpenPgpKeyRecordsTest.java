package dev.daneel.openpgpkey;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.operator.jcajce.JcaKeyFingerprintCalculator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Master;
import org.xbill.DNS.OPENPGPKEYRecord;
import org.xbill.DNS.Record;

class OpenPgpKeyRecordsTest {

    static TestKeys.Generated twoIds;

    @BeforeAll
    static void key() {
        twoIds =
                TestKeys.forUserIds("Hugh <hugh@example.test>", "Hugh at work <hugh@work.test>")
                        .generate();
    }

    private static List<String> userIds(byte[] data) throws Exception {
        PGPPublicKeyRing ring = new PGPPublicKeyRing(data, new JcaKeyFingerprintCalculator());
        List<String> ids = new java.util.ArrayList<>();
        ring.getPublicKey().getUserIDs().forEachRemaining(ids::add);
        return ids;
    }

    @Test
    void minimalExportKeepsOnlyTheUserIdForTheAddressAndTheSubkey() throws Exception {
        OpenPgpKeyRecords r = OpenPgpKeyRecords.create(twoIds.publicRing(), "hugh@work.test");
        assertEquals(List.of("Hugh at work <hugh@work.test>"), userIds(r.keyData()));
        PGPPublicKeyRing ring =
                new PGPPublicKeyRing(r.keyData(), new JcaKeyFingerprintCalculator());
        assertEquals(2, ring.size(), "primary and encryption subkey");
    }

    @Test
    void fullExportKeepsEveryUserId() throws Exception {
        OpenPgpKeyRecords r =
                OpenPgpKeyRecords.create(
                        twoIds.publicRing(),
                        "hugh@work.test",
                        OpenPgpKeyRecords.Export.FULL,
                        Clock.systemUTC());
        assertEquals(2, userIds(r.keyData()).size());
        assertArrayEquals(twoIds.encoded(), r.keyData());
    }

    @Test
    void minimalExportForAnAddressTheKeyDoesNotNameIsRefusedWithTheKeysUserIds() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                OpenPgpKeyRecords.create(
                                        twoIds.publicRing(), "someone@example.test"));
        assertTrue(
                e.getMessage().contains("someone@example.test")
                        && e.getMessage().contains("hugh@work.test"),
                e.getMessage());
    }

    @Test
    void rfcAndGenericLinesParseAsTheSameOpenpgpkeyRecord() throws Exception {
        OpenPgpKeyRecords r = OpenPgpKeyRecords.create(twoIds.publicRing(), "hugh@example.test");
        Record rfc =
                new Master(
                                new java.io.ByteArrayInputStream(
                                        ("$TTL 300\n" + r.rfcLine()).getBytes()))
                        .nextRecord();
        Record generic =
                new Master(
                                new java.io.ByteArrayInputStream(
                                        ("$TTL 300\n" + r.genericLine()).getBytes()))
                        .nextRecord();
        assertArrayEquals(r.keyData(), ((OPENPGPKEYRecord) rfc).getCert());
        assertArrayEquals(r.keyData(), ((OPENPGPKEYRecord) generic).getCert());
        assertEquals(rfc.getName(), generic.getName());
        assertEquals(OpenPgpKeyName.of("hugh@example.test"), rfc.getName().toString());
    }

    @Test
    void linesHaveTheShapesHashSlingerPrints() {
        OpenPgpKeyRecords r = OpenPgpKeyRecords.create(twoIds.publicRing(), "hugh@example.test");
        String owner = OpenPgpKeyName.of("hugh@example.test");
        byte[] data = r.keyData();
        String comment =
                String.format("; keyid: %016X", twoIds.publicRing().getPublicKey().getKeyID());
        assertEquals(comment, r.comment());
        assertEquals(
                owner + " IN OPENPGPKEY " + Base64.getEncoder().encodeToString(data), r.rfcLine());
        assertEquals(
                owner + " IN TYPE61 \\# " + data.length + " " + HexFormat.of().formatHex(data),
                r.genericLine());
        assertEquals(comment + "\n" + r.rfcLine() + "\n", r.text(OpenPgpKeyRecords.Form.RFC));
        assertEquals(
                comment + "\n" + r.genericLine() + "\n", r.text(OpenPgpKeyRecords.Form.GENERIC));
        assertEquals(
                r.text(OpenPgpKeyRecords.Form.RFC) + r.text(OpenPgpKeyRecords.Form.GENERIC),
                r.text(OpenPgpKeyRecords.Form.BOTH));
    }

    @Test
    void minimalExportLeavesOutARevokedSubkey() throws Exception {
        TestKeys.Generated k = TestKeys.forUserIds("<r@example.test>").revokedSubkey().generate();
        PGPPublicKeyRing ring =
                new PGPPublicKeyRing(
                        OpenPgpKeyRecords.create(k.publicRing(), "r@example.test").keyData(),
                        new JcaKeyFingerprintCalculator());
        assertEquals(1, ring.size(), "only the primary key is left");
    }
}
