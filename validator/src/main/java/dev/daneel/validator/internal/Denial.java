package dev.daneel.validator.internal;

import dev.daneel.validator.Reason;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.NSEC3PARAMRecord;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.Type;
import org.xbill.DNS.utils.base32;

/**
 * Authenticated denial of existence from NSEC (RFC 4035 §5.4, RFC 4592, RFC 6840 §5.3–5.4) and NSEC3
 * (RFC 5155 §8) records whose signatures the caller has already verified with the zone's keys.
 * One instance per negative answer or DS absence; {@link #why()} tells what the last proof relied on.
 *
 * <p>Not thread-safe (it memoises hashes); cheap to create.
 */
final class Denial {

    /** What a DS NODATA proof says about a name. */
    enum DsAbsence {
        /** A delegation without DS: the chain ends here (insecure, proven). */
        INSECURE_DELEGATION,
        /** No zone cut at this name: keep walking down with the same keys. */
        NOT_A_DELEGATION,
        /** The records prove neither. */
        NOT_PROVEN
    }

    private static final base32 B32HEX = new base32(base32.Alphabet.BASE32HEX, false, true);

    private final Name zone;
    private final List<NSECRecord> nsecs;
    private final List<NSEC3Record> nsec3s;
    private final Budget budget;
    private final Map<String, String> hashes = new HashMap<>();
    /** Set when a hash was refused by the lookup's budget: a failed proof then says so. */
    private boolean hashBudgetSpent;
    private final int maxIterations;
    private final boolean consistent;
    private String why = "";
    /** The NSEC3 covering the next closer name in the last closest-encloser proof, if any. */
    private NSEC3Record nextCloserCover;

    Denial(Name zone, List<NSECRecord> nsecs, List<NSEC3Record> nsec3s, Budget budget) {
        this.zone = zone;
        this.nsecs = nsecs;
        this.budget = budget;
        this.nsec3s = nsec3s.stream().filter(this::usable).toList();
        this.maxIterations = nsec3s.stream().mapToInt(NSEC3Record::getIterations).max().orElse(-1);
        // A zone has one NSEC3 chain (RFC 5155 §7.2.1 and §8.2): records of several parameter sets in one
        // proof are a forgery pieced together from different chains (CVE-2026-33278 in Unbound).
        this.consistent = this.nsec3s.stream().map(r -> r.getIterations() + "/" + java.util.HexFormat.of()
                .formatHex(r.getSalt() == null ? new byte[0] : r.getSalt())).distinct().count() <= 1;
    }

    String why() {
        return hashBudgetSpent ? why + " (the NSEC3 hash budget of " + budget.limits().maxNsec3Hashes()
                + " for this lookup is spent, CVE-2023-50868)" : why;
    }

    /** Why a proof failed: the hash budget ran out (a work limit), or the records prove nothing. */
    Reason failure() {
        return hashBudgetSpent ? Reason.WORK_LIMIT_EXCEEDED : Reason.NSEC_MISSING;
    }

    /**
     * Whether the last successful proof rests on an opt-out NSEC3 covering the next closer name: then an
     * unsigned delegation may exist there, and the answer must not be Secure (RFC 5155 §9.2).
     */
    boolean optOutUsed() {
        return nextCloserCover != null && (nextCloserCover.getFlags() & 1) != 0;
    }

    /** The highest NSEC3 iteration count among the records offered, or -1 without NSEC3. */
    int maxNsec3Iterations() {
        return maxIterations;
    }

    // ---- NXDOMAIN ---------------------------------------------------------------------------------

    /** The NSEC records offered. */
    List<NSECRecord> nsecs() {
        return nsecs;
    }

    /** The NSEC3 records offered that a proof may use (SHA-1, of this zone, within the iteration limit). */
    List<NSEC3Record> nsec3s() {
        return nsec3s;
    }

