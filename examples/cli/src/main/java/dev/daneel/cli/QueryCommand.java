package dev.daneel.cli;

import dev.daneel.validator.Answer;
import dev.daneel.validator.ValidatingResolver;
import dev.daneel.validator.Verdict;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code daneel query NAME [TYPE]}: a validated lookup, like {@code delv}. Prints a status line
 * ({@code ; secure}, {@code ; insecure (unsigned delegation at ZONE)}, {@code ; bogus (REASON):
 * detail}, {@code ; indeterminate: detail}) and the records, or one JSON object with {@code
 * --json}.
 *
 * <pre>{@code
 * $ daneel --server 127.0.0.1:5353 query www.example.test. A
 * ; secure
 * www.example.test.	300	IN	A	192.0.2.1
 * }</pre>
 *
 * <p>Exit codes: 0 secure answer, 4 secure proof of absence, 3 insecure, 2 bogus, 1 indeterminate.
 */
@Command(
        name = "query",
        mixinStandardHelpOptions = true,
        description = "Validated lookup of NAME/TYPE (TYPE default A), like delv.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:secure answer",
            "1:error or indeterminate",
            "2:bogus",
            "3:insecure",
            "4:secure proof that the name or type does not exist"
        })
final class QueryCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @ParentCommand Daneel parent;

    @Parameters(
            index = "0",
            paramLabel = "NAME",
            description = "The name to look up (made absolute).")
    String name;

    @Parameters(
            index = "1",
            arity = "0..1",
            paramLabel = "TYPE",
            defaultValue = "A",
            description = "Record type (default A).")
    String type;

    @Option(
            names = "--chain",
            description = "Also print the validation evidence (DNSKEY, DS, RRSIG, NSEC...).")
    boolean chain;

    @Option(
            names = "--recursive",
            description =
                    "Recurse from the root hints instead of asking the upstreams (mode RECURSIVE).")
    boolean recursive;

    @Option(
            names = "--root-hints",
            paramLabel = "FILE",
            description =
                    "Root servers for --recursive, in named.root form (default: IANA's, built in).")
    java.nio.file.Path rootHints;

    @Override
    public Integer call() {
        GlobalOptions global = parent.global;
        Name qname = parseName(name, "NAME");
        int qtype = parseType(type);
        try (ValidatingResolver resolver = resolver(global)) {
            Answer answer = resolver.lookup(qname, qtype).toCompletableFuture().join();
            PrintWriter out = spec.commandLine().getOut();
            if (global.json) {
                out.println(Json.write(toJson(answer, chain)));
            } else {
                out.print(toText(answer, chain, global.wrap));
            }
            out.flush();
            PrintWriter err = spec.commandLine().getErr();
            global.debug(resolver, err, qname.toString(), qtype);
            ExitCode exit = exitCode(answer);
            if (exit == ExitCode.INSECURE && global.insecure) {
                GlobalOptions.warnInsecure(
                        err, "the answer for " + qname + " " + Type.string(qtype));
                return ExitCode.SUCCESS.code();
            }
            return exit.code();
        }
    }

    /** The global options' resolver, recursing with {@code --recursive}. */
    private ValidatingResolver resolver(GlobalOptions global) {
        ValidatingResolver.Builder b = global.resolverBuilder();
        if (rootHints != null && !recursive) {
            throw new UsageError("--root-hints only applies with --recursive");
        }
        if (recursive) {
            b.mode(dev.daneel.validator.Mode.RECURSIVE);
        }
        if (rootHints != null) {
            try {
                b.rootHints(rootHints);
            } catch (java.io.UncheckedIOException | IllegalArgumentException e) {
                throw new UsageError("--root-hints: " + e.getMessage());
            }
        }
        return b.build();
    }

    /** The exit code an answer stands for. */
    static ExitCode exitCode(Answer answer) {
        return switch (answer.status()) {
            case SECURE -> answer.nonexistent() ? ExitCode.PROVEN_ABSENT : ExitCode.SUCCESS;
            case INSECURE -> ExitCode.INSECURE;
            case BOGUS -> ExitCode.BOGUS_OR_MISMATCH;
            case INDETERMINATE -> ExitCode.ERROR;
        };
    }

    /** The status line, without the leading {@code "; "}. */
    static String statusLine(Verdict verdict) {
        if (verdict instanceof Verdict.Secure) {
            return "secure";
        } else if (verdict instanceof Verdict.Insecure i) {
            return "insecure ("
                    + i.cause().text()
                    + " at "
                    + i.delegation().map(Object::toString).orElse("?")
                    + ")";
        } else if (verdict instanceof Verdict.Bogus b) {
            return "bogus (" + b.reason() + "): " + b.detail();
        } else if (verdict instanceof Verdict.Indeterminate d) {
            return "indeterminate: " + d.detail();
        }
        throw new IllegalStateException("unknown verdict " + verdict);
    }

    static String toText(Answer answer, boolean withChain) {
        return toText(answer, withChain, false);
    }

    /** The text form; {@code wrap} splits long records over several lines ({@link RecordWrap}). */
    static String toText(Answer answer, boolean withChain, boolean wrap) {
        java.util.function.UnaryOperator<String> form = wrap ? RecordWrap::wrap : line -> line;
        StringBuilder sb = new StringBuilder();
        sb.append("; ").append(statusLine(answer.verdict())).append('\n');
        // Bogus and Indeterminate data is never printed as data: scripts that skip comment lines
        // must not
        // pick it up. It is shown as comments, for diagnosis.
        boolean bogus =
                answer.status() == dev.daneel.validator.Status.BOGUS
                        || answer.status() == dev.daneel.validator.Status.INDETERMINATE;
        List<Record> shown = bogus ? answer.unvalidatedRecords() : answer.records();
        if (shown.isEmpty() && answer.status() != dev.daneel.validator.Status.BOGUS) {
            sb.append("; ")
                    .append(Rcode.string(answer.rcode()))
                    .append(
                            answer.rcode() == Rcode.NOERROR
                                    ? " (no " + Type.string(answer.type()) + " records)"
                                    : "")
                    .append('\n');
        }
        if (bogus && !(answer.chain().isEmpty() && shown.isEmpty())) {
            sb.append(
                    answer.status() == dev.daneel.validator.Status.BOGUS
                            ? ";; records that failed validation (do not use):\n"
                            : ";; records that could not be validated (do not use as DNSSEC data):\n");
        }
        String prefix = bogus ? "; " : "";
        for (Record r : answer.chain()) {
            sb.append(prefix).append(bogus ? r.toString() : form.apply(r.toString())).append('\n');
        }
        for (Record r : shown) {
            sb.append(prefix).append(bogus ? r.toString() : form.apply(r.toString())).append('\n');
        }
        if (withChain) {
            sb.append(";; validation chain\n");
            for (Record r : answer.evidence().records()) {
                sb.append(form.apply(r.toString())).append('\n');
            }
        }
        return sb.toString();
    }

    static Map<String, Object> toJson(Answer answer, boolean withChain) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", answer.name().toString());
        m.put("type", Type.string(answer.type()));
        m.put("status", answer.status().name().toLowerCase());
        m.put("rcode", Rcode.string(answer.rcode()));
        Verdict s = answer.verdict();
        if (s instanceof Verdict.Bogus b) {
            m.put("reason", b.reason().name());
            m.put("ede", b.reason().edeCode());
            m.put("detail", b.detail());
        } else if (s instanceof Verdict.Insecure i) {
            i.delegation().ifPresent(d -> m.put("delegation", d.toString()));
            m.put("cause", i.cause().name());
            i.cause().edeCode().ifPresent(code -> m.put("ede", code));
        } else if (s instanceof Verdict.Indeterminate d) {
            m.put("cause", d.cause().name());
            m.put("detail", d.detail());
        }
        List<String> records = new ArrayList<>();
        answer.chain().forEach(r -> records.add(r.toString()));
        (s instanceof Verdict.Bogus || s instanceof Verdict.Indeterminate
                        ? answer.unvalidatedRecords()
                        : answer.records())
                .forEach(r -> records.add(r.toString()));
        if (s instanceof Verdict.Bogus || s instanceof Verdict.Indeterminate) {
            m.put("records", List.of()); // never hand out bogus data where data is expected
            m.put("failed_records", records);
        } else {
            m.put("records", records);
        }
        if (withChain) {
            List<String> chain = new ArrayList<>();
            answer.evidence().records().forEach(r -> chain.add(r.toString()));
            m.put("chain", chain);
        }
        return m;
    }

    static Name parseName(String text, String label) {
        try {
            return Name.fromString(text, Name.root);
        } catch (TextParseException e) {
            throw new UsageError(
                    label + ": \"" + text + "\" is not a domain name: " + e.getMessage());
        }
    }

    static int parseType(String text) {
        int t = Type.value(text.toUpperCase(), true);
        if (t < 0) {
            throw new UsageError(
                    "TYPE: unknown record type \""
                            + text
                            + "\"; use a mnemonic such as A, AAAA, TLSA or TYPE65");
        }
        return t;
    }
}
