package dev.daneel.validator.internal;

import dev.daneel.anchors.Anchor;
import dev.daneel.validator.Evidence;
import dev.daneel.validator.InsecureCause;
import dev.daneel.validator.Limit;
import dev.daneel.validator.Limits;
import dev.daneel.validator.Reason;
import dev.daneel.validator.Verdict;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The chain of trust for one lookup (Unbound's FINDKEY state): from the closest trust anchor down,
 * one label at a time, a DS query at each name; a DS RRset verified with the parent's keys leads to
 * the child's DNSKEY RRset, a proven DS absence either shows there is no cut there or ends the
 * chain at an unsigned delegation, where DLV lookaside (if configured) may take over. Every DS
 * query of a walk goes out at once, so a cold chain costs about one round trip per level of DNSKEY,
 * not per label.
 *
 * <p>It asks only the lookup's {@link LookupState} for responses (which asks the engine's {@link
 * Fetcher}) and the lookup's {@link ProofChecker} for DS-absence proofs; key entries go to the
 * engine's {@link KeyStore}. One per lookup, used by that lookup's thread.
 */
final class ChainOfTrust {

    private final KeyStore store;
    private final LookupState state;
    private final Limits limits;
    private final DlvLookaside dlv;
    private final DlvLookaside.SubLookup subLookup;
    private final Crypto crypto;

    /** Delegations proven insecure by another response's authority section, and by which. */
    private final java.util.Map<Name, Evidence.Exchange> provenBy =
            new java.util.concurrent.ConcurrentHashMap<>();

    private boolean hardenAlgorithmDowngrade;

    /**
     * @param dlv the DLV registry to consult at insecure delegations, or null (off)
     * @param subLookup the validated lookups DLV may make, within this lookup's budget and deadline
     */
    ChainOfTrust(
            KeyStore store,
            LookupState state,
            Limits limits,
            Crypto crypto,
            DlvLookaside dlv,
            DlvLookaside.SubLookup subLookup) {
        this.store = store;
        this.state = state;
        this.limits = limits;
        this.crypto = crypto;
        this.dlv = dlv;
        this.subLookup = subLookup;
    }

    /**
     * Requires every listed algorithm to sign the DNSKEY RRset, and no SHA-1 fallback (see {@link
     * EngineConfig}).
     */
    ChainOfTrust hardened(boolean on) {
        this.hardenAlgorithmDowngrade = on;
        return this;
    }

