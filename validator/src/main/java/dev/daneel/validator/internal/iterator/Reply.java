package dev.daneel.validator.internal.iterator;

import java.util.List;

/**
 * A server's response after the {@link Scrubber}: only what that server may speak for. RRSIGs stay
 * beside the records they cover, in the section those are in.
 *
 * @param rcode the response code
 * @param aa whether the server said it is authoritative
 * @param ra whether the server offered recursion (a recursive answering where an authority was
 *     asked: lame)
 * @param answer the answer section: the CNAME/DNAME chain from the question and the data at its end
 * @param authority SOA, NS, DS, NSEC, NSEC3 records and their RRSIGs, all in the server's zone
 * @param additional addresses of the NS targets above, in the server's zone (glue)
 * @param strayNs whether the server sent an NS RRset above or beside its zone (an upward or
 *     sideways referral: the mark of a server that does not serve the zone), which the scrubber
 *     dropped
 */
record Reply(
        int rcode,
        boolean aa,
        boolean ra,
        List<org.xbill.DNS.Record> answer,
        List<org.xbill.DNS.Record> authority,
        List<org.xbill.DNS.Record> additional,
        boolean strayNs) {

    /** What a reply means to the iterator (after Unbound's {@code response_type_from_server}). */
    enum Kind {
        /** The answer, NXDOMAIN or NODATA, for the name asked. */
        ANSWER,
        /** A CNAME/DNAME chain that leaves the answer for another name: follow it. */
        CNAME,
        /** A delegation to a zone closer to the name. */
        REFERRAL,
        /**
         * The server does not serve the zone (refused, referred upwards or sideways, answered
         * without authority).
         */
        LAME,
        /** The server failed (SERVFAIL, FORMERR, NOTIMP, truncated over TCP ...): ask another. */
        THROWAWAY
    }

    Reply {
        answer = List.copyOf(answer);
        authority = List.copyOf(authority);
        additional = List.copyOf(additional);
    }
}
