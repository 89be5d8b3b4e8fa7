package dev.daneel.anchors.internal;

import java.util.Objects;
import org.xbill.DNS.Record;

/**
 * An anchor record and the line it came from, so that later checks (a DS that matches no key) can
 * name it.
 *
 * @param record a DS or DNSKEY record
 * @param line the 1-based line where its text starts
 */
public record LocatedRecord(Record record, int line) {

    public LocatedRecord {
        Objects.requireNonNull(record, "record");
    }
}
