package dev.daneel.cli;

import dev.daneel.anchors.TrustAnchors;
import dev.daneel.validator.Answer;
import dev.daneel.validator.HostPort;
import dev.daneel.validator.ValidatingResolver;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The options every {@code daneel} command takes, before or after the command name (picocli's
 * inherited scope). They configure the one {@link ValidatingResolver} a command uses.
 *
 * <pre>{@code
 * daneel --server 127.0.0.1:5353 query www.example.test. A --json
 * }</pre>
 *
 * <p>Not thread-safe; picocli fills one instance per invocation.
 */
final class GlobalOptions {
    /** The DNS port used when {@code --server} gives none. */
    static final int DNS_PORT = 53;

    @Option(
            names = "--server",
            paramLabel = "HOST[:PORT]",
            scope = ScopeType.INHERIT,
            description =
                    "Recursive resolver to send queries to (repeatable; IPv6 as [ADDR]:PORT). "
                            + "Default: the system's resolvers.")
    List<String> servers = new ArrayList<>();

    @Option(
            names = "--anchor",
            paramLabel = "FILE",
            scope = ScopeType.INHERIT,
            description =
                    "Trust anchors: DS/DNSKEY lines, a BIND trust-anchors clause or root-anchors.xml. "
                            + "Default: the built-in IANA root anchors.")
    Path anchor;

    @Option(
            names = "--json",
            scope = ScopeType.INHERIT,
            description = "Print one JSON object on stdout.")
    boolean json;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            scope = ScopeType.INHERIT,
            description = "Per-attempt upstream timeout in seconds, 0.01 .. 60 (default 2).")
    Double timeoutSeconds;

    @Option(
            names = "--tcp",
            scope = ScopeType.INHERIT,
            description = "Query the upstreams over TCP only.")
    boolean tcp;

    @Option(
            names = "--resolvconf",
            paramLabel = "FILE",
            scope = ScopeType.INHERIT,
            description =
                    "Send queries to the resolvers on this resolv.conf file's 'nameserver ADDR[@PORT]' lines "
                            + "(instead of --server).")
    Path resolvconf;

    @Option(
            names = "--insecure",
            scope = ScopeType.INHERIT,
            description =
                    "Also accept answers from zones proven unsigned (Insecure), flagged INSECURE on stderr. "
                            + "Bogus and indeterminate answers are never accepted.")
    boolean insecure;

    @Option(
            names = {"--debug", "-d"},
            scope = ScopeType.INHERIT,
            description =
                    "Print on stderr the validation chain each verdict rests on (DNSKEY, DS, RRSIG, NSEC...).")
    boolean debug;

    @Option(
            names = "--wrap",
            scope = ScopeType.INHERIT,
            description =
                    "Print long records over several lines in RFC 1035 parentheses (BIND, NSD and ldns load them).")
    boolean wrap;

    /**
     * Builds the resolver these options describe.
     *
     * @throws UsageError when an option's value is unusable; the message names the option
     */
    ValidatingResolver.Builder resolverBuilder() {
        ValidatingResolver.Builder b = ValidatingResolver.builder();
        if (resolvconf != null && !servers.isEmpty()) {
            throw new UsageError(
                    "--resolvconf and --server both name the resolvers; give one of them");
        }
        for (String s : servers) {
            b.upstream(parseServer(s));
        }
        if (resolvconf != null) {
            ResolvConf.read(resolvconf).forEach(b::upstream);
        }
        if (anchor != null) {
            b.trustAnchors(loadAnchors(anchor));
        }
        if (timeoutSeconds != null) {
            if (timeoutSeconds.isNaN() || timeoutSeconds < 0.01 || timeoutSeconds > 60) {
                throw new UsageError("--timeout must be 0.01 .. 60 seconds, got " + timeoutSeconds);
            }
            b.timeout(Duration.ofMillis(Math.round(timeoutSeconds * 1000)));
        }
        if (tcp) {
            b.tcpOnly();
        }
        return b;
    }

    ValidatingResolver resolver() {
        return resolverBuilder().build();
    }

    static TrustAnchors loadAnchors(Path file) {
        if (!Files.isReadable(file)) {
            throw new UsageError(
                    "--anchor: cannot read " + file + " (no such file or not readable)");
        }
        try {
            return TrustAnchors.fromFile(file);
        } catch (IOException | RuntimeException e) {
            throw new UsageError(
                    "--anchor: " + file + " holds no usable trust anchor: " + e.getMessage());
        }
    }

    /**
     * Parses {@code HOST}, {@code HOST:PORT}, {@code [V6]:PORT} or a bare IPv6 literal with the
     * library's {@link HostPort}, the parser the milter uses too.
     */
    static InetSocketAddress parseServer(String text) {
        return hostPort("--server", text).socketAddress();
    }

    /** {@link HostPort#parse} with the option's name put in front of its message. */
    static HostPort hostPort(String option, String text) {
        try {
            return HostPort.parse(text, DNS_PORT);
        } catch (IllegalArgumentException e) {
            throw new UsageError(option + ": " + e.getMessage());
        }
    }

    /**
     * The validation chain of {@code name}/{@code type} on stderr, when {@code --debug} asked for
     * it.
     */
    void debug(ValidatingResolver resolver, PrintWriter err, String name, int type) {
        if (!debug) {
            return;
        }
        // The lookup the command made is in the resolver's validated-answer cache: this asks no
        // upstream
        // again (unless the answer was too short-lived to cache) and shows exactly what the verdict
        // rests on.
        Answer a = resolver.resolve(name, type);
        err.println(
                ";; validation of "
                        + a.name()
                        + " "
                        + Type.string(type)
                        + ": "
                        + QueryCommand.statusLine(a.verdict()));
        List<Record> chain = a.evidence().records();
        if (chain.isEmpty()) {
            err.println(";;   (no DNSKEY, DS, RRSIG or NSEC record was needed or obtained)");
        }
        for (Record r : chain) {
            err.println(";   " + r);
        }
        err.flush();
    }

    /** {@code --insecure}'s warning, one line on stderr, in capitals so that it is not missed. */
    static void warnInsecure(PrintWriter err, String what) {
        err.println(
                "daneel: WARNING: INSECURE: "
                        + what
                        + " is NOT protected by DNSSEC (accepted because of --insecure)");
        err.flush();
    }

    /** {@code line} as printed: unchanged, or split over several lines with {@code --wrap}. */
    String record(String line) {
        return wrap ? RecordWrap.wrap(line) : line;
    }
}
