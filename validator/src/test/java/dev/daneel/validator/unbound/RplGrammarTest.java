package dev.daneel.validator.unbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The replay grammar as Unbound's reader ({@code testcode/replay.c}, {@code testpkts.c}, {@code
 * testbound.c}) accepts it, on small scenarios written here: each test is one rule of that reader.
 */
class RplGrammarTest {

    private static final String STUB = "stub-zone:\n\tname: \".\"\n\tstub-addr: 193.0.14.129\n";

    private static RplScenario parse(String text) throws IOException {
        return RplScenario.parse("test.rpl", List.of(text.split("\n", -1)));
    }

    private static Name n(String s) {
        return Name.fromConstantString(s);
    }

    @Test
    void configOptionsMayShareALineAndTakeTheirValueFromTheNextLine() throws IOException {
        RplScenario s =
                parse(
                        "server: val-override-date: \"20070916134226\" aggressive-nsec: no\n"
                                + "\tfake-sha1:\n\tyes\nstub-zone: name: \"example.com\" stub-addr: 1.2.3.4@53\n"
                                + "CONFIG_END\nSCENARIO_BEGIN t\nSCENARIO_END\n");
        assertEquals("no", s.option("aggressive-nsec"));
        assertEquals("yes", s.option("fake-sha1"));
        assertNotNull(s.overrideDate());
        assertEquals(
                List.of(new RplScenario.Zone(n("example.com."), false, List.of("1.2.3.4"))),
                s.zones());
        RplScenario v6 =
                parse(
                        "server:\nstub-zone:\n\tname:\".\"\n\tstub-addr: fd00::53\n\tstub-addr:fe80::1@5353\nCONFIG_END\n"
                                + "SCENARIO_BEGIN t\nSCENARIO_END\n");
        assertEquals(
                List.of("fd00:0:0:0:0:0:0:53", "fe80:0:0:0:0:0:0:1"),
                v6.zones().get(0).addresses());
        assertEquals(Name.root, v6.zones().get(0).name());
    }

    @Test
    void stubAndForwardZonesMayNameTheirServersByHostName() throws IOException {
        RplScenario s =
                parse(
                        "server:\nforward-zone:\n\tname: \"example.net.\"\n\tforward-host: ns.example.org.\n"
                                + "remote-control:\n\tcontrol-enable: no\n"
                                + STUB
                                + "CONFIG_END\nSCENARIO_BEGIN t\nSCENARIO_END\n");
        assertEquals(2, s.zones().size());
        RplScenario.Zone f = s.zones().get(0);
        assertTrue(f.forward());
        assertEquals(List.of(n("ns.example.org.")), f.hosts());
        assertTrue(f.addresses().isEmpty());
    }

    @Test
    void aTrustAnchorFileMayBeSpooledWithTempfileDirectives() throws IOException {
        RplScenario s =
                parse(
                        "server:\n\ttrust-anchor-file:\nTEMPFILE_NAME k\nTEMPFILE_CONTENTS k\n"
                                + "$ORIGIN example.com.\n@ IN DS 2854 RSASHA1 1 46e4ffc6e9a4793b488954bd3f0cc6af0dfb201b\n"
                                + "www IN A 1.2.3.4\nTEMPFILE_END\n"
                                + STUB
                                + "CONFIG_END\nSCENARIO_BEGIN t\nSCENARIO_END\n");
        RplAnchors a = RplAnchors.of(s);
        assertEquals(1, a.records().size(), "only DS and DNSKEY records are anchors");
        DSRecord ds = assertInstanceOf(DSRecord.class, a.records().get(0));
        assertEquals(n("example.com."), ds.getName());
        assertEquals(5, ds.getAlgorithm(), "the mnemonic RSASHA1 is algorithm 5");
    }

    @Test
    void anAutotrustFileGivesItsValidAndMissingKeysAsAnchors() throws IOException {
        String key =
                "AwEAAc3Z5DQDJpH4oPdNtC4BUQHk50XMD+dHr4r8psHmivIa83hxR5CRgCtd9sENCW9Ae8OIO19xw9t/RPaEAqQa+OE=";
        RplScenario s =
                parse(
                        "server:\nAUTOTRUST_FILE any-id\n;;id: example.com. 1\n"
                                + "example.com. 10800 IN DNSKEY 257 3 5 "
                                + key
                                + " ;{id = 1} ;;state=2 [  VALID  ] ;;count=0 ;;lastchange=1\n"
                                + "example.com. 10800 IN DNSKEY 385 3 5 "
                                + key
                                + " ;{id = 2} ;;state=1 [ ADDPEND ] ;;count=1 ;;lastchange=1\n"
                                + "example.com. 10800 IN DNSKEY 257 3 5 "
                                + key
                                + "\n"
                                + "AUTOTRUST_END\n"
                                + STUB
                                + "CONFIG_END\nSCENARIO_BEGIN t\nSCENARIO_END\n");
        RplAnchors a = RplAnchors.of(s);
        assertEquals(
                1,
                a.records().size(),
                "ADDPEND keys and, in a state file, keys without ;;state= are no anchors");
        assertEquals(257, ((DNSKEYRecord) a.records().get(0)).getFlags());
    }

