package dev.daneel.dane;

import dev.daneel.validator.Answer;
import dev.daneel.validator.Status;
import dev.daneel.validator.ValidatingResolver;
import dev.daneel.validator.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.Type;

/**
 * Looks up the TLSA records of a service through Daneel's validating resolver.
 *
 * <ul>
 *   <li>The owner is {@code _port._protocol.base} (RFC 6698 §3).
 *   <li>RFC 7671 §7: when the host's address lookup follows a Secure CNAME chain, the chain's
 *       target is tried as TLSA base domain first and the host itself second; an Insecure chain
 *       leaves the host as the only base domain. The TLSA owner may itself be an alias; its chain
 *       must then be Secure too.
 *   <li>Only a Secure, non-empty TLSA RRset is used. Insecure, a Secure denial, or a name no anchor
 *       covers mean no DANE; Bogus, or a failed lookup, mean failure, never a fallback.
 *   <li>SRV (RFC 7673): {@link #lookupSrv} follows a Secure SRV RRset to each target's TLSA
 *       records.
 * </ul>
 *
 * <pre>{@code
 * TlsaLookup lookup = new TlsaLookup(resolver);
 * TlsaAnswer a = lookup.resolve("www.example.com", 443, "tcp");
 * }</pre>
 *
 * <p>Thread-safe; holds no lock across network I/O.
 */
public final class TlsaLookup {

    private final ValidatingResolver resolver;

    /** A lookup through {@code resolver}. */
    public TlsaLookup(ValidatingResolver resolver) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /** Blocking {@link #lookup}. */
    public TlsaAnswer resolve(String host, int port, String protocol) {
        return lookup(host, port, protocol).toCompletableFuture().join();
    }

    /**
     * Looks up the TLSA records for {@code host} at {@code port} over {@code protocol} ("tcp",
     * "udp", …).
     */
    public CompletionStage<TlsaAnswer> lookup(String host, int port, String protocol) {
        String original = absolute(host);
        TlsaRecords.owner(original, port, protocol);
        return resolver.lookup(original, Type.A)
                .thenCompose(
                        address -> {
                            Set<String> bases = new LinkedHashSet<>();
                            if (address.status() == Status.SECURE && !address.chain().isEmpty()) {
                                bases.add(target(address).toString());
                            }
                            bases.add(original);
                            return tryBases(
                                    new ArrayList<>(bases), 0, original, port, protocol, null);
                        });
    }

    /**
     * Looks up the TLSA records directly at one base domain, without CNAME expansion of the host.
     */
    public CompletionStage<TlsaAnswer> lookupAt(String baseDomain, int port, String protocol) {
        String base = absolute(baseDomain);
        return tryBases(List.of(base), 0, base, port, protocol, null);
    }

    /** Blocking {@link #lookupSrv}. */
    public SrvAnswer resolveSrv(String service, String protocol, String domain) {
        return lookupSrv(service, protocol, domain).toCompletableFuture().join();
    }

    /**
     * RFC 7673: looks up {@code _service._protocol.domain} SRV and, when that RRset is Secure, the
     * TLSA records of every target at its port; the names a DANE-TA leaf may carry are the target
     * host (and its CNAME target) and the service domain (RFC 7673 §4.2). An SRV RRset that is not
     * Secure gives every target {@link TlsaAnswer.NoDane} (§4.1).
     */
    public CompletionStage<SrvAnswer> lookupSrv(String service, String protocol, String domain) {
        String owner = "_" + service + "._" + protocol + "." + absolute(domain);
        return resolver.lookup(owner, Type.SRV)
                .thenCompose(
                        srv -> {
                            List<SRVRecord> records = new ArrayList<>();
                            for (Record r : srv.records()) {
                                if (r instanceof SRVRecord s && !s.getTarget().equals(Name.root)) {
                                    records.add(s);
                                }
                            }
                            records.sort(
                                    java.util.Comparator.comparingInt(SRVRecord::getPriority)
                                            .thenComparing(
                                                    java.util.Comparator.comparingInt(
                                                                    SRVRecord::getWeight)
                                                            .reversed()));
                            if (srv.status() == Status.BOGUS
                                    || srv.status() == Status.INDETERMINATE && records.isEmpty()) {
                                return CompletableFuture.completedFuture(
                                        new SrvAnswer(owner, srv.verdict(), List.of()));
                            }
                            List<CompletableFuture<SrvTarget>> targets = new ArrayList<>();
                            for (SRVRecord s : records) {
                                String host = s.getTarget().toString();
                                CompletionStage<TlsaAnswer> tlsa =
                                        srv.status() == Status.SECURE
                                                ? lookup(host, s.getPort(), protocol)
                                                        .thenApply(
                                                                a ->
                                                                        withName(
                                                                                a,
                                                                                strip(
                                                                                        absolute(
                                                                                                domain))))
                                                : CompletableFuture.completedFuture(
                                                        new TlsaAnswer.NoDane(
                                                                TlsaRecords.owner(
                                                                        host,
                                                                        s.getPort(),
                                                                        protocol),
                                                                srv.verdict(),
                                                                "the SRV RRset "
                                                                        + owner
                                                                        + " is not Secure (RFC 7673 §4.1)"));
                                targets.add(
                                        tlsa.thenApply(
                                                        a ->
                                                                new SrvTarget(
                                                                        strip(host),
                                                                        s.getPort(),
                                                                        s.getPriority(),
                                                                        s.getWeight(),
                                                                        a))
                                                .toCompletableFuture());
                            }
                            return CompletableFuture.allOf(
                                            targets.toArray(new CompletableFuture<?>[0]))
                                    .thenApply(
                                            v -> {
                                                List<SrvTarget> out = new ArrayList<>();
                                                targets.forEach(t -> out.add(t.join()));
                                                return new SrvAnswer(owner, srv.verdict(), out);
                                            });
                        });
    }

