package dev.daneel.testkit.internal;

import dev.daneel.testkit.Breakage;
import dev.daneel.testkit.World;
import dev.daneel.testkit.ZoneBuilder;
import java.io.IOException;
import java.time.Duration;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Builds a small signed world, serves it on loopback and shows what it answers. With {@code --serve
 * SECONDS} it keeps serving so that {@code dig @127.0.0.1 -p PORT +dnssec} can be pointed at it.
 * Sends packets only to its own server on 127.0.0.1.
 */
public final class Demo {

    private Demo() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        long serveSeconds =
                args.length == 2 && args[0].equals("--serve") ? Long.parseLong(args[1]) : 0;
        long start = System.nanoTime();
        try (World world =
                World.builder()
                        .zone("test.")
                        .zone(
                                "example.test.",
                                z ->
                                        z.record(
                                                "www 300 A 192.0.2.1\n*.wild TXT \"any name\"\nalias CNAME www"))
                        .zone("hashed.test.", z -> z.nsec3(0, "", true).record("www A 192.0.2.2"))
                        .zone("unsigned.test.", ZoneBuilder::unsigned)
                        .zone(
                                "expired.test.",
                                z ->
                                        z.record("www A 192.0.2.3")
                                                .breakAll(Breakage.EXPIRED_SIGNATURES))
                        .start()) {
            System.out.printf(
                    "world of %d zones built and serving on %s in %d ms%n",
                    world.zones().size(), world.address(), (System.nanoTime() - start) / 1_000_000);
            System.out.print("trust anchor: " + world.trustAnchorText());
            SimpleResolver resolver = new SimpleResolver(world.address());
            resolver.setEDNS(0, 1232, ExtendedFlags.DO);
            resolver.setTimeout(Duration.ofSeconds(3));
            for (String[] q :
                    new String[][] {
                        {"www.example.test.", "A"},
                        {"x.wild.example.test.", "TXT"},
                        {"alias.example.test.", "A"},
                        {"nope.hashed.test.", "A"},
                        {"unsigned.test.", "DS"},
                        {"www.expired.test.", "A"}
                    }) {
                Message m =
                        resolver.send(
                                Message.newQuery(
                                        org.xbill.DNS.Record.newRecord(
                                                Name.fromString(q[0]),
                                                Type.value(q[1]),
                                                DClass.IN)));
                System.out.printf(
                        "%n;; %s %s -> %s%n", q[0], q[1], org.xbill.DNS.Rcode.string(m.getRcode()));
                for (int section : new int[] {Section.ANSWER, Section.AUTHORITY}) {
                    for (org.xbill.DNS.Record r : m.getSection(section)) {
                        System.out.println(r);
                    }
                }
            }
            System.out.printf("%n%d queries served%n", world.server().log().size());
            if (serveSeconds > 0) {
                System.out.printf(
                        "serving for %d s: dig @127.0.0.1 -p %d +dnssec www.example.test.%n",
                        serveSeconds, world.server().port());
                Thread.sleep(serveSeconds * 1000);
            }
        }
    }
}
