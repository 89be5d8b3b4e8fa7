package dev.daneel.validator.internal;

import static dev.daneel.validator.internal.DenialProof.has;
import static dev.daneel.validator.internal.DenialProof.lacks;
import static dev.daneel.validator.internal.DenialProof.wildcardAt;

import java.util.List;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * Denial of existence from NSEC records (RFC 4035 §5.4, RFC 4592, RFC 6840 §5.3–5.4): an NSEC whose
 * span covers a name proves it absent, one at the name proves which types it has. An NSEC at a
 * delegation or a DNAME speaks for nothing below it (the CVE-2018-1000002 class). Immutable and
 * pure.
 */
final class NsecProof implements DenialProof {

    private final Name zone;
    private final List<NSECRecord> nsecs;
    private final int maxNsec3Iterations;

    /**
     * @param maxNsec3Iterations the highest iteration count of any NSEC3 records that came beside
     *     these NSEC records (-1 when none), for the iteration policy
     */
    NsecProof(Name zone, List<NSECRecord> nsecs, int maxNsec3Iterations) {
        this.zone = zone;
        this.nsecs = List.copyOf(nsecs);
        this.maxNsec3Iterations = maxNsec3Iterations;
    }

    @Override
    public Name zone() {
        return zone;
    }

    @Override
    public Proof nxdomain(Name qname) {
        NSECRecord cover = covering(qname);
        if (cover == null) {
            return Proof.fails("no NSEC covers " + qname);
        }
        if (cover.getNext().subdomain(qname)) {
            return Proof.fails(
                    "NSEC "
                            + cover.getName()
                            + " shows names below "
                            + qname
                            + ": it exists (an empty non-terminal)");
        }
        Name wildcard = wildcardAt(closestEncloser(qname, cover));
        if (wildcard == null || matching(wildcard) != null || covering(wildcard) == null) {
            return Proof.fails("no NSEC proves that the wildcard " + wildcard + " does not exist");
        }
        return Proof.holds("NSEC " + cover.getName() + " covers " + qname);
    }

    @Override
    public Proof nodata(Name qname, int qtype) {
        NSECRecord match = matching(qname);
        if (match != null) {
            if (!lacks(match.getTypes(), qtype, qname)) {
                return Proof.fails(
                        "NSEC at "
                                + qname
                                + " lists "
                                + Type.string(qtype)
                                + " or CNAME, or is from the other side of a cut");
            }
            return Proof.holds("NSEC at " + qname + " shows no " + Type.string(qtype));
        }
        NSECRecord cover = covering(qname);
        if (cover != null && cover.getNext().subdomain(qname) && !cover.getNext().equals(qname)) {
            return Proof.holds(
                    "NSEC " + cover.getName() + " shows " + qname + " is an empty non-terminal");
        }
        if (cover != null) {
            Name wildcard = wildcardAt(closestEncloser(qname, cover));
            NSECRecord wild = wildcard == null ? null : matching(wildcard);
            if (wild != null && lacks(wild.getTypes(), qtype, wildcard)) {
                return Proof.holds(
                        "NSEC covers "
                                + qname
                                + " and wildcard "
                                + wildcard
                                + " has no "
                                + Type.string(qtype));
            }
        }
        return Proof.fails("no NSEC proves " + qname + " has no " + Type.string(qtype));
    }

    @Override
    public Proof emptyNonTerminal(Name qname) {
        NSECRecord cover = covering(qname);
        if (cover != null && cover.getNext().subdomain(qname) && !cover.getNext().equals(qname)) {
            return Proof.holds(
                    "NSEC " + cover.getName() + " shows " + qname + " is an empty non-terminal");
        }
        return Proof.fails("no NSEC shows " + qname + " is an empty non-terminal");
    }

