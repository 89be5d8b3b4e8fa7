package dev.daneel.validator;

import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * The upstream responses a validation used, trimmed to what proved the verdict: the answer, DS and
 * DNSKEY responses from the trust anchor down, with their RRSIGs and NSEC/NSEC3 proofs. It can be
 * stored and re-verified later without a network with {@link ValidatingResolver#verifyOffline}.
 *
 * <pre>{@code
 * Evidence evidence = answer.evidence();
 * List<Record> all = evidence.records();       // for an audit log
 * Answer again = ValidatingResolver.verifyOffline(evidence, name, type, anchors, Instant.now());
 * }</pre>
 *
 * <p>Immutable.
 */
public final class Evidence {

    /** One question and the response it got. */
    public record Exchange(Name name, int type, Message response) {}

    private final List<Exchange> exchanges;

    public Evidence(List<Exchange> exchanges) {
        this.exchanges = List.copyOf(exchanges);
    }

    /** The exchanges, in the order the validator made them. */
    public List<Exchange> exchanges() {
        return exchanges;
    }

    /** Every record of every response (answer and authority sections), in order. */
    public List<Record> records() {
        List<Record> out = new ArrayList<>();
        for (Exchange e : exchanges) {
            out.addAll(e.response().getSection(Section.ANSWER));
            out.addAll(e.response().getSection(Section.AUTHORITY));
        }
        return out;
    }

    @Override
    public String toString() {
        return "Evidence[" + exchanges.size() + " responses, " + records().size() + " records]";
    }
}