    /**
     * The keys that apply at {@code target}: walks from the closest anchor down. With {@code apex},
     * the target must itself be a zone (an RRSIG's signer) and its validated keys are returned.
     */
    KeyEntry walk(Name target, boolean apex) {
        dev.daneel.validator.NegativeTrustAnchor nta = store.negativeAnchorFor(target, state.now);
        if (nta != null) {
            // RFC 7646: validation is off here on purpose; never cached beyond the anchor's expiry.
            return new KeyEntry.Insecure(
                    InsecureCause.NEGATIVE_TRUST_ANCHOR,
                    nta.zone(),
                    "negative trust anchor for "
                            + nta.zone()
                            + " until "
                            + nta.expires()
                            + " (RFC 7646)",
                    nta.secondsLeft(state.now));
        }
        Optional<Anchor> anchor = store.anchorFor(target);
        if (anchor.isEmpty()) {
            return new KeyEntry.Unanchored(
                    Verdict.Cause.NO_ANCHOR, "no trust anchor covers " + target, 0);
        }
        Name top = anchor.get().zone();
        List<Name> path = new ArrayList<>();
        for (Name n = target; !n.equals(top); n = new Name(n, 1)) {
            path.add(0, n);
        }
        if (path.size() > limits.maxChainDepth()) {
            return KeyEntry.Bogus.of(
                    Reason.WORK_LIMIT_EXCEEDED,
                    target
                            + " lies "
                            + path.size()
                            + " labels below the trust anchor "
                            + top
                            + "; the limit is "
                            + limits.maxChainDepth(),
                    Limit.CHAIN_DEPTH);
        }
        KeyStore.Keys current = null;
        int start = 0;
        for (int i = path.size() - 1; i >= 0 && current == null; i--) {
            TtlCache.Hit<KeyStore.Keys> hit = store.cache.get(path.get(i));
            if (hit != null) {
                current = hit.value();
                start = i + 1;
            }
        }
        // Everything this walk may need goes out at once: the DS of every remaining level and, when
        // the
        // target is a signer, its DNSKEY. Only the DNSKEYs of intermediate cuts wait for their DS.
        for (int i = start; i < path.size(); i++) {
            if (!AuthorityHints.claimsUnsignedCut(state, path.get(i))) {
                state.fetch(path.get(i), Type.DS); // else asked only if the claim fails its check
            }
        }
        if (apex && start < path.size()) {
            state.fetch(target, Type.DNSKEY);
        }
        if (current == null) {
            TtlCache.Hit<KeyStore.Keys> hit = store.cache.get(top);
            current = hit != null ? hit.value() : anchored(anchor.get());
        }
        state.include(current.trail()); // cached entries bring the evidence that proved them
        for (int i = start; i < path.size() && current.entry() instanceof KeyEntry.Secure; i++) {
            current = keysAt(path.get(i), current);
        }
        KeyEntry result = current.entry();
        if (dlv != null
                && result instanceof KeyEntry.Insecure insecure
                && dlv.applies(target, insecure)) {
            result = lookaside(target, insecure);
        }
        if (apex && result instanceof KeyEntry.Secure s && !s.zone().equals(target)) {
            return KeyEntry.Bogus.of(
                    Reason.DNSKEY_MISSING,
                    target + " signs records but is not a zone cut below " + s.zone());
        }
        return result;
    }

    /**
     * The key entry one label below {@code parent}: from the cache, from the lookup computing it
     * right now (waited for until this lookup's deadline), or computed here and published. Waiting
     * for another lookup holds no lock; that lookup waits only on the network, never on a key
     * entry, so the waits cannot form a cycle.
     */
    private KeyStore.Keys keysAt(Name n, KeyStore.Keys parent) {
        TtlCache.Hit<KeyStore.Keys> hit = store.cache.get(n);
        if (hit != null) {
            state.include(hit.value().trail());
            return hit.value();
        }
        CompletableFuture<KeyStore.Keys> mine = new CompletableFuture<>();
        CompletableFuture<KeyStore.Keys> other = store.inFlight.putIfAbsent(n, mine);
        if (other != null) {
            KeyStore.Keys theirs;
            try {
                theirs =
                        state.waitFor(
                                other, "the keys of " + n + " (being validated by another lookup)");
            } catch (LookupState.Unavailable e) {
                return new KeyStore.Keys(
                        new KeyEntry.Unanchored(Verdict.Cause.UNAVAILABLE, e.getMessage(), 0),
                        List.of());
            }
            state.include(theirs.trail());
            return theirs;
        }
        try {
            KeyEntry next = step((KeyEntry.Secure) parent.entry(), n);
            List<Evidence.Exchange> trail = new ArrayList<>(parent.trail());
            state.addIfRecorded(trail, n, Type.DS);
            if (provenBy.containsKey(n)) {
                trail.add(provenBy.get(n)); // the response whose authority section proved it
            }
            state.addIfRecorded(trail, n, Type.DNSKEY);
            KeyStore.Keys keys = new KeyStore.Keys(next, List.copyOf(trail));
            store.cache.put(
                    n, keys, next.ttl()); // before leaving the in-flight map: no gap to race into
            mine.complete(keys);
            return keys;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            store.inFlight.remove(n, mine);
        }
    }

