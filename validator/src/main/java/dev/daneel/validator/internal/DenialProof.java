package dev.daneel.validator.internal;

import dev.daneel.validator.Limit;
import dev.daneel.validator.Reason;
import java.util.List;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.Type;

/**
 * Authenticated denial of existence over one zone's NSEC ({@link NsecProof}, RFC 4035 §5.4) or
 * NSEC3 ({@link Nsec3Proof}, RFC 5155 §8) records, whose signatures the caller has already verified
 * with the zone's keys. Every question is a pure function of the records that returns an immutable
 * {@link Proof} carrying what it rests on; nothing is left behind in the object for a later call to
 * read.
 *
 * <pre>{@code
 * DenialProof d = DenialProof.of(zone, nsecs, nsec3s, new Nsec3Hasher(budget), limits);
 * Proof p = d.nxdomain(qname);
 * if (!p.proven()) return Judgement.bogus(p.failure(), p.why());
 * if (p.optOut()) return insecure(...);   // RFC 5155 §9.2
 * }</pre>
 */
interface DenialProof {

    /**
     * The records of {@code zone}: NSEC when there are any (as resolvers prefer them), else NSEC3.
     */
    static DenialProof of(
            Name zone,
            List<NSECRecord> nsecs,
            List<NSEC3Record> nsec3s,
            Nsec3Hasher hasher,
            dev.daneel.validator.Limits limits) {
        int maxIterations = nsec3s.stream().mapToInt(NSEC3Record::getIterations).max().orElse(-1);
        return nsecs.isEmpty()
                ? new Nsec3Proof(zone, nsec3s, hasher, limits)
                : new NsecProof(zone, nsecs, maxIterations);
    }

    /**
     * The outcome of one proof: whether it holds, what it rests on (or why it fails), whether it
     * rests on an opt-out NSEC3 span over the next closer name (RFC 5155 §9.2), the NSEC3 iteration
     * count of the records it rests on (-1 for NSEC: the RFC 9276 policy applies to exactly these),
     * and, when it failed because the NSEC3 hash budget was spent, that limit (CVE-2023-50868).
     */
    record Proof(boolean proven, String why, boolean optOut, int iterations, Limit limitHit) {
        static Proof holds(String why) {
            return new Proof(true, why, false, -1, null);
        }

        static Proof fails(String why) {
            return new Proof(false, why, false, -1, null);
        }

        /** This proof, resting on NSEC3 records of {@code n} iterations. */
        Proof withIterations(int n) {
            return new Proof(proven, why, optOut, n, limitHit);
        }

        /** This proof, resting on an opt-out span. */
        Proof onOptOut() {
            return new Proof(proven, why, true, iterations, limitHit);
        }

        /**
         * Why a proof over offered records failed: the hash budget ran out (a work limit), or the
         * records do not prove what was needed (RFC 8914 §4.7, as Unbound reports a failed NODATA,
         * NXDOMAIN or wildcard proof). No records offered at all is {@link Reason#NSEC_MISSING},
         * decided by {@link ProofChecker#unproven}, which sees the response.
         */
        Reason failure() {
            return limitHit != null ? Reason.WORK_LIMIT_EXCEEDED : Reason.DNSSEC_BOGUS;
        }
    }

    /** What a DS NODATA proof says about a name (RFC 4035 §5.2, RFC 5155 §8.6). */
    enum DsAbsence {
        /** A delegation without DS: the chain ends here (insecure, proven). */
        INSECURE_DELEGATION,
        /**
         * An opt-out span covers the name: an unsigned delegation may exist there (RFC 5155 §6).
         */
        OPT_OUT_DELEGATION,
        /** No zone cut at this name: keep walking down with the same keys. */
        NOT_A_DELEGATION,
        /** The records prove neither. */
        NOT_PROVEN
    }

    /** A {@link DsAbsence} and the proof it rests on. */
    record DsProof(DsAbsence absence, Proof proof) {}

    /** The zone the records belong to. */
    Name zone();

    /** Proof that {@code qname} does not exist and no wildcard could have made it (NXDOMAIN). */
    Proof nxdomain(Name qname);

    /**
     * Proof that {@code qname} exists (or is an empty non-terminal, or is matched by a wildcard)
     * without {@code qtype}.
     */
    Proof nodata(Name qname, int qtype);

    /**
     * Proof that {@code qname} exists without data of its own (RFC 4035 §3.1.3.2, RFC 5155 §7.2.3).
     */
    Proof emptyNonTerminal(Name qname);

    /**
     * Proof that an answer for {@code qname} synthesised from a wildcard (its RRSIG has {@code
     * labels} labels) was needed: {@code qname} itself does not exist (RFC 4035 §5.3.4, RFC 5155
     * §8.8).
     */
    Proof wildcardExpansion(Name qname, int labels);

    /**
     * Proof that a record matching {@code name} shows an unsigned delegation there: NS without DS
     * and SOA.
     */
    Proof insecureDelegationAt(Name name);

    /** What a DS NODATA response's records say about {@code name}. */
    DsProof dsAbsence(Name name);

    /**
     * Whether a record's span lies strictly around {@code name}, so no record exists at that name.
     */
    boolean covers(Name name);

    /** The highest NSEC3 iteration count among the records offered, or -1 without NSEC3. */
    int maxNsec3Iterations();

    /** The NSEC records a proof may use. */
    List<NSECRecord> nsecs();

    /** The NSEC3 records a proof may use (SHA-1, of this zone, within the iteration limit). */
    List<NSEC3Record> nsec3s();

    // ---- rules both record kinds share ----------------------------------------------------------

    /**
     * The bitmap lacks {@code qtype} (and CNAME), and a delegation's parent-side record is used
     * only for DS.
     */
    static boolean lacks(int[] types, int qtype, Name name) {
        boolean cut = has(types, Type.NS) && !has(types, Type.SOA);
        if (cut && qtype != Type.DS) {
            return false; // the data lives in the child zone; the parent cannot deny it
        }
        if (!cut && qtype == Type.DS && has(types, Type.SOA) && !name.equals(Name.root)) {
            return false; // a child apex record cannot deny the parent-side DS
        }
        return !has(types, qtype) && (qtype == Type.CNAME || !has(types, Type.CNAME));
    }

    static boolean has(int[] types, int type) {
        for (int t : types) {
            if (t == type) {
                return true;
            }
        }
        return false;
    }

    /** The wildcard name at {@code encloser}, or null when it would be too long. */
    static Name wildcardAt(Name encloser) {
        try {
            return Name.concatenate(Name.fromConstantString("*"), encloser);
        } catch (NameTooLongException e) {
            return null;
        }
    }

    /** What a DS absence proof concludes from the type bitmap of the record matching the name. */
    static DsProof dsFromBitmap(Name name, int[] types) {
        if (has(types, Type.DS) || has(types, Type.SOA)) {
            return new DsProof(
                    DsAbsence.NOT_PROVEN,
                    Proof.fails(
                            "the denial record at "
                                    + name
                                    + " lists DS or is the child's apex record"));
        }
        if (has(types, Type.NS)) {
            return new DsProof(
                    DsAbsence.INSECURE_DELEGATION,
                    Proof.holds("denial record at " + name + " lists NS without DS"));
        }
        return new DsProof(
                DsAbsence.NOT_A_DELEGATION,
                Proof.holds("denial record at " + name + " lists no NS"));
    }

    /** Whether the bitmap shows an unsigned delegation: NS without DS and SOA. */
    static boolean unsignedDelegation(int[] types) {
        return has(types, Type.NS) && !has(types, Type.DS) && !has(types, Type.SOA);
    }
}
