package dev.daneel.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The {@code daneel} command: hash-slinger's verbs with Daneel's validator inside, {@code query}
 * like {@code delv}, and {@code demo}, a signed world on loopback.
 *
 * <pre>{@code
 * $ daneel demo
 * $ daneel --server 127.0.0.1:5353 --anchor root.key query www.example.test. A --json
 * }</pre>
 *
 * <p>Exit codes ({@link ExitCode}) are stable: 0 success, 1 error or indeterminate, 2 bogus or
 * mismatch, 3 insecure, 4 secure proof of absence. Errors go to stderr and name the argument at
 * fault.
 *
 * <p>{@link #run} is re-entrant: each call parses into fresh command objects.
 */
@Command(
        name = "daneel",
        mixinStandardHelpOptions = true,
        version = "daneel 0.1.0",
        description =
                "DNSSEC-validated DNS lookups and DANE records (TLSA, OPENPGPKEY, SSHFP, IPSECKEY).",
        subcommands = {
            QueryCommand.class,
            TlsaCommand.class,
            OpenPgpKeyCommand.class,
            SshfpCommand.class,
            IpseckeyCommand.class,
            AnchorsCommand.class,
            DemoCommand.class,
            ProbeCommand.class,
            CommandLine.HelpCommand.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success (secure answer, match, record created)",
            "1:error (usage, I/O, unreachable, indeterminate)",
            "2:bogus or mismatch",
            "3:insecure (no DNSSEC protection where it was required)",
            "4:secure proof that nothing exists (NXDOMAIN/NODATA)"
        })
public final class Daneel implements Runnable {
    @Mixin GlobalOptions global;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** Runs the command and exits the JVM with its {@link ExitCode}. */
    public static void main(String[] args) {
        // The libraries log progress (RFC 5011 moves, skipped expired built-in anchors) at INFO
        // through
        // System.Logger; a command's stdout and stderr are its interface, so only warnings get
        // through.
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        System.exit(code);
    }

    /**
     * Runs the command in process.
     *
     * @return the exit code
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Daneel());
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler(
                (ex, a) -> {
                    CommandLine c = ex.getCommandLine();
                    c.getErr().println("daneel " + c.getCommandName() + ": " + ex.getMessage());
                    c.getErr()
                            .println(
                                    "Try 'daneel "
                                            + (c == cl ? "" : c.getCommandName() + " ")
                                            + "--help'.");
                    c.getErr().flush();
                    return ExitCode.ERROR.code();
                });
        cl.setExecutionExceptionHandler(
                (ex, commandLine, parseResult) -> {
                    commandLine
                            .getErr()
                            .println("daneel " + commandLine.getCommandName() + ": " + message(ex));
                    commandLine.getErr().flush();
                    return ExitCode.ERROR.code();
                });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    private static String message(Throwable ex) {
        Throwable t = ex;
        while ((t instanceof CompletionException || t instanceof UncheckedIOException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof UsageError) {
            return t.getMessage();
        }
        String m = t.getMessage();
        return (m == null ? t.getClass().getSimpleName() : m);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(),
                "missing command (query, demo, ...); 'daneel demo' shows everything on loopback");
    }
}
