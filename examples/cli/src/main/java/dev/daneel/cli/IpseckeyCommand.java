package dev.daneel.cli;

import dev.daneel.ipseckey.Gateway;
import dev.daneel.ipseckey.Ipseckey;
import dev.daneel.ipseckey.IpseckeyLookup;
import dev.daneel.ipseckey.IpseckeyRecord;
import dev.daneel.ipseckey.IpseckeyResult;
import dev.daneel.validator.Answer;
import dev.daneel.validator.Status;
import dev.daneel.validator.ValidatingResolver;
import java.io.IOException;
import java.io.PrintWriter;
import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.xbill.DNS.Type;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code daneel ipseckey}: an IPSECKEY record (RFC 4025, 8005, 9373) made from a public key, as
 * Libreswan's {@code ipsec showhostkey --ipseckey} prints it, and a host's validated IPSECKEY RRset
 * fetched.
 *
 * <pre>{@code
 * $ daneel ipseckey --create --key gw.pem --gateway 192.0.2.7 --precedence 10 vpn.example.test.
 * vpn.example.test. IN IPSECKEY 10 1 4 192.0.2.7 Fff7RVxf...
 * $ daneel ipseckey --fetch vpn.example.test.
 * ; secure
 * vpn.example.test. IN IPSECKEY 10 1 4 192.0.2.7 Fff7RVxf...
 * }</pre>
 *
 * <p>Exit codes: 0 created or secure records, 2 bogus, 3 insecure, 4 provably no records.
 */
@Command(
        name = "ipseckey",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description =
                "Create an IPSECKEY record from a public key, or fetch a host's DNSSEC-validated IPSECKEY records.")
final class IpseckeyCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @ParentCommand Daneel parent;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Mode mode;

    static final class Mode {
        @Option(
                names = "--create",
                required = true,
                description = "Print an IPSECKEY record for --key.")
        boolean create;

        @Option(
                names = "--fetch",
                required = true,
                description = "Fetch HOST's IPSECKEY records, validated.")
        boolean fetch;
    }

    @Option(
            names = "--key",
            paramLabel = "PUBKEY",
            description =
                    "--create: PEM PUBLIC KEY or CERTIFICATE, or DER SubjectPublicKeyInfo (RSA, EC, Ed25519, Ed448).")
    java.nio.file.Path key;

    @Option(
            names = "--gateway",
            paramLabel = "ADDR|NAME",
            description = "--create: the gateway (default none).")
    String gateway;

    @Option(
            names = "--precedence",
            paramLabel = "N",
            defaultValue = "10",
            description = "--create: precedence 0..255 (default ${DEFAULT-VALUE}).")
    int precedence;

    @Parameters(paramLabel = "HOST", description = "Owner name of the IPSECKEY record.")
    String host;

    @Override
    public Integer call() throws IOException {
        return mode.create ? create() : fetch();
    }

    private int create() throws IOException {
        if (key == null) {
            throw new UsageError("--create needs --key PUBKEY");
        }
        if (precedence < 0 || precedence > 255) {
            throw new UsageError("--precedence must be 0..255, got " + precedence);
        }
        SshfpCommand.readable(key, "--key");
        Gateway gw;
        try {
            gw = gateway == null ? Gateway.none() : Gateway.parse(gateway);
        } catch (IllegalArgumentException e) {
            throw new UsageError("--gateway: " + e.getMessage());
        }
        PublicKey pk;
        try {
            pk = Ipseckey.readPublicKey(key);
        } catch (IllegalArgumentException e) {
            throw new UsageError("--key: " + e.getMessage());
        }
        IpseckeyRecord r;
        try {
            r = Ipseckey.create(host, precedence, gw, pk);
        } catch (IllegalArgumentException e) {
            throw new UsageError("--key: " + key + ": " + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (parent.global.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("host", host);
            m.put("records", List.of(r.rfcForm()));
            out.println(Json.write(m));
        } else {
            out.println(parent.global.record(r.rfcForm()));
        }
        out.flush();
        return ExitCode.SUCCESS.code();
    }

    /**
     * With --insecure: the records of an Insecure answer (never of a Bogus or indeterminate one).
     */
    private static List<IpseckeyRecord> unvalidatedRecords(
            ValidatingResolver resolver, String name) {
        Answer a = resolver.resolve(name, Type.IPSECKEY);
        if (a.status() != Status.INSECURE) {
            return List.of();
        }
        List<IpseckeyRecord> out = new java.util.ArrayList<>();
        for (org.xbill.DNS.Record rec : a.records()) {
            if (rec.getType() == Type.IPSECKEY) {
                out.add(
                        IpseckeyRecord.fromWire(
                                rec.getName().toString(), rec.rdataToWireCanonical()));
            }
        }
        return out;
    }

    private int fetch() {
        if (key != null
                || gateway != null
                || spec.commandLine().getParseResult().hasMatchedOption("--precedence")) {
            throw new UsageError("--key, --gateway and --precedence go with --create, not --fetch");
        }
        String name = Verdicts.absolute(host);
        IpseckeyResult r;
        List<IpseckeyRecord> unvalidated = List.of();
        try (ValidatingResolver resolver = parent.global.resolver()) {
            r = new IpseckeyLookup(resolver).fetch(name);
            parent.global.debug(resolver, spec.commandLine().getErr(), name, Type.IPSECKEY);
            if (r instanceof IpseckeyResult.Insecure && parent.global.insecure) {
                unvalidated = unvalidatedRecords(resolver, name);
            }
        }
        String status;
        String detail = null;
        List<IpseckeyRecord> records = List.of();
        ExitCode exit;
        if (r instanceof IpseckeyResult.Found f) {
            status = "secure";
            records = f.records();
            exit = ExitCode.SUCCESS;
        } else if (r instanceof IpseckeyResult.NoRecords) {
            status = "secure";
            detail = name + " provably has no IPSECKEY records";
            exit = ExitCode.PROVEN_ABSENT;
        } else if (r instanceof IpseckeyResult.Insecure i && parent.global.insecure) {
            status = "insecure";
            detail =
                    Verdicts.describe(i.verdict())
                            + "; NOT VALIDATED BY DNSSEC, accepted by --insecure";
            records = unvalidated;
            exit = records.isEmpty() ? ExitCode.PROVEN_ABSENT : ExitCode.SUCCESS;
            GlobalOptions.warnInsecure(
                    spec.commandLine().getErr(), "the IPSECKEY answer for " + name);
        } else if (r instanceof IpseckeyResult.Insecure i) {
            status = "insecure";
            detail = Verdicts.describe(i.verdict());
            exit = ExitCode.INSECURE;
        } else if (r instanceof IpseckeyResult.Bogus b) {
            status = "bogus";
            detail = Verdicts.describe(b.verdict());
            exit = ExitCode.BOGUS_OR_MISMATCH;
        } else if (r instanceof IpseckeyResult.Indeterminate d) {
            status = "indeterminate";
            detail = Verdicts.describe(d.verdict());
            exit = ExitCode.ERROR;
        } else {
            throw new IllegalStateException("unexpected IPSECKEY result " + r);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (parent.global.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("host", name);
            m.put("status", status);
            if (detail != null) {
                m.put("detail", detail);
            }
            m.put("records", records.stream().map(IpseckeyRecord::rfcForm).toList());
            out.println(Json.write(m));
        } else {
            out.println(
                    "; "
                            + (detail == null
                                    ? status
                                    : status.equals("secure") ? "secure: " + detail : detail));
            records.forEach(x -> out.println(parent.global.record(x.rfcForm())));
        }
        out.flush();
        return exit.code();
    }
}