    /**
     * RFC 5074 §5: the chain ended at an unsigned delegation; when the DLV registry holds a Secure
     * record for the closest enclosing zone of {@code target}, it stands in for that zone's DS and
     * the chain goes on below it by ordinary DS records.
     */
    private KeyEntry lookaside(Name target, KeyEntry.Insecure insecure) {
        DlvLookaside.Found found =
                dlv.find(target, insecure, subLookup, state.proofs.hasher(), limits);
        if (found instanceof DlvLookaside.Found.Failed f) {
            return f.entry();
        }
        if (!(found instanceof DlvLookaside.Found.Ds ds)) {
            return insecure;
        }
        KeyEntry viaDlv;
        try {
            viaDlv =
                    dnskeys(
                            ds.zone(),
                            state.await(ds.zone(), Type.DNSKEY),
                            ds.usable(),
                            List.of(),
                            ds.algorithms(),
                            ds.ttl(),
                            true);
        } catch (LookupState.Unavailable e) {
            return new KeyEntry.Unanchored(
                    Verdict.Cause.UNAVAILABLE,
                    "DNSKEY of " + ds.zone() + " unavailable: " + e.getMessage(),
                    0);
        }
        if (!(viaDlv instanceof KeyEntry.Secure secure) || ds.zone().equals(target)) {
            return viaDlv;
        }
        KeyEntry below = secure;
        List<Name> rest = new ArrayList<>();
        for (Name n = target; !n.equals(ds.zone()); n = new Name(n, 1)) {
            rest.add(0, n);
        }
        for (int i = 0; i < rest.size() && below instanceof KeyEntry.Secure s; i++) {
            below = step(s, rest.get(i));
        }
        return below;
    }

    /** The validated keys of an anchored zone. */
    private KeyStore.Keys anchored(Anchor anchor) {
        List<DSRecord> ds = DsMatcher.usable(anchor.ds(), crypto);
        List<DNSKEYRecord> keys =
                anchor.keys().stream().filter(k -> crypto.supported(k.getAlgorithm())).toList();
        KeyEntry entry;
        if (ds.isEmpty() && keys.isEmpty()) {
            entry =
                    new KeyEntry.Insecure(
                            InsecureCause.UNSUPPORTED_ALGORITHM,
                            anchor.zone(),
                            "the trust anchor for "
                                    + anchor.zone()
                                    + " uses only unsupported algorithms or digests",
                            KeyEntry.BOGUS_TTL_SECONDS);
        } else {
            try {
                entry =
                        dnskeys(
                                anchor.zone(),
                                state.await(anchor.zone(), Type.DNSKEY),
                                ds,
                                keys,
                                Set.of(),
                                Long.MAX_VALUE,
                                false);
            } catch (LookupState.Unavailable e) {
                return new KeyStore.Keys(
                        new KeyEntry.Unanchored(
                                Verdict.Cause.UNAVAILABLE,
                                "DNSKEY of " + anchor.zone() + " unavailable: " + e.getMessage(),
                                0),
                        List.of());
            }
        }
        List<Evidence.Exchange> trail = new ArrayList<>();
        state.addIfRecorded(trail, anchor.zone(), Type.DNSKEY);
        KeyStore.Keys proven = new KeyStore.Keys(entry, List.copyOf(trail));
        store.cache.put(anchor.zone(), proven, entry.ttl());
        return proven;
    }

