package dev.daneel.validator.interop;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * BIND's {@code dig}, asking one authoritative server without recursion ({@code +norec +dnssec}):
 * the reference for what a zone's server really says. dig retries over TCP by itself when the
 * answer is truncated.
 *
 * <pre>{@code
 * Dig.Result r = Dig.ask(dir, "127.0.0.4", port, Name.fromString("www.sec.test."), Type.A);
 * }</pre>
 */
final class Dig {

    private static final Pattern STATUS = Pattern.compile("status: ([A-Z]+)");

    /**
     * What the server said.
     *
     * @param status the rcode's name ({@code NOERROR}, {@code NXDOMAIN}, {@code REFUSED} ...)
     * @param answer the answer section, RRSIGs included
     * @param authority the authority section, RRSIGs included
     */
    record Result(String status, List<Record> answer, List<Record> authority) {}

    private Dig() {}

    static Result ask(Path workDir, String server, int port, Name name, int type) {
        String dig = Tools.require("dig", "bind9-dnsutils");
        String out =
                Tools.check(
                        Duration.ofSeconds(20),
                        workDir,
                        List.of(
                                dig,
                                "@" + server,
                                "-p",
                                Integer.toString(port),
                                "+norec",
                                "+dnssec",
                                "+tries=1",
                                "+time=5",
                                "+bufsize=1232",
                                "+multiline=no",
                                name.toString(),
                                Type.string(type)));
        Matcher m = STATUS.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException(
                    "dig printed no status for "
                            + name
                            + "/"
                            + Type.string(type)
                            + " at "
                            + server
                            + ":\n"
                            + out);
        }
        return new Result(m.group(1), section(out, "ANSWER"), section(out, "AUTHORITY"));
    }

    private static List<Record> section(String out, String which) {
        List<Record> records = new ArrayList<>();
        String marker = ";; " + which + " SECTION:";
        int at = out.indexOf(marker);
        if (at < 0) {
            return records;
        }
        StringBuilder text = new StringBuilder();
        for (String line : out.substring(at + marker.length()).split("\n")) {
            if (line.isBlank()) {
                if (text.length() > 0) {
                    break;
                }
                continue;
            }
            if (line.startsWith(";")) {
                break;
            }
            text.append(line).append('\n');
        }
        try (Master master =
                new Master(
                        new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8)),
                        Name.root)) {
            for (Record r; (r = master.nextRecord()) != null; ) {
                records.add(r);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read dig's " + which + " section:\n" + text, e);
        }
        return records;
    }
}
