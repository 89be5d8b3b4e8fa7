package dev.daneel.validator.interop;

import dev.daneel.validator.Answer;
import dev.daneel.validator.Status;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * What one validator said about one question, in terms the three of them share: the RFC 4035 §4.3
 * status, the response code, and the data of the answer RRset of the question type, each record as
 * {@code TYPE canonical-wire-rdata-hex} so that presentation differences cannot hide or fake a
 * difference.
 *
 * @param status Secure, Insecure, Bogus, or Indeterminate when the tool gave no verdict at all
 * @param rcode NOERROR or NXDOMAIN for answers (NODATA is NOERROR without records)
 * @param rdata the records of the question type at the end of any CNAME chain
 * @param detail the tool's own words, for the report
 */
record PeerVerdict(Status status, int rcode, Set<String> rdata, String detail) {

    PeerVerdict {
        rdata = Set.copyOf(rdata);
        detail = detail == null ? "" : detail;
    }

    /** Daneel's answer, reduced to the shared terms. */
    static PeerVerdict of(Answer a) {
        return new PeerVerdict(
                a.status(), a.rcode(), rdata(a.records(), a.type()), a.verdict().toString());
    }

    /**
     * Whether two verdicts agree: same status, and for Secure and Insecure answers the same rcode
     * and data.
     */
    boolean agrees(PeerVerdict other) {
        if (status != other.status) {
            return false;
        }
        if (status == Status.SECURE || status == Status.INSECURE) {
            return rcode == other.rcode && rdata.equals(other.rdata);
        }
        return true;
    }

    /**
     * Short form for the matrix: {@code SECURE}, {@code SECURE/NXDOMAIN}, {@code INSECURE/NODATA},
     * {@code BOGUS}.
     */
    String brief() {
        if (status != Status.SECURE && status != Status.INSECURE) {
            return status.name();
        }
        if (rcode == Rcode.NXDOMAIN) {
            return status + "/NXDOMAIN";
        }
        if (rcode == Rcode.NOERROR && rdata.isEmpty()) {
            return status + "/NODATA";
        }
        return rcode == Rcode.NOERROR ? status.name() : status + "/" + Rcode.string(rcode);
    }

    @Override
    public String toString() {
        return brief() + " " + rdata + (detail.isEmpty() ? "" : " (" + detail + ")");
    }

    /** The canonical rdata of the records of {@code type}. */
    static Set<String> rdata(List<Record> records, int type) {
        Set<String> out = new TreeSet<>();
        for (Record r : records) {
            if (r.getType() == type) {
                out.add(
                        Type.string(type)
                                + " "
                                + HexFormat.of().formatHex(r.rdataToWireCanonical()));
            }
        }
        return out;
    }

    /**
     * Canonical form of raw wire rdata of {@code type} (libunbound hands out uncompressed rdata).
     */
    static String rdata(int type, byte[] wire) {
        Record r = Record.newRecord(org.xbill.DNS.Name.root, type, DClass.IN, 0, wire);
        return Type.string(type) + " " + HexFormat.of().formatHex(r.rdataToWireCanonical());
    }
}