    /**
     * One label down from the zone of {@code parent}: is {@code name} a secure cut, an insecure
     * one, or none?
     */
    KeyEntry step(KeyEntry.Secure parent, Name name) {
        Optional<AuthorityHints.Found> hinted =
                AuthorityHints.insecureDelegation(state, parent, name);
        if (hinted.isPresent()) {
            AuthorityHints.Found f = hinted.get();
            provenBy.put(name, f.exchange());
            return absenceEntry(parent, name, f.absence(), f.ttl());
        }
        Message response;
        try {
            response = state.await(name, Type.DS);
        } catch (LookupState.Unavailable e) {
            return new KeyEntry.Unanchored(
                    Verdict.Cause.UNAVAILABLE,
                    "DS of " + name + " unavailable: " + e.getMessage(),
                    0);
        }
        RRset ds =
                Responses.find(response.getSectionRRsets(Section.ANSWER), name, Type.DS).stream()
                        .findFirst()
                        .orElse(null);
        if (ds != null) {
            return signedDs(parent, name, ds);
        }
        if (response.getRcode() != Rcode.NOERROR && response.getRcode() != Rcode.NXDOMAIN) {
            return new KeyEntry.Unanchored(
                    Verdict.Cause.UNAVAILABLE,
                    "DS of " + name + ": upstream answered " + Rcode.string(response.getRcode()),
                    0);
        }
        List<RRset> cname =
                Responses.find(response.getSectionRRsets(Section.ANSWER), name, Type.CNAME);
        if (!cname.isEmpty()) {
            // A CNAME owner cannot be a delegation point — once the CNAME is proven the parent's:
            // an unsigned
            // or forged one must not make the parent's keys stand for this name for the parent's
            // TTL.
            SignatureVerifier.Outcome o =
                    state.verifier.verify(cname.get(0), parent.zone(), parent.keys());
            if (!o.secure()) {
                return new KeyEntry.Bogus(
                        o.bogus("CNAME " + name + " in the answer to its DS query: "),
                        KeyEntry.BOGUS_TTL_SECONDS);
            }
            return parent.capped(o.ttl(cname.get(0), state.now));
        }
        return dsAbsence(parent, name, response);
    }

    /**
     * A DS RRset at {@code name}: verified with the parent's keys, it names the child's entry keys.
     */
    private KeyEntry signedDs(KeyEntry.Secure parent, Name name, RRset ds) {
        SignatureVerifier.Outcome o = state.verifier.verify(ds, parent.zone(), parent.keys());
        if (!o.secure()) {
            return new KeyEntry.Bogus(o.bogus("DS of " + name + ": "), KeyEntry.BOGUS_TTL_SECONDS);
        }
        List<DSRecord> usable =
                DsMatcher.usable(ds.rrs(false).stream().map(r -> (DSRecord) r).toList(), crypto);
        long ttl = Math.min(parent.ttl(), o.ttl(ds, state.now));
        if (usable.isEmpty()) {
            boolean algorithmsKnown =
                    ds.rrs(false).stream()
                            .anyMatch(r -> crypto.supported(((DSRecord) r).getAlgorithm()));
            return new KeyEntry.Insecure(
                    algorithmsKnown
                            ? InsecureCause.UNSUPPORTED_DIGEST
                            : InsecureCause.UNSUPPORTED_ALGORITHM,
                    name,
                    "the DS RRset of "
                            + name
                            + " uses only unsupported algorithms or digests (RFC 4035 §5.2)",
                    ttl);
        }
        try {
            Message keys = state.await(name, Type.DNSKEY);
            KeyEntry entry =
                    dnskeys(
                            name,
                            keys,
                            usable,
                            List.of(),
                            parent.algorithms(),
                            ttl,
                            parent.viaDlv());
            List<DSRecord> sha1 =
                    DsMatcher.sha1Fallback(
                            ds.rrs(false).stream().map(r -> (DSRecord) r).toList(), crypto);
            if (!hardenAlgorithmDowngrade
                    && entry instanceof KeyEntry.Bogus b
                    && b.reason() == Reason.DNSKEY_MISSING
                    && !sha1.isEmpty()
                    && !sha1.containsAll(usable)) {
                // No stronger DS names a key: use the parent's signed SHA-1 DS, as Unbound does by
                // default.
                KeyEntry viaSha1 =
                        dnskeys(
                                name,
                                keys,
                                sha1,
                                List.of(),
                                parent.algorithms(),
                                ttl,
                                parent.viaDlv());
                if (viaSha1 instanceof KeyEntry.Secure) {
                    return viaSha1;
                }
            }
            return entry;
        } catch (LookupState.Unavailable e) {
            return new KeyEntry.Unanchored(
                    Verdict.Cause.UNAVAILABLE,
                    "DNSKEY of " + name + " unavailable: " + e.getMessage(),
                    0);
        }
    }

