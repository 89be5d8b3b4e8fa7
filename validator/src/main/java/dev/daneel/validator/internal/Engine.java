package dev.daneel.validator.internal;

import dev.daneel.validator.Answer;
import dev.daneel.validator.Verdict;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * The validation engine: asks its {@link Fetcher} for an answer and the DS/DNSKEY chain above it
 * and decides Secure, Insecure, Bogus or Indeterminate, never looking at the AD bit. A lookup is a
 * fixed sequence of states, as in Unbound's validator: FETCH the response (or answer from the RFC
 * 8198 cache), CLASSIFY it ({@link Classification}), then VALIDATE by kind ({@link
 * AnswerValidator}), which asks the lookup's {@link ChainOfTrust} for keys (FINDKEY), and FINISH
 * with a cached, immutable {@link Answer}.
 *
 * <p>Built once from an {@link EngineConfig} and never changed; a change of trust anchors builds a
 * new engine. Thread-safe: all shared state (key entries, answers, raw responses in flight) lives
 * in concurrent caches; per-lookup state lives in one {@link LookupState}. {@link #lookup} blocks
 * on fetches until the lookup's deadline at most, so it must run on a thread that may wait.
 */
public final class Engine {

    private final EngineConfig config;
    private final Crypto crypto;
    private final Clock clock;
    private final SingleFlight fetcher;
    private final KeyStore keys;
    private final TtlCache<LookupState.Question, Answer> answers;
    private final AggressiveNsec aggressive;
    private final DlvLookaside dlv;

    public Engine(EngineConfig config) {
        this(config, Crypto.STANDARD);
    }

    /**
     * With another crypto primitive: the seam the conformance harness uses to mirror Unbound's
     * options.
     */
    Engine(EngineConfig config, Crypto crypto) {
        this.config = config;
        this.clock = config.clock();
        this.crypto = new VerifiedSignatures(crypto, clock, config.cacheSize());
        this.fetcher =
                new SingleFlight(
                        config.fetcher(),
                        clock,
                        config.cacheSize(),
                        config.cacheBytes() / 4,
                        config.deadline());
        this.keys =
                new KeyStore(config.anchors(), config.negativeAnchors(), clock, config.cacheSize());
        this.answers =
                new TtlCache<>(
                        clock, config.cacheSize(), config.cacheBytes(), Engine::estimatedBytes);
        this.aggressive =
                config.aggressiveNsec()
                        ? new AggressiveNsec(clock, config.cacheSize(), config.limits(), keys)
                        : null;
        this.dlv =
                config.dlvRegistry() == null
                        ? null
                        : new DlvLookaside(config.dlvRegistry(), this.crypto);
    }

    /**
     * An answer's share of the heap, estimated: three times the wire size of its own response
     * (parsed records take about that) plus its records and a fixed overhead. The chain's DNSKEY
     * and DS responses are shared by many answers and counted with the key entries, not here.
     */
    static long estimatedBytes(Answer a) {
        long wire = 0;
        for (dev.daneel.validator.Evidence.Exchange e : a.evidence().exchanges()) {
            if (e.name().equals(a.name()) && e.type() == a.type()) {
                wire += Math.max(0, e.response().numBytes());
            }
        }
        for (org.xbill.DNS.Record r : a.records()) {
            wire += r.rdataToString().length() + r.getName().length();
        }
        return 3 * wire + 512;
    }

    /** The answer cache's estimated size now. */
    long cachedBytes() {
        return answers.bytes();
    }

    /** Questions in flight now: zero whenever no lookup is running, whatever the fetcher did. */
    int fetchesInFlight() {
        return fetcher.inFlight();
    }

    /** Key entries cached now (bounded by the cache size). */
    int keyEntries() {
        return keys.cache.size();
    }

    /** What this engine was built from. */
    public EngineConfig config() {
        return config;
    }

    /**
     * Validates the answer to {@code qname}/{@code qtype}; never throws for bad data or a bad
     * network.
     */
    public Answer lookup(Name qname, int qtype) {
        Answer hit = cached(qname, qtype);
        if (hit != null) {
            return hit;
        }
        long deadline = System.nanoTime() + config.deadline().toNanos();
        Answer first =
                resolve(
                        new LookupState(config, crypto, fetcher, clock.instant(), deadline),
                        qname,
                        qtype);
        if (!(first.verdict() instanceof Verdict.Bogus)) {
            return first;
        }
        return rememberFailure(qname, qtype, retried(first, qname, qtype, deadline));
    }

    /**
     * How long a Bogus answer is kept: RFC 9520 §3.2 makes caching validation failures a MUST (a
     * failure not remembered makes every repeated lookup of a broken name query upstream again,
     * which is how broken zones have flooded their servers) and names 5 seconds as the minimum;
     * short, so that a forged packet fails the name only briefly: its raw responses are dropped at
     * once, and the first lookup after this asks afresh.
     */
    static final long BOGUS_ANSWER_TTL_SECONDS = 5;

    private Answer rememberFailure(Name qname, int qtype, Answer answer) {
        if (answer.verdict() instanceof Verdict.Bogus) {
            LookupState.Question key = new LookupState.Question(qname, qtype);
            if (!answers.contains(key)) {
                answers.put(key, answer, BOGUS_ANSWER_TTL_SECONDS);
            }
        }
        return answer;
    }

    private Answer retried(Answer first, Name qname, int qtype, long deadline) {
        // A Bogus answer may come from one broken or hostile path: a fetcher with another path is
        // asked once more, from scratch, within the same deadline (libunbound does the same). Its
        // raw responses were forgotten by resolve(); the key entries those responses made Bogus
        // are dropped too, or the retry would only find them in the cache. If the other path
        // agrees, the answer stays Bogus.
        List<Message> used =
                first.evidence().exchanges().stream()
                        .map(dev.daneel.validator.Evidence.Exchange::response)
                        .toList();
        if (!config.fetcher().retryElsewhere(used)) {
            return first;
        }
        for (dev.daneel.validator.Evidence.Exchange e : first.evidence().exchanges()) {
            TtlCache.Hit<KeyStore.Keys> k = keys.cache.get(e.name());
            if (k != null && k.value().entry() instanceof KeyEntry.Bogus) {
                keys.cache.remove(e.name());
            }
        }
        return resolve(
                new LookupState(config, crypto, fetcher, clock.instant(), deadline), qname, qtype);
    }

    /**
     * The validated answer cached for {@code qname}/{@code qtype}, its TTL counted down, or null.
     * Takes no lock and does no I/O, so a warm lookup can be answered on the caller's thread.
     */
    public Answer cached(Name qname, int qtype) {
        TtlCache.Hit<Answer> hit = answers.get(new LookupState.Question(qname, qtype));
        if (hit == null) {
            return null;
        }
        Answer a = hit.value();
        return new Answer(
                a.name(),
                a.type(),
                a.verdict(),
                a.rcode(),
                a.records(),
                a.chain(),
                Math.min(a.ttl(), hit.ttlLeft()),
                a.evidence());
    }

    /**
     * One lookup with the given state: also the DLV registry's lookups, within the same budget and
     * deadline.
     */
    private Answer resolve(LookupState state, Name qname, int qtype) {
        Answer hit = cached(qname, qtype);
        if (hit != null) {
            return hit;
        }
        Answer answer = validate(state, qname, qtype);
        Verdict v = answer.verdict();
        LookupState.Question key = new LookupState.Question(qname, qtype);
        if (v instanceof Verdict.Bogus) {
            // A failed validation drops the raw responses it rested on: the next lookup asks again.
            for (dev.daneel.validator.Evidence.Exchange e : answer.evidence().exchanges()) {
                fetcher.forget(new LookupState.Question(e.name(), e.type()));
            }
            return answer;
        }
        long ttl = answer.ttl();
        if (v instanceof Verdict.Indeterminate i) {
            // Nothing unvalidated sets a cache lifetime beyond the bad-data memory, whatever TTL it
            // claims.
            ttl =
                    i.cause() == Verdict.Cause.UNAVAILABLE
                                    || i.cause() == Verdict.Cause.UPSTREAM_NO_DNSSEC
                            ? 0
                            : Math.min(ttl, KeyEntry.BOGUS_TTL_SECONDS);
        }
        if (ttl > 0 && !answers.contains(key)) {
            answers.put(key, answer, ttl);
            fetcher.forget(
                    key); // the validated answer (which keeps the response as evidence) replaces it
        }
        return answer;
    }

    /**
     * RFC 7646: at and below a negative trust anchor the response is handed out Insecure,
     * unvalidated, never Secure (even when a signed parent could prove something), and for no
     * longer than the anchor lives.
     */
    private Answer underNegativeAnchor(
            LookupState state,
            Name qname,
            int qtype,
            dev.daneel.validator.NegativeTrustAnchor nta) {
        Message response;
        try {
            response = state.await(qname, qtype);
        } catch (LookupState.Unavailable e) {
            return state.unavailable(qname, qtype, "no upstream answered: " + e.getMessage());
        }
        if (response.getRcode() != Rcode.NOERROR && response.getRcode() != Rcode.NXDOMAIN) {
            return state.answer(
                    qname,
                    qtype,
                    Judgement.indeterminate(
                            Verdict.Cause.UNAVAILABLE,
                            "upstream answered " + Rcode.string(response.getRcode())),
                    response.getRcode(),
                    List.of(),
                    List.of());
        }
        Unvalidated u = Unvalidated.of(response, qname, qtype, config.limits().maxCnameHops());
        long ttl =
                Math.min(
                        u.records().isEmpty() && u.chain().isEmpty()
                                ? Responses.soaTtl(response)
                                : u.ttl(),
                        nta.secondsLeft(state.now));
        return state.answer(
                qname,
                qtype,
                Judgement.insecure(
                        dev.daneel.validator.InsecureCause.NEGATIVE_TRUST_ANCHOR,
                        nta.zone(),
                        "negative trust anchor for "
                                + nta.zone()
                                + " until "
                                + nta.expires()
                                + " (RFC 7646)",
                        ttl),
                response.getRcode(),
                u.records(),
                u.chain());
    }

    /**
     * The anchor that can prove the answer to this question. A DS RRset lives on the parent's side
     * of a cut, so a DS question at an anchor's own apex is judged by the anchors above it (RFC
     * 4035 §4.3: none above means no verdict, Indeterminate — never Bogus because the parent side
     * is unsigned).
     */
    private Optional<dev.daneel.anchors.Anchor> anchorForQuestion(Name qname, int qtype) {
        Optional<dev.daneel.anchors.Anchor> anchor = keys.anchorFor(qname);
        if (qtype == Type.DS && anchor.isPresent() && anchor.get().zone().equals(qname)) {
            return qname.equals(Name.root) ? Optional.empty() : keys.anchorFor(new Name(qname, 1));
        }
        return anchor;
    }

    private Answer validate(LookupState state, Name qname, int qtype) {
        ChainOfTrust chain =
                new ChainOfTrust(
                                keys,
                                state,
                                config.limits(),
                                crypto,
                                dlv,
                                (n, t) -> resolve(state, n, t))
                        .hardened(config.hardenAlgorithmDowngrade());
        AnswerValidator validator = new AnswerValidator(state, chain, aggressive);
        Optional<dev.daneel.anchors.Anchor> anchor = anchorForQuestion(qname, qtype);
        dev.daneel.validator.NegativeTrustAnchor nta = keys.negativeAnchorFor(qname, state.now);
        if (nta != null) {
            return underNegativeAnchor(state, qname, qtype, nta);
        }
        if (aggressive != null && qtype != Type.DS && anchor.isPresent()) {
            Optional<Answer> synthesized = validator.fromCache(qname, qtype);
            if (synthesized.isPresent()) {
                return synthesized.get();
            }
        }
        Message response;
        try {
            response = state.await(qname, qtype);
        } catch (LookupState.Unavailable e) {
            return e.cause == Verdict.Cause.UPSTREAM_NO_DNSSEC
                    ? state.unavailable(qname, qtype, e.cause, e.getMessage())
                    : state.unavailable(qname, qtype, "no upstream answered: " + e.getMessage());
        }
        Classification c =
                Classification.of(response, qname, qtype, config.limits().maxCnameHops());
        if (anchor.isEmpty()) {
            Unvalidated u = Unvalidated.of(response, qname, qtype, config.limits().maxCnameHops());
            return state.answer(
                    qname,
                    qtype,
                    Judgement.indeterminate(
                            Verdict.Cause.NO_ANCHOR,
                            "no trust anchor covers "
                                    + qname
                                    + "; anchors: "
                                    + keys.describeAnchors(),
                            u.ttl()),
                    response.getRcode(),
                    u.records(),
                    u.chain());
        }
        if (c instanceof Classification.SignatureQuery q) {
            Unvalidated u = new Unvalidated(List.of(), q.signatures());
            return state.answer(
                    qname,
                    qtype,
                    Judgement.indeterminate(
                            Verdict.Cause.NOT_VALIDATABLE,
                            "RRSIG records are"
                                    + " signatures, not a signed RRset: they are returned unvalidated",
                            u.ttl()),
                    response.getRcode(),
                    u.records(),
                    u.chain());
        }
        if (c instanceof Classification.Yxdomain) {
            Unvalidated u = Unvalidated.of(response, qname, qtype, config.limits().maxCnameHops());
            return state.answer(
                    qname,
                    qtype,
                    Judgement.indeterminate(
                            Verdict.Cause.NOT_VALIDATABLE,
                            "a DNAME substitution"
                                    + " makes the name too long (YXDOMAIN, RFC 6672 §2.2)",
                            u.ttl()),
                    response.getRcode(),
                    u.records(),
                    u.chain());
        }
        if (c instanceof Classification.ErrorRcode e) {
            return state.answer(
                    qname,
                    qtype,
                    Judgement.indeterminate(
                            Verdict.Cause.UNAVAILABLE,
                            "upstream answered " + Rcode.string(e.rcode())),
                    e.rcode(),
                    List.of(),
                    List.of());
        }
        if (c instanceof Classification.BrokenChain b) {
            return state.answer(
                    qname,
                    qtype,
                    Judgement.bogus(b.reason(), b.detail(), b.limit()),
                    response.getRcode(),
                    List.of(),
                    b.chain());
        }
        return validator.validate(qname, qtype, response, (Classification.Answered) c);
    }
}
