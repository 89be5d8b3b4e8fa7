package dev.daneel.anchors.autotrust;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TTL;
import org.xbill.DNS.Type;

/** Record and question lines as replay files write them: {@code owner [ttl] [class] type rdata ;comment}. */
final class RecordLines {

    /** testpkts.c's TTL for records written without one. */
    private static final long DEFAULT_TTL = 3600;

    private RecordLines() {
    }

    /** A question line: owner, class, type. */
    record Question(Name name, int type) {
    }

    static Record parse(String line) {
        List<String> t = tokens(line);
        try {
            Name owner = Name.fromString(t.get(0), Name.root);
            int at = 1;
            long ttl = DEFAULT_TTL;
            for (int n = 0; n < 2 && at < t.size(); n++) {
                if (Character.isDigit(t.get(at).charAt(0))) {
                    ttl = TTL.parseTTL(t.get(at++));
                } else if (DClass.value(t.get(at)) >= 0) {
                    at++;
                }
            }
            int type = Type.value(t.get(at++), true);
            if (type < 0) {
                throw new IllegalArgumentException("unknown type in: " + line);
            }
            String rdata = String.join(" ", t.subList(at, t.size()));
            return Record.fromString(owner, type, DClass.IN, ttl, rdata, Name.root);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot parse record line '" + line + "': " + e.getMessage(), e);
        }
    }

    static Question question(String line) {
        List<String> t = tokens(line);
        try {
            Name owner = Name.fromString(t.get(0), Name.root);
            String type = t.get(t.size() - 1);
            return new Question(owner, Type.value(type, true));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot parse question line '" + line + "'", e);
        }
    }

    private static List<String> tokens(String line) {
        int semi = line.indexOf(';');
        String data = semi >= 0 ? line.substring(0, semi) : line;
        List<String> out = new ArrayList<>();
        for (String s : data.strip().split("\\s+")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }
}