    /**
     * No DS at {@code name}: the parent's signed denial says whether it is an unsigned cut or no
     * cut at all.
     */
    private KeyEntry dsAbsence(KeyEntry.Secure parent, Name name, Message response) {
        Judgement proof = state.proofs.verifyAuthority(response, parent);
        if (!proof.isSecure()) {
            return KeyEntry.Bogus.at(
                    "proof of no DS at " + name + ": ", (Verdict.Bogus) proof.verdict);
        }
        DenialProof d = state.proofs.denial(response, parent);
        long ttl = Math.min(parent.ttl(), proof.ttl);
        if (response.getRcode() == Rcode.NXDOMAIN) {
            DenialProof.Proof p = d.nxdomain(name);
            if (!p.proven()) {
                return bogus(
                        state.proofs.unproven(
                                response, d, p, "NXDOMAIN for DS " + name + " not proven: "));
            }
            Optional<KeyEntry> policy = iterationPolicy(p, parent, ttl);
            return policy.isPresent() ? policy.get() : parent.capped(ttl);
        }
        DenialProof.DsProof absence = d.dsAbsence(name);
        DenialProof.Proof p = absence.proof();
        if (absence.absence() == DenialProof.DsAbsence.NOT_PROVEN) {
            // Also when the record at the name lists DS: the DS exists and was stripped, whatever
            // the iterations.
            return bogus(
                    state.proofs.unproven(
                            response, d, p, "no DS at " + name + " and no proof why: "));
        }
        return absenceEntry(parent, name, absence, ttl);
    }

    /** The key entry a DS-absence proof that holds makes of {@code name}. */
    private KeyEntry absenceEntry(
            KeyEntry.Secure parent, Name name, DenialProof.DsProof absence, long ttl) {
        DenialProof.Proof p = absence.proof();
        Optional<KeyEntry> policy = iterationPolicy(p, parent, ttl);
        if (policy.isPresent()) {
            return policy.get();
        }
        return switch (absence.absence()) {
            case INSECURE_DELEGATION ->
                    new KeyEntry.Insecure(
                            InsecureCause.UNSIGNED_DELEGATION,
                            name,
                            "no DS at " + name + ", proven by " + parent.zone() + ": " + p.why(),
                            ttl);
            case OPT_OUT_DELEGATION ->
                    new KeyEntry.Insecure(
                            InsecureCause.OPT_OUT,
                            name,
                            "no DS at " + name + ", proven by " + parent.zone() + ": " + p.why(),
                            ttl);
            default -> parent.capped(ttl);
        };
    }

    /**
     * RFC 9276 §3.2 on a DS-absence proof that holds: too many iterations end the chain Insecure at
     * the parent.
     */
    private Optional<KeyEntry> iterationPolicy(
            DenialProof.Proof p, KeyEntry.Secure parent, long ttl) {
        return state.proofs
                .iterationPolicy(p, parent.zone(), ttl)
                .map(
                        j ->
                                new KeyEntry.Insecure(
                                        InsecureCause.NSEC3_ITERATIONS,
                                        parent.zone(),
                                        ((Verdict.Insecure) j.verdict).detail(),
                                        ttl));
    }

    private static KeyEntry bogus(Judgement j) {
        return new KeyEntry.Bogus((Verdict.Bogus) j.verdict, KeyEntry.BOGUS_TTL_SECONDS);
    }

