package dev.daneel.validator.internal;

import static dev.daneel.validator.internal.DenialProof.has;
import static dev.daneel.validator.internal.DenialProof.lacks;
import static dev.daneel.validator.internal.DenialProof.wildcardAt;

import dev.daneel.validator.Limit;
import dev.daneel.validator.Limits;
import java.util.List;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * Denial of existence from NSEC3 records (RFC 5155 §8): the closest encloser proof (§8.3), NXDOMAIN
 * (§8.4), NODATA (§8.5–8.7), wildcard answers (§8.8) and DS absence with opt-out (§8.6, §9.2). Only
 * records {@link Nsec3Policy#usable usable} under RFC 9276 and of this zone take part; records of
 * several parameter sets in one proof are refused, since a zone has one NSEC3 chain (RFC 5155
 * §7.2.1, §8.2; a proof pieced together from several chains was CVE-2026-33278 in Unbound).
 *
 * <p>Immutable apart from the {@link Nsec3Hasher} it hashes with (which memoises and counts against
 * the lookup's budget); each method returns its own {@link Proof}. Not thread-safe, like the
 * hasher.
 */
final class Nsec3Proof implements DenialProof {

    private final Name zone;
    private final List<NSEC3Record> nsec3s;
    private final int maxIterations;
    private final boolean consistent;
    private final Nsec3Hasher hasher;

    Nsec3Proof(Name zone, List<NSEC3Record> offered, Nsec3Hasher hasher, Limits limits) {
        this.zone = zone;
        this.hasher = hasher;
        this.nsec3s =
                offered.stream()
                        .filter(
                                r ->
                                        Nsec3Policy.usable(r, limits)
                                                && new Name(r.getName(), 1).equals(zone))
                        .toList();
        this.maxIterations = offered.stream().mapToInt(NSEC3Record::getIterations).max().orElse(-1);
        this.consistent =
                nsec3s.stream()
                                .map(
                                        r ->
                                                r.getIterations()
                                                        + "/"
                                                        + java.util.HexFormat.of()
                                                                .formatHex(
                                                                        r.getSalt() == null
                                                                                ? new byte[0]
                                                                                : r.getSalt()))
                                .distinct()
                                .count()
                        <= 1;
    }

    @Override
    public Name zone() {
        return zone;
    }

    /**
     * A closest encloser proof: the encloser, the NSEC3 covering its next closer name, or why there
     * is none.
     */
    private record Encloser(Name name, NSEC3Record nextCloserCover, String failure) {}

    @Override
    public Proof nxdomain(Name qname) {
        if (nsec3s.isEmpty()) {
            return fails("no usable NSEC or NSEC3 records accompany the NXDOMAIN for " + qname);
        }
        Encloser ce = closestEncloser(qname);
        if (ce.name() == null || ce.name().equals(qname)) {
            return fails("no NSEC3 closest encloser proof for " + qname);
        }
        Name wildcard = wildcardAt(ce.name());
        if (wildcard == null || covering(wildcard) == null) {
            return fails("no NSEC3 covers the wildcard *." + ce.name());
        }
        String why =
                "NSEC3 closest encloser " + ce.name() + ", next closer covered, wildcard covered";
        return holds(why, optOut(ce.nextCloserCover()));
    }

    @Override
    public Proof nodata(Name qname, int qtype) {
        if (nsec3s.isEmpty()) {
            return fails("no usable NSEC or NSEC3 records accompany the NODATA for " + qname);
        }
        NSEC3Record match = matching(qname);
        if (match != null) {
            if (!lacks(match.getTypes(), qtype, qname)) {
                return fails(
                        "NSEC3 for "
                                + qname
                                + " lists "
                                + Type.string(qtype)
                                + " or CNAME, or is from the other side of a cut");
            }
            return holds("NSEC3 for " + qname + " shows no " + Type.string(qtype), false);
        }
        Encloser ce = closestEncloser(qname);
        if (ce.name() == null) {
            return fails("no NSEC3 matches " + qname + " and no closest encloser is proven");
        }
        if (optOut(ce.nextCloserCover())) {
            // RFC 5155 §8.6 (DS) and §9.2: an opt-out span over the next closer name may hide an
            // unsigned
            // delegation; the caller makes the answer Insecure.
            return holds(
                    "opt-out NSEC3 covers the next closer name of "
                            + qname
                            + " (RFC 5155 §8.6, §9.2)",
                    true);
        }
        Name wildcard = wildcardAt(ce.name());
        NSEC3Record wild = wildcard == null ? null : matching(wildcard);
        if (wild != null && lacks(wild.getTypes(), qtype, wildcard)) {
            return holds("NSEC3 wildcard NODATA at " + wildcard, false);
        }
        return fails("no NSEC3 proves " + qname + " has no " + Type.string(qtype));
    }

    @Override
    public Proof emptyNonTerminal(Name qname) {
        NSEC3Record match = matching(qname);
        if (match != null && match.getTypes().length == 0) {
            return holds("NSEC3 for " + qname + " shows an empty non-terminal", false);
        }
        return fails("no NSEC3 shows " + qname + " is an empty non-terminal");
    }

    @Override
    public Proof wildcardExpansion(Name qname, int labels) {
        Name encloser = new Name(qname, qname.labels() - 1 - labels);
        Name nextCloser = new Name(qname, qname.labels() - 2 - labels);
        NSEC3Record cover = covering(nextCloser);
        if (cover == null) {
            return fails(
                    "no NSEC3 covers " + nextCloser + ", so the wildcard expansion is unproven");
        }
        String why = "NSEC3 covers next closer " + nextCloser + " of wildcard at " + encloser;
        return holds(why, optOut(cover));
    }

    @Override
    public Proof insecureDelegationAt(Name name) {
        NSEC3Record match = nsec3s.isEmpty() ? null : matching(name);
        if (match != null && DenialProof.unsignedDelegation(match.getTypes())) {
            return holds(
                    "denial record at " + name + " lists NS without DS: an unsigned delegation",
                    false);
        }
        return fails("no NSEC3 for " + name + " shows an unsigned delegation");
    }

    @Override
    public DsProof dsAbsence(Name name) {
        NSEC3Record match = matching(name);
        if (match != null) {
            DsProof fromBitmap = DenialProof.dsFromBitmap(name, match.getTypes());
            return new DsProof(
                    fromBitmap.absence(), fromBitmap.proof().withIterations(match.getIterations()));
        }
        Encloser ce = closestEncloser(name);
        if (ce.name() != null && !ce.name().equals(name) && optOut(ce.nextCloserCover())) {
            return new DsProof(
                    DsAbsence.OPT_OUT_DELEGATION,
                    holds(
                            "opt-out NSEC3 covers "
                                    + name
                                    + " (RFC 5155 §6): an unsigned delegation may exist there",
                            true));
        }
        return new DsProof(
                DsAbsence.NOT_PROVEN,
                fails("no NSEC or NSEC3 record proves whether " + name + " is a delegation"));
    }

    @Override
    public boolean covers(Name name) {
        return name.subdomain(zone) && covering(name) != null;
    }

    @Override
    public int maxNsec3Iterations() {
        return maxIterations;
    }

    @Override
    public List<NSECRecord> nsecs() {
        return List.of();
    }

    @Override
    public List<NSEC3Record> nsec3s() {
        return nsec3s;
    }

    /**
     * A proof that holds, resting on this zone's NSEC3 chain (one parameter set, so one iteration
     * count).
     */
    private Proof holds(String why, boolean optOut) {
        int iterations = nsec3s.isEmpty() ? -1 : nsec3s.get(0).getIterations();
        Proof p = Proof.holds(why).withIterations(iterations);
        return optOut ? p.onOptOut() : p;
    }

    /** A failed proof; when the hash budget ran out on the way, it says so and names the limit. */
    private Proof fails(String why) {
        if (hasher.budgetSpent()) {
            return new Proof(
                    false,
                    why
                            + " (the NSEC3 hash budget of "
                            + hasher.limit()
                            + " for this lookup is spent, CVE-2023-50868)",
                    false,
                    -1,
                    Limit.NSEC3_HASHES);
        }
        return Proof.fails(why);
    }

    private static boolean optOut(NSEC3Record cover) {
        return cover != null && (cover.getFlags() & 1) != 0;
    }

    private NSEC3Record matching(Name name) {
        if (!consistent) {
            return null;
        }
        for (NSEC3Record r : nsec3s) {
            String h = hasher.hash(name, r);
            if (h != null && Nsec3Hasher.matches(r, h)) {
                return r;
            }
        }
        return null;
    }

    private NSEC3Record covering(Name name) {
        for (NSEC3Record r : nsec3s) {
            String h = hasher.hash(name, r);
            if (h == null) {
                return null;
            }
            if (Nsec3Hasher.covers(r, h)) {
                return r;
            }
        }
        return null;
    }

    /** RFC 5155 §8.3: the closest provable encloser, when its next closer name is covered. */
    private Encloser closestEncloser(Name qname) {
        if (!qname.subdomain(zone) || !consistent) {
            return new Encloser(null, null, "NSEC3 records with different parameters in one proof");
        }
        for (Name a = qname; ; a = new Name(a, 1)) {
            NSEC3Record match = matching(a);
            if (match != null) {
                if (a.equals(qname)) {
                    return new Encloser(a, null, null);
                }
                // RFC 5155 §8.3: the closest encloser's NSEC3 must not show a DNAME, nor NS without
                // SOA (a
                // delegation: the parent cannot speak for names in the child; CVE-2018-1000002's
                // NSEC3 form).
                int[] types = match.getTypes();
                if (has(types, Type.DNAME) || has(types, Type.NS) && !has(types, Type.SOA)) {
                    return new Encloser(
                            null,
                            null,
                            "the NSEC3 of "
                                    + a
                                    + " is at a delegation or DNAME and cannot prove names below it");
                }
                NSEC3Record cover = covering(new Name(qname, qname.labels() - a.labels() - 1));
                return cover != null
                        ? new Encloser(a, cover, null)
                        : new Encloser(null, null, null);
            }
            if (a.equals(zone)) {
                return new Encloser(null, null, null);
            }
        }
    }
}
