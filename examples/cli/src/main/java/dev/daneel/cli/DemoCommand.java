package dev.daneel.cli;

import dev.daneel.dane.CertUsage;
import dev.daneel.dane.MatchingType;
import dev.daneel.dane.Selector;
import dev.daneel.dane.TlsaRecord;
import dev.daneel.dane.TlsaRecords;
import dev.daneel.ipseckey.Gateway;
import dev.daneel.ipseckey.Ipseckey;
import dev.daneel.ipseckey.IpseckeyLookup;
import dev.daneel.ipseckey.IpseckeyRecord;
import dev.daneel.ipseckey.IpseckeyResult;
import dev.daneel.openpgpkey.FetchResult;
import dev.daneel.openpgpkey.OpenPgpKeyFetcher;
import dev.daneel.openpgpkey.OpenPgpKeyRecords;
import dev.daneel.sshfp.FingerprintType;
import dev.daneel.sshfp.SshHostKey;
import dev.daneel.sshfp.Sshfp;
import dev.daneel.sshfp.SshfpRecord;
import dev.daneel.sshfp.SshfpResult;
import dev.daneel.sshfp.SshfpVerifier;
import dev.daneel.testkit.Breakage;
import dev.daneel.testkit.World;
import dev.daneel.validator.ValidatingResolver;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.bouncycastle.openpgp.PGPException;
import org.xbill.DNS.Type;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code daneel demo}: builds a signed DNS world in memory, serves it on 127.0.0.1 and walks
 * through what Daneel does with it, each step with a one-line explanation. Sends nothing off the
 * machine: every query goes to the world's own loopback server, validated from the world's own root
 * anchor.
 *
 * <pre>{@code
 * $ bin/daneel demo
 * }</pre>
 *
 * <p>Exits 0 when every step showed what it should; 1 (and says which step) otherwise.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description =
                "Serve a signed DNS world on 127.0.0.1 and walk through every capability. "
                        + "Sends nothing off the machine.")