    private static TlsaAnswer withName(TlsaAnswer a, String serviceDomain) {
        if (a instanceof TlsaAnswer.Dane d && !d.referenceNames().contains(serviceDomain)) {
            List<String> names = new ArrayList<>(d.referenceNames());
            names.add(serviceDomain);
            return new TlsaAnswer.Dane(d.owner(), d.baseDomain(), names, d.records(), d.answer());
        }
        return a;
    }

    private CompletionStage<TlsaAnswer> tryBases(
            List<String> bases,
            int i,
            String original,
            int port,
            String protocol,
            TlsaAnswer previous) {
        if (i >= bases.size()) {
            return CompletableFuture.completedFuture(previous);
        }
        String base = bases.get(i);
        String owner = TlsaRecords.owner(base, port, protocol);
        return resolver.lookup(owner, Type.TLSA)
                .thenCompose(
                        answer -> {
                            TlsaAnswer result = classify(answer, owner, base, original);
                            if (result instanceof TlsaAnswer.NoDane) {
                                return tryBases(bases, i + 1, original, port, protocol, result);
                            }
                            return CompletableFuture.completedFuture(result);
                        });
    }

    private static TlsaAnswer classify(Answer answer, String owner, String base, String original) {
        Verdict verdict = answer.verdict();
        switch (answer.status()) {
            case SECURE:
                {
                    List<TlsaRecord> records = new ArrayList<>();
                    for (Record r : answer.records()) {
                        if (r instanceof TLSARecord t) {
                            records.add(TlsaRecord.of(t));
                        }
                    }
                    if (records.isEmpty()) {
                        return new TlsaAnswer.NoDane(
                                owner,
                                verdict,
                                "no TLSA records at " + owner + " (proven by DNSSEC)");
                    }
                    List<String> names = new ArrayList<>(List.of(strip(base)));
                    if (!base.equals(original)) {
                        names.add(strip(original));
                    }
                    return new TlsaAnswer.Dane(owner, strip(base), names, records, answer);
                }
            case INSECURE:
                return new TlsaAnswer.NoDane(
                        owner,
                        verdict,
                        "the TLSA RRset at "
                                + owner
                                + " is not signed (Insecure): DANE does not apply");
            case INDETERMINATE:
                if (verdict instanceof Verdict.Indeterminate ind
                        && ind.cause() == Verdict.Cause.NO_ANCHOR) {
                    return new TlsaAnswer.NoDane(owner, verdict, "no trust anchor covers " + owner);
                }
                return new TlsaAnswer.Failed(
                        owner,
                        verdict,
                        "the TLSA lookup for "
                                + owner
                                + " failed: "
                                + DaneTrustManager.securityText(verdict));
            case BOGUS:
            default:
                return new TlsaAnswer.Failed(
                        owner,
                        verdict,
                        "the TLSA RRset at "
                                + owner
                                + " is Bogus: "
                                + DaneTrustManager.securityText(verdict));
        }
    }

    private static Name target(Answer answer) {
        if (!answer.records().isEmpty()) {
            return answer.records().get(0).getName();
        }
        Record last = answer.chain().get(answer.chain().size() - 1);
        if (last instanceof CNAMERecord c) {
            return c.getTarget();
        }
        if (last instanceof DNAMERecord) {
            // A DNAME is followed by the CNAME it synthesises; the owner of the final records is
            // the target.
            return answer.records().isEmpty() ? answer.name() : answer.records().get(0).getName();
        }
        return answer.name();
    }

    private static String absolute(String host) {
        Objects.requireNonNull(host, "host");
        return host.endsWith(".") ? host : host + ".";
    }

    private static String strip(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }
}
