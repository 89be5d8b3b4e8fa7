package dev.daneel.cli;

import dev.daneel.dane.CertUsage;
import dev.daneel.dane.DaneResult;
import dev.daneel.dane.DaneVerifier;
import dev.daneel.dane.MatchingType;
import dev.daneel.dane.Selector;
import dev.daneel.dane.TlsaAnswer;
import dev.daneel.dane.TlsaLookup;
import dev.daneel.dane.TlsaRecord;
import dev.daneel.dane.TlsaRecords;
import dev.daneel.validator.Answer;
import dev.daneel.validator.HostPort;
import dev.daneel.validator.ValidatingResolver;
import dev.daneel.validator.Verdict;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code daneel tlsa}: TLSA records (RFC 6698, 7671) made from a certificate, as hash-slinger's
 * {@code tlsa --create} prints them, and a live TLS server's certificate checked against the
 * validated TLSA RRset, one line per record.
 *
 * <pre>{@code
 * $ daneel tlsa --create --selector 1 --certificate cert.pem www.example.test
 * _443._tcp.www.example.test. IN TLSA 3 1 1 6856f0a3...
 * $ daneel tlsa --verify --connect 127.0.0.1:8443 www.example.test
 * SUCCESS (usage 3 [DANE-EE]) the certificate offered by 127.0.0.1:8443 matches _443._tcp.www.example.test. TLSA 3 1 1 6856f0a3...
 * }</pre>
 *
 * <p>Defaults follow hash-slinger: usage 3, selector 0, matching type 1, port 443, protocol tcp.
 * {@code --verify} exits 0 when a record authenticates the server (as a DANE client would connect),
 * 2 when none does or the records are bogus, 3 when the TLSA RRset is insecure, 4 when it provably
 * does not exist.
 */
@Command(
        name = "tlsa",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description =
                "Create TLSA records from a certificate, or verify a TLS server against DNSSEC-validated TLSA.")