    /**
     * The base32hex hash of {@code name} with {@code params}' algorithm, salt and iterations, memoised and
     * counted against the lookup's budget; null when the budget is spent.
     */
    String hashOf(Name name, NSEC3Record params) {
        return hash(name, params);
    }

    /** A denial over {@code records} of the same zone that reuses the hashes this one computed. */
    Denial withNsec3(List<NSEC3Record> records) {
        Denial d = new Denial(zone, List.of(), records, budget);
        d.hashes.putAll(hashes);
        return d;
    }

    /** Whether the records prove that {@code qname} does not exist and no wildcard could have made it. */
    boolean provesNxdomain(Name qname) {
        nextCloserCover = null;
        if (nsecs.isEmpty() && nsec3s.isEmpty()) {
            return fail("no usable NSEC or NSEC3 records accompany the NXDOMAIN for " + qname);
        }
        if (!nsecs.isEmpty()) {
            NSECRecord cover = nsecCovering(qname);
            if (cover == null) {
                return fail("no NSEC covers " + qname);
            }
            if (cover.getNext().subdomain(qname)) {
                return fail("NSEC " + cover.getName() + " shows names below " + qname + ": it exists (an empty non-terminal)");
            }
            Name wildcard = wildcardAt(nsecClosestEncloser(qname, cover));
            if (wildcard == null || nsecMatching(wildcard) != null || nsecCovering(wildcard) == null) {
                return fail("no NSEC proves that the wildcard " + wildcard + " does not exist");
            }
            return ok("NSEC " + cover.getName() + " covers " + qname);
        }
        Name ce = nsec3ClosestEncloser(qname);
        if (ce == null || ce.equals(qname)) {
            return fail("no NSEC3 closest encloser proof for " + qname);
        }
        Name wildcard = wildcardAt(ce);
        if (wildcard == null || nsec3Covering(wildcard) == null) {
            return fail("no NSEC3 covers the wildcard *." + ce);
        }
        return ok("NSEC3 closest encloser " + ce + ", next closer covered, wildcard covered");
    }

    // ---- NODATA -----------------------------------------------------------------------------------

    /** Whether the records prove that {@code qname} exists (or is an empty non-terminal) without {@code qtype}. */
    boolean provesNodata(Name qname, int qtype) {
        nextCloserCover = null;
        if (nsecs.isEmpty() && nsec3s.isEmpty()) {
            return fail("no usable NSEC or NSEC3 records accompany the NODATA for " + qname);
        }
        if (!nsecs.isEmpty()) {
            NSECRecord match = nsecMatching(qname);
            if (match != null) {
                if (!lacks(match.getTypes(), qtype, match, qname)) {
                    return fail("NSEC at " + qname + " lists " + Type.string(qtype) + " or CNAME, or is from the other side of a cut");
                }
                return ok("NSEC at " + qname + " shows no " + Type.string(qtype));
            }
            NSECRecord cover = nsecCovering(qname);
            if (cover != null && cover.getNext().subdomain(qname) && !cover.getNext().equals(qname)) {
                return ok("NSEC " + cover.getName() + " shows " + qname + " is an empty non-terminal");
            }
            if (cover != null) {
                Name wildcard = wildcardAt(nsecClosestEncloser(qname, cover));
                NSECRecord wild = wildcard == null ? null : nsecMatching(wildcard);
                if (wild != null && lacks(wild.getTypes(), qtype, wild, wildcard)) {
                    return ok("NSEC covers " + qname + " and wildcard " + wildcard + " has no " + Type.string(qtype));
                }
            }
            return fail("no NSEC proves " + qname + " has no " + Type.string(qtype));
        }
        NSEC3Record match = nsec3Matching(qname);
        if (match != null) {
            if (!lacks(match.getTypes(), qtype, match, qname)) {
                return fail("NSEC3 for " + qname + " lists " + Type.string(qtype) + " or CNAME, or is from the other side of a cut");
            }
            return ok("NSEC3 for " + qname + " shows no " + Type.string(qtype));
        }
        Name ce = nsec3ClosestEncloser(qname);
        if (ce == null) {
            return fail("no NSEC3 matches " + qname + " and no closest encloser is proven");
        }
        if (optOutCoversNextCloser(qname, ce)) {
            // RFC 5155 §8.6 (DS) and §9.2: an opt-out span over the next closer name may hide an unsigned
            // delegation; the caller turns this into Insecure through optOutUsed().
            return ok("opt-out NSEC3 covers the next closer name of " + qname + " (RFC 5155 §8.6, §9.2)");
        }
        Name wildcard = wildcardAt(ce);
        NSEC3Record wild = wildcard == null ? null : nsec3Matching(wildcard);
        if (wild != null && lacks(wild.getTypes(), qtype, wild, wildcard)) {
            return ok("NSEC3 wildcard NODATA at " + wildcard);
        }
        return fail("no NSEC3 proves " + qname + " has no " + Type.string(qtype));
    }

