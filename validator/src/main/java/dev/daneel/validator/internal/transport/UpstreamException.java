package dev.daneel.validator.internal.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * No configured upstream gave a usable answer. The message names every upstream tried and what it
 * did, in the order they were tried, for example {@code "no upstream answered www.example.test./A:
 * 127.0.0.1:5353: timeout after 500 ms; 127.0.0.1:5354: REFUSED"}; {@link #attempts()} holds the
 * same as data.
 */
public class UpstreamException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * What one upstream did with one query.
     *
     * @param upstream the server asked
     * @param outcome what happened, in words ("timeout after 500 ms", "REFUSED", "I/O error: ...")
     */
    public record Attempt(InetSocketAddress upstream, String outcome) {
        public Attempt {
            Objects.requireNonNull(upstream, "upstream");
            Objects.requireNonNull(outcome, "outcome");
        }

        @Override
        public String toString() {
            return UpstreamClient.format(upstream) + ": " + outcome;
        }
    }

    /** Not serialised: the attempts are already in the message. */
    private final transient List<Attempt> attempts;

    UpstreamException(String what, List<Attempt> attempts) {
        super(
                what
                        + (attempts.isEmpty()
                                ? ""
                                : ": "
                                        + attempts.stream()
                                                .map(Attempt::toString)
                                                .collect(Collectors.joining("; "))));
        this.attempts = List.copyOf(attempts);
    }

    /**
     * Every upstream tried, in order, with what it did; empty when none was tried (client closed).
     */
    public List<Attempt> attempts() {
        return attempts == null ? List.of() : attempts;
    }
}
