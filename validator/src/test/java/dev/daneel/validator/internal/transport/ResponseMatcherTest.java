package dev.daneel.validator.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** {@link ResponseMatcher}: RFC 5452 §9.1 acceptance, each rule broken alone. */
class ResponseMatcherTest {

    private static final Name NAME = Name.fromConstantString("www.example.test.");

    private static Message query() {
        Message q = Message.newQuery(Record.newRecord(NAME, Type.A, DClass.IN));
        q.getHeader().setID(4242);
        return q;
    }

    private static ResponseMatcher.Verdict answer(Consumer<Message> edit) {
        Message q = query();
        Message r = new Message(q.getHeader().getID());
        r.getHeader().setFlag(Flags.QR);
        r.addRecord(q.getQuestion(), Section.QUESTION);
        edit.accept(r);
        byte[] wire = r.toWire();
        return ResponseMatcher.check(q, wire, wire.length);
    }

    @Test
    void theGenuineResponseIsAccepted() {
        assertTrue(answer(r -> {}).accepted());
    }

    @Test
    void aNameInAnotherCaseIsTheSameQuestion() {
        assertTrue(
                answer(
                                r -> {
                                    r.removeAllRecords(Section.QUESTION);
                                    r.addRecord(
                                            Record.newRecord(
                                                    Name.fromConstantString("WWW.Example.TEST."),
                                                    Type.A,
                                                    DClass.IN),
                                            Section.QUESTION);
                                })
                        .accepted());
    }

    @Test
    void eachMismatchIsRejectedWithItsReason() {
        assertEquals(
                "not a response (QR=0)",
                answer(r -> r.getHeader().unsetFlag(Flags.QR)).rejection());
        assertEquals("wrong ID", answer(r -> r.getHeader().setID(4243)).rejection());
        assertEquals(
                "wrong opcode", answer(r -> r.getHeader().setOpcode(Opcode.NOTIFY)).rejection());
        assertEquals(
                "wrong question",
                answer(
                                r -> {
                                    r.removeAllRecords(Section.QUESTION);
                                    r.addRecord(
                                            Record.newRecord(NAME, Type.AAAA, DClass.IN),
                                            Section.QUESTION);
                                })
                        .rejection());
        assertEquals(
                "0 questions instead of 1",
                answer(r -> r.removeAllRecords(Section.QUESTION)).rejection());
    }

    @Test
    void garbageAndTruncatedPacketsAreRejectedNotThrown() {
        Message q = query();
        assertEquals("unparseable", ResponseMatcher.check(q, new byte[] {1, 2, 3}, 3).rejection());
        byte[] wire = q.toWire();
        assertFalse(ResponseMatcher.check(q, wire, wire.length - 3).accepted());
    }
}