    /**
     * Whether the records show that {@code qname} exists without data of its own: an NSEC whose span ends
     * below it, or an NSEC3 matching it with an empty type bitmap (RFC 5155 §7.2.3).
     */
    boolean provesEmptyNonTerminal(Name qname) {
        if (!nsecs.isEmpty()) {
            NSECRecord cover = nsecCovering(qname);
            if (cover != null && cover.getNext().subdomain(qname) && !cover.getNext().equals(qname)) {
                return ok("NSEC " + cover.getName() + " shows " + qname + " is an empty non-terminal");
            }
            return false;
        }
        NSEC3Record match = nsec3Matching(qname);
        if (match != null && match.getTypes().length == 0) {
            return ok("NSEC3 for " + qname + " shows an empty non-terminal");
        }
        return false;
    }

    // ---- wildcard expansion -----------------------------------------------------------------------

    /**
     * Whether an answer for {@code qname} synthesised from a wildcard (its RRSIG has {@code labels}
     * labels) is backed by proof that {@code qname} itself does not exist (RFC 4035 §5.3.4, RFC 5155 §8.8).
     */
    boolean provesWildcardExpansion(Name qname, int labels) {
        nextCloserCover = null;
        Name encloser = new Name(qname, qname.labels() - 1 - labels);
        if (!nsecs.isEmpty()) {
            NSECRecord cover = nsecCovering(qname);
            if (cover == null) {
                return fail("no NSEC shows " + qname + " does not exist, so the wildcard expansion is unproven");
            }
            // RFC 4592 §3.3.1: the wildcard must sit at the closest encloser the NSEC proves; a covering
            // NSEC that shows a closer existing name (say sub.wild below *.wild) refutes the expansion.
            Name proven = nsecClosestEncloser(qname, cover);
            return proven.equals(encloser) ? ok("NSEC " + cover.getName() + " covers " + qname + ", closest encloser " + encloser)
                    : fail("NSEC " + cover.getName() + " shows closest encloser " + proven + ", but the wildcard answer claims "
                    + encloser);
        }
        Name nextCloser = new Name(qname, qname.labels() - 2 - labels);
        NSEC3Record cover = nsec3Covering(nextCloser);
        if (cover == null) {
            return fail("no NSEC3 covers " + nextCloser + ", so the wildcard expansion is unproven");
        }
        nextCloserCover = cover;
        return ok("NSEC3 covers next closer " + nextCloser + " of wildcard at " + encloser);
    }

    // ---- DS absence (insecure delegations) --------------------------------------------------------

    /** Whether a record matching {@code name} shows an unsigned delegation there: NS without DS and SOA. */
    boolean insecureDelegationAt(Name name) {
        int[] types = null;
        if (!nsecs.isEmpty()) {
            NSECRecord match = nsecMatching(name);
            types = match == null ? null : match.getTypes();
        } else if (!nsec3s.isEmpty() && consistent) {
            NSEC3Record match = nsec3Matching(name);
            types = match == null ? null : match.getTypes();
        }
        if (types != null && has(types, Type.NS) && !has(types, Type.DS) && !has(types, Type.SOA)) {
            return ok("denial record at " + name + " lists NS without DS: an unsigned delegation");
        }
        return false;
    }

