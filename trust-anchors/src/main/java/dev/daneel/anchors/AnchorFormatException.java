package dev.daneel.anchors;

/**
 * An anchor file or state file that cannot be used, with where and why: the message reads {@code
 * source:line: what was expected, what was seen}.
 *
 * <pre>{@code
 * try {
 *     TrustAnchors.fromFile(Path.of("root.key"));
 * } catch (AnchorFormatException e) {
 *     // root.key:3: expected a DS or DNSKEY record, saw type NS
 *     System.err.println(e.getMessage());
 * }
 * }</pre>
 *
 * <p>An {@link IllegalArgumentException}: the input is wrong, not the environment.
 */
public final class AnchorFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** Where the problem is (a file path, or a name given for text read from elsewhere). */
    private final String source;

    /** The 1-based line, or 0 when the problem concerns the whole input. */
    private final int line;

    /** A problem at {@code line} (1-based; 0 for the whole input) of {@code source}. */
    public AnchorFormatException(String source, int line, String problem) {
        super(format(source, line, problem));
        this.source = source;
        this.line = line;
    }

    /** The same, with the exception that revealed it. */
    public AnchorFormatException(String source, int line, String problem, Throwable cause) {
        super(format(source, line, problem), cause);
        this.source = source;
        this.line = line;
    }

    /** The file or input name. */
    public String source() {
        return source;
    }

    /** The 1-based line number, 0 when the problem concerns the whole input. */
    public int line() {
        return line;
    }

    private static String format(String source, int line, String problem) {
        return line > 0 ? source + ":" + line + ": " + problem : source + ": " + problem;
    }
}
