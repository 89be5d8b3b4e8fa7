package dev.daneel.cli;

/**
 * A problem with what the user asked for (a bad argument, an unreadable file): printed on stderr
 * without a stack trace, exit code {@link ExitCode#ERROR}. The message names the argument and says
 * what to do.
 */
final class UsageError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageError(String message) {
        super(message);
    }
}