    /** What a DS NODATA response's proof says about {@code name}. */
    DsAbsence dsAbsence(Name name) {
        int[] types = null;
        if (!nsecs.isEmpty()) {
            NSECRecord match = nsecMatching(name);
            if (match != null) {
                types = match.getTypes();
            } else if (nsecCovering(name) != null) {
                ok("NSEC " + nsecCovering(name).getName() + " shows no delegation at " + name);
                return DsAbsence.NOT_A_DELEGATION;
            }
        } else {
            NSEC3Record match = nsec3Matching(name);
            if (match != null) {
                types = match.getTypes();
            } else {
                Name ce = nsec3ClosestEncloser(name);
                if (ce != null && optOutCoversNextCloser(name, ce)) {
                    ok("opt-out NSEC3 covers " + name + " (RFC 5155 §6): an unsigned delegation may exist there");
                    return DsAbsence.INSECURE_DELEGATION;
                }
            }
        }
        if (types == null) {
            fail("no NSEC or NSEC3 record proves whether " + name + " is a delegation");
            return DsAbsence.NOT_PROVEN;
        }
        if (has(types, Type.DS) || has(types, Type.SOA)) {
            fail("the denial record at " + name + " lists DS or is the child's apex record");
            return DsAbsence.NOT_PROVEN;
        }
        if (has(types, Type.NS)) {
            ok("denial record at " + name + " lists NS without DS");
            return DsAbsence.INSECURE_DELEGATION;
        }
        ok("denial record at " + name + " lists no NS");
        return DsAbsence.NOT_A_DELEGATION;
    }

    // ---- NSEC -------------------------------------------------------------------------------------

    private NSECRecord nsecMatching(Name name) {
        for (NSECRecord r : nsecs) {
            if (r.getName().equals(name)) {
                return r;
            }
        }
        return null;
    }

    /** The NSEC whose span covers {@code name} and may speak for it (not from above a cut or a DNAME). */
    private NSECRecord nsecCovering(Name name) {
        for (NSECRecord r : nsecs) {
            Name owner = r.getName();
            Name next = r.getNext();
            boolean last = next.compareTo(owner) <= 0; // the chain's last record points back at the apex
            boolean inSpan = owner.compareTo(name) < 0 && (last || name.compareTo(next) < 0);
            if (!inSpan || !name.subdomain(zone)) {
                continue;
            }
            // CVE-2018-1000002 class: an NSEC at a delegation (NS, no SOA) or a DNAME says nothing about
            // the names below it; they live in another zone or are redirected.
            boolean cut = has(r.getTypes(), Type.NS) && !has(r.getTypes(), Type.SOA);
            if ((cut || has(r.getTypes(), Type.DNAME)) && name.subdomain(owner)) {
                continue;
            }
            return r;
        }
        return null;
    }

