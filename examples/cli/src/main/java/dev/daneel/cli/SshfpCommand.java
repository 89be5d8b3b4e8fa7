package dev.daneel.cli;

import dev.daneel.sshfp.FingerprintType;
import dev.daneel.sshfp.KnownHostsRecords;
import dev.daneel.sshfp.SshHostKey;
import dev.daneel.sshfp.Sshfp;
import dev.daneel.sshfp.SshfpRecord;
import dev.daneel.sshfp.SshfpResult;
import dev.daneel.sshfp.SshfpVerifier;
import dev.daneel.validator.Answer;
import dev.daneel.validator.HostPort;
import dev.daneel.validator.Status;
import dev.daneel.validator.ValidatingResolver;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.SSHFPRecord;
import org.xbill.DNS.Type;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code daneel sshfp}: SSHFP records (RFC 4255, 6594) made from host keys, as {@code ssh-keygen
 * -r} and hash-slinger's {@code sshfp} print them, and a host key checked against the validated
 * SSHFP RRset.
 *
 * <pre>{@code
 * $ daneel sshfp --create -f /etc/ssh/ssh_host_ed25519_key.pub host.example.test.
 * host.example.test. IN SSHFP 4 1 0f1e...
 * host.example.test. IN SSHFP 4 2 26304ed8...
 * $ daneel sshfp --verify --key ssh_host_ed25519_key.pub host.example.test.
 * SUCCESS ssh-ed25519 key matches host.example.test. IN SSHFP 4 2 26304ed8... (secure)
 * }</pre>
 *
 * <p>Exit codes: 0 created or matched, 2 mismatch or bogus, 3 insecure, 4 no SSHFP records
 * (proven).
 */
@Command(
        name = "sshfp",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description =
                "Create SSHFP records from SSH host keys, or verify a host key against DNSSEC-validated SSHFP.")
