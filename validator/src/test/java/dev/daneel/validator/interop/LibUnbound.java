package dev.daneel.validator.interop;

import dev.daneel.validator.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;

/**
 * libunbound as a reference validator, driven through Debian's {@code python3-unbound} (the real
 * library, not a re-implementation): a context that forwards to the recursive server, with the
 * local root's DS as its anchor ({@code add_ta_file}). One Python process answers a whole batch of
 * questions; its verdicts are {@code secure}, {@code bogus}, or neither (Insecure, unless the
 * lookup failed outright with SERVFAIL, which is no verdict).
 *
 * <p>Thread-safe: every batch is its own process.
 */
final class LibUnbound {

    private static final Duration LIMIT = Duration.ofSeconds(60);

    /**
     * Reads "name type" lines, prints "secure bogus rcode rdata-hex,... why" lines (tab-separated).
     */
    private static final String SCRIPT =
            """
            import sys, unbound
            conf, anchor, forwarder, tcp = sys.argv[1:5]
            ctx = unbound.ub_ctx()
            # local-zone "test." nodefault, do-not-query-localhost: the options set_option cannot take.
            if ctx.config(conf) != 0: sys.exit("cannot read " + conf)
            if ctx.set_option("tcp-upstream:", tcp) != 0: sys.exit("cannot set tcp-upstream")
            if ctx.set_fwd(forwarder) != 0: sys.exit("cannot forward to " + forwarder)
            if ctx.add_ta_file(anchor) != 0: sys.exit("cannot read the anchor " + anchor)
            for line in sys.stdin:
                name, qtype = line.split()
                status, r = ctx.resolve(name, int(qtype), unbound.RR_CLASS_IN)
                if status != 0:
                    print("0\\t0\\t2\\t-\\tresolve failed: " + unbound.ub_strerror(status)); continue
                data = ",".join(x.hex() for x in r.data.raw) if r.havedata else "-"
                why = (r.why_bogus or "").replace("\\t", " ").replace("\\n", " ")
                print("%d\\t%d\\t%d\\t%s\\t%s" % (r.secure, r.bogus, r.rcode, data, why))
                sys.stdout.flush()
            """;

    private final String python;
    private final Path dir;
    private final Path anchor;

    private LibUnbound(String python, Path dir, Path anchor) {
        this.python = python;
        this.dir = dir;
        this.anchor = anchor;
    }

    /** Writes the script, its configuration and the anchor (DS lines) into {@code dir}. */
    static LibUnbound withAnchor(Path dir, List<DSRecord> rootDs) {
        String python = Tools.requireLibunboundPython();
        try {
            Files.createDirectories(dir);
            Path anchor = dir.resolve("libunbound-anchor.ds");
            StringBuilder ds = new StringBuilder();
            for (DSRecord r : rootDs) {
                ds.append(r).append('\n');
            }
            Files.writeString(anchor, ds);
            Files.writeString(
                    dir.resolve("libunbound.conf"),
                    """
                    server:
                      do-not-query-localhost: no
                      outgoing-interface: 127.0.0.1
                      local-zone: "test." nodefault
                      module-config: "validator iterator"
                    """);
            Files.writeString(dir.resolve("libunbound_lookup.py"), SCRIPT);
            return new LibUnbound(python, dir, anchor);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up libunbound in " + dir, e);
        }
    }

    /** A question of a batch. */
    record Question(Name name, int type) {}

    /**
     * Validates every question through the recursive server at {@code server}; verdicts in order.
     */
    List<PeerVerdict> lookup(InetSocketAddress server, boolean tcp, List<Question> questions) {
        StringBuilder in = new StringBuilder();
        for (Question q : questions) {
            in.append(q.name()).append(' ').append(q.type()).append('\n');
        }
        String forwarder = server.getAddress().getHostAddress() + "@" + server.getPort();
        Tools.Result r =
                Tools.run(
                        LIMIT,
                        dir,
                        List.of(
                                python,
                                dir.resolve("libunbound_lookup.py").toString(),
                                dir.resolve("libunbound.conf").toString(),
                                anchor.toString(),
                                forwarder,
                                tcp ? "yes" : "no"),
                        in.toString());
        List<String> lines = r.output().lines().filter(l -> !l.isBlank()).toList();
        if (r.exitCode() != 0 || lines.size() != questions.size()) {
            throw new IllegalStateException(
                    "libunbound answered "
                            + lines.size()
                            + " of "
                            + questions.size()
                            + " questions (exit "
                            + r.exitCode()
                            + "):\n"
                            + r.output());
        }
        List<PeerVerdict> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            out.add(parse(lines.get(i), questions.get(i).type()));
        }
        return out;
    }

    private static PeerVerdict parse(String line, int type) {
        String[] f = line.split("\t", 5);
        boolean secure = f[0].equals("1");
        boolean bogus = f[1].equals("1");
        int rcode = Integer.parseInt(f[2]);
        Set<String> rdata = new TreeSet<>();
        if (!f[3].equals("-")) {
            for (String hex : f[3].split(",")) {
                rdata.add(PeerVerdict.rdata(type, HexFormat.of().parseHex(hex)));
            }
        }
        String why = f.length > 4 ? f[4] : "";
        if (bogus) {
            return new PeerVerdict(Status.BOGUS, rcode, Set.of(), why);
        }
        if (!secure && rcode == Rcode.SERVFAIL) {
            return new PeerVerdict(
                    Status.INDETERMINATE, rcode, Set.of(), "SERVFAIL without a verdict " + why);
        }
        return new PeerVerdict(
                secure ? Status.SECURE : Status.INSECURE,
                rcode,
                rdata,
                secure ? "secure" : "neither secure nor bogus");
    }
}