    private static Name nsecClosestEncloser(Name qname, NSECRecord cover) {
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

    // ---- NSEC3 ------------------------------------------------------------------------------------

    private boolean usable(NSEC3Record r) {
        // RFC 9276 §3.2: records above the bogus limit are not used at all.
        return r.getHashAlgorithm() == NSEC3Record.SHA1_DIGEST_ID
                && r.getIterations() <= budget.limits().nsec3IterationsBogusAbove()
                && new Name(r.getName(), 1).equals(zone);
    }

    private String hash(Name name, NSEC3Record params) {
        byte[] salt = params.getSalt(); // null when the record has no salt ("-")
        String key = name + "/" + params.getIterations() + "/" + (salt == null ? "" : B32HEX.toString(salt));
        String h = hashes.get(key);
        if (h == null) {
            if (!budget.spendNsec3Hash()) {
                hashBudgetSpent = true;
                return null;
            }
            try {
                h = B32HEX.toString(new NSEC3PARAMRecord(zone, params.getDClass(), 0, params.getHashAlgorithm(), 0,
                        params.getIterations(), params.getSalt()).hashName(name));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-1 is on every Java platform", e);
            }
            hashes.put(key, h);
        }
        return h;
    }

    private NSEC3Record nsec3Matching(Name name) {
        if (!consistent) {
            return null;
        }
        for (NSEC3Record r : nsec3s) {
            String h = hash(name, r);
            if (h != null && r.getName().getLabelString(0).equalsIgnoreCase(h)) {
                return r;
            }
        }
        return null;
    }

    private NSEC3Record nsec3Covering(Name name) {
        for (NSEC3Record r : nsec3s) {
            String h = hash(name, r);
            if (h == null) {
                return null;
            }
            String owner = r.getName().getLabelString(0).toLowerCase();
            String next = B32HEX.toString(r.getNext());
            boolean covered = owner.compareTo(next) < 0 ? owner.compareTo(h) < 0 && h.compareTo(next) < 0
                    : owner.compareTo(h) < 0 || h.compareTo(next) < 0;
            if (covered) {
                return r;
            }
        }
        return null;
    }

    /** RFC 5155 §8.3: the closest provable encloser, when its next closer name is covered; else null. */
    private Name nsec3ClosestEncloser(Name qname) {
        if (!qname.subdomain(zone) || !consistent) {
            why = "NSEC3 records with different parameters in one proof";
            return null;
        }
        for (Name a = qname; ; a = new Name(a, 1)) {
            NSEC3Record match = nsec3Matching(a);
            if (match != null) {
                if (a.equals(qname)) {
                    return a;
                }
                // RFC 5155 §8.3: the closest encloser's NSEC3 must not show a DNAME, nor NS without SOA (a
                // delegation: the parent cannot speak for names in the child; CVE-2018-1000002's NSEC3 form).
                int[] types = match.getTypes();
                if (has(types, Type.DNAME) || has(types, Type.NS) && !has(types, Type.SOA)) {
                    why = "the NSEC3 of " + a + " is at a delegation or DNAME and cannot prove names below it";
                    return null;
                }
                nextCloserCover = nsec3Covering(nextCloser(qname, a));
                return nextCloserCover != null ? a : null;
            }
            if (a.equals(zone)) {
                return null;
            }
        }
    }

    private boolean optOutCoversNextCloser(Name qname, Name encloser) {
        if (encloser.equals(qname)) {
            return false;
        }
        NSEC3Record cover = nsec3Covering(nextCloser(qname, encloser));
        return cover != null && (cover.getFlags() & 1) != 0;
    }

    private static Name nextCloser(Name qname, Name encloser) {
        return new Name(qname, qname.labels() - encloser.labels() - 1);
    }

    // ---- shared -----------------------------------------------------------------------------------

    /** The bitmap lacks {@code qtype} (and CNAME), and a delegation's parent-side record is used only for DS. */
    private static boolean lacks(int[] types, int qtype, org.xbill.DNS.Record r, Name name) {
        boolean cut = has(types, Type.NS) && !has(types, Type.SOA);
        if (cut && qtype != Type.DS) {
            return false; // the data lives in the child zone; the parent cannot deny it
        }
        if (!cut && qtype == Type.DS && has(types, Type.SOA) && !name.equals(Name.root)) {
            return false; // a child apex record cannot deny the parent-side DS
        }
        return !has(types, qtype) && (qtype == Type.CNAME || !has(types, Type.CNAME));
    }

    private static boolean has(int[] types, int type) {
        for (int t : types) {
            if (t == type) {
                return true;
            }
        }
        return false;
    }

    private static Name wildcardAt(Name encloser) {
        try {
            return Name.concatenate(Name.fromConstantString("*"), encloser);
        } catch (NameTooLongException e) {
            return null;
        }
    }

    private boolean ok(String reason) {
        why = reason;
        return true;
    }

    private boolean fail(String reason) {
        why = reason;
        return false;
    }
}
