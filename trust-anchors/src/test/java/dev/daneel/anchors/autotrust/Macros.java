package dev.daneel.anchors.autotrust;

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
 * The replay macros the autotrust scenarios use ({@code testcode/replay.c}, {@code macro_process}):
 * {@code ${time}}, {@code ${timeout}}, {@code ${range lo x hi}} (x, after checking lo ≤ x ≤ hi),
 * {@code ${ctime x}}, {@code $var}, nested {@code ${...}} and integer arithmetic.
 */
final class Macros {

    private final Map<String, String> vars = new HashMap<>();
    private final LongSupplier now;
    private final LongSupplier timeout;
    private final List<String> problems = new ArrayList<>();

    Macros(LongSupplier now, LongSupplier timeout) {
        this.now = now;
        this.timeout = timeout;
    }

    void assign(String name, String value) {
        vars.put(name, value);
    }

    /** Failed {@code range} checks since the last call. */
    List<String> drainProblems() {
        List<String> out = new ArrayList<>(problems);
        problems.clear();
        return out;
    }

    /** {@code text} with every {@code ${...}} expanded. */
    String expand(String text) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            int open = text.indexOf("${", i);
            if (open < 0) {
                out.append(text, i, text.length());
                break;
            }
            out.append(text, i, open);
            int close = matching(text, open + 2);
            out.append(evaluate(text.substring(open + 2, close)));
            i = close + 1;
        }
        return out.toString();
    }

    private String evaluate(String inner) {
        String body = inner.strip();
        if (body.equals("time")) {
            return Long.toString(now.getAsLong());
        }
        if (body.equals("timeout")) {
            return Long.toString(timeout.getAsLong());
        }
        if (body.startsWith("ctime ") || body.startsWith("ctime\t")) {
            long t = arithmetic(substitute(expand(body.substring(6))));
            return DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT)
                    .format(Instant.ofEpochSecond(t).atOffset(ZoneOffset.UTC));
        }
        if (body.startsWith("range ") || body.startsWith("range\t")) {
            String[] args = substitute(expand(body.substring(6))).strip().split("\\s+");
            long lo = arithmetic(args[0]);
            long x = arithmetic(args[1]);
            long hi = arithmetic(args[2]);
            if (x < lo || x > hi) {
                problems.add("range check failed: " + x + " not in [" + lo + ", " + hi + "]");
            }
            return Long.toString(x);
        }
        return Long.toString(arithmetic(substitute(expand(body))));
    }

    private String substitute(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '$') {
                int j = i + 1;
                while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
                    j++;
                }
                String name = s.substring(i + 1, j);
                String v = vars.get(name);
                if (v == null) {
                    throw new IllegalArgumentException("undefined macro variable $" + name);
                }
                out.append(v);
                i = j - 1;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static int matching(String s, int from) {
        int depth = 1;
        for (int i = from; i < s.length(); i++) {
            if (s.startsWith("${", i)) {
                depth++;
                i++;
            } else if (s.charAt(i) == '}') {
                if (--depth == 0) {
                    return i;
                }
            }
        }
        throw new IllegalArgumentException("unclosed ${ in: " + s);
    }

    /** Integer arithmetic with + - * / and parentheses. */
    static long arithmetic(String expr) {
        return new Arith(expr.replaceAll("\\s+", "")).parse();
    }

    private static final class Arith {
        private final String s;
        private int p;

        Arith(String s) {
            this.s = s;
        }

        long parse() {
            long v = sum();
            if (p != s.length()) {
                throw new IllegalArgumentException("cannot evaluate '" + s + "'");
            }
            return v;
        }

        private long sum() {
            long v = product();
            while (p < s.length() && (s.charAt(p) == '+' || s.charAt(p) == '-')) {
                char op = s.charAt(p++);
                long r = product();
                v = op == '+' ? v + r : v - r;
            }
            return v;
        }

        private long product() {
            long v = atom();
            while (p < s.length() && (s.charAt(p) == '*' || s.charAt(p) == '/')) {
                char op = s.charAt(p++);
                long r = atom();
                v = op == '*' ? v * r : v / r;
            }
            return v;
        }

        private long atom() {
            if (p < s.length() && s.charAt(p) == '(') {
                p++;
                long v = sum();
                p++;
                return v;
            }
            int start = p;
            if (p < s.length() && s.charAt(p) == '-') {
                p++;
            }
            while (p < s.length() && Character.isDigit(s.charAt(p))) {
                p++;
            }
            if (start == p) {
                throw new IllegalArgumentException("expected a number at " + p + " in '" + s + "'");
            }
            return Long.parseLong(s.substring(start, p));
        }
    }
}
