package dev.daneel.cli;

import dev.daneel.validator.HostPort;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code nameserver} lines of a {@code resolv.conf(5)} file, for {@code --resolvconf FILE} (as
 * hash-slinger's tools take it).
 *
 * <pre>{@code
 * # resolv.conf
 * search example.test
 * nameserver 127.0.0.1
 * nameserver ::1@5353        # a port, in the @PORT form libunbound's resolv.conf reader takes
 * }</pre>
 *
 * <p>{@code #} and {@code ;} start comments; {@code search}, {@code domain}, {@code options} and
 * {@code sortlist} mean nothing to a validating stub and are skipped. Each address is read by the
 * library's {@link HostPort}; an error names the file and line. A file with no {@code nameserver}
 * line is an error, not "use the system's resolvers": the user asked for these resolvers.
 *
 * <p>Stateless.
 */
final class ResolvConf {
    /** More than glibc's three, fewer than a file that is not a resolv.conf would produce. */
    static final int MAX_SERVERS = 16;

    private ResolvConf() {}

    static List<InetSocketAddress> read(Path file) {
        SshfpCommand.readable(file, "--resolvconf");
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new UsageError(
                    "--resolvconf: "
                            + file
                            + " is not text; expected resolv.conf lines such as"
                            + " 'nameserver 127.0.0.1'");
        } catch (IOException e) {
            throw new UsageError("--resolvconf: cannot read " + file + ": " + e.getMessage());
        }
        return parse(file.toString(), lines);
    }

    /** Parses {@code lines} read from {@code source} (named in errors). */
    static List<InetSocketAddress> parse(String source, List<String> lines) {
        List<InetSocketAddress> servers = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i);
            int comment = firstOf(text, '#', ';');
            String[] f = (comment >= 0 ? text.substring(0, comment) : text).strip().split("\\s+");
            if (f[0].isEmpty() || !f[0].toLowerCase(Locale.ROOT).equals("nameserver")) {
                continue;
            }
            String where = "--resolvconf: " + source + ":" + (i + 1) + ": nameserver: ";
            if (f.length != 2) {
                throw new UsageError(
                        where
                                + "expected one address (nameserver ADDR[@PORT]), got "
                                + (f.length == 1 ? "none" : (f.length - 1) + " words"));
            }
            if (servers.size() == MAX_SERVERS) {
                throw new UsageError(
                        where
                                + "more than "
                                + MAX_SERVERS
                                + " nameserver lines; is this a resolv.conf?");
            }
            try {
                servers.add(
                        HostPort.parse(hostPortForm(f[1]), GlobalOptions.DNS_PORT).socketAddress());
            } catch (IllegalArgumentException e) {
                throw new UsageError(where + e.getMessage() + " (expected nameserver ADDR[@PORT])");
            }
        }
        if (servers.isEmpty()) {
            throw new UsageError(
                    "--resolvconf: "
                            + source
                            + " has no 'nameserver ADDR' line; expected at least one");
        }
        return servers;
    }

    /** {@code ADDR@PORT} (libunbound's form) as {@code HOST:PORT}; anything else unchanged. */
    private static String hostPortForm(String value) {
        int at = value.lastIndexOf('@');
        if (at < 0) {
            return value;
        }
        String addr = value.substring(0, at);
        String port = value.substring(at + 1);
        if (port.isEmpty()) {
            throw new IllegalArgumentException(
                    "port must be a number 1..65535, got \"\" in \"" + value + "\"");
        }
        return (addr.contains(":") ? "[" + addr + "]" : addr) + ":" + port;
    }

    private static int firstOf(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        return i < 0 ? j : j < 0 ? i : Math.min(i, j);
    }
}
