package dev.daneel.cli;

/**
 * The {@code daneel} command's exit codes. They are part of the command's stable interface: scripts
 * branch on them.
 *
 * <pre>{@code
 * System.exit(ExitCode.BOGUS_OR_MISMATCH.code());
 * }</pre>
 */
public enum ExitCode {
    /** Secure answer, match, or record created. */
    SUCCESS(0),
    /** Usage, I/O, unreachable upstream or indeterminate answer. */
    ERROR(1),
    /** A bogus answer or a record that does not match. */
    BOGUS_OR_MISMATCH(2),
    /** No DNSSEC protection where it was required. */
    INSECURE(3),
    /** A secure proof that nothing exists (NXDOMAIN or NODATA). */
    PROVEN_ABSENT(4);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    /** The process exit status. */
    public int code() {
        return code;
    }
}
