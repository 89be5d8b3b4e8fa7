package dev.daneel.validator.internal.transport;

import dev.daneel.validator.internal.Fetcher;
import dev.daneel.validator.internal.iterator.IterativeResolver;
import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The stub first, recursion from the root when the stub cannot serve a question: every upstream was
 * unreachable, answered an error, or was found unable to carry DNSSEC; or the stub's answer failed
 * validation and no other upstream is left ({@link #retryElsewhere}).
 *
 * <pre>{@code
 * Fetcher f = new ModeFetcher(upstreamClient, iterativeResolver);
 * }</pre>
 *
 * <p>Thread-safe; holds no lock across I/O.
 */
public final class ModeFetcher implements Fetcher {

    /** How long a question whose stub answer failed validation goes straight to recursion. */
    static final long RECURSE_HOLD_NANOS = UpstreamClient.DOWN_HOLD.toNanos();

    private final UpstreamClient stub;
    private final IterativeResolver recursion;

    /** Questions (name/type) sent to recursion first, until the System.nanoTime() given. */
    private final ConcurrentHashMap<String, Long> recurseFirst = new ConcurrentHashMap<>();

    public ModeFetcher(UpstreamClient stub, IterativeResolver recursion) {
        this.stub = Objects.requireNonNull(stub, "stub");
        this.recursion = Objects.requireNonNull(recursion, "recursion");
    }

    @Override
    public CompletableFuture<Message> query(Name name, int type) {
        String key = key(name, type);
        Long until = recurseFirst.get(key);
        if (until != null) {
            if (until - System.nanoTime() > 0) {
                return recursion.query(name, type);
            }
            recurseFirst.remove(key, until);
        }
        return stub.query(name, type)
                .handle(
                        (m, e) -> {
                            if (e == null && m.getRcode() != Rcode.SERVFAIL) {
                                return CompletableFuture.completedFuture(m);
                            }
                            Throwable cause =
                                    e instanceof CompletionException && e.getCause() != null
                                            ? e.getCause()
                                            : e;
                            if (cause != null && !(cause instanceof UpstreamException)) {
                                return CompletableFuture.<Message>failedFuture(cause);
                            }
                            // Every upstream failed or strips DNSSEC (or all said SERVFAIL): find
                            // the data ourselves.
                            return recursion.query(name, type);
                        })
                .thenCompose(f -> f);
    }

    @Override
    public boolean retryElsewhere(Collection<Message> responses) {
        if (stub.retryElsewhere(responses)) {
            return true;
        }
        boolean fromStub = false;
        for (Message m : responses) {
            if (stub.gave(m)) {
                fromStub = true;
                Record q = m.getQuestion();
                if (q != null) {
                    recurseFirst.put(
                            key(q.getName(), q.getType()), System.nanoTime() + RECURSE_HOLD_NANOS);
                }
            }
        }
        return fromStub;
    }

    private static String key(Name name, int type) {
        return name.toString().toLowerCase(java.util.Locale.ROOT) + "/" + Type.string(type);
    }
}
