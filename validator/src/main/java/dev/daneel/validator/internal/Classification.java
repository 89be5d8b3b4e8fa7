package dev.daneel.validator.internal;

import dev.daneel.validator.Limit;
import dev.daneel.validator.Reason;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * What kind of response came back, decided once before any signature is checked (Unbound's {@code
 * val_classify_response}); validation dispatches on it. The classification reads only the
 * response's structure, so nothing in it is trusted: every RRset it names is still to be verified.
 *
 * <pre>{@code
 * Classification c = Classification.of(response, qname, qtype, limits.maxCnameHops());
 * if (c instanceof Classification.Answered a && a.kind() == Kind.NXDOMAIN) { ... }
 * }</pre>
 */
sealed interface Classification {

    /** What the end of the CNAME/DNAME chain holds. */
    enum Kind {
        /** The asked-for RRset(s) at the final name. */
        POSITIVE,
        /** Every RRset at the final name, for a question of type ANY. */
        ANY,
        /** The final name does not exist (a negative answer with rcode NXDOMAIN). */
        NXDOMAIN,
        /**
         * The final name exists without the type (NOERROR, no answer, an SOA or nothing in
         * authority).
         */
        NODATA,
        /**
         * NOERROR with no answer and NS records without an SOA in authority: a delegation was
         * returned.
         */
        REFERRAL
    }

    /** An upstream error rcode (SERVFAIL, REFUSED, ...): no answer at all. */
    record ErrorRcode(int rcode) implements Classification {}

    /** YXDOMAIN: a DNAME substitution made the name too long (RFC 6672 §2.2). */
    record Yxdomain() implements Classification {}

    /** A question for RRSIG records: signatures, not a signed RRset. */
    record SignatureQuery(List<Record> signatures) implements Classification {}

    /**
     * The CNAME/DNAME chain is broken by its structure alone (a loop, too long, a contradiction).
     */
    record BrokenChain(Reason reason, Limit limit, String detail, List<Record> chain)
            implements Classification {}

    /**
     * One link of the chain: the RRset that must verify and the CNAME it leads through.
     *
     * @param signed the CNAME or DNAME RRset as received
     * @param dname whether the link is a DNAME (then {@code next} is the CNAME synthesised from it,
     *     RFC 6672 §5.3.1)
     * @param next the CNAME followed to the next name
     */
    record Link(RRset signed, boolean dname, CNAMERecord next) {}

    /**
     * A response the validator can judge.
     *
     * @param kind what the chain ends in
     * @param links the CNAME/DNAME links followed from the question name, in order
     * @param finalName the name the chain ends at
     * @param finalSets for POSITIVE and ANY, the RRsets at the final name; for a CNAME question
     *     answered by a DNAME, empty (the synthesised CNAME is then {@code synthesized})
     * @param synthesized a CNAME synthesised from a DNAME that answers a CNAME question, or null
     * @param chain the records of the chain as an answer lists them (each DNAME, then its CNAME)
     * @param wildcardExpanded whether an RRSIG over a final RRset claims fewer labels than its
     *     owner (RFC 4035 §5.3.4): the answer was synthesised from a wildcard and needs a proof of
     *     that
     */
    record Answered(
            Kind kind,
            List<Link> links,
            Name finalName,
            List<RRset> finalSets,
            CNAMERecord synthesized,
            List<Record> chain,
            boolean wildcardExpanded)
            implements Classification {}

