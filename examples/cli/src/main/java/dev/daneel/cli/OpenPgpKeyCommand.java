package dev.daneel.cli;

import dev.daneel.openpgpkey.FetchResult;
import dev.daneel.openpgpkey.LocalKeys;
import dev.daneel.openpgpkey.OpenPgpKeyFetcher;
import dev.daneel.openpgpkey.OpenPgpKeyName;
import dev.daneel.openpgpkey.OpenPgpKeyRecords;
import dev.daneel.openpgpkey.PublishedKey;
import dev.daneel.openpgpkey.Verification;
import dev.daneel.validator.Answer;
import dev.daneel.validator.Status;
import dev.daneel.validator.ValidatingResolver;
import dev.daneel.validator.Verdict;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.xbill.DNS.OPENPGPKEYRecord;
import org.xbill.DNS.Type;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code daneel openpgpkey}: OPENPGPKEY records (RFC 7929) made from a local key, as {@code gpg
 * --export-options export-dane} and hash-slinger's {@code openpgpkey --create} make them; a
 * DNSSEC-secure key fetched for an e-mail address (armored on stdout, status on stderr); and local
 * keys compared with the published ones.
 *
 * <pre>{@code
 * $ daneel openpgpkey --fetch hugh@example.test > hugh.asc
 * ; queried c93f1e400f26708f98cb19d936620da35eec8f72e57f9eec01c1afd6._openpgpkey.example.test. for hugh@example.test: secure, 1 key
 * }</pre>
 *
 * <p>Exit codes: 0 created, fetched or all published keys held locally; 2 bogus or a published key
 * not held locally; 3 insecure (RFC 7929 §5 requires DNSSEC); 4 provably no key.
 */
@Command(
        name = "openpgpkey",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description =
                "Create OPENPGPKEY records, fetch a DNSSEC-secure OpenPGP key for an e-mail address, "
                        + "or verify local keys against the published ones.")
