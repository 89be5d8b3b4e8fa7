package dev.daneel.dane;

import dev.daneel.validator.Verdict;
import java.util.List;
import java.util.Objects;

/**
 * The SRV RRset of a service with a TLSA outcome per target (RFC 7673). A Bogus or failed SRV
 * lookup has no targets and must fail the connection.
 *
 * <pre>{@code
 * SrvAnswer a = lookup.resolveSrv("imaps", "tcp", "example.com");
 * if (a.verdict().status() == Status.BOGUS) { fail(); }
 * }</pre>
 *
 * @param owner the SRV owner name, {@code _service._proto.domain.}
 * @param verdict the SRV RRset's verdict
 * @param targets the targets in priority order
 */
public record SrvAnswer(String owner, Verdict verdict, List<SrvTarget> targets) {
    /** Checks that the owner and the verdict are present; copies the targets. */
    public SrvAnswer {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(verdict, "security");
        targets = List.copyOf(targets);
    }
}
