package dev.daneel.validator.interop;

import dev.daneel.validator.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;

/**
 * libunbound (through python3-unbound) recursing by itself over a testbed hierarchy, validating,
 * with no recursive resolver in front: the reference for Daneel's recursion. Root hints cannot
 * carry a port, so each zone is a {@code stub-zone} with {@code stub-addr: ADDRESS@PORT}, as for
 * the Unbound daemon; the iteration and validation are libunbound's own.
 *
 * <pre>{@code
 * List<Status> s = LibUnboundRecursion.statuses(dir, rootDs, authorities, questions);
 * }</pre>
 */
final class LibUnboundRecursion {

    private static final String SCRIPT =
            """
            import sys, unbound
            conf, anchor = sys.argv[1:3]
            ctx = unbound.ub_ctx()
            if ctx.config(conf) != 0: sys.exit("cannot read " + conf)
            if ctx.add_ta_file(anchor) != 0: sys.exit("cannot read the anchor " + anchor)
            for line in sys.stdin:
                name, qtype = line.split()
                status, r = ctx.resolve(name, int(qtype), unbound.RR_CLASS_IN)
                if status != 0:
                    print("0\\t0\\t2"); continue
                print("%d\\t%d\\t%d" % (r.secure, r.bogus, r.rcode)); sys.stdout.flush()
            """;

    private LibUnboundRecursion() {}

    /**
     * One status per question, in order: Secure, Insecure, Bogus, or Indeterminate (SERVFAIL, no
     * verdict).
     */
    static List<Status> statuses(
            Path dir,
            List<DSRecord> rootDs,
            Map<Name, InetSocketAddress> zones,
            List<LibUnbound.Question> questions) {
        String python = Tools.requireLibunboundPython();
        try {
            Files.createDirectories(dir);
            StringBuilder ds = new StringBuilder();
            rootDs.forEach(r -> ds.append(r).append('\n'));
            Path anchor = Files.writeString(dir.resolve("anchor.ds"), ds);
            StringBuilder conf =
                    new StringBuilder(
                            "server:\n  do-not-query-localhost: no\n  outgoing-interface: 127.0.0.1\n"
                                    + "  do-ip6: no\n  local-zone: \"test.\" nodefault\n  module-config: \"validator iterator\"\n");
            for (Map.Entry<Name, InetSocketAddress> z : zones.entrySet()) {
                conf.append("stub-zone:\n  name: \"")
                        .append(z.getKey())
                        .append("\"\n  stub-addr: ")
                        .append(z.getValue().getAddress().getHostAddress())
                        .append('@')
                        .append(z.getValue().getPort())
                        .append("\n  stub-prime: no\n");
            }
            Path confFile = Files.writeString(dir.resolve("libunbound-recursion.conf"), conf);
            Path script = Files.writeString(dir.resolve("libunbound_recursion.py"), SCRIPT);
            StringBuilder in = new StringBuilder();
            questions.forEach(q -> in.append(q.name()).append(' ').append(q.type()).append('\n'));
            Tools.Result r =
                    Tools.run(
                            Duration.ofSeconds(60),
                            dir,
                            List.of(
                                    python,
                                    script.toString(),
                                    confFile.toString(),
                                    anchor.toString()),
                            in.toString());
            List<String> lines = r.output().lines().filter(l -> !l.isBlank()).toList();
            if (r.exitCode() != 0 || lines.size() != questions.size()) {
                throw new IllegalStateException(
                        "libunbound answered "
                                + lines.size()
                                + " of "
                                + questions.size()
                                + " (exit "
                                + r.exitCode()
                                + "):\n"
                                + r.output());
            }
            List<Status> out = new ArrayList<>();
            for (String line : lines) {
                String[] f = line.split("\t");
                boolean secure = f[0].equals("1");
                boolean bogus = f[1].equals("1");
                int rcode = Integer.parseInt(f[2]);
                out.add(
                        bogus
                                ? Status.BOGUS
                                : secure
                                        ? Status.SECURE
                                        : rcode == Rcode.SERVFAIL
                                                ? Status.INDETERMINATE
                                                : Status.INSECURE);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up libunbound in " + dir, e);
        }
    }
}