    @Test
    void aScenarioMayHaveNoTrustAnchor() throws IOException {
        RplScenario s = parse("server:\n" + STUB + "CONFIG_END\nSCENARIO_BEGIN t\nSCENARIO_END\n");
        assertTrue(RplAnchors.of(s).records().isEmpty());
    }

    @Test
    void theLastRangeInTheFileIsSearchedFirstAndStrayLinesAreIgnored() throws IOException {
        RplScenario s =
                parse(
                        "server:\n"
                                + STUB
                                + "CONFIG_END\nSCENARIO_BEGIN t\nstray words\n"
                                + "RANGE_BEGIN 0 100\n ADDRESS 193.0.14.129\nENTRY_BEGIN\nMATCH qname qtype\nREPLY QR NOERROR\n"
                                + "SECTION QUESTION\nwww.example.com. IN A\nSECTION ANSWER\nwww.example.com. IN A 1.1.1.1\nENTRY_END\n"
                                + "RANGE_END\nENTRY_END\nRANGE_BEGIN 10 20\n\tADDRESS 193.0.14.129@53\nENTRY_BEGIN\nMATCH qname qtype\n"
                                + "REPLY QR NOERROR\nSECTION QUESTION\nwww.example.com. IN A\nSECTION ANSWER\nwww.example.com. IN A 2.2.2.2\n"
                                + "ENTRY_END\nRANGE_END\nSCENARIO_END\n");
        assertEquals(2, s.ranges().size());
        assertEquals(10, s.ranges().get(0).start(), "testbound prepends each range it reads");
        assertTrue(s.ranges().get(0).covers(15, "193.0.14.129"));
        assertTrue(s.notes().stream().anyMatch(x -> x.contains("stray words")));
    }

    @Test
    void aRangeBeginInsideARangeClosesIt() throws IOException {
        RplScenario s =
                parse(
                        "server:\n"
                                + STUB
                                + "CONFIG_END\nSCENARIO_BEGIN t\nRANGE_BEGIN 0 100\n"
                                + "RANGE_BEGIN 0 5\nENTRY_BEGIN\nMATCH qname\nSECTION QUESTION\na. IN A\nENTRY_END\nRANGE_END\nRANGE_END\n"
                                + "SCENARIO_END\n");
        assertEquals(2, s.ranges().size());
        assertEquals(1, s.ranges().get(0).entries().size());
    }

    @Test
    void originAndTtlDirectivesHoldForTheRestOfTheFileAndARecordBeforeAnySectionIsAQuestion()
            throws IOException {
        RplScenario s =
                parse(
                        "server:\n"
                                + STUB
                                + "CONFIG_END\nSCENARIO_BEGIN t\nRANGE_BEGIN 0 100\n$ORIGIN example.com.\n"
                                + "$TTL 60\nENTRY_BEGIN\nMATCH qname qtype ; a comment\n# another comment\nREPLY QR AA NOERROR\nwww IN A\n"
                                + "SECTION ANSWER\nwww IN A 1.2.3.4\nENTRY_END\nRANGE_END\nSCENARIO_END\n");
        RplScenario.Entry e = s.ranges().get(0).entries().get(0);
        assertEquals(new RplScenario.Question(n("www.example.com."), Type.A, 1), e.question());
        Record a = e.answer().get(0);
        assertEquals(n("www.example.com."), a.getName());
        assertEquals(60, a.getTTL());
        assertTrue(e.flag("AA"));
    }

    @Test
    void anRrsigWithAnEmptySignatureFieldIsReadAsABrokenSignature() throws IOException {
        RplScenario s =
                parse(
                        "server:\n"
                                + STUB
                                + "CONFIG_END\nSCENARIO_BEGIN t\nRANGE_BEGIN 0 100\nENTRY_BEGIN\n"
                                + "SECTION QUESTION\nwww.example.com. IN A\nSECTION ANSWER\nwww.example.com. IN A 1.2.3.4\n"
                                + "www.example.com. 3600 IN RRSIG A 8 3 3600 20070926134150 20070829134150 2854 example.com. \n"
                                + "www.example.com. 3600 IN RRSIG A 8 3 3600 20070926134150 20070829134150 2854 example.com. AAAAAA=\n"
                                + "ENTRY_END\nRANGE_END\nSCENARIO_END\n");
        List<Record> answer = s.ranges().get(0).entries().get(0).answer();
        RRSIGRecord empty = assertInstanceOf(RRSIGRecord.class, answer.get(1));
        assertEquals(
                1,
                empty.getSignature().length,
                "held as one zero octet: dnsjava refuses an empty signature");
        assertEquals(0, empty.getSignature()[0]);
        assertEquals(2854, empty.getFootprint());
        assertEquals(n("example.com."), empty.getSigner());
        RRSIGRecord cut = assertInstanceOf(RRSIGRecord.class, answer.get(2));
        assertEquals(
                3,
                cut.getSignature().length,
                "a partial base64 quantum is dropped, as ldns decodes it");
    }

