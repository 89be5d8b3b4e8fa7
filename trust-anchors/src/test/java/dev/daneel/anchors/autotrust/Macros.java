package dev.daneel.anchors.autotrust;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The replay macros ({@code testcode/replay.c}, {@code macro_process}), used by {@code TIME_PASSES
 * EVAL}, {@code ASSIGN} and the {@code CHECK_AUTOTRUST} file contents: text outside {@code ${…}} is
 * kept; inside, {@code ${…}} nests, {@code $name} is a variable set by {@code ASSIGN} (an unknown
 * one is an error), {@code time} and {@code timeout} are the clock and the next timer, {@code ctime
 * x} and {@code range lo x hi} are functions, and arithmetic with {@code + - * /} is done on
 * numbers left to right, without precedence ({@code ${2+3*4}} is 20), results printed as C's {@code
 * %.12g}. Words that are not numbers stay ({@code ${123 glug 3 + 5}} is {@code 123 glug 8}). Not
 * thread-safe.
 *
 * <pre>
 * Macros m = new Macros(() -&gt; 1000, () -&gt; 0);
 * m.assign("t0", "3600");
 * m.expand("${$t0 * 2 + 1}");   // "7201"
 * </pre>
 */
final class Macros {

    private final Map<String, String> vars = new HashMap<>();
    private final LongSupplier now;
    private final LongSupplier timeout;
    private final List<String> problems = new ArrayList<>();

    /**
     * @param now seconds since the epoch of the scenario clock; @param timeout seconds to the next
     *     timer
     */
    Macros(LongSupplier now, LongSupplier timeout) {
        this.now = now;
        this.timeout = timeout;
    }

    void assign(String name, String value) {
        vars.put(name, value);
    }

    /**
     * Failed {@code range} checks since the last call (testbound stops at the first; the harness
     * lists them).
     */
    List<String> drainProblems() {
        List<String> out = new ArrayList<>(problems);
        problems.clear();
        return out;
    }

    /** {@code text} with every {@code ${…}} expanded. */
    String expand(String text) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (true) {
            int open = text.indexOf("${", i);
            if (open < 0) {
                out.append(text, i, text.length());
                return out.toString();
            }
            out.append(text, i, open);
            int close = close(text, open + 2);
            out.append(macro(text.substring(open + 2, close)));
            i = Math.min(close + 1, text.length());
        }
    }

    /**
     * The index of the {@code }} that closes a macro whose body starts at {@code from} (or the
     * end).
     */
    private static int close(String s, int from) {
        int depth = 0;
        for (int i = from; i < s.length(); i++) {
            if (s.startsWith("${", i)) {
                depth++;
                i++;
            } else if (s.charAt(i) == '}') {
                if (depth == 0) {
                    return i;
                }
                depth--;
            }
        }
        return s.length();
    }

    private String macro(String body) {
        if (body.equals("time")) {
            return Long.toString(now.getAsLong());
        }
        if (body.equals("timeout")) {
            return Long.toString(timeout.getAsLong());
        }
        boolean ctime = body.startsWith("ctime ") || body.startsWith("ctime\t");
        boolean range = body.startsWith("range ") || body.startsWith("range\t");
        String inner = arithmetic(variables(expand(ctime || range ? body.substring(6) : body)));
        if (ctime) {
            long t = (long) Double.parseDouble(inner.strip());
            return DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT)
                    .format(Instant.ofEpochSecond(t).atOffset(ZoneOffset.UTC));
        }
        if (range) {
            String[] w = inner.strip().split("\\s+");
            if (w.length < 3) {
                throw new IllegalArgumentException(
                        "range needs three numbers, got '" + inner + "'");
            }
            double lo = Double.parseDouble(w[0]);
            double x = Double.parseDouble(w[1]);
            double hi = Double.parseDouble(w[2]);
            if (x < lo || x > hi) {
                problems.add(
                        "range check failed: " + w[1] + " not in [" + w[0] + ", " + w[2] + "]");
            }
            return format(x, 24);
        }
        return inner;
    }

    private String variables(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '$') {
                out.append(c);
                continue;
            }
            int j = i + 1;
            while (j < s.length()
                    && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
                j++;
            }
            String v = vars.get(s.substring(i + 1, j));
            if (v == null) {
                throw new IllegalArgumentException(
                        "variable is not defined: $" + s.substring(i + 1, j));
            }
            out.append(v);
            i = j - 1;
        }
        return out.toString();
    }

    /** Folds every {@code number op number} left to right; everything else is kept as it is. */
    static String arithmetic(String s) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            if (!Character.isDigit(s.charAt(i)) || i > 0 && isWordChar(s.charAt(i - 1))) {
                out.append(s.charAt(i++));
                continue;
            }
            int end = number(s, i);
            double acc = Double.parseDouble(s.substring(i, end));
            int next = end;
            while (true) {
                int op = skip(s, next);
                if (op >= s.length() || "+-*/".indexOf(s.charAt(op)) < 0) {
                    break;
                }
                int y = skip(s, op + 1);
                if (y >= s.length() || !Character.isDigit(s.charAt(y))) {
                    break;
                }
                int yEnd = number(s, y);
                double v = Double.parseDouble(s.substring(y, yEnd));
                acc =
                        switch (s.charAt(op)) {
                            case '+' -> acc + v;
                            case '-' -> acc - v;
                            case '*' -> acc * v;
                            default -> acc / v;
                        };
                next = yEnd;
            }
            out.append(next == end ? s.substring(i, end) : format(acc, 12));
            i = next;
        }
        return out.toString();
    }

    private static boolean isWordChar(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private static int number(String s, int i) {
        while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
            i++;
        }
        return i;
    }

    private static int skip(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /**
     * C's {@code %.Ng} for the values scenarios use: integers plainly, others without trailing
     * zeros.
     */
    static String format(double v, int digits) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return new BigDecimal(v)
                .round(new MathContext(digits))
                .stripTrailingZeros()
                .toPlainString();
    }
}
