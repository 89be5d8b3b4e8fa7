package dev.daneel.validator.internal;

import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;

/**
 * Where the validator's responses come from: the upstream resolvers, or a recorded chain replayed
 * offline. The validator trusts nothing a source returns.
 */
public interface Source {

    /** The response to {@code name}/{@code type}/IN asked with DO=1 and CD=1, or a failed future. */
    CompletableFuture<Message> query(Name name, int type);
}