    @Test
    void aRecordDnsjavaCannotHoldIsDroppedVisiblyAndTheEntryStillReads() throws IOException {
        RplScenario s =
                parse(
                        "server:\n"
                                + STUB
                                + "CONFIG_END\nSCENARIO_BEGIN t\nRANGE_BEGIN 0 100\nENTRY_BEGIN\n"
                                + "SECTION QUESTION\nwww.example.com. IN A\nSECTION ANSWER\nwww.example.com. IN A 1.2.3.4\n"
                                + "www.example.com. IN SSHFP 1 1 zz\nwww.example.com. IN A \\# 5 0102030405\nENTRY_END\nRANGE_END\n"
                                + "SCENARIO_END\n");
        assertEquals(1, s.ranges().get(0).entries().get(0).answer().size());
        assertEquals(
                2,
                s.notes().stream().filter(x -> x.contains("dropped")).count(),
                s.notes().toString());
    }

    @Test
    void matchKeywordsCompareWhatTestpktsCompares() throws IOException {
        RplScenario s =
                parse(
                        "server:\n"
                                + STUB
                                + "CONFIG_END\nSCENARIO_BEGIN t\nRANGE_BEGIN 0 100\nENTRY_BEGIN\n"
                                + "MATCH opcode subdomain TCP\nADJUST copy_id copy_query sleep=1\nREPLY QR NOERROR\nSECTION QUESTION\n"
                                + "example.com. IN NS\nSECTION ANSWER\nexample.com. IN NS ns.example.com.\nENTRY_END\nRANGE_END\nSCENARIO_END\n");
        RplScenario.Entry e = s.ranges().get(0).entries().get(0);
        assertTrue(
                e.matches(
                        RplScenario.Query.outgoing(
                                n("a.b.example.com."), Type.DNAME, false, true)));
        assertFalse(
                e.matches(
                        RplScenario.Query.outgoing(
                                n("a.b.example.com."), Type.DNAME, false, false)),
                "TCP only");
        assertFalse(
                e.matches(RplScenario.Query.outgoing(n("example.net."), Type.A, false, true)),
                "subdomain");
        Message reply =
                e.reply(
                        RplScenario.Query.outgoing(n("a.example.com."), Type.DNAME, false, true),
                        0);
        assertEquals(n("a.example.com."), reply.getQuestion().getName(), "copy_query");
        assertEquals(Type.DNAME, reply.getQuestion().getType());
    }

    @Test
    void unknownMatchOrReplyWordsAreRefusedAsTestboundRefusesThem() {
        assertThrows(
                IOException.class,
                () ->
                        parse(
                                "server:\nCONFIG_END\nSCENARIO_BEGIN t\nRANGE_BEGIN 0 1\nENTRY_BEGIN\n"
                                        + "MATCH nonsense\nENTRY_END\nRANGE_END\nSCENARIO_END\n"));
        assertThrows(
                IOException.class,
                () ->
                        parse(
                                "server:\nCONFIG_END\nSCENARIO_BEGIN t\nRANGE_BEGIN 0 1\nENTRY_BEGIN\n"
                                        + "REPLY QR BOGUSFLAG\nENTRY_END\nRANGE_END\nSCENARIO_END\n"));
    }