final class OpenPgpKeyCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @ParentCommand Daneel parent;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Mode mode;

    static final class Mode {
        @Option(
                names = {"--create", "-c"},
                required = true,
                description = "Print the OPENPGPKEY record for a local key.")
        boolean create;

        @Option(
                names = {"--fetch", "-f"},
                required = true,
                description = "Fetch the key; armored on stdout.")
        boolean fetch;

        @Option(
                names = {"--verify", "-v"},
                required = true,
                description = "Compare local keys with the published ones.")
        boolean verify;
    }

    @Option(
            names = "--key",
            paramLabel = "FILE",
            description = "A public key file (armored or binary).")
    Path key;

    @Option(
            names = "--keyring",
            paramLabel = "FILE",
            description =
                    "A GnuPG keyring (pubring.kbx or pubring.gpg); the keys for EMAIL are used.")
    Path keyring;

    @Option(
            names = {"--output", "-o"},
            paramLabel = "rfc|generic|both",
            defaultValue = "rfc",
            description =
                    "--create: RFC 7929 form, RFC 3597 generic form, or both (default ${DEFAULT-VALUE}).")
    String output;

    @Option(
            names = "--uid",
            paramLabel = "UID",
            description = "--fetch: accept keys whose user ID carries UID instead of EMAIL.")
    String uid;

    @Option(
            names = "--keyid",
            paramLabel = "KEYID",
            description =
                    "Only the key with this key ID (16 or 8 hex digits, or the 40-digit fingerprint; "
                            + "a subkey's ID selects its key): --create publishes it, --fetch prints it, --verify checks it.")
    String keyid;

    @Parameters(paramLabel = "EMAIL", description = "The e-mail address (local@domain).")
    String email;

    @Override
    public Integer call() throws IOException {
        if (keyid != null) {
            KeyIds.check(keyid);
        }
        try {
            OpenPgpKeyName.of(email);
        } catch (IllegalArgumentException e) {
            throw new UsageError(
                    "EMAIL: \""
                            + email
                            + "\" is not an e-mail address (local@domain): "
                            + e.getMessage());
        }
        if (mode.create) {
            return create();
        }
        return mode.fetch ? fetch() : verify();
    }

    private List<PGPPublicKeyRing> localKeys(String forWhat) throws IOException {
        if ((key == null) == (keyring == null)) {
            throw new UsageError(
                    forWhat
                            + " needs either --key FILE or --keyring FILE, not "
                            + (key == null ? "neither" : "both"));
        }
        Path file = key != null ? key : keyring;
        String option = key != null ? "--key" : "--keyring";
        SshfpCommand.readable(file, option);
        List<PGPPublicKeyRing> rings;
        try {
            rings = LocalKeys.read(file);
        } catch (IOException e) {
            throw new UsageError(
                    option + ": " + file + " holds no OpenPGP public key: " + e.getMessage());
        }
        List<PGPPublicKeyRing> mine = LocalKeys.forAddress(rings, email);
        if (mine.isEmpty()) {
            throw new UsageError(
                    option
                            + ": "
                            + file
                            + " has "
                            + rings.size()
                            + " key(s) but none with a user ID for "
                            + email);
        }
        if (keyid != null) {
            List<PGPPublicKeyRing> chosen =
                    mine.stream().filter(r -> KeyIds.matches(r, keyid)).toList();
            if (chosen.isEmpty()) {
                throw new UsageError(
                        "--keyid: none of the "
                                + mine.size()
                                + " key(s) for "
                                + email
                                + " in "
                                + file
                                + " has key ID "
                                + keyid
                                + "; they are "
                                + mine.stream().map(KeyIds::describe).toList());
            }
            return chosen;
        }
        return mine;
    }

    private int create() throws IOException {
        if (uid != null) {
            throw new UsageError("--uid goes with --fetch, not --create");
        }
        OpenPgpKeyRecords.Form form =
                switch (output.toLowerCase(Locale.ROOT)) {
                    case "rfc" -> OpenPgpKeyRecords.Form.RFC;
                    case "generic" -> OpenPgpKeyRecords.Form.GENERIC;
                    case "both" -> OpenPgpKeyRecords.Form.BOTH;
                    default ->
                            throw new UsageError(
                                    "--output must be rfc, generic or both, got \""
                                            + output
                                            + "\"");
                };
        List<String> lines = new ArrayList<>();
        for (PGPPublicKeyRing ring : localKeys("--create")) {
            OpenPgpKeyRecords r;
            try {
                r = OpenPgpKeyRecords.create(ring, email);
            } catch (IllegalArgumentException e) {
                throw new UsageError("--create: " + e.getMessage());
            }
            r.text(form).lines().forEach(lines::add);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (parent.global.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("email", email);
            m.put("owner", OpenPgpKeyName.of(email));
            m.put("records", lines.stream().filter(l -> !l.startsWith(";")).toList());
            out.println(Json.write(m));
        } else {
            lines.forEach(l -> out.println(parent.global.record(l)));
        }
        out.flush();
        return ExitCode.SUCCESS.code();
    }

    private FetchResult lookup() {
        try (ValidatingResolver resolver = parent.global.resolver()) {
            OpenPgpKeyFetcher.Builder b = OpenPgpKeyFetcher.builder(resolver);
            if (uid != null) {
                b.insecureAcceptUserIdMismatch();
            }
            FetchResult r = b.build().fetch(email);
            parent.global.debug(
                    resolver, spec.commandLine().getErr(), r.ownerName(), Type.OPENPGPKEY);
            if (r instanceof FetchResult.Insecure && parent.global.insecure) {
                insecureKeys = unvalidatedKeys(resolver, r.ownerName());
            }
            return r;
        }
    }

    /**
     * With --insecure: the keys an Insecure answer carried, checked as a Secure answer's keys are.
     */
    private List<PublishedKey> insecureKeys = List.of();

    private List<PublishedKey> unvalidatedKeys(ValidatingResolver resolver, String owner) {
        Answer a = resolver.resolve(owner, Type.OPENPGPKEY);
        if (a.status() != Status.INSECURE) {
            return List.of(); // never Bogus or Indeterminate data, whatever the switch says
        }
        List<PublishedKey> keys = new ArrayList<>();
        for (org.xbill.DNS.Record rec : a.records()) {
            if (rec instanceof OPENPGPKEYRecord k) {
                keys.add(PublishedKey.check(k.getCert(), email, true, Instant.now()));
            }
        }
        return keys;
    }

    private int fetch() throws IOException {
        if (key != null || keyring != null) {
            throw new UsageError("--key and --keyring go with --create and --verify, not --fetch");
        }
        FetchResult r = lookup();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String queried = "; queried " + r.ownerName() + " for " + email + ": ";
        ExitCode exit;
        List<PublishedKey> keys = new ArrayList<>();
        String status;
        boolean acceptedInsecure = r instanceof FetchResult.Insecure && parent.global.insecure;
        if (r instanceof FetchResult.Secure || acceptedInsecure) {
            List<PublishedKey> published =
                    acceptedInsecure ? insecureKeys : ((FetchResult.Secure) r).keys();
            for (PublishedKey k : published) {
                if ((uid == null
                                || k.userIds().stream()
                                        .anyMatch(
                                                u ->
                                                        u.toLowerCase(Locale.ROOT)
                                                                .contains(
                                                                        uid.toLowerCase(
                                                                                Locale.ROOT))))
                        && (keyid == null || KeyIds.matches(k, keyid))) {
                    keys.add(k);
                }
            }
            String which =
                    keyid != null
                            ? "key ID " + keyid
                            : "a user ID for " + (uid == null ? email : uid);
            String security =
                    acceptedInsecure
                            ? Verdicts.describe(((FetchResult.Insecure) r).verdict())
                                    + ", NOT VALIDATED BY DNSSEC"
                            : "DNSSEC-secure";
            status =
                    keys.isEmpty()
                            ? (acceptedInsecure ? "insecure" : "secure")
                                    + ", but no key with "
                                    + which
                            : security + ", " + keys.size() + " key(s)";
            exit = keys.isEmpty() ? ExitCode.BOGUS_OR_MISMATCH : ExitCode.SUCCESS;
            if (acceptedInsecure) {
                GlobalOptions.warnInsecure(err, "the OPENPGPKEY answer for " + email);
            }
        } else if (r instanceof FetchResult.NoKey) {
            status = "secure proof that there is no key";
            exit = ExitCode.PROVEN_ABSENT;
        } else if (r instanceof FetchResult.Insecure i) {
            status =
                    Verdicts.describe(i.verdict())
                            + "; "
                            + i.recordsSeen()
                            + " unauthenticated record(s) ignored (RFC 7929 requires DNSSEC)";
            exit = ExitCode.INSECURE;
        } else if (r instanceof FetchResult.Bogus b) {
            status = Verdicts.describe(b.verdict());
            exit = ExitCode.BOGUS_OR_MISMATCH;
        } else if (r instanceof FetchResult.Unavailable u) {
            status = Verdicts.describe(u.verdict());
            exit = ExitCode.ERROR;
        } else {
            throw new IllegalStateException("unexpected fetch result " + r);
        }
        if (parent.global.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("email", email);
            m.put("owner", r.ownerName());
            m.put("status", statusWord(r));
            m.put("detail", status);
            if (acceptedInsecure) {
                m.put("insecure_accepted", true);
            }
            List<Map<String, Object>> ks = new ArrayList<>();
            for (PublishedKey k : keys) {
                Map<String, Object> km = new LinkedHashMap<>();
                km.put("fingerprint", k.fingerprint());
                km.put("userIds", k.userIds());
                km.put("issues", k.issues().stream().map(Enum::name).toList());
                km.put("armored", armor(k.data(), acceptedInsecure));
                ks.add(km);
            }
            m.put("keys", ks);
            out.println(Json.write(m));
        } else {
            err.println(queried + status);
            for (PublishedKey k : keys) {
                for (String d : k.details()) {
                    err.println(";   " + k.fingerprint() + ": " + d);
                }
                out.print(armor(k.data(), acceptedInsecure));
            }
        }
        out.flush();
        err.flush();
        return exit.code();
    }

    private int verify() throws IOException {
        if (uid != null) {
            throw new UsageError("--uid goes with --fetch, not --verify");
        }
        List<PGPPublicKeyRing> local = localKeys("--verify");
        FetchResult r = lookup();
        Verification v = Verification.of(r, local);
        List<String> lines = new ArrayList<>();
        ExitCode exit;
        if (r instanceof FetchResult.Secure) {
            // --keyid: only the chosen key is compared; the address's other published keys are not
            // this check's
            List<PublishedKey> matched =
                    v.matched().stream()
                            .filter(k -> keyid == null || KeyIds.matches(k, keyid))
                            .toList();
            List<PublishedKey> unmatched =
                    v.unmatched().stream()
                            .filter(k -> keyid == null || KeyIds.matches(k, keyid))
                            .toList();
            matched.forEach(
                    k ->
                            lines.add(
                                    "SUCCESS key "
                                            + k.fingerprint()
                                            + " published for "
                                            + email
                                            + " is held locally (secure)"));
            unmatched.forEach(
                    k ->
                            lines.add(
                                    "FAIL key "
                                            + k.fingerprint()
                                            + " published for "
                                            + email
                                            + " is not held locally"));
            if (matched.isEmpty() && unmatched.isEmpty()) {
                lines.add(
                        "FAIL no acceptable key"
                                + (keyid == null ? "" : " with key ID " + keyid)
                                + " is published for "
                                + email);
            }
            exit =
                    !matched.isEmpty() && unmatched.isEmpty()
                            ? ExitCode.SUCCESS
                            : ExitCode.BOGUS_OR_MISMATCH;
        } else if (r instanceof FetchResult.NoKey) {
            lines.add("FAIL " + r.ownerName() + " provably has no OPENPGPKEY record");
            exit = ExitCode.PROVEN_ABSENT;
        } else {
            Verdict s =
                    r instanceof FetchResult.Insecure i
                            ? i.verdict()
                            : r instanceof FetchResult.Bogus b
                                    ? b.verdict()
                                    : ((FetchResult.Unavailable) r).verdict();
            lines.add("FAIL " + r.ownerName() + ": " + Verdicts.describe(s));
            exit = Verdicts.exitCode(s);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (parent.global.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("email", email);
            m.put("owner", r.ownerName());
            m.put("status", exit == ExitCode.SUCCESS ? "match" : statusWord(r));
            m.put("results", lines);
            out.println(Json.write(m));
        } else {
            lines.forEach(out::println);
        }
        out.flush();
        return exit.code();
    }

    private static String statusWord(FetchResult r) {
        if (r instanceof FetchResult.Secure) {
            return "secure";
        } else if (r instanceof FetchResult.NoKey) {
            return "nokey";
        } else if (r instanceof FetchResult.Insecure) {
            return "insecure";
        } else if (r instanceof FetchResult.Bogus) {
            return "bogus";
        }
        return "indeterminate";
    }

    static String armor(byte[] data) throws IOException {
        return armor(data, false);
    }

    /**
     * The armored key; one taken from an Insecure answer says so in a Comment header, as
     * hash-slinger's does.
     */
    static String armor(byte[] data, boolean notValidated) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ArmoredOutputStream.Builder builder = ArmoredOutputStream.builder().clearHeaders();
        if (notValidated) {
            builder.addComment("NOT VALIDATED BY DNSSEC (fetched with --insecure)");
        }
        try (ArmoredOutputStream a = builder.build(bytes)) {
            a.write(data);
        }
        return bytes.toString(StandardCharsets.US_ASCII);
    }
}
