package dev.daneel.validator.internal.transport;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * Decides whether bytes from an upstream are the response to a query, as RFC 5452 §9.1 asks: a
 * response, with the query's ID, opcode and exactly its one question (name case-insensitively,
 * type, class). The source address is checked by the caller, which knows the transport. Anything
 * that fails here must be ignored, never treated as an answer or as the upstream's failure: an
 * off-path attacker can send such packets at will. Stateless and thread-safe.
 */
final class ResponseMatcher {

    private ResponseMatcher() {}

    /**
     * The outcome of {@link #check}: the parsed response, or why it was rejected.
     *
     * @param response the response when accepted, else null
     * @param rejection why it was rejected ("unparseable", "wrong ID", ...), else null
     */
    record Verdict(Message response, String rejection) {
        boolean accepted() {
            return response != null;
        }

        static Verdict reject(String why) {
            return new Verdict(null, why);
        }
    }

    static Verdict check(Message query, byte[] wire, int length) {
        Message response;
        try {
            response = new Message(length == wire.length ? wire : Arrays.copyOf(wire, length));
        } catch (IOException | RuntimeException e) {
            // dnsjava signals malformed input with WireParseException, but a hostile packet must
            // not be able
            // to escape as an unchecked exception either.
            return Verdict.reject("unparseable");
        }
        Header qh = query.getHeader();
        Header rh = response.getHeader();
        if (!rh.getFlag(Flags.QR)) {
            return Verdict.reject("not a response (QR=0)");
        }
        if (rh.getID() != qh.getID()) {
            return Verdict.reject("wrong ID");
        }
        if (rh.getOpcode() != qh.getOpcode()) {
            return Verdict.reject("wrong opcode");
        }
        List<Record> questions = response.getSection(Section.QUESTION);
        if (questions.size() != 1) {
            return Verdict.reject(questions.size() + " questions instead of 1");
        }
        Record asked = query.getQuestion();
        Record echoed = questions.get(0);
        // Name.equals ignores ASCII case, as RFC 4343 says names compare; 0x20-randomised upstreams
        // echo
        // the case they received, but some rewrite it, so case alone is no reason to reject.
        if (!asked.getName().equals(echoed.getName())
                || asked.getType() != echoed.getType()
                || asked.getDClass() != echoed.getDClass()) {
            return Verdict.reject("wrong question");
        }
        return new Verdict(response, null);
    }
}
