package dev.daneel.validator.internal;

import dev.daneel.validator.Evidence;
import java.util.Optional;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Proofs that come with the answer (RFC 4035 §5.2, as Unbound's {@code
 * val_nsec_prove_insecuredelegation} uses them): a response this lookup already holds — a CNAME
 * into an unsigned child, a referral, the child's own unsigned answer — may carry the parent's
 * signed NSEC or NSEC3 record showing that a name is a delegation without DS. Then the chain of
 * trust ends there without a DS query.
 *
 * <p>Only a proof that holds is taken from here, after the records' signatures verify with the
 * parent's keys; anything less (no records, records that fail, records that prove something else)
 * is no hint at all, and the DS is asked as before. A hint is what the parent's answer to the DS
 * query could itself have carried, checked by the same pure functions ({@link
 * DenialProof#dsAbsence}), so it saves a query and accepts nothing the DS answer would not.
 */
final class AuthorityHints {

    /** A delegation proven insecure, by which exchange, for how long. */
    record Found(DenialProof.DsProof absence, long ttl, Evidence.Exchange exchange) {}

    private AuthorityHints() {}

    /**
     * The proof, in a response already recorded by {@code state}, that {@code name} is an unsigned
     * (or opt-out) delegation of {@code parent}'s zone; empty when none proves it.
     */
    static Optional<Found> insecureDelegation(
            LookupState state, KeyEntry.Secure parent, Name name) {
        for (Evidence.Exchange e : state.exchanges()) {
            Message m = e.response();
            if (!carriesDenialOf(m, parent.zone())) {
                continue;
            }
            Judgement signatures = state.proofs.verifyAuthority(m, parent);
            if (!signatures.isSecure()) {
                continue; // not a proof; the DS query decides
            }
            DenialProof.DsProof absence = state.proofs.denial(m, parent).dsAbsence(name);
            if (absence.absence() == DenialProof.DsAbsence.INSECURE_DELEGATION
                    || absence.absence() == DenialProof.DsAbsence.OPT_OUT_DELEGATION) {
                return Optional.of(new Found(absence, Math.min(parent.ttl(), signatures.ttl), e));
            }
        }
        return Optional.empty();
    }

    /**
     * Whether a response already recorded carries an NSEC record at {@code name} that claims an
     * unsigned delegation (NS, no DS, no SOA): then the DS need not be fetched ahead, since {@link
     * #insecureDelegation} will check the claim once the parent's keys are known (and the DS is
     * asked after all if it fails). A claim is only read here, never believed.
     */
    static boolean claimsUnsignedCut(LookupState state, Name name) {
        for (Evidence.Exchange e : state.exchanges()) {
            for (RRset set : e.response().getSectionRRsets(Section.AUTHORITY)) {
                if (set.getType() == Type.NSEC
                        && set.getName().equals(name)
                        && set.first() instanceof org.xbill.DNS.NSECRecord n
                        && n.hasType(Type.NS)
                        && !n.hasType(Type.DS)
                        && !n.hasType(Type.SOA)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether {@code m}'s authority section holds NSEC or NSEC3 records signed by {@code zone}:
     * only those can prove anything about its delegations, and checking them costs signatures.
     */
    private static boolean carriesDenialOf(Message m, Name zone) {
        for (RRset set : m.getSectionRRsets(Section.AUTHORITY)) {
            if (set.getType() != Type.NSEC && set.getType() != Type.NSEC3) {
                continue;
            }
            for (RRSIGRecord sig : set.sigs()) {
                if (sig.getSigner().equals(zone)) {
                    return true;
                }
            }
        }
        return false;
    }
}