    @Override
    public Proof wildcardExpansion(Name qname, int labels) {
        Name encloser = new Name(qname, qname.labels() - 1 - labels);
        NSECRecord cover = covering(qname);
        if (cover == null) {
            return Proof.fails(
                    "no NSEC shows "
                            + qname
                            + " does not exist, so the wildcard expansion is unproven");
        }
        // RFC 4592 §3.3.1: the wildcard must sit at the closest encloser the NSEC proves; a
        // covering NSEC
        // that shows a closer existing name (say sub.wild below *.wild) refutes the expansion.
        Name proven = closestEncloser(qname, cover);
        return proven.equals(encloser)
                ? Proof.holds(
                        "NSEC "
                                + cover.getName()
                                + " covers "
                                + qname
                                + ", closest encloser "
                                + encloser)
                : Proof.fails(
                        "NSEC "
                                + cover.getName()
                                + " shows closest encloser "
                                + proven
                                + ", but the wildcard answer claims "
                                + encloser);
    }

    @Override
    public Proof insecureDelegationAt(Name name) {
        NSECRecord match = matching(name);
        if (match != null && DenialProof.unsignedDelegation(match.getTypes())) {
            return Proof.holds(
                    "denial record at " + name + " lists NS without DS: an unsigned delegation");
        }
        return Proof.fails("no NSEC at " + name + " shows an unsigned delegation");
    }

    @Override
    public DsProof dsAbsence(Name name) {
        NSECRecord match = matching(name);
        if (match != null) {
            return DenialProof.dsFromBitmap(name, match.getTypes());
        }
        NSECRecord cover = covering(name);
        if (cover != null) {
            return new DsProof(
                    DsAbsence.NOT_A_DELEGATION,
                    Proof.holds("NSEC " + cover.getName() + " shows no delegation at " + name));
        }
        return new DsProof(
                DsAbsence.NOT_PROVEN,
                Proof.fails("no NSEC or NSEC3 record proves whether " + name + " is a delegation"));
    }

    @Override
    public boolean covers(Name name) {
        return covering(name) != null;
    }

    @Override
    public int maxNsec3Iterations() {
        return maxNsec3Iterations;
    }

    @Override
    public List<NSECRecord> nsecs() {
        return nsecs;
    }

    @Override
    public List<NSEC3Record> nsec3s() {
        return List.of();
    }

    private NSECRecord matching(Name name) {
        for (NSECRecord r : nsecs) {
            if (r.getName().equals(name)) {
                return r;
            }
        }
        return null;
    }

    /**
     * The NSEC whose span covers {@code name} and may speak for it (not from above a cut or a
     * DNAME).
     */
    private NSECRecord covering(Name name) {
        for (NSECRecord r : nsecs) {
            Name owner = r.getName();
            Name next = r.getNext();
            boolean last =
                    next.compareTo(owner) <= 0; // the chain's last record points back at the apex
            boolean inSpan = owner.compareTo(name) < 0 && (last || name.compareTo(next) < 0);
            if (!inSpan || !name.subdomain(zone)) {
                continue;
            }
            // CVE-2018-1000002 class: an NSEC at a delegation (NS, no SOA) or a DNAME says nothing
            // about
            // the names below it; they live in another zone or are redirected.
            boolean cut = has(r.getTypes(), Type.NS) && !has(r.getTypes(), Type.SOA);
            if ((cut || has(r.getTypes(), Type.DNAME)) && name.subdomain(owner)) {
                continue;
            }
            return r;
        }
        return null;
    }

    private static Name closestEncloser(Name qname, NSECRecord cover) {
        Name a = commonAncestor(qname, cover.getName());
        Name b = commonAncestor(qname, cover.getNext());
        return a.labels() >= b.labels() ? a : b;
    }

    private static Name commonAncestor(Name x, Name y) {
        int n = Math.min(x.labels(), y.labels());
        Name common = Name.root;
        for (int i = 1; i <= n; i++) {
            Name xs = new Name(x, x.labels() - i);
            Name ys = new Name(y, y.labels() - i);
            if (!xs.equals(ys)) {
                break;
            }
            common = xs;
        }
        return common;
    }
}