    @Test
    void extraPacketsAndHexAnswersAreRead() throws IOException {
        // a reply to www.example.com. A: id 0, QR, one question, no records
        String hex =
                "0000 8000 0001 0000 0000 0000 03 777777 07 6578616d706c65 03 636f6d 00 0001 0001 ; comment";
        RplScenario s =
                parse(
                        "server:\n"
                                + STUB
                                + "CONFIG_END\nSCENARIO_BEGIN t\nRANGE_BEGIN 0 100\nENTRY_BEGIN\n"
                                + "MATCH qname\nREPLY QR NOERROR\nSECTION QUESTION\na.example.com. IN A\nEXTRA_PACKET\nREPLY QR NXDOMAIN\n"
                                + "SECTION QUESTION\na.example.com. IN A\nENTRY_END\nENTRY_BEGIN\nSECTION QUESTION\nwww.example.com. IN A\n"
                                + "HEX_ANSWER_BEGIN\n"
                                + hex
                                + "\nHEX_ANSWER_END\nHEX_EDNSDATA_BEGIN\n00 0a 00 00\nHEX_EDNSDATA_END\nENTRY_END\n"
                                + "RANGE_END\nSCENARIO_END\n");
        RplScenario.Entry extra = s.ranges().get(0).entries().get(0);
        assertEquals(2, extra.packets().size());
        assertEquals(Rcode.NXDOMAIN, extra.packets().get(1).rcode());
        RplScenario.Entry fromHex = s.ranges().get(0).entries().get(1);
        assertTrue(fromHex.flag("QR"));
        assertTrue(fromHex.first().edns(), "HEX_EDNSDATA gives the packet an EDNS record");
        assertEquals(
                0,
                fromHex.reply(
                                RplScenario.Query.outgoing(
                                        n("www.example.com."), Type.A, false, false),
                                0)
                        .getSection(Section.ANSWER)
                        .size());
    }

    @Test
    void stepsCarryElapseEvalAssignAndTheirFileBlocks() throws IOException {
        RplScenario s =
                parse(
                        "server:\n"
                                + STUB
                                + "CONFIG_END\nSCENARIO_BEGIN t\nSTEP 1 TIME_PASSES ELAPSE 1.5\n"
                                + "STEP 2 ASSIGN t0 = ${time}\nSTEP 3 TIME_PASSES EVAL ${$t0 + 10}\nSTEP 4 CHECK_AUTOTRUST example.com\n"
                                + "FILE_BEGIN\n;;id: example.com. 1\nFILE_END\nSTEP 5 QUERY ADDRESS 10.0.0.1\nENTRY_BEGIN\nREPLY RD\n"
                                + "SECTION QUESTION\nexample.com. IN DNAME\nENTRY_END\nSTEP 6 NOTHING\nSCENARIO_END\n");
        List<RplScenario.Step> st = s.steps();
        assertEquals(1.5, st.get(0).elapse());
        assertEquals("t0", st.get(1).variable());
        assertEquals("${time}", st.get(1).args());
        assertEquals("${$t0 + 10}", st.get(2).args());
        assertEquals(List.of(";;id: example.com. 1"), st.get(3).file());
        assertEquals("10.0.0.1", st.get(4).address());
        assertEquals(Type.DNAME, st.get(4).entry().question().type());
        RplScenario.Query q = ScenarioRunner.query(st.get(4).entry());
        assertTrue(q.flag("RD"));
        assertFalse(q.dnssecOk(), "a query without REPLY DO has no DO bit");
        assertFalse(q.edns(), "nor an EDNS record");
        assertNull(st.get(5).entry());
    }

    @Test
    void timeGoingBackwardsIsRefusedAsTestboundRefusesIt() {
        assertThrows(
                IOException.class,
                () ->
                        parse(
                                "server:\nCONFIG_END\nSCENARIO_BEGIN t\nSTEP 5 NOTHING\nSTEP 3 NOTHING\n"
                                        + "SCENARIO_END\n"));
    }

    @Test
    void macrosComputeLeftToRightAndKeepWhatIsNotArithmetic() {
        RplMacros m = new RplMacros(() -> 1000, () -> 0);
        m.assign("x", "1");
        m.assign("y", "2");
        m.assign("t1", "123456");
        // the values below are those of testbound's own self-test (replay.c, testbound_selftest)
        assertEquals("19", m.expand("${32 / $y + $x + $y}"));
        assertEquals("108", m.expand("${32 / ${$y+$y} + ${${100*3}/3}}"));
        assertEquals("1 2 33 2 1", m.expand("${1 2 33 2 1}"));
        assertEquals("123 8", m.expand("${123 3 + 5}"));
        assertEquals("123 glug 8", m.expand("${123 glug 3 + 5}"));
        assertEquals("1ww2ww3", withVar(m, "bla", "ww").expand("1${$bla}2${$bla}3"));
        assertEquals("it is Fri Jan  2 10:17:36 1970", m.expand("it is ${ctime ${$t1}}"));
        assertEquals("blabla  dinges", m.expand("blabla ${} dinges"));
        assertEquals("1000", m.expand("${time}"));
        assertEquals("20", m.expand("${2+3*4}"), "no precedence");
        assertThrows(IllegalArgumentException.class, () -> m.expand("${range 10 ${$x} 20}"));
        assertThrows(IllegalArgumentException.class, () -> m.expand("${$undefined}"));
    }

    private static RplMacros withVar(RplMacros m, String name, String value) {
        m.assign(name, value);
        return m;
    }
}