final class DemoCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    private static final String HUGH = "hugh@example.test";

    private PrintWriter out;
    private final List<String> failures = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        KeyPair sshKey = generate("Ed25519", null);
        DemoTls.Identity tls = DemoTls.selfSigned("www.example.test", java.time.Instant.now());
        DemoTls.Identity impostor = DemoTls.selfSigned("www.example.test", java.time.Instant.now());
        KeyPair ipsecKey = generate("Ed25519", null);
        Path dir = Files.createTempDirectory("daneel-demo");
        DemoTls.Server tlsServer = new DemoTls.Server(tls);
        DemoTls.Server impostorServer = new DemoTls.Server(impostor);
        int tlsPort = tlsServer.port();
        TlsaRecord tlsa =
                TlsaRecords.create(
                        tls.cert(), CertUsage.DANE_EE, Selector.SPKI, MatchingType.SHA2_256);
        String tlsaLine = TlsaRecords.line("www.example.test.", tlsPort, "tcp", tlsa);
        Path certFile = dir.resolve("www.example.test.pem");
        Files.writeString(
                certFile,
                "-----BEGIN CERTIFICATE-----\n"
                        + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'})
                                .encodeToString(tls.cert().getEncoded())
                        + "\n-----END CERTIFICATE-----\n");
        List<SshfpRecord> sshfp =
                Sshfp.create(
                        "host.example.test.",
                        SshHostKey.of(sshKey.getPublic()),
                        FingerprintType.SHA256);
        IpseckeyRecord ipseckey =
                Ipseckey.create(
                        "vpn.example.test.", 10, Gateway.ipv4("192.0.2.7"), ipsecKey.getPublic());

        DemoPgp.Generated hugh = DemoPgp.generate("Hugh <" + HUGH + ">");
        byte[] hughRecord = OpenPgpKeyRecords.create(hugh.publicRing(), HUGH).keyData();
        heading("Daneel demo: a signed DNS world on 127.0.0.1 (nothing leaves this machine)");
        say(
                "Building zones: . (root), test., example.test. (signed, NSEC3), unsigned.test. (no DS),");
        say(
                "broken.test. (an expired signature on www), each with fresh keys, and serving them on loopback.");
        try (tlsServer;
                impostorServer;
                World world =
                        World.builder()
                                .bindAddress(InetAddress.getLoopbackAddress())
                                .zone("test.")
                                .zone(
                                        "example.test.",
                                        z ->
                                                z.nsec3(0, "", false)
                                                        .record("www 300 A 192.0.2.1")
                                                        .record(tlsaLine)
                                                        .record(sshfp.get(0).rfcForm())
                                                        .record(ipseckey.rfcForm())
                                                        .openpgpkey(HUGH, hughRecord))
                                .zone(
                                        "unsigned.test.",
                                        z -> z.unsigned().record("www 300 A 192.0.2.2"))
                                .zone(
                                        "broken.test.",
                                        z ->
                                                z.record("www 300 A 192.0.2.3")
                                                        .breakRRset(
                                                                "www",
                                                                Type.A,
                                                                Breakage.EXPIRED_SIGNATURES))
                                .start()) {
            InetSocketAddress at = world.address();
            Path anchor = world.writeTrustAnchors(dir.resolve("root.anchor"));
            String server = at.getAddress().getHostAddress() + ":" + at.getPort();
            say("Server " + server + "; root trust anchor written to " + anchor + ":");
            world.trustAnchorText().lines().forEach(l -> say("  " + l));

            heading("1. Validated lookups (daneel query, like delv)");
            say("A signed name validates from the root anchor down: exit 0.");
            daneel(
                    0,
                    "--server",
                    server,
                    "--anchor",
                    anchor.toString(),
                    "query",
                    "www.example.test.",
                    "A");
            say("A name that does not exist is proven absent by NSEC3: exit 4.");
            daneel(
                    4,
                    "--server",
                    server,
                    "--anchor",
                    anchor.toString(),
                    "query",
                    "nope.example.test.",
                    "A");
            say(
                    "An unsigned delegation is proven (no DS in test.), so the answer is insecure: exit 3.");
            daneel(
                    3,
                    "--server",
                    server,
                    "--anchor",
                    anchor.toString(),
                    "query",
                    "www.unsigned.test.");
            say("An expired signature makes the answer bogus, with its RFC 8914 reason: exit 2.");
            daneel(
                    2,
                    "--server",
                    server,
                    "--anchor",
                    anchor.toString(),
                    "query",
                    "www.broken.test.");
            say("The same, as JSON for scripts:");
            daneel(
                    2,
                    "--server",
                    server,
                    "--anchor",
                    anchor.toString(),
                    "--json",
                    "query",
                    "www.broken.test.");

            ValidatingResolver.Builder rb =
                    ValidatingResolver.builder()
                            .upstream(at)
                            .trustAnchors(GlobalOptions.loadAnchors(anchor));
            try (ValidatingResolver resolver = rb.build()) {
                tlsaStep(server, anchor, certFile, tlsPort, impostorServer.port());
                sshfpStep(resolver, sshfp, sshKey);
                ipseckeyStep(resolver, ipseckey, ipsecKey);
            }
            try (ValidatingResolver resolver = rb.build()) {
                openPgpKeyStep(server, anchor, dir, hugh, resolver);
            }
            kskRollStep(dir);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
        heading(
                failures.isEmpty()
                        ? "Done: every step behaved as described."
                        : "Done, but "
                                + failures.size()
                                + " step(s) did not behave as described: "
                                + failures);
        out.flush();
        return failures.isEmpty() ? ExitCode.SUCCESS.code() : ExitCode.ERROR.code();
    }

    private void tlsaStep(String server, Path anchor, Path certFile, int port, int impostorPort) {
        heading("2. TLSA (DANE for TLS, RFC 6698/7671)");
        say(
                "A TLS server runs on 127.0.0.1:"
                        + port
                        + " with a self-signed certificate; its TLSA record,");
        say(
                "made like hash-slinger's tlsa --create (DANE-EE, SPKI, SHA-256), is published in example.test.:");
        daneel(
                0,
                "tlsa",
                "--create",
                "--selector",
                "1",
                "--port",
                Integer.toString(port),
                "--certificate",
                certFile.toString(),
                "www.example.test");
        say("Verify the live server against the validated TLSA RRset: exit 0.");
        daneel(
                0,
                "--server",
                server,
                "--anchor",
                anchor.toString(),
                "tlsa",
                "--verify",
                "--port",
                Integer.toString(port),
                "--connect",
                "127.0.0.1:" + port,
                "www.example.test");
        say(
                "An impostor with another certificate for the same name (127.0.0.1:"
                        + impostorPort
                        + ") fails: exit 2.");
        daneel(
                2,
                "--server",
                server,
                "--anchor",
                anchor.toString(),
                "tlsa",
                "--verify",
                "--port",
                Integer.toString(port),
                "--connect",
                "127.0.0.1:" + impostorPort,
                "www.example.test");
    }

    private void sshfpStep(ValidatingResolver resolver, List<SshfpRecord> created, KeyPair key)
            throws GeneralSecurityException {
        heading("3. SSHFP (SSH host keys in DNS, RFC 4255/6594)");
        say("Created from the host's Ed25519 key (as ssh-keygen -r prints) and published:");
        created.forEach(r -> say("  " + r.rfcForm()));
        SshfpVerifier verifier = new SshfpVerifier(resolver);
        SshfpResult good = verifier.verify("host.example.test.", key.getPublic());
        say("Verify the real host key: " + sshfpSummary(good));
        check(good instanceof SshfpResult.Match, "SSHFP matches the host key");
        SshfpResult bad =
                verifier.verify("host.example.test.", generate("Ed25519", null).getPublic());
        say("Verify another key (a man in the middle): " + sshfpSummary(bad));
        check(bad instanceof SshfpResult.Mismatch, "SSHFP rejects another key");
    }

    private static String sshfpSummary(SshfpResult r) {
        if (r instanceof SshfpResult.Match m) {
            return "MATCH (secure) by " + m.matched().rfcForm();
        } else if (r instanceof SshfpResult.Mismatch) {
            return "MISMATCH (secure records, different key)";
        }
        return r.toString();
    }

    private void ipseckeyStep(ValidatingResolver resolver, IpseckeyRecord created, KeyPair key) {
        heading("4. IPSECKEY (IPsec keys in DNS, RFC 4025/8005/9373)");
        say(
                "Created for gateway 192.0.2.7 from an Ed25519 key (as ipsec showhostkey --ipseckey) and published:");
        say("  " + created.rfcForm());
        IpseckeyLookup lookup = new IpseckeyLookup(resolver);
        IpseckeyResult fetched = lookup.fetch("vpn.example.test.");
        if (fetched instanceof IpseckeyResult.Found f) {
            say(
                    "Fetched (secure): "
                            + f.records().size()
                            + " record(s), gateway "
                            + f.records().get(0).gateway());
            check(f.records().contains(created), "IPSECKEY fetch returns the published record");
        } else {
            say("Fetch gave " + fetched);
            check(false, "IPSECKEY fetch is secure");
        }
        IpseckeyResult verified = lookup.verify("vpn.example.test.", key.getPublic());
        say(
                "Verify the local key against it: "
                        + (verified instanceof IpseckeyResult.Match ? "MATCH" : verified));
        check(verified instanceof IpseckeyResult.Match, "IPSECKEY verify matches the local key");
    }

    private void openPgpKeyStep(
            String server,
            Path anchor,
            Path dir,
            DemoPgp.Generated hugh,
            ValidatingResolver resolver)
            throws IOException, PGPException {
        heading("5. OPENPGPKEY (OpenPGP keys in DNS, RFC 7929)");
        Path key = dir.resolve("hugh.asc");
        Files.writeString(key, OpenPgpKeyCommand.armor(hugh.publicRing().getEncoded()));
        say(
                "Hugh's key, made in memory, as a record (like gpg --export-options export-dane), published:");
        daneel(0, "openpgpkey", "--create", "--key", key.toString(), HUGH);
        say(
                "Anyone can fetch it; the status line (stderr) says which name was asked and that it was secure:");
        daneel(0, "--server", server, "--anchor", anchor.toString(), "openpgpkey", "--fetch", HUGH);
        FetchResult fetched = OpenPgpKeyFetcher.builder(resolver).build().fetch(HUGH);
        if (fetched instanceof FetchResult.Secure secure && !secure.encryptionKeys().isEmpty()) {
            String secret = "Hello Hugh, this travelled encrypted to a key found by DNSSEC.";
            String armored =
                    DemoPgp.encrypt(
                            secure.encryptionKeys().get(0).encryptionKey().orElseThrow(), secret);
            say(
                    "Encrypted to the fetched key ("
                            + armored.lines().count()
                            + " armored lines); Hugh decrypts:");
            String back = DemoPgp.decrypt(armored, hugh.secretRing());
            say("  \"" + back + "\"");
            check(back.equals(secret), "the message encrypted to the fetched key decrypts");
        } else {
            say("Fetch gave " + fetched);
            check(false, "OPENPGPKEY fetch is secure with an encryption key");
        }
        say("A name with no key is provably absent: exit 4.");
        daneel(
                4,
                "--server",
                server,
                "--anchor",
                anchor.toString(),
                "openpgpkey",
                "--fetch",
                "nobody@example.test");
    }

    private void kskRollStep(Path dir) throws IOException {
        heading("6. A root KSK roll in fast-forward (RFC 5011 trust anchor tracking)");
        say(
                "Separate worlds signed at later and later times on one port; a test clock makes months pass at once.");
        DemoKskRoll roll = new DemoKskRoll(out, dir);
        check(
                roll.run(),
                "the tracking resolver rides through the KSK roll and the static one does not");
        say("The saved RFC 5011 state, as daneel anchors shows it:");
        daneel(
                0,
                "--anchor",
                roll.anchorFile().toString(),
                "anchors",
                "--state",
                roll.stateFile().toString());
    }

    /**
     * Runs a daneel command line in process, showing it and its output, and checks its exit code.
     */
    private void daneel(int expectedExit, String... args) {
        out.println("$ daneel " + String.join(" ", args));
        out.flush();
        int code = Daneel.run(args, out, out);
        out.println("(exit " + code + ")");
        check(code == expectedExit, "daneel " + String.join(" ", args) + " exits " + expectedExit);
    }

    private void check(boolean ok, String what) {
        if (!ok) {
            failures.add(what);
            out.println("!! unexpected: " + what + " did not hold");
        }
    }

    private void heading(String text) {
        out.println();
        out.println("== " + text);
    }

    private void say(String text) {
        out.println(text);
    }

    private static KeyPair generate(String algorithm, ECGenParameterSpec spec)
            throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
        if (spec != null) {
            g.initialize(spec);
        }
        return g.generateKeyPair();
    }
}
