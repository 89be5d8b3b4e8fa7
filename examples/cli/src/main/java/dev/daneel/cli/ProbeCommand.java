package dev.daneel.cli;

import dev.daneel.validator.Mode;
import dev.daneel.validator.UpstreamProbe;
import dev.daneel.validator.ValidatingResolver;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code daneel probe}: what each configured upstream carries (DNSSEC records, EDNS size, TCP,
 * large answers) and where a lookup would get its data, or one JSON object with {@code --json}.
 *
 * <pre>{@code
 * $ daneel --server 192.168.1.1 --server 127.0.0.1:5353 probe
 * 192.168.1.1:53	does not carry DNSSEC: RRSIGs of the ./DNSKEY answer are missing
 * 127.0.0.1:5353	carries DNSSEC: UDP, TCP, EDNS 1232, DO kept, 1139 octets whole over TCP
 * ; lookups use the upstreams that carry DNSSEC (stub)
 * }</pre>
 *
 * <p>Exit codes: 0 when some upstream carries DNSSEC, 1 when none does.
 */
@Command(
        name = "probe",
        mixinStandardHelpOptions = true,
        description =
                "Probe each upstream: does it carry DNSSEC, EDNS, TCP, large answers? Which path would a lookup take?",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:some upstream carries DNSSEC",
            "1:none does (lookups recurse, or are indeterminate)"
        })
final class ProbeCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @ParentCommand Daneel parent;

    @Override
    public Integer call() {
        GlobalOptions global = parent.global;
        try (ValidatingResolver resolver =
                global.resolverBuilder().mode(Mode.STUB_THEN_RECURSIVE).build()) {
            List<UpstreamProbe> probes = resolver.probeUpstreams();
            boolean capable =
                    probes.stream().anyMatch(p -> p.carries() == UpstreamProbe.Carries.DNSSEC);
            boolean maybe =
                    probes.stream().anyMatch(p -> p.carries() == UpstreamProbe.Carries.UNKNOWN);
            String path = capable || maybe ? "stub" : "recursive";
            PrintWriter out = spec.commandLine().getOut();
            if (global.json) {
                List<Object> list = new ArrayList<>();
                for (UpstreamProbe p : probes) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("upstream", address(p));
                    m.put("carries", p.carries().name());
                    m.put("udp", p.udp());
                    m.put("tcp", p.tcp());
                    m.put("ednsPayload", p.ednsPayload());
                    m.put("doBit", p.doBit());
                    m.put("largestTcpAnswer", p.largestTcpAnswer());
                    m.put("problems", p.problems());
                    list.add(m);
                }
                Map<String, Object> top = new LinkedHashMap<>();
                top.put("upstreams", list);
                top.put("path", path);
                out.println(Json.write(top));
            } else {
                for (UpstreamProbe p : probes) {
                    out.println(address(p) + "\t" + line(p));
                }
                out.println(
                        capable || maybe
                                ? "; lookups use the upstreams that carry DNSSEC (stub)"
                                : "; no upstream carries DNSSEC: with mode STUB_THEN_RECURSIVE (--recursive for query) lookups recurse"
                                        + " from the root hints; in STUB mode they are indeterminate (UPSTREAM_NO_DNSSEC)");
            }
            out.flush();
            return capable ? ExitCode.SUCCESS.code() : ExitCode.ERROR.code();
        }
    }

    private static String address(UpstreamProbe p) {
        String host = p.upstream().getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + p.upstream().getPort();
    }

    /** One line of words: what it carries and how. */
    static String line(UpstreamProbe p) {
        List<String> how = new ArrayList<>();
        if (p.udp()) {
            how.add("UDP");
        }
        if (p.tcp()) {
            how.add("TCP");
        }
        how.add(p.ednsPayload() < 0 ? "no EDNS" : "EDNS " + p.ednsPayload());
        how.add(p.doBit() ? "DO kept" : "DO cleared");
        if (p.largestTcpAnswer() > 0) {
            how.add(p.largestTcpAnswer() + " octets whole over TCP");
        }
        String notes = p.problems().isEmpty() ? "" : " (" + String.join("; ", p.problems()) + ")";
        return switch (p.carries()) {
            case DNSSEC -> "carries DNSSEC: " + String.join(", ", how) + notes;
            case NO_DNSSEC ->
                    "does not carry DNSSEC: "
                            + String.join("; ", p.problems())
                            + " ["
                            + String.join(", ", how)
                            + "]";
            case UNREACHABLE -> "unreachable: " + String.join("; ", p.problems());
            case UNKNOWN ->
                    "unknown (answered the probe with an error): "
                            + String.join("; ", p.problems());
        };
    }
}
