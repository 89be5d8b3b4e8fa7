package dev.daneel.milter;

import dev.daneel.anchors.TrustAnchors;
import dev.daneel.validator.ValidatingResolver;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code daneel-milter} daemon: reads its configuration file, then serves Postfix/Sendmail
 * until stopped.
 *
 * <pre>{@code
 * $ java -jar daneel-milter.jar --config /etc/daneel/milter.conf --check-config
 * $ java -jar daneel-milter.jar --config /etc/daneel/milter.conf
 * }</pre>
 *
 * <p>Exit codes: 0 configuration fine (with {@code --check-config}) or clean stop, 1 unusable
 * configuration or listen address, 2 usage error.
 */
@Command(
        name = "daneel-milter",
        mixinStandardHelpOptions = true,
        version = "daneel-milter 0.1.0",
        description =
                "Encrypts outbound mail to recipients whose OpenPGP key is in a DNSSEC-signed OPENPGPKEY record.")
public final class MilterMain implements Callable<Integer> {

    @Option(
            names = "--config",
            required = true,
            paramLabel = "FILE",
            description = "configuration file (key = value lines)")
    Path config;

    @Option(
            names = "--check-config",
            description = "read and check the configuration, print it, and exit")
    boolean checkOnly;

    private PrintWriter out;
    private PrintWriter err;

    public static void main(String[] args) {
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        // The log names SMTPUTF8 addresses: UTF-8 whatever the locale says.
        System.exit(
                run(
                        args,
                        new PrintWriter(
                                new java.io.OutputStreamWriter(
                                        System.out, java.nio.charset.StandardCharsets.UTF_8),
                                true),
                        new PrintWriter(
                                new java.io.OutputStreamWriter(
                                        System.err, java.nio.charset.StandardCharsets.UTF_8),
                                true)));
    }

    /** Runs in process; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        MilterMain main = new MilterMain();
        main.out = out;
        main.err = err;
        CommandLine cl = new CommandLine(main);
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(args);
    }

    /** The trust anchors {@code c} names, or the built-in IANA root anchors. */
    static TrustAnchors anchors(MilterConfig c) throws IOException {
        return c.anchors().isPresent()
                ? TrustAnchors.fromFile(c.anchors().get())
                : TrustAnchors.builtIn();
    }

    /**
     * The validating resolver {@code c} describes: its upstreams (default the system's), anchors
     * and DNS timeout.
     */
    static ValidatingResolver resolver(MilterConfig c, TrustAnchors anchors) {
        ValidatingResolver.Builder rb =
                ValidatingResolver.builder()
                        .trustAnchors(anchors)
                        .timeout(c.dnsTimeout())
                        .mode(c.mode());
        for (InetSocketAddress u : c.upstreams()) {
            rb.upstream(u);
        }
        return rb.build();
    }

    @Override
    public Integer call() {
        MilterConfig c;
        TrustAnchors anchors;
        try {
            c = MilterConfig.load(config);
            anchors = anchors(c);
            OpenPgpKeyMilter.readCopyKey(c);
            if (c.wkd()) {
                OpenPgpKeyMilter.wkdTls(c);
            }
        } catch (IOException | RuntimeException e) {
            err.println("daneel-milter: " + e.getMessage());
            return 1;
        }
        if (checkOnly) {
            out.println(c.summary());
            out.println("configuration OK");
            return 0;
        }
        try (ValidatingResolver resolver = resolver(c, anchors);
                OpenPgpKeyMilter milter =
                        OpenPgpKeyMilter.start(
                                c,
                                resolver,
                                line -> {
                                    synchronized (out) {
                                        out.println(line);
                                    }
                                })) {
            Runtime.getRuntime().addShutdownHook(new Thread(milter::close, "daneel-milter-stop"));
            milter.awaitClose();
            return 0;
        } catch (IOException e) {
            err.println(
                    "daneel-milter: cannot listen on "
                            + MilterConfig.describe(c.listen())
                            + ": "
                            + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }
}