final class TlsaCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @ParentCommand Daneel parent;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Mode mode;

    static final class Mode {
        @Option(
                names = {"--create", "-c"},
                required = true,
                description = "Print a TLSA record for --certificate.")
        boolean create;

        @Option(
                names = {"--verify", "-v"},
                required = true,
                description = "Check a live server against the TLSA records.")
        boolean verify;
    }

    @Option(
            names = {"--usage", "-u"},
            paramLabel = "U",
            defaultValue = "3",
            description = "0 PKIX-TA, 1 PKIX-EE, 2 DANE-TA, 3 DANE-EE (default ${DEFAULT-VALUE}).")
    int usage;

    @Option(
            names = {"--selector", "-s"},
            paramLabel = "S",
            defaultValue = "0",
            description =
                    "0 full certificate, 1 SubjectPublicKeyInfo (default ${DEFAULT-VALUE}, as hash-slinger).")
    int selector;

    @Option(
            names = {"--mtype", "-m"},
            paramLabel = "M",
            defaultValue = "1",
            description = "0 exact, 1 SHA-256, 2 SHA-512 (default ${DEFAULT-VALUE}).")
    int mtype;

    @Option(
            names = {"--port", "-p"},
            paramLabel = "P",
            defaultValue = "443",
            description = "Port (default ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--protocol",
            paramLabel = "tcp|udp|sctp",
            defaultValue = "tcp",
            description = "Transport protocol (default ${DEFAULT-VALUE}).")
    String protocol;

    @Option(
            names = "--certificate",
            paramLabel = "FILE",
            description =
                    "--create: PEM or DER certificate(s), leaf first; usages 0 and 2 take the last one.")
    Path certificate;

    @Option(
            names = {"--output", "-o"},
            paramLabel = "rfc|generic|both",
            defaultValue = "rfc",
            description =
                    "--create: RFC 6698 form, RFC 3597 generic form, or both (default ${DEFAULT-VALUE}).")
    String output;

    @Option(
            names = {"--starttls", "-t"},
            paramLabel = "smtp|imap|pop3|ftp|none",
            description =
                    "--verify: STARTTLS first (default by port: 25/587 smtp, 143 imap, 110 pop3, 21 ftp).")
    String starttls;

    @Option(
            names = "--connect",
            paramLabel = "ADDR[:PORT]",
            description =
                    "--verify: dial this address (default HOST's validated A/AAAA) while HOST names the service.")
    String connect;

    @Parameters(paramLabel = "HOST", description = "The service's host name.")
    String host;

    @Override
    public Integer call() throws IOException {
        if (!List.of("tcp", "udp", "sctp").contains(protocol.toLowerCase(Locale.ROOT))) {
            throw new UsageError("--protocol must be tcp, udp or sctp, got \"" + protocol + "\"");
        }
        if (port < 0 || port > 65535) {
            throw new UsageError("--port must be 0..65535, got " + port);
        }
        return mode.create ? create() : verify();
    }

    private int create() throws IOException {
        if (certificate == null) {
            throw new UsageError(
                    "--create needs --certificate FILE (the server's certificate, PEM or DER)");
        }
        if (connect != null || starttls != null) {
            throw new UsageError("--connect and --starttls go with --verify, not --create");
        }
        CertUsage u =
                CertUsage.values().length > usage && usage >= 0 ? CertUsage.values()[usage] : null;
        if (u == null || u.code() != usage) {
            throw new UsageError("--usage must be 0, 1, 2 or 3, got " + usage);
        }
        Selector s =
                switch (selector) {
                    case 0 -> Selector.CERT;
                    case 1 -> Selector.SPKI;
                    default -> throw new UsageError("--selector must be 0 or 1, got " + selector);
                };
        MatchingType m =
                switch (mtype) {
                    case 0 -> MatchingType.FULL;
                    case 1 -> MatchingType.SHA2_256;
                    case 2 -> MatchingType.SHA2_512;
                    default -> throw new UsageError("--mtype must be 0, 1 or 2, got " + mtype);
                };
        String form = output.toLowerCase(Locale.ROOT);
        if (!List.of("rfc", "generic", "both").contains(form)) {
            throw new UsageError("--output must be rfc, generic or both, got \"" + output + "\"");
        }
        List<X509Certificate> chain = readCertificates(certificate, "--certificate");
        TlsaRecord r = TlsaRecords.create(chain, u, s, m);
        List<String> lines = new ArrayList<>();
        if (!form.equals("generic")) {
            lines.add(TlsaRecords.line(host, port, protocol, r));
        }
        if (!form.equals("rfc")) {
            lines.add(TlsaRecords.genericLine(host, port, protocol, r));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (parent.global.json) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("owner", TlsaRecords.owner(host, port, protocol));
            j.put("records", lines);
            out.println(Json.write(j));
        } else {
            lines.forEach(l -> out.println(parent.global.record(l)));
        }
        out.flush();
        return ExitCode.SUCCESS.code();
    }

    private int verify() throws IOException {
        if (certificate != null
                || spec.commandLine().getParseResult().hasMatchedOption("--output")) {
            throw new UsageError("--certificate and --output go with --create, not --verify");
        }
        if (!protocol.equalsIgnoreCase("tcp")) {
            throw new UsageError(
                    "--verify connects over TLS on TCP only; --protocol "
                            + protocol
                            + " (DTLS, SCTP) is not supported for --verify");
        }
        TlsProbe.Starttls st =
                starttls == null
                        ? TlsProbe.Starttls.forPort(port)
                        : TlsProbe.Starttls.parse(starttls);
        String name = Verdicts.absolute(host);
        Duration timeout =
                parent.global.timeoutSeconds == null
                        ? Duration.ofSeconds(10)
                        : Duration.ofMillis(Math.round(parent.global.timeoutSeconds * 1000));
        List<String> lines = new ArrayList<>();
        String status;
        ExitCode exit;
        try (ValidatingResolver resolver = parent.global.resolver()) {
            TlsaAnswer answer =
                    new TlsaLookup(resolver).resolve(name, port, protocol.toLowerCase(Locale.ROOT));
            parent.global.debug(
                    resolver,
                    spec.commandLine().getErr(),
                    TlsaRecords.owner(name, port, protocol),
                    Type.TLSA);
            List<TlsaRecord> unvalidated =
                    answer instanceof TlsaAnswer.NoDane n
                                    && n.verdict() instanceof Verdict.Insecure
                                    && parent.global.insecure
                            ? unvalidatedRecords(resolver, n.owner())
                            : List.of();
            if (answer instanceof TlsaAnswer.Dane d) {
                boolean any =
                        compare(
                                resolver,
                                name,
                                st,
                                timeout,
                                d.owner(),
                                d.records(),
                                d.referenceNames(),
                                "",
                                lines);
                status = any ? "match" : "fail";
                exit = any ? ExitCode.SUCCESS : ExitCode.BOGUS_OR_MISMATCH;
            } else if (!unvalidated.isEmpty()) {
                // --insecure, as hash-slinger's: the records of a zone proven unsigned are
                // compared, every line
                // says so, and a warning goes to stderr. A DANE client (RFC 6698 §4) would not use
                // them.
                TlsaAnswer.NoDane n = (TlsaAnswer.NoDane) answer;
                GlobalOptions.warnInsecure(
                        spec.commandLine().getErr(), "the TLSA answer for " + n.owner());
                boolean any =
                        compare(
                                resolver,
                                name,
                                st,
                                timeout,
                                n.owner(),
                                unvalidated,
                                List.of(name.substring(0, name.length() - 1)),
                                "INSECURE ",
                                lines);
                status = any ? "insecure-match" : "fail";
                exit = any ? ExitCode.SUCCESS : ExitCode.BOGUS_OR_MISMATCH;
            } else if (answer instanceof TlsaAnswer.NoDane n) {
                Verdict s = n.verdict();
                boolean absent = s instanceof Verdict.Secure;
                status = absent ? "norecords" : "insecure";
                exit =
                        absent
                                ? ExitCode.PROVEN_ABSENT
                                : s instanceof Verdict.Insecure
                                        ? ExitCode.INSECURE
                                        : ExitCode.ERROR;
                lines.add("FAIL " + n.owner() + ": " + n.why());
            } else if (answer instanceof TlsaAnswer.Failed f) {
                exit = Verdicts.exitCode(f.verdict());
                status = f.verdict().status().name().toLowerCase(Locale.ROOT);
                lines.add(
                        "FAIL "
                                + f.owner()
                                + ": "
                                + Verdicts.describe(f.verdict())
                                + " ("
                                + f.detail()
                                + ")");
            } else {
                throw new IllegalStateException("unexpected TLSA answer " + answer);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (parent.global.json) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("owner", TlsaRecords.owner(name, port, protocol));
            j.put("status", status);
            j.put("results", lines);
            out.println(Json.write(j));
        } else {
            lines.forEach(out::println);
        }
        out.flush();
        return exit.code();
    }

    /**
     * Connects, then compares the offered chain with each record, one line per record; whether one
     * authenticated it.
     */
    private boolean compare(
            ValidatingResolver resolver,
            String name,
            TlsProbe.Starttls st,
            Duration timeout,
            String owner,
            List<TlsaRecord> records,
            List<String> referenceNames,
            String flag,
            List<String> lines)
            throws IOException {
        InetSocketAddress target =
                connect != null ? connectAddress(connect) : address(resolver, name);
        List<X509Certificate> chain = TlsProbe.chain(target, name, st, timeout);
        DaneVerifier verifier = DaneVerifier.builder().build();
        boolean any = false;
        String where = target.getAddress().getHostAddress() + ":" + target.getPort();
        String insecure = flag.isEmpty() ? "" : " (NOT VALIDATED BY DNSSEC)";
        for (TlsaRecord r : records) {
            DaneResult result = verifier.verify(chain, List.of(r), referenceNames);
            String label =
                    "(usage "
                            + r.usage()
                            + r.certUsage().map(c -> " [" + pretty(c) + "]").orElse("")
                            + ")";
            String rec = owner + " TLSA " + r;
            if (result instanceof DaneResult.Authenticated) {
                any = true;
                lines.add(
                        flag
                                + "SUCCESS "
                                + label
                                + " the certificate offered by "
                                + where
                                + " matches "
                                + rec
                                + insecure);
            } else if (result instanceof DaneResult.Failed f) {
                lines.add(
                        flag
                                + "FAIL "
                                + label
                                + " "
                                + rec
                                + ": "
                                + f.failure()
                                + ": "
                                + f.detail());
            } else {
                lines.add(flag + "FAIL " + label + " " + rec + ": unusable record (RFC 7671 §4.1)");
            }
        }
        return any;
    }

    /**
     * With --insecure: the TLSA records of an Insecure answer (never of a Bogus or indeterminate
     * one).
     */
    private static List<TlsaRecord> unvalidatedRecords(ValidatingResolver resolver, String owner) {
        Answer a = resolver.resolve(owner, Type.TLSA);
        if (a.status() != dev.daneel.validator.Status.INSECURE) {
            return List.of();
        }
        List<TlsaRecord> out = new ArrayList<>();
        for (Record r : a.records()) {
            if (r instanceof org.xbill.DNS.TLSARecord t) {
                out.add(TlsaRecord.of(t));
            }
        }
        return out;
    }

    private static String pretty(CertUsage u) {
        return u.name().replace('_', '-');
    }

    private InetSocketAddress connectAddress(String text) {
        HostPort hp = GlobalOptions.hostPort("--connect", text);
        return hp.portGiven() ? hp.socketAddress() : new InetSocketAddress(hp.address(), port);
    }

    /**
     * HOST's first validated address (Secure or Insecure; DANE only needs the TLSA RRset to be
     * Secure).
     */
    private InetSocketAddress address(ValidatingResolver resolver, String name) throws IOException {
        for (int type : new int[] {Type.A, Type.AAAA}) {
            Answer a = resolver.resolve(name, type);
            if (a.status() == dev.daneel.validator.Status.BOGUS) {
                throw new IOException(
                        "the address of " + name + " is " + Verdicts.describe(a.verdict()));
            }
            for (Record r : a.records()) {
                InetAddress addr =
                        r instanceof ARecord ar
                                ? ar.getAddress()
                                : r instanceof AAAARecord aaaa ? aaaa.getAddress() : null;
                if (addr != null) {
                    return new InetSocketAddress(addr, port);
                }
            }
        }
        throw new IOException(
                name + " has no A or AAAA record; give the address with --connect ADDR[:PORT]");
    }

    static List<X509Certificate> readCertificates(Path file, String option) throws IOException {
        SshfpCommand.readable(file, option);
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> out = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new UsageError(
                        option + ": " + file + " holds no certificate (expected PEM or DER X.509)");
            }
            return out;
        } catch (CertificateException e) {
            throw new UsageError(
                    option + ": " + file + " is not a PEM or DER certificate: " + e.getMessage());
        }
    }
}
