package dev.daneel.bench;

import dev.daneel.anchors.TrustAnchors;
import dev.daneel.validator.Answer;
import dev.daneel.validator.ValidatingResolver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;

/**
 * A validator running in this JVM, asked one question at a time from any thread, its verdict
 * reduced to a comparable line: {@code SECURE NOERROR 1}, {@code INSECURE NXDOMAIN 0}, {@code
 * BOGUS}, {@code INDETERMINATE}. Bogus answers carry no rcode or count because dnsjava replaces
 * both by SERVFAIL.
 */
interface JavaPeer extends AutoCloseable {

    /** Upstream timeout both Java peers use. */
    Duration TIMEOUT = Duration.ofSeconds(2);

    /** The peer's verdict on one question. */
    String resolve(Name name, int type);

    @Override
    void close();

    /** The comparable line for a non-Bogus verdict. */
    static String line(String status, int rcode, int records) {
        return status + " " + Rcode.string(rcode) + " " + records;
    }

    /**
     * Daneel's {@link ValidatingResolver}, a fresh (cold) one per instance. {@code
     * -Ddaneel.bench.probe=false} turns the upstream capability probe off, to measure the core
     * alone (the probe's queries precede a fresh resolver's first lookup).
     */
    static JavaPeer daneel(InetSocketAddress upstream, List<DSRecord> anchor) {
        ValidatingResolver resolver =
                ValidatingResolver.builder()
                        .upstream(upstream)
                        .trustAnchors(TrustAnchors.of(anchor))
                        .timeout(TIMEOUT)
                        .probeUpstreams(
                                !"false".equals(System.getProperty("daneel.bench.probe", "true")))
                        .build();
        return new JavaPeer() {
            @Override
            public String resolve(Name name, int type) {
                Answer a = resolver.lookup(name, type).toCompletableFuture().join();
                return switch (a.status()) {
                    case BOGUS -> "BOGUS";
                    case INDETERMINATE -> "INDETERMINATE";
                    default -> line(a.status().name(), a.rcode(), a.records().size());
                };
            }

            @Override
            public void close() {
                resolver.close();
            }
        };
    }

    /**
     * dnsjava's {@code org.xbill.DNS.dnssec.ValidatingResolver} over a {@link SimpleResolver}
     * pointed at the same upstream, with the same root DS loaded as its anchor. Its verdict is in
     * the message: AD set is Secure, SERVFAIL is Bogus, NOERROR/NXDOMAIN without AD is Insecure.
     */
    static JavaPeer dnsjava(InetSocketAddress upstream, List<DSRecord> anchor) {
        org.xbill.DNS.dnssec.ValidatingResolver resolver;
        try {
            SimpleResolver head = new SimpleResolver(upstream);
            head.setTimeout(TIMEOUT);
            resolver = new org.xbill.DNS.dnssec.ValidatingResolver(head);
            StringBuilder text = new StringBuilder();
            anchor.forEach(ds -> text.append(ds).append('\n'));
            resolver.loadTrustAnchors(
                    new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up dnsjava's ValidatingResolver", e);
        }
        org.xbill.DNS.dnssec.ValidatingResolver validator = resolver;
        return new JavaPeer() {
            @Override
            public String resolve(Name name, int type) {
                Message response;
                try {
                    response =
                            validator.send(
                                    Message.newQuery(Record.newRecord(name, type, DClass.IN)));
                } catch (IOException e) {
                    return "INDETERMINATE";
                }
                int rcode = response.getRcode();
                if (response.getHeader().getFlag(Flags.AD)) {
                    return line("SECURE", rcode, count(response, type));
                }
                if (rcode == Rcode.SERVFAIL) {
                    return "BOGUS";
                }
                if (rcode == Rcode.NOERROR || rcode == Rcode.NXDOMAIN) {
                    return line("INSECURE", rcode, count(response, type));
                }
                return "INDETERMINATE";
            }

            @Override
            public void close() {
                // SimpleResolver shares dnsjava's static I/O loop; nothing of this instance stays
                // open.
            }
        };
    }

    private static int count(Message response, int type) {
        int n = 0;
        for (Record r : response.getSection(Section.ANSWER)) {
            if (r.getType() == type) {
                n++;
            }
        }
        return n;
    }
}