final class SshfpCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @ParentCommand Daneel parent;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Mode mode;

    static final class Mode {
        @Option(
                names = "--create",
                required = true,
                description = "Print SSHFP records for the host's keys.")
        boolean create;

        @Option(
                names = "--verify",
                required = true,
                description = "Check a host key against the host's SSHFP records.")
        boolean verify;
    }

    @Option(
            names = {"-k", "--known-hosts"},
            paramLabel = "KNOWN_HOSTS",
            description = "--create: take HOST's keys from this known_hosts file.")
    Path knownHosts;

    @Option(
            names = {"-f", "--file"},
            paramLabel = "PUBKEY",
            description = "--create: a public key file (OpenSSH .pub or RFC 4716); repeatable.")
    List<Path> files = new ArrayList<>();

    @Option(
            names = "--digest",
            paramLabel = "sha1|sha256",
            description =
                    "--create: fingerprint types, repeatable (default both, as ssh-keygen -r).")
    List<String> digests = new ArrayList<>();

    @Option(
            names = "--key",
            paramLabel = "PUBKEY",
            description = "--verify: the host key to check (a .pub file).")
    Path key;

    @Option(
            names = "--connect",
            paramLabel = "ADDR[:PORT]",
            description =
                    "--verify: fetch the host keys from a live SSH server (runs ssh-keyscan).")
    String connect;

    @Parameters(paramLabel = "HOST", description = "The host name (owner of the SSHFP records).")
    String host;

    @Override
    public Integer call() throws IOException {
        return mode.create ? create() : verify();
    }

    private int create() throws IOException {
        if (key != null || connect != null) {
            throw new UsageError("--key and --connect go with --verify, not --create");
        }
        if ((knownHosts == null) == files.isEmpty()) {
            throw new UsageError(
                    "--create needs either -k KNOWN_HOSTS or -f PUBKEY (one or more), not "
                            + (knownHosts == null ? "neither" : "both"));
        }
        FingerprintType[] types = digestTypes();
        List<SshfpRecord> records = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (knownHosts != null) {
            readable(knownHosts, "-k");
            KnownHostsRecords k = Sshfp.fromKnownHosts(knownHosts, host, types);
            records.addAll(k.records());
            notes.addAll(k.notes());
            if (records.isEmpty()) {
                notes.forEach(n -> err().println("daneel sshfp: " + n));
                throw new UsageError(
                        "-k: "
                                + knownHosts
                                + " has no usable key for "
                                + host
                                + " (hashed entries cannot be matched; try -f with the host's .pub file)");
            }
        }
        for (Path f : files) {
            readable(f, "-f");
            try {
                records.addAll(Sshfp.create(host, f, types));
            } catch (IllegalArgumentException e) {
                throw new UsageError("-f: " + f + " is not an SSH public key: " + e.getMessage());
            }
        }
        notes.forEach(n -> err().println("daneel sshfp: " + n));
        PrintWriter out = out();
        if (parent.global.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("host", host);
            m.put("records", records.stream().map(SshfpRecord::rfcForm).toList());
            out.println(Json.write(m));
        } else {
            records.forEach(r -> out.println(parent.global.record(r.rfcForm())));
        }
        out.flush();
        return ExitCode.SUCCESS.code();
    }

    private int verify() throws IOException {
        if (knownHosts != null || !files.isEmpty() || !digests.isEmpty()) {
            throw new UsageError("-k, -f and --digest go with --create, not --verify");
        }
        if ((key == null) == (connect == null)) {
            throw new UsageError(
                    "--verify needs either --key PUBKEY or --connect ADDR[:PORT], not "
                            + (key == null ? "neither" : "both"));
        }
        List<SshHostKey> keys = new ArrayList<>();
        if (key != null) {
            readable(key, "--key");
            try {
                keys.add(SshHostKey.read(key));
            } catch (IllegalArgumentException e) {
                throw new UsageError(
                        "--key: " + key + " is not an SSH public key: " + e.getMessage());
            }
        } else {
            keys.addAll(keyscan(connect));
        }
        String name = Verdicts.absolute(host);
        List<Map<String, Object>> results = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        ExitCode worst = null;
        boolean anyMatch = false;
        try (ValidatingResolver resolver = parent.global.resolver()) {
            SshfpVerifier verifier = new SshfpVerifier(resolver);
            for (SshHostKey k : keys) {
                SshfpResult r = verifier.verify(name, k);
                ExitCode code = exitCode(r);
                String text = line(k, r);
                if (r instanceof SshfpResult.Insecure && parent.global.insecure) {
                    // --insecure, as hash-slinger's: an unsigned zone's records are compared,
                    // flagged as such
                    Optional<SshfpRecord> m =
                            unvalidatedRecords(resolver, name).stream()
                                    .filter(x -> x.matches(k))
                                    .findFirst();
                    code = m.isPresent() ? ExitCode.SUCCESS : ExitCode.BOGUS_OR_MISMATCH;
                    text =
                            m.map(
                                            x ->
                                                    "INSECURE SUCCESS "
                                                            + k.keyType()
                                                            + " key matches "
                                                            + x.rfcForm()
                                                            + " (NOT VALIDATED BY DNSSEC)")
                                    .orElse(
                                            "INSECURE FAIL "
                                                    + k.keyType()
                                                    + " key matches none of the unvalidated SSHFP records of "
                                                    + name);
                    GlobalOptions.warnInsecure(err(), "the SSHFP answer for " + name);
                }
                anyMatch |=
                        r instanceof SshfpResult.Match
                                || (code == ExitCode.SUCCESS && parent.global.insecure);
                worst = worst == null || code.code() > worst.code() ? code : worst;
                lines.add(text);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("key", k.keyType());
                m.put("result", r.getClass().getSimpleName().toLowerCase(Locale.ROOT));
                m.put("line", lines.get(lines.size() - 1));
                results.add(m);
            }
            parent.global.debug(resolver, err(), name, Type.SSHFP);
        }
        ExitCode exit = anyMatch ? ExitCode.SUCCESS : worst;
        PrintWriter out = out();
        if (parent.global.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("host", name);
            m.put(
                    "status",
                    anyMatch
                            ? "match"
                            : exit == ExitCode.PROVEN_ABSENT
                                    ? "norecords"
                                    : exit == ExitCode.INSECURE
                                            ? "insecure"
                                            : exit == ExitCode.ERROR ? "indeterminate" : "fail");
            m.put("keys", results);
            out.println(Json.write(m));
        } else {
            lines.forEach(out::println);
        }
        out.flush();
        return exit.code();
    }

    /**
     * With --insecure: the SSHFP records of an Insecure answer (never of a Bogus or indeterminate
     * one).
     */
    private static List<SshfpRecord> unvalidatedRecords(ValidatingResolver resolver, String name) {
        Answer a = resolver.resolve(name, Type.SSHFP);
        if (a.status() != Status.INSECURE) {
            return List.of();
        }
        List<SshfpRecord> out = new ArrayList<>();
        for (org.xbill.DNS.Record rec : a.records()) {
            if (rec instanceof SSHFPRecord f) {
                out.add(
                        new SshfpRecord(
                                f.getName().toString(),
                                f.getAlgorithm(),
                                f.getDigestType(),
                                f.getFingerPrint()));
            }
        }
        return out;
    }

    static ExitCode exitCode(SshfpResult r) {
        if (r instanceof SshfpResult.Match) {
            return ExitCode.SUCCESS;
        } else if (r instanceof SshfpResult.Mismatch || r instanceof SshfpResult.Bogus) {
            return ExitCode.BOGUS_OR_MISMATCH;
        } else if (r instanceof SshfpResult.NoRecords) {
            return ExitCode.PROVEN_ABSENT;
        } else if (r instanceof SshfpResult.Insecure) {
            return ExitCode.INSECURE;
        }
        return ExitCode.ERROR;
    }

    static String line(SshHostKey k, SshfpResult r) {
        String t = k.keyType();
        if (r instanceof SshfpResult.Match m) {
            return "SUCCESS " + t + " key matches " + m.matched().rfcForm() + " (secure)";
        } else if (r instanceof SshfpResult.Mismatch m) {
            return "FAIL "
                    + t
                    + " key matches none of the "
                    + m.records().size()
                    + " secure SSHFP record(s) of "
                    + m.host()
                    + (m.considered().isEmpty() ? " (none for this key's algorithm)" : "");
        } else if (r instanceof SshfpResult.NoRecords n) {
            return "FAIL " + n.host() + " provably has no SSHFP records";
        } else if (r instanceof SshfpResult.Insecure i) {
            return "FAIL "
                    + i.host()
                    + " SSHFP is "
                    + Verdicts.describe(i.verdict())
                    + "; not compared";
        } else if (r instanceof SshfpResult.Bogus b) {
            return "FAIL " + b.host() + " SSHFP is " + Verdicts.describe(b.verdict());
        } else if (r instanceof SshfpResult.Indeterminate d) {
            return "FAIL " + d.host() + " SSHFP lookup " + Verdicts.describe(d.verdict());
        }
        return "FAIL " + r;
    }

    private FingerprintType[] digestTypes() {
        if (digests.isEmpty()) {
            return new FingerprintType[] {FingerprintType.SHA1, FingerprintType.SHA256};
        }
        List<FingerprintType> out = new ArrayList<>();
        for (String d : digests) {
            switch (d.toLowerCase(Locale.ROOT)) {
                case "sha1", "1" -> out.add(FingerprintType.SHA1);
                case "sha256", "2" -> out.add(FingerprintType.SHA256);
                default ->
                        throw new UsageError("--digest must be sha1 or sha256, got \"" + d + "\"");
            }
        }
        return out.toArray(FingerprintType[]::new);
    }

    /** Host keys from a live server, through ssh-keyscan (as hash-slinger's sshfp -s does). */
    private List<SshHostKey> keyscan(String target) throws IOException {
        // the shared HOST[:PORT] parser (IP literals only: ssh-keyscan must not resolve a name
        // unvalidated)
        HostPort hp;
        try {
            hp = HostPort.parse(target, 22);
        } catch (IllegalArgumentException e) {
            throw new UsageError("--connect: " + e.getMessage());
        }
        String addr = hp.address().getHostAddress();
        String port = Integer.toString(hp.port());
        Path out = Files.createTempFile("daneel-keyscan", ".txt");
        try {
            Process p;
            try {
                p =
                        new ProcessBuilder("ssh-keyscan", "-p", port, addr)
                                .redirectOutput(out.toFile())
                                .redirectError(ProcessBuilder.Redirect.DISCARD)
                                .start();
            } catch (IOException e) {
                throw new UsageError(
                        "--connect needs ssh-keyscan (package openssh-client) on the PATH; "
                                + "or give the key with --key PUBKEY");
            }
            try {
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IOException("ssh-keyscan " + target + " did not finish within 30 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for ssh-keyscan", e);
            }
            List<SshHostKey> keys = new ArrayList<>();
            for (String l : Files.readAllLines(out, StandardCharsets.UTF_8)) {
                String[] f = l.strip().split("\\s+");
                if (l.startsWith("#") || f.length < 3) {
                    continue;
                }
                try {
                    keys.add(SshHostKey.parse(f[1] + " " + f[2]));
                } catch (IllegalArgumentException e) {
                    err().println(
                                    "daneel sshfp: skipped a key from "
                                            + target
                                            + ": "
                                            + e.getMessage());
                }
            }
            if (keys.isEmpty()) {
                throw new IOException(
                        "--connect: no SSH host key from "
                                + target
                                + " (is an SSH server listening there?)");
            }
            return keys;
        } finally {
            Files.deleteIfExists(out);
        }
    }

    static void readable(Path file, String option) {
        if (!Files.isReadable(file)) {
            throw new UsageError(
                    option + ": cannot read " + file + " (no such file or not readable)");
        }
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
