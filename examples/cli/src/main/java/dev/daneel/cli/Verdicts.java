package dev.daneel.cli;

import dev.daneel.validator.Verdict;

/**
 * How the record commands turn a validator verdict into words and an {@link ExitCode}, the same way
 * for every record type.
 *
 * <pre>{@code
 * Verdicts.describe(insecure)   // "insecure (unsigned delegation at unsigned.test.)"
 * }</pre>
 *
 * <p>Stateless.
 */
final class Verdicts {
    private Verdicts() {}

    static String describe(Verdict verdict) {
        return QueryCommand.statusLine(verdict);
    }

    static ExitCode exitCode(Verdict verdict) {
        return switch (verdict.status()) {
            case SECURE -> ExitCode.SUCCESS;
            case INSECURE -> ExitCode.INSECURE;
            case BOGUS -> ExitCode.BOGUS_OR_MISMATCH;
            case INDETERMINATE -> ExitCode.ERROR;
        };
    }

    /** Absolute form of a host name for lookups: a final dot added when missing. */
    static String absolute(String host) {
        return host.endsWith(".") ? host : host + ".";
    }
}
