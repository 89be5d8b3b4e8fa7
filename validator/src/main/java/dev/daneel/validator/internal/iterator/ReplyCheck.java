package dev.daneel.validator.internal.iterator;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * Whether bytes from a server are the response to a query (RFC 5452 §9.1): a response, with the
 * query's ID, opcode and exactly its one question. The same rules as the stub client's matcher,
 * which is private to its package. Anything rejected here is ignored, never taken as the server's
 * failure: an off-path attacker can send such packets at will. Stateless.
 */
final class ReplyCheck {

    private ReplyCheck() {}

    /** The parsed response, or null when the bytes are not the response to {@code query}. */
    static Message parse(Message query, byte[] wire, int length) {
        Message response;
        try {
            response = new Message(length == wire.length ? wire : Arrays.copyOf(wire, length));
        } catch (IOException | RuntimeException e) {
            return null; // a hostile packet must not escape as an exception either
        }
        return matches(query, response) ? response : null;
    }

    static boolean matches(Message query, Message response) {
        Header qh = query.getHeader();
        Header rh = response.getHeader();
        if (!rh.getFlag(Flags.QR) || rh.getID() != qh.getID() || rh.getOpcode() != qh.getOpcode()) {
            return false;
        }
        List<Record> questions = response.getSection(Section.QUESTION);
        if (questions.size() != 1) {
            return false;
        }
        Record asked = query.getQuestion();
        Record echoed = questions.get(0);
        return asked.getName().equals(echoed.getName())
                && asked.getType() == echoed.getType()
                && asked.getDClass() == echoed.getDClass();
    }
}
