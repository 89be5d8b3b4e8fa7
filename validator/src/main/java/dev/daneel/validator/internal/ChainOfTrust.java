package dev.daneel.validator.internal;

import dev.daneel.anchors.Anchor;
import dev.daneel.validator.Answer;
import dev.daneel.validator.Reason;
import dev.daneel.validator.Security;
import dev.daneel.validator.ValidationChain;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.DLVRecord;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The chain of trust for one lookup (Unbound's FINDKEY state): from the closest trust anchor down, one
 * label at a time, a DS query at each name; a DS RRset verified with the parent's keys leads to the
 * child's DNSKEY RRset, a proven DS absence either shows there is no cut there or ends the chain at an
 * unsigned delegation, where DLV lookaside (if configured) may take over. Key entries are cached in the
 * engine with the exchanges that proved them.
 *
 * <p>Used by one lookup's thread at a time.
 */
final class ChainOfTrust {

    private static final org.xbill.DNS.utils.base32 B32HEX =
            new org.xbill.DNS.utils.base32(org.xbill.DNS.utils.base32.Alphabet.BASE32HEX, false, true);

    private final Engine engine;
    private final Lookup work;

    ChainOfTrust(Engine engine, Lookup work) {
        this.engine = engine;
        this.work = work;
    }

// ---- the chain of trust -------------------------------------------------------------------

/**
 * The keys that apply at {@code target}: walks from the closest anchor down. With {@code apex}, the
 * target must itself be a zone (an RRSIG's signer) and its validated keys are returned.
 */
KeyEntry walk(Name target, boolean apex) {
    Optional<Anchor> anchor = engine.anchorFor(target);
    if (anchor.isEmpty()) {
        return new KeyEntry.Unanchored(Security.Cause.NO_ANCHOR, "no trust anchor covers " + target, 0);
    }
    Name top = anchor.get().zone();
    List<Name> path = new ArrayList<>();
    for (Name n = target; !n.equals(top); n = new Name(n, 1)) {
        path.add(0, n);
    }
    if (path.size() > engine.limits.maxChainDepth()) {
        return new KeyEntry.Bogus(Reason.WORK_LIMIT_EXCEEDED, target + " lies " + path.size()
                + " labels below the trust anchor " + top + "; the limit is " + engine.limits.maxChainDepth(), 0);
    }
    Engine.Keys current = null;
    int start = 0;
    for (int i = path.size() - 1; i >= 0 && current == null; i--) {
        TtlCache.Hit<Engine.Keys> hit = engine.keyCache.get(path.get(i));
        if (hit != null) {
            current = hit.value();
            start = i + 1;
        }
    }
    // Everything this walk may need goes out at once: the DS of every remaining level and, when the
    // target is a signer, its DNSKEY. Only the DNSKEYs of intermediate cuts wait for their DS.
    for (int i = start; i < path.size(); i++) {
        work.fetch(path.get(i), Type.DS);
    }
    if (apex && start < path.size()) {
        work.fetch(target, Type.DNSKEY);
    }
    if (current == null) {
        TtlCache.Hit<Engine.Keys> hit = engine.keyCache.get(top);
        current = hit != null ? hit.value() : anchored(anchor.get());
    }
    work.include(current.trail()); // cached entries bring the evidence that proved them
    for (int i = start; i < path.size() && current.entry() instanceof KeyEntry.Secure; i++) {
        current = keysAt(path.get(i), current);
    }
    KeyEntry result = current.entry();
    if (result instanceof KeyEntry.Insecure insecure && insecure.reason() == null) {
        result = lookaside(target, insecure);
    }
    if (apex && result instanceof KeyEntry.Secure s && !s.zone().equals(target)) {
        return new KeyEntry.Bogus(Reason.DNSKEY_MISSING, target + " signs records but is not a zone cut below "
                + s.zone(), Engine.BOGUS_TTL_SECONDS);
    }
    return result;
}

/**
 * The key entry one label below {@code parent}: from the cache, from the lookup computing it right now
 * (concurrent cold lookups under one zone validate its DS and DNSKEY RRsets once, as they fetch them
 * once), or computed here and published. Waiting for another lookup holds no lock; that lookup waits
 * only on the network, never on a key entry, so the waits cannot form a cycle.
 */
private Engine.Keys keysAt(Name n, Engine.Keys parent) {
    TtlCache.Hit<Engine.Keys> hit = engine.keyCache.get(n);
    if (hit != null) {
        work.include(hit.value().trail());
        return hit.value();
    }
    CompletableFuture<Engine.Keys> mine = new CompletableFuture<>();
    CompletableFuture<Engine.Keys> other = engine.keysInFlight.putIfAbsent(n, mine);
    if (other != null) {
        Engine.Keys theirs = other.join();
        work.include(theirs.trail());
        return theirs;
    }
    try {
        KeyEntry next = step((KeyEntry.Secure) parent.entry(), n);
        List<ValidationChain.Exchange> trail = new ArrayList<>(parent.trail());
        work.addIfRecorded(trail, n, Type.DS);
        work.addIfRecorded(trail, n, Type.DNSKEY);
        Engine.Keys keys = new Engine.Keys(next, List.copyOf(trail));
        engine.keyCache.put(n, keys, next.ttl()); // before leaving the in-flight map: no gap to race into
        mine.complete(keys);
        return keys;
    } catch (RuntimeException | Error e) {
        mine.completeExceptionally(e);
        throw e;
    } finally {
        engine.keysInFlight.remove(n, mine);
    }
}

/**
 * RFC 5074 §5: when the chain ends at an unsigned delegation, look in the DLV registry for the closest
 * enclosing zone of {@code target} below it; a Secure DLV RRset stands in for that zone's DS. A Bogus
 * DLV answer makes the zone Bogus; no DLV record leaves it Insecure.
 */
private KeyEntry lookaside(Name target, KeyEntry.Insecure insecure) {
    Name registry = engine.dlvDomain;
    if (registry == null || target.subdomain(registry)) {
        return insecure; // off, or the registry's own names (no lookaside for lookaside)
    }
    List<Record> provenGaps = new ArrayList<>();
    for (Name zone = target; zone.subdomain(insecure.delegation()); zone = new Name(zone, 1)) {
        Name owner;
        try {
            owner = Name.concatenate(zone.relativize(Name.root), registry);
        } catch (NameTooLongException e) {
            continue;
        }
        if (inGap(provenGaps, owner)) {
            continue; // RFC 5074 §5.3: a Secure NSEC from the registry already shows no DLV here
        }
        Answer dlv = engine.lookup(owner, Type.DLV);
        if (dlv.security() instanceof Security.Secure && dlv.records().isEmpty()) {
            for (ValidationChain.Exchange e : dlv.evidence().exchanges()) {
                if (e.name().equals(owner) && e.type() == Type.DLV) {
                    for (Record r : e.response().getSection(Section.AUTHORITY)) {
                        if (r instanceof NSECRecord || r instanceof NSEC3Record) {
                            provenGaps.add(r);
                        }
                    }
                }
            }
        }
        if (dlv.security() instanceof Security.Bogus b) {
            return new KeyEntry.Bogus(b.reason(), "DLV for " + zone + " at " + owner + ": " + b.detail(), Engine.BOGUS_TTL_SECONDS);
        }
        if (dlv.security() instanceof Security.Secure && !dlv.records().isEmpty()) {
            List<DSRecord> ds = new ArrayList<>();
            for (Record r : dlv.records()) {
                DLVRecord d = (DLVRecord) r;
                ds.add(new DSRecord(zone, d.getDClass(), d.getTTL(), d.getFootprint(), d.getAlgorithm(),
                        d.getDigestID(), d.getDigest()));
            }
            work.include(dlv.evidence().exchanges());
            List<DSRecord> usable = DsMatcher.usable(ds, engine.crypto);
            if (usable.isEmpty()) {
                return insecure;
            }
            KeyEntry viaDlv;
            try {
                viaDlv = dnskeys(zone, work.await(zone, Type.DNSKEY), usable, List.of(),
                        ((Security.Secure) dlv.security()).algorithms(), dlv.ttl(), true);
            } catch (Engine.UnavailableException e) {
                return new KeyEntry.Unanchored(Security.Cause.UNAVAILABLE, "DNSKEY of " + zone + " unavailable: "
                        + e.getMessage(), 0);
            }
            if (!(viaDlv instanceof KeyEntry.Secure secure) || zone.equals(target)) {
                return viaDlv;
            }
            // Below the DLV-anchored zone the chain goes on by ordinary DS records.
            KeyEntry below = secure;
            List<Name> rest = new ArrayList<>();
            for (Name n = target; !n.equals(zone); n = new Name(n, 1)) {
                rest.add(0, n);
            }
            for (int i = 0; i < rest.size() && below instanceof KeyEntry.Secure s; i++) {
                below = step(s, rest.get(i));
            }
            return below;
        }
    }
    return insecure;
}

/**
 * Whether a validated NSEC's span, or an NSEC3's hash span, lies strictly around {@code name}: no
 * record exists there. Each NSEC3 hash spends the lookup's work.budget.
 */
private boolean inGap(List<Record> gaps, Name name) {
    for (Record r : gaps) {
        if (r instanceof NSECRecord n) {
            boolean last = n.getNext().compareTo(n.getName()) <= 0;
            if (n.getName().compareTo(name) < 0 && (last || name.compareTo(n.getNext()) < 0)) {
                return true;
            }
        } else if (r instanceof NSEC3Record n3 && name.subdomain(new Name(n3.getName(), 1))
                && n3.getIterations() <= engine.limits.nsec3IterationsBogusAbove() && work.budget.spendNsec3Hash()) {
            String h;
            try {
                h = B32HEX.toString(new org.xbill.DNS.NSEC3PARAMRecord(n3.getName(), n3.getDClass(), 0,
                        n3.getHashAlgorithm(), 0, n3.getIterations(), n3.getSalt()).hashName(name));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-1 is on every Java platform", e);
            }
            String owner = n3.getName().getLabelString(0).toLowerCase();
            String next = B32HEX.toString(n3.getNext());
            boolean covered = owner.compareTo(next) < 0 ? owner.compareTo(h) < 0 && h.compareTo(next) < 0
                    : owner.compareTo(h) < 0 || h.compareTo(next) < 0;
            if (covered) {
                return true;
            }
        }
    }
    return false;
}

/** The validated keys of an anchored zone. */
private Engine.Keys anchored(Anchor anchor) {
    List<DSRecord> ds = DsMatcher.usable(anchor.ds(), engine.crypto);
    List<DNSKEYRecord> keys = anchor.keys().stream().filter(k -> work.verifier.supported(k.getAlgorithm())).toList();
    KeyEntry entry;
    if (ds.isEmpty() && keys.isEmpty()) {
        entry = new KeyEntry.Insecure(anchor.zone(), Reason.UNSUPPORTED_DNSKEY_ALGORITHM, "the trust anchor for " + anchor.zone()
                + " uses only unsupported algorithms or digests", Engine.BOGUS_TTL_SECONDS);
    } else {
        try {
            entry = dnskeys(anchor.zone(), work.await(anchor.zone(), Type.DNSKEY), ds, keys, Set.of(), Long.MAX_VALUE, false);
        } catch (Engine.UnavailableException e) {
            return new Engine.Keys(new KeyEntry.Unanchored(Security.Cause.UNAVAILABLE, "DNSKEY of " + anchor.zone() + " unavailable: " + e.getMessage(), 0),
                    List.of());
        }
    }
    List<ValidationChain.Exchange> trail = new ArrayList<>();
    work.addIfRecorded(trail, anchor.zone(), Type.DNSKEY);
    Engine.Keys proven = new Engine.Keys(entry, List.copyOf(trail));
    engine.keyCache.put(anchor.zone(), proven, entry.ttl());
    return proven;
}

/** One label down from the zone of {@code parent}: is {@code name} a secure cut, an insecure one, or none? */
private KeyEntry step(KeyEntry.Secure parent, Name name) {
    Message response;
    try {
        response = work.await(name, Type.DS);
    } catch (Engine.UnavailableException e) {
        return new KeyEntry.Unanchored(Security.Cause.UNAVAILABLE, "DS of " + name + " unavailable: " + e.getMessage(), 0);
    }
    RRset ds = Engine.find(response.getSectionRRsets(Section.ANSWER), name, Type.DS).stream().findFirst().orElse(null);
    if (ds != null) {
        SignatureVerifier.Outcome o = work.verifier.verify(ds, parent.zone(), parent.keys());
        if (!o.secure()) {
            return new KeyEntry.Bogus(o.failure(), "DS of " + name + ": " + o.detail(), Engine.BOGUS_TTL_SECONDS);
        }
        List<DSRecord> usable = DsMatcher.usable(ds.rrs(false).stream().map(r -> (DSRecord) r).toList(), engine.crypto);
        long ttl = Math.min(parent.ttl(), o.ttl(ds, work.now));
        if (usable.isEmpty()) {
            boolean algorithmsKnown = ds.rrs(false).stream()
                    .anyMatch(r -> work.verifier.supported(((DSRecord) r).getAlgorithm()));
            return new KeyEntry.Insecure(name, algorithmsKnown ? Reason.UNSUPPORTED_DS_DIGEST
                    : Reason.UNSUPPORTED_DNSKEY_ALGORITHM, "the DS RRset of " + name
                    + " uses only unsupported algorithms or digests (RFC 4035 §5.2)", ttl);
        }
        try {
            return dnskeys(name, work.await(name, Type.DNSKEY), usable, List.of(), parent.algorithms(), ttl, parent.viaDlv());
        } catch (Engine.UnavailableException e) {
            return new KeyEntry.Unanchored(Security.Cause.UNAVAILABLE, "DNSKEY of " + name + " unavailable: " + e.getMessage(), 0);
        }
    }
    if (response.getRcode() != Rcode.NOERROR && response.getRcode() != Rcode.NXDOMAIN) {
        return new KeyEntry.Unanchored(Security.Cause.UNAVAILABLE, "DS of " + name + ": upstream answered " + Rcode.string(response.getRcode()), 0);
    }
    if (!Engine.find(response.getSectionRRsets(Section.ANSWER), name, Type.CNAME).isEmpty()) {
        return parent; // a CNAME owner cannot be a delegation point
    }
    Verdict proof = work.proofs(response, parent);
    if (!proof.isSecure()) {
        Security.Bogus b = (Security.Bogus) proof.security;
        return new KeyEntry.Bogus(b.reason(), "proof of no DS at " + name + ": " + b.detail(), Engine.BOGUS_TTL_SECONDS);
    }
    Denial d = work.denial(response, parent);
    long ttl = Math.min(parent.ttl(), proof.ttl);
    Verdict policy = work.iterationPolicy(d, parent.zone(), ttl);
    if (policy != null) {
        return policy.isBogus()
                ? new KeyEntry.Bogus(((Security.Bogus) policy.security).reason(), ((Security.Bogus) policy.security).detail(), Engine.BOGUS_TTL_SECONDS)
                : new KeyEntry.Insecure(parent.zone(), Reason.UNSUPPORTED_NSEC3_ITERATIONS,
                        ((Security.Insecure) policy.security).why(), ttl);
    }
    if (response.getRcode() == Rcode.NXDOMAIN) {
        if (d.provesNxdomain(name)) {
            return parent.capped(ttl);
        }
        return new KeyEntry.Bogus(d.failure(), "NXDOMAIN for DS " + name + " not proven: " + d.why(),
                Engine.BOGUS_TTL_SECONDS);
    }
    switch (d.dsAbsence(name)) {
        case INSECURE_DELEGATION:
            return new KeyEntry.Insecure(name, null, "no DS at " + name + ", proven by " + parent.zone() + ": " + d.why(), ttl);
        case NOT_A_DELEGATION:
            return parent.capped(ttl);
        default:
            return new KeyEntry.Bogus(d.failure(), "no DS at " + name + " and no proof why: " + d.why(),
                    Engine.BOGUS_TTL_SECONDS);
    }
}

/**
 * Validates the DNSKEY RRset of {@code zone} with the DS records or anchor keys that name its
 * entry keys: one of those keys must be in the RRset and sign it.
 */
private KeyEntry dnskeys(Name zone, Message response, List<DSRecord> ds, List<DNSKEYRecord> anchorKeys,
                         Set<Integer> algorithms, long ttlCap, boolean viaDlv) {
    RRset set = Engine.find(response.getSectionRRsets(Section.ANSWER), zone, Type.DNSKEY).stream().findFirst().orElse(null);
    if (set == null) {
        return new KeyEntry.Bogus(Reason.DNSKEY_MISSING, "no DNSKEY RRset at " + zone + " (upstream answered "
                + Rcode.string(response.getRcode()) + ")", Engine.BOGUS_TTL_SECONDS);
    }
    List<DNSKEYRecord> all = set.rrs(false).stream().map(r -> (DNSKEYRecord) r).toList();
    List<DNSKEYRecord> entry = new ArrayList<>();
    for (DNSKEYRecord k : all) {
        boolean named = ds.stream().anyMatch(d -> DsMatcher.matches(d, k))
                || anchorKeys.stream().anyMatch(a -> a.getFlags() == k.getFlags() && a.getAlgorithm() == k.getAlgorithm()
                && java.util.Arrays.equals(a.getKey(), k.getKey()));
        if (named) {
            entry.add(k);
        }
    }
    if (entry.isEmpty()) {
        String tags = ds.stream().map(d -> String.valueOf(d.getFootprint())).distinct().toList().toString();
        return new KeyEntry.Bogus(Reason.DNSKEY_MISSING, "no DNSKEY of " + zone + " matches its "
                + (ds.isEmpty() ? "trust anchor keys" : "DS (key tags " + tags + ")"), Engine.BOGUS_TTL_SECONDS);
    }
    SignatureVerifier.Outcome o = work.verifier.verify(set, zone, entry);
    if (!o.secure()) {
        return new KeyEntry.Bogus(o.failure(), "DNSKEY RRset of " + zone + ": " + o.detail(), Engine.BOGUS_TTL_SECONDS);
    }
    List<DNSKEYRecord> zoneKeys = all.stream().filter(k -> (k.getFlags() & 0x0100) != 0 && (k.getFlags() & 0x0080) == 0).toList();
    Set<Integer> algs = new HashSet<>(algorithms);
    algs.add(o.signature().getAlgorithm());
    return new KeyEntry.Secure(zone, zoneKeys, algs, Math.min(ttlCap, o.ttl(set, work.now)), viaDlv);
}
}