    /**
     * Classifies {@code response} to {@code qname}/{@code qtype}, following at most {@code maxHops}
     * links.
     */
    static Classification of(Message response, Name qname, int qtype, int maxHops) {
        int rcode = response.getRcode();
        if (qtype == Type.RRSIG) {
            return new SignatureQuery(
                    response.getSection(Section.ANSWER).stream()
                            .filter(r -> r.getType() == Type.RRSIG && r.getName().equals(qname))
                            .toList());
        }
        if (rcode == Rcode.YXDOMAIN) {
            return new Yxdomain();
        }
        if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
            return new ErrorRcode(rcode);
        }
        List<RRset> answers = response.getSectionRRsets(Section.ANSWER);
        List<Link> links = new ArrayList<>();
        List<Record> chain = new ArrayList<>();
        Name current = qname;
        Set<Name> visited = new HashSet<>();
        for (int hops = 0; ; hops++) {
            if (hops > maxHops || !visited.add(current)) {
                return new BrokenChain(
                        Reason.CHAIN_TOO_LONG,
                        hops > maxHops ? Limit.CNAME_HOPS : null,
                        "CNAME/DNAME chain from "
                                + qname
                                + " is longer than "
                                + maxHops
                                + " links or loops at "
                                + current,
                        chain);
            }
            // A DNAME above the name comes first: names below it are redirected, and the CNAME
            // beside it is
            // synthesised and unsigned (RFC 6672 §5.3.1), so it is checked against the DNAME.
            RRset dname = Responses.dnameAbove(answers, current);
            if (dname != null) {
                DNAMERecord link = (DNAMERecord) dname.first();
                if (dname.sigs().stream()
                        .anyMatch(
                                x ->
                                        x.getLabels()
                                                < SignatureVerifier.labelsWithoutWildcard(
                                                        link.getName()))) {
                    return new BrokenChain(
                            Reason.DNSSEC_BOGUS,
                            null,
                            "DNAME "
                                    + link.getName()
                                    + " comes from a wildcard;"
                                    + " a DNAME cannot be synthesised (RFC 6672 §3.3, RFC 4592 §4.4)",
                            chain);
                }
                chain.add(link);
                Name target;
                try {
                    target = current.fromDNAME(link);
                } catch (NameTooLongException e) {
                    return new BrokenChain(
                            Reason.DNSSEC_BOGUS,
                            null,
                            "DNAME " + link.getName() + " makes " + current + " too long",
                            chain);
                }
                for (RRset beside : Responses.find(answers, current, Type.CNAME)) {
                    Name claimed = ((CNAMERecord) beside.first()).getTarget();
                    if (!claimed.equals(target)) {
                        return new BrokenChain(
                                Reason.DNSSEC_BOGUS,
                                null,
                                "CNAME "
                                        + current
                                        + " -> "
                                        + claimed
                                        + " contradicts DNAME "
                                        + link.getName()
                                        + " -> "
                                        + link.getTarget(),
                                chain);
                    }
                }
                CNAMERecord synthesized =
                        new CNAMERecord(current, link.getDClass(), link.getTTL(), target);
                links.add(new Link(dname, true, synthesized));
                if (qtype == Type.CNAME) {
                    return new Answered(
                            Kind.POSITIVE, links, target, List.of(), synthesized, chain, false);
                }
                chain.add(synthesized);
                current = target;
                continue;
            }
            List<RRset> exact = Responses.find(answers, current, qtype);
            if (!exact.isEmpty()) {
                boolean wildcard =
                        exact.stream()
                                .flatMap(s -> s.sigs().stream())
                                .anyMatch(
                                        x ->
                                                x.getLabels()
                                                        < SignatureVerifier.labelsWithoutWildcard(
                                                                x.getName()));
                return new Answered(
                        qtype == Type.ANY ? Kind.ANY : Kind.POSITIVE,
                        links,
                        current,
                        exact,
                        null,
                        chain,
                        wildcard);
            }
            List<RRset> cname =
                    qtype == Type.CNAME ? List.of() : Responses.find(answers, current, Type.CNAME);
            if (!cname.isEmpty()) {
                CNAMERecord link = (CNAMERecord) cname.get(0).first();
                links.add(new Link(cname.get(0), false, link));
                chain.add(link);
                current = link.getTarget();
                continue;
            }
            return new Answered(
                    negativeKind(response), links, current, List.of(), null, chain, false);
        }
    }

    private static Kind negativeKind(Message response) {
        if (response.getRcode() == Rcode.NXDOMAIN) {
            return Kind.NXDOMAIN;
        }
        boolean soa = false;
        boolean ns = false;
        for (Record r : response.getSection(Section.AUTHORITY)) {
            soa |= r instanceof SOARecord;
            ns |= r instanceof NSRecord;
        }
        return ns && !soa ? Kind.REFERRAL : Kind.NODATA;
    }
}
