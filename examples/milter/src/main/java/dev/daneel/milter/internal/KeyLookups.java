package dev.daneel.milter.internal;

import dev.daneel.openpgpkey.FetchResult;
import dev.daneel.openpgpkey.OpenPgpKeyFetcher;
import dev.daneel.openpgpkey.PublishedKey;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.bouncycastle.openpgp.PGPPublicKey;

/**
 * Looks up every recipient's OPENPGPKEY in parallel (on a bounded pool) within one deadline and
 * sorts each result into: keys to encrypt to, proven to have no usable key, or failed. Only Secure
 * answers give keys, and only keys whose user ID matches the address (the fetcher rejects the
 * others, RFC 7929 §5.3). Repeated lookups are answered from the validator's cache until the
 * records' TTLs end.
 *
 * <p>Thread-safe.
 */
public final class KeyLookups {

    /** The outcome for one recipient. */
    public sealed interface Outcome {
        /**
         * Secure keys to encrypt to, with their IDs for the log.
         *
         * @param keys the encryption (sub)keys actually encrypted to
         * @param keyIds per key, {@code PRIMARY/SUBKEY}: the primary key ID and the ID of the
         *     (sub)key encrypted to
         * @param wkd whether the keys came from a Web Key Directory (authenticated by PKIX, not
         *     DNSSEC)
         */
        record Keys(List<PGPPublicKey> keys, List<String> keyIds, boolean wkd) implements Outcome {}

        /**
         * Provably no usable key: no record, an Insecure zone, or only unusable keys.
         *
         * @param fromDns whether the DNS said there is none (no record, Insecure zone): a Web Key
         *     Directory may be asked
         */
        record Missing(String why, boolean fromDns) implements Outcome {
            public Missing(String why) {
                this(why, false);
            }
        }

        /** Bogus, unreachable, timed out or broken: the message must be retried later. */
        record Failed(String why) implements Outcome {}
    }

    private final OpenPgpKeyFetcher fetcher;
    private final ExecutorService pool;
    private final Duration timeout;
    private final java.util.Optional<WkdClient> wkd;

    public KeyLookups(OpenPgpKeyFetcher fetcher, ExecutorService pool, Duration timeout) {
        this(fetcher, pool, timeout, java.util.Optional.empty());
    }

    /**
     * @param wkd asked when the DNS proves there is no key, or the zone is Insecure
     */
    public KeyLookups(
            OpenPgpKeyFetcher fetcher,
            ExecutorService pool,
            Duration timeout,
            java.util.Optional<WkdClient> wkd) {
        this.fetcher = fetcher;
        this.pool = pool;
        this.timeout = timeout;
        this.wkd = wkd;
    }

    /** Outcomes by address, in the order given (duplicates looked up once). */
    public Map<String, Outcome> lookUp(List<String> addresses) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, CompletableFuture<Outcome>> running = new LinkedHashMap<>();
        for (String a : addresses) {
            running.computeIfAbsent(
                    a,
                    x ->
                            CompletableFuture.supplyAsync(
                                    () -> withWkd(x, classify(x), deadline), pool));
        }
        Map<String, Outcome> out = new LinkedHashMap<>();
        for (Map.Entry<String, CompletableFuture<Outcome>> e : running.entrySet()) {
            Outcome o;
            try {
                o =
                        e.getValue()
                                .get(
                                        Math.max(0, deadline - System.nanoTime()),
                                        TimeUnit.NANOSECONDS);
            } catch (TimeoutException ex) {
                e.getValue().cancel(false);
                o = new Outcome.Failed("lookup timed out after " + timeout.toSeconds() + " s");
            } catch (ExecutionException ex) {
                o = new Outcome.Failed("lookup failed: " + ex.getCause());
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                o = new Outcome.Failed("interrupted");
            }
            out.put(e.getKey(), o);
        }
        return out;
    }

    /**
     * A Web Key Directory only where the DNS proved no key (or has no DNSSEC): a failed lookup
     * stays failed.
     */
    private Outcome withWkd(String address, Outcome dns, long deadline) {
        if (wkd.isEmpty() || !(dns instanceof Outcome.Missing m) || !m.fromDns()) {
            return dns;
        }
        WkdClient.Result r = wkd.get().lookUp(address, deadline);
        if (r instanceof WkdClient.Result.Found f) {
            return new Outcome.Keys(
                    f.keys().stream().map(k -> k.encryptionKey().orElseThrow()).toList(),
                    f.keys().stream()
                            .map(
                                    k ->
                                            k.keyId()
                                                    + "/"
                                                    + String.format(
                                                            java.util.Locale.ROOT,
                                                            "%016X",
                                                            k.encryptionKey()
                                                                    .orElseThrow()
                                                                    .getKeyID()))
                            .toList(),
                    true);
        } else if (r instanceof WkdClient.Result.Failed f) {
            return new Outcome.Failed(f.why());
        }
        return new Outcome.Missing(m.why() + "; " + ((WkdClient.Result.NotFound) r).why(), false);
    }

    private Outcome classify(String address) {
        if (address.indexOf('@') <= 0 || address.endsWith("@")) {
            return new Outcome.Missing("not an address with a domain");
        }
        FetchResult r;
        try {
            r = fetcher.fetch(address);
        } catch (IllegalArgumentException e) {
            return new Outcome.Missing("no OPENPGPKEY owner name: " + e.getMessage());
        }
        if (r instanceof FetchResult.Secure s) {
            List<PublishedKey> usable = s.encryptionKeys();
            if (usable.isEmpty()) {
                return new Outcome.Missing(
                        s.keys().isEmpty()
                                ? "published key rejected ("
                                        + s.rejected().size()
                                        + ": user ID mismatch or unparseable)"
                                : "published key unusable " + s.keys().get(0).issues());
            }
            return new Outcome.Keys(
                    usable.stream().map(k -> k.encryptionKey().orElseThrow()).toList(),
                    usable.stream()
                            .map(
                                    k ->
                                            k.keyId()
                                                    + "/"
                                                    + String.format(
                                                            java.util.Locale.ROOT,
                                                            "%016X",
                                                            k.encryptionKey()
                                                                    .orElseThrow()
                                                                    .getKeyID()))
                            .toList(),
                    false);
        } else if (r instanceof FetchResult.NoKey) {
            return new Outcome.Missing("no OPENPGPKEY record", true);
        } else if (r instanceof FetchResult.Insecure i) {
            return new Outcome.Missing(
                    "zone not signed (insecure below "
                            + i.verdict().delegation().map(Object::toString).orElse("?")
                            + ")",
                    true);
        } else if (r instanceof FetchResult.Bogus b) {
            return new Outcome.Failed(
                    "bogus DNSSEC (" + b.verdict().reason() + ": " + b.verdict().detail() + ")");
        } else {
            FetchResult.Unavailable u = (FetchResult.Unavailable) r;
            return new Outcome.Failed("DNS unavailable (" + u.verdict().detail() + ")");
        }
    }
}
