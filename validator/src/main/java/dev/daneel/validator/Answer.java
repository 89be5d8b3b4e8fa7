package dev.daneel.validator;

import java.util.List;
import java.util.Objects;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The validated answer to one question: its verdict, rcode, records, the CNAME/DNAME chain
 * followed, how long it may be used, and the records that proved it.
 *
 * <pre>{@code
 * Answer a = resolver.resolve("www.example.test.", Type.A);
 * if (a.verdict() instanceof Verdict.Secure) {
 *     for (Record r : a.records()) { ... }
 * }
 * }</pre>
 *
 * <p>A secure NXDOMAIN or NODATA is a proven fact: {@link #verdict()} is Secure and {@link
 * #records()} is empty. A Bogus answer hands out no records through {@link #records()}: what failed
 * validation is reachable only through {@link #unvalidatedRecords()}, whose name says what it is.
 * Immutable.
 *
 * @param name the question name
 * @param type the question type
 * @param verdict the verdict, with its reason
 * @param rcode the response code (NXDOMAIN and NOERROR also for proven absence)
 * @param records the answer RRset(s) at the end of the chain, without RRSIGs, as received (see
 *     {@link #records()} for what is handed out)
 * @param chain the CNAME and DNAME records followed from {@code name}, in order
 * @param ttl seconds this answer may be used: capped by every RRset's TTL, RRSIG original TTL and
 *     expiry
 * @param evidence every DNSKEY, DS, RRSIG, NSEC and NSEC3 response used, for offline
 *     re-verification
 */
public record Answer(
        Name name,
        int type,
        Verdict verdict,
        int rcode,
        List<Record> records,
        List<Record> chain,
        long ttl,
        Evidence evidence) {

    public Answer {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(verdict, "verdict");
        records = List.copyOf(records);
        chain = List.copyOf(chain);
        Objects.requireNonNull(evidence, "evidence");
    }

    /**
     * The answer's records: validated for Secure, proven unsigned for Insecure, unvalidated (as
     * data without DNSSEC) for Indeterminate, and none at all for Bogus — forged or broken data is
     * never handed out here.
     */
    @Override
    public List<Record> records() {
        return verdict instanceof Verdict.Bogus ? List.of() : records;
    }

    /**
     * The records that failed validation (Bogus) or could not be validated (Indeterminate), for
     * diagnostics only: never use them as data. Empty for Secure and Insecure answers, whose
     * records are {@link #records()}.
     */
    public List<Record> unvalidatedRecords() {
        return verdict instanceof Verdict.Bogus || verdict instanceof Verdict.Indeterminate
                ? records
                : List.of();
    }

    /** The verdict's status, for switches. */
    public Status status() {
        return verdict.status();
    }

    /**
     * Whether the name or type provably does not exist (only meaningful when Secure): no records,
     * and NXDOMAIN or NOERROR. A CNAME asked for by type can come with NXDOMAIN for its target (RFC
     * 6604 §2); the CNAME itself exists, so that answer is not nonexistent.
     */
    public boolean nonexistent() {
        return records.isEmpty() && (rcode == Rcode.NXDOMAIN || rcode == Rcode.NOERROR);
    }

    @Override
    public String toString() {
        return name
                + "/"
                + Type.string(type)
                + " "
                + verdict
                + " "
                + Rcode.string(rcode)
                + " "
                + (verdict instanceof Verdict.Bogus ? "unvalidated " : "")
                + records;
    }
}
