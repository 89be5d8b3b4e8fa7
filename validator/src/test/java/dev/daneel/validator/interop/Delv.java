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
import java.util.Set;
import java.util.TreeSet;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * BIND's {@code delv} as a reference validator: it sends every query needed (with CD set) to one
 * recursive server and validates from the local root's anchor with BIND's own validator.
 *
 * <p>delv exits 0 whether or not validation succeeded, so its text is the verdict: {@code ; fully
 * validated} is Secure, {@code ; unsigned answer} is Insecure, {@code ; negative response, …} says
 * the same of a negative answer (after a {@code resolution failed: ncache …} line that only
 * announces it), and any other {@code resolution failed} is Bogus. A CNAME chain prints one verdict
 * per link; the answer is as strong as its weakest link (RFC 4035 §4.3). Records are printed in RFC
 * 3597 generic form ({@code +unknownformat}), so their data compares byte for byte.
 *
 * <p>Thread-safe: every lookup is its own process.
 */
final class Delv {

    private static final Duration LIMIT = Duration.ofSeconds(30);

    private final String delv;
    private final Path anchorFile;

    private Delv(String delv, Path anchorFile) {
        this.delv = delv;
        this.anchorFile = anchorFile;
    }

    /** Writes the root anchor in BIND's {@code trust-anchors} form into {@code dir}. */
    static Delv withAnchor(Path dir, List<DSRecord> rootDs) {
        String delv = Tools.require("delv", "bind9-dnsutils");
        StringBuilder conf = new StringBuilder("trust-anchors {\n");
        for (DSRecord ds : rootDs) {
            conf.append("  \"")
                    .append(ds.getName())
                    .append("\" static-ds ")
                    .append(ds.getFootprint())
                    .append(' ')
                    .append(ds.getAlgorithm())
                    .append(' ')
                    .append(ds.getDigestID())
                    .append(" \"")
                    .append(java.util.HexFormat.of().withUpperCase().formatHex(ds.getDigest()))
                    .append("\";\n");
        }
        conf.append("};\n");
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("delv-anchor.conf");
            Files.writeString(file, conf);
            return new Delv(delv, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the delv anchor into " + dir, e);
        }
    }

    /** Validates {@code name}/{@code type} through the recursive server at {@code server} (UDP). */
    PeerVerdict lookup(InetSocketAddress server, Name name, int type) {
        String source = server.getAddress() instanceof java.net.Inet6Address ? "::1" : "127.0.0.1";
        List<String> cmd =
                List.of(
                        delv,
                        "@" + server.getAddress().getHostAddress(),
                        "-p",
                        String.valueOf(server.getPort()),
                        "-b",
                        source,
                        "-a",
                        anchorFile.toString(),
                        "+root=.",
                        "+nodnssec",
                        "+unknownformat",
                        "+nomultiline",
                        "-q",
                        name.toString(),
                        "-t",
                        Type.string(type));
        Tools.Result r = Tools.run(LIMIT, anchorFile.getParent(), cmd);
        return parse(r.output(), type);
    }

    /** Reads delv's text; see the class comment. */
    static PeerVerdict parse(String output, int type) {
        List<Status> verdicts = new ArrayList<>();
        String failure = null;
        int rcode = Rcode.NOERROR;
        Set<String> rdata = new TreeSet<>();
        for (String raw : output.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith(";; resolution failed:")) {
                String why = line.substring(";; resolution failed:".length()).strip();
                if (!why.startsWith("ncache")) {
                    failure = why;
                }
            } else if (line.equals("; fully validated")
                    || line.equals("; negative response, fully validated")) {
                verdicts.add(Status.SECURE);
            } else if (line.equals("; unsigned answer")
                    || line.equals("; negative response, unsigned answer")) {
                verdicts.add(Status.INSECURE);
            } else if (line.startsWith(";") && line.contains(";-$NXDOMAIN")) {
                rcode = Rcode.NXDOMAIN;
            } else if (!line.startsWith(";")) {
                Record rec = record(line);
                if (rec != null && rec.getType() == type) {
                    rdata.addAll(PeerVerdict.rdata(List.of(rec), type));
                }
            }
        }
        if (failure != null) {
            return new PeerVerdict(
                    Status.BOGUS, Rcode.SERVFAIL, Set.of(), "resolution failed: " + failure);
        }
        if (verdicts.isEmpty()) {
            return new PeerVerdict(
                    Status.INDETERMINATE,
                    Rcode.SERVFAIL,
                    Set.of(),
                    "unparsed delv output: " + output.strip());
        }
        Status status = verdicts.contains(Status.INSECURE) ? Status.INSECURE : Status.SECURE;
        return new PeerVerdict(status, rcode, rdata, "per link: " + verdicts);
    }

    /** One answer line in generic form: {@code owner TTL CLASS1 TYPEn \# len hex}. */
    private static Record record(String line) {
        String[] f = line.split("\\s+", 5);
        if (f.length < 5) {
            return null;
        }
        try {
            Name owner = Name.fromString(f[0], Name.root);
            int t = Type.value(f[3]);
            if (t < 0) {
                return null;
            }
            return Record.fromString(owner, t, DClass.IN, Long.parseLong(f[1]), f[4], Name.root);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(
                    "cannot read delv's answer line \"" + line + "\": " + e.getMessage(), e);
        }
    }
}