    /**
     * Validates the DNSKEY RRset of {@code zone} with the DS records or anchor keys that name its
     * entry keys: one of those keys must be in the RRset and sign it.
     */
    KeyEntry dnskeys(
            Name zone,
            Message response,
            List<DSRecord> ds,
            List<DNSKEYRecord> anchorKeys,
            Set<Integer> algorithms,
            long ttlCap,
            boolean viaDlv) {
        RRset set =
                Responses.find(response.getSectionRRsets(Section.ANSWER), zone, Type.DNSKEY)
                        .stream()
                        .findFirst()
                        .orElse(null);
        if (set == null
                && response.getRcode() != Rcode.NOERROR
                && response.getRcode() != Rcode.NXDOMAIN) {
            // SERVFAIL, REFUSED...: the path failed, not the data. The same verdict as such an
            // answer to a DS
            // query (see step), whichever record of the chain it hit.
            return new KeyEntry.Unanchored(
                    Verdict.Cause.UNAVAILABLE,
                    "DNSKEY of "
                            + zone
                            + ": upstream answered "
                            + Rcode.string(response.getRcode()),
                    0);
        }
        if (set == null) {
            return KeyEntry.Bogus.of(
                    Reason.DNSKEY_MISSING,
                    "no DNSKEY RRset at "
                            + zone
                            + " (upstream answered "
                            + Rcode.string(response.getRcode())
                            + ")");
        }
        List<DNSKEYRecord> all = set.rrs(false).stream().map(r -> (DNSKEYRecord) r).toList();
        List<DNSKEYRecord> entry = new ArrayList<>();
        for (DNSKEYRecord k : all) {
            boolean named =
                    ds.stream().anyMatch(d -> DsMatcher.matches(d, k))
                            || anchorKeys.stream()
                                    .anyMatch(
                                            a ->
                                                    a.getFlags() == k.getFlags()
                                                            && a.getAlgorithm() == k.getAlgorithm()
                                                            && Arrays.equals(
                                                                    a.getKey(), k.getKey()));
            if (named) {
                entry.add(k);
            }
        }
        if (entry.isEmpty()) {
            String tags =
                    ds.stream()
                            .map(d -> String.valueOf(d.getFootprint()))
                            .distinct()
                            .toList()
                            .toString();
            return KeyEntry.Bogus.of(
                    Reason.DNSKEY_MISSING,
                    "no DNSKEY of "
                            + zone
                            + " matches its "
                            + (ds.isEmpty() ? "trust anchor keys" : "DS (key tags " + tags + ")"));
        }
        SignatureVerifier.Outcome o = state.verifier.verify(set, zone, entry);
        if (!o.secure()) {
            return new KeyEntry.Bogus(
                    o.bogus("DNSKEY RRset of " + zone + ": "), KeyEntry.BOGUS_TTL_SECONDS);
        }
        if (hardenAlgorithmDowngrade) {
            // Unbound's harden-algo-downgrade: every algorithm the DS set or anchor lists must sign
            // the RRset,
            // so that an attacker who can break one algorithm cannot strip the others' signatures.
            Set<Integer> listed = new java.util.TreeSet<>();
            ds.forEach(d -> listed.add(d.getAlgorithm()));
            anchorKeys.forEach(k -> listed.add(k.getAlgorithm()));
            for (int alg : listed) {
                List<DNSKEYRecord> ofAlg =
                        entry.stream().filter(k -> k.getAlgorithm() == alg).toList();
                SignatureVerifier.Outcome byAlg =
                        ofAlg.isEmpty() ? null : state.verifier.verify(set, zone, ofAlg);
                if (byAlg == null || !byAlg.secure()) {
                    return KeyEntry.Bogus.of(
                            Reason.DNSSEC_BOGUS,
                            "DNSKEY RRset of "
                                    + zone
                                    + " is not signed with algorithm "
                                    + alg
                                    + ", which its "
                                    + (ds.isEmpty() ? "trust anchor" : "DS RRset")
                                    + " lists"
                                    + " (algorithm downgrade hardening)");
                }
            }
        }
        List<DNSKEYRecord> zoneKeys =
                all.stream()
                        .filter(k -> (k.getFlags() & 0x0100) != 0 && (k.getFlags() & 0x0080) == 0)
                        .toList();
        Set<Integer> algs = new HashSet<>(algorithms);
        algs.add(o.signature().getAlgorithm());
        return new KeyEntry.Secure(
                zone, zoneKeys, algs, Math.min(ttlCap, o.ttl(set, state.now)), viaDlv);
    }
}
