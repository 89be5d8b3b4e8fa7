package dev.daneel.ipseckey;

import dev.daneel.validator.Answer;
import dev.daneel.validator.ValidatingResolver;
import dev.daneel.validator.Verdict;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.IPSECKEYRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Fetches IPSECKEY RRsets through a {@link ValidatingResolver} and checks them against local keys.
 *
 * <pre>{@code
 * IpseckeyLookup lookup = new IpseckeyLookup(resolver);
 * IpseckeyResult fetched = lookup.fetch("gw.example.test.");          // Found[records=[gw.example.test. IN IPSECKEY 10 1 3 …]]
 * IpseckeyResult checked = lookup.verify("gw.example.test.", localKey); // Match[…] or Mismatch[…]
 * }</pre>
 *
 * <p>Thread-safe; it holds only the resolver, which the caller closes.
 */
public final class IpseckeyLookup {

    private final ValidatingResolver resolver;

    /** A lookup that resolves with {@code resolver}. */
    public IpseckeyLookup(ValidatingResolver resolver) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /** The validated IPSECKEY RRset of {@code owner}. */
    public CompletionStage<IpseckeyResult> fetchAsync(String owner) {
        return resolver.lookup(owner, Type.IPSECKEY).thenApply(a -> judge(owner, a, null));
    }

    /** Blocking {@link #fetchAsync}: Found, NoRecords, Insecure, Bogus or Indeterminate. */
    public IpseckeyResult fetch(String owner) {
        return fetchAsync(owner).toCompletableFuture().join();
    }

    /** Whether a Secure IPSECKEY record of {@code owner} publishes {@code local}. */
    public CompletionStage<IpseckeyResult> verifyAsync(String owner, PublicKey local) {
        Objects.requireNonNull(local, "local");
        return resolver.lookup(owner, Type.IPSECKEY).thenApply(a -> judge(owner, a, local));
    }

    /**
     * Blocking {@link #verifyAsync}: Match, Mismatch, NoRecords, Insecure, Bogus or Indeterminate.
     */
    public IpseckeyResult verify(String owner, PublicKey local) {
        return verifyAsync(owner, local).toCompletableFuture().join();
    }

    static IpseckeyResult judge(String owner, Answer answer, PublicKey local) {
        Verdict s = answer.verdict();
        if (s instanceof Verdict.Bogus) {
            return new IpseckeyResult.Bogus(owner, (Verdict.Bogus) s);
        }
        if (s instanceof Verdict.Indeterminate) {
            return new IpseckeyResult.Indeterminate(owner, (Verdict.Indeterminate) s);
        }
        if (s instanceof Verdict.Insecure) {
            return new IpseckeyResult.Insecure(owner, (Verdict.Insecure) s);
        }
        List<IpseckeyRecord> records = new ArrayList<>();
        for (Record r : answer.records()) {
            if (r instanceof IPSECKEYRecord) {
                records.add(
                        IpseckeyRecord.fromWire(r.getName().toString(), r.rdataToWireCanonical()));
            }
        }
        if (records.isEmpty()) {
            return new IpseckeyResult.NoRecords(owner);
        }
        records.sort(Comparator.comparingInt(IpseckeyRecord::precedence));
        if (local == null) {
            return new IpseckeyResult.Found(owner, records);
        }
        for (IpseckeyRecord r : records) {
            if (r.matches(local)) {
                return new IpseckeyResult.Match(owner, r);
            }
        }
        return new IpseckeyResult.Mismatch(owner, records);
    }
}
