package dev.daneel.validator.internal;

import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;

/**
 * Where the validator's responses come from: the upstream resolvers, a recursive iterator, an
 * encrypted transport, or a recorded chain replayed offline. The validator trusts nothing a fetcher
 * returns; it only needs the response a recursive resolver would give with DO=1 and CD=1.
 *
 * <pre>{@code
 * Fetcher upstream = client::query;
 * Fetcher replay = (name, type) -> CompletableFuture.completedFuture(recorded.get(name, type));
 * }</pre>
 *
 * <p>Implementations must be thread-safe and must complete every future they return, exceptionally
 * when nothing came back; throwing from {@code query} is tolerated (the engine turns it into a
 * failed fetch).
 */
@FunctionalInterface
public interface Fetcher {

    /**
     * The response to {@code name}/{@code type}/IN asked with DO=1 and CD=1, or a failed future.
     */
    CompletableFuture<Message> query(Name name, int type);

    /**
     * The responses of a lookup failed validation. A fetcher with more than one path (several
     * upstreams, or recursion behind them) sets aside the path that gave them and returns true: the
     * engine then validates the question once more, from fresh responses (libunbound re-asks the
     * next server once in the same way). The default has one path and returns false. Called at most
     * once per lookup.
     *
     * @param responses the responses the failed validation rested on, as this fetcher returned them
     */
    default boolean retryElsewhere(java.util.Collection<Message> responses) {
        return false;
    }

    /**
     * Marks the exception a fetcher fails a query with when every path it had was one that cannot
     * carry DNSSEC (RRSIGs stripped, DO cleared): the answer is then Indeterminate with {@code
     * UPSTREAM_NO_DNSSEC}, never Bogus, since nothing a DNSSEC-capable path delivered failed.
     */
    interface NoDnssecPath {}
}
