package dev.daneel.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * Real UDP and TCP packets on loopback against a {@link WorldServer}: transport rules (TC, EDNS,
 * DO), every {@link Fault.Kind}, fault narrowing, the {@link QueryLog}, malformed input and
 * closing.
 *
 * <p>Timing: expected answers get {@value #ANSWER_MILLIS} ms; "no answer" is shown by {@value
 * #SILENCE_MILLIS} ms of silence. Delays are proven by ordering, never by wall-clock bounds.
 */
class WorldServerTest {

    private static final int ANSWER_MILLIS = 2_000;
    private static final int SILENCE_MILLIS = 500;
    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    private static final int BIG_TXT_COUNT = 40;

    private static final String WWW = "www.example.test.";
    private static final String SLOW = "slow.example.test.";
    private static final String BIG = "big.example.test.";
    private static final String MISSING = "nope.example.test.";

    private static World world() {
        String bigTxt =
                IntStream.range(0, BIG_TXT_COUNT)
                        .mapToObj(i -> String.format("big 300 TXT \"%02d%s\"", i, "x".repeat(198)))
                        .collect(Collectors.joining("\n"));
        return World.builder()
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .zone(
                        "example.test.",
                        z ->
                                z.record("www 300 A 192.0.2.1")
                                        .record("slow 300 A 192.0.2.2")
                                        .record(bigTxt))
                .start();
    }

    // ---- answers, both transports ----

    @Test
    void udpAndTcpGiveByteIdenticalAnswers() throws IOException {
        try (World world = world()) {
            WorldServer server = world.server();
            List<Message> queries =
                    List.of(
                            query(WWW, Type.A, 1),
                            edns(query(WWW, Type.A, 2), 1232, true),
                            edns(query(WWW, Type.A, 3), 1232, false),
                            edns(query(MISSING, Type.A, 4), 1232, true),
                            query(MISSING, Type.A, 5));
            for (Message q : queries) {
                assertArrayEquals(
                        udp(server, q), tcp(server, q), "UDP and TCP answers differ for\n" + q);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void answerWithDoCarriesRrsigsAndEchoesOptWithDo(Transport transport) throws IOException {
        try (World world = world()) {
            Message q = edns(query(WWW, Type.A, 0x4242), 1232, true);
            q.getHeader()
                    .setFlag(Flags.AD); // RFC 6840 §5.7: a client may ask for AD; this resolver
            // validates nothing
            q.getHeader().setFlag(Flags.CD);
            Message r = parse(exchange(world.server(), q, transport));

            assertEquals(0x4242, r.getHeader().getID());
            assertTrue(r.getHeader().getFlag(Flags.QR));
            assertTrue(r.getHeader().getFlag(Flags.RA));
            assertTrue(r.getHeader().getFlag(Flags.RD));
            assertTrue(r.getHeader().getFlag(Flags.CD));
            assertFalse(
                    r.getHeader().getFlag(Flags.AD), "AD set by a resolver that validates nothing");
            assertFalse(r.getHeader().getFlag(Flags.TC));
            assertEquals(Rcode.NOERROR, r.getRcode());
            assertEquals(q.getQuestion(), r.getQuestion());
            List<org.xbill.DNS.Record> answer = r.getSection(Section.ANSWER);
            assertEquals(2, answer.size(), "expected A + RRSIG, got " + answer);
            assertEquals("192.0.2.1", ((ARecord) answer.get(0)).getAddress().getHostAddress());
            assertEquals(Type.A, ((RRSIGRecord) answer.get(1)).getTypeCovered());
            OPTRecord opt = r.getOPT();
            assertNotNull(opt, "EDNS query answered without OPT");
            assertEquals(ExtendedFlags.DO, opt.getFlags() & ExtendedFlags.DO);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void answerWithoutDoHasNoDnssecRecords(Transport transport) throws IOException {
        try (World world = world()) {
            WorldServer server = world.server();

            Message positive =
                    parse(exchange(server, edns(query(WWW, Type.A, 1), 1232, false), transport));
            assertEquals(List.of(Type.A), types(positive, Section.ANSWER));
            assertNotNull(positive.getOPT(), "EDNS query answered without OPT");
            assertEquals(
                    0,
                    positive.getOPT().getFlags() & ExtendedFlags.DO,
                    "DO echoed though not asked");

            Message negative =
                    parse(
                            exchange(
                                    server,
                                    edns(query(MISSING, Type.A, 2), 1232, false),
                                    transport));
            assertEquals(Rcode.NXDOMAIN, negative.getRcode());
            assertEquals(List.of(Type.SOA), types(negative, Section.AUTHORITY));

            Message plain = parse(exchange(server, query(WWW, Type.A, 3), transport));
            assertNull(plain.getOPT(), "OPT in the answer to a query without EDNS");
            assertEquals(List.of(Type.A), types(plain, Section.ANSWER));
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void nxdomainWithDoCarriesSignedNsecProofs(Transport transport) throws IOException {
        try (World world = world()) {
            Message r =
                    parse(
                            exchange(
                                    world.server(),
                                    edns(query(MISSING, Type.A, 1), 1232, true),
                                    transport));
            assertEquals(Rcode.NXDOMAIN, r.getRcode());
            List<org.xbill.DNS.Record> authority = r.getSection(Section.AUTHORITY);
            assertTrue(
                    authority.stream().anyMatch(SOARecord.class::isInstance),
                    "no SOA in " + authority);
            assertTrue(
                    authority.stream().anyMatch(NSECRecord.class::isInstance),
                    "no NSEC in " + authority);
            assertTrue(
                    authority.stream()
                            .anyMatch(
                                    rr ->
                                            rr instanceof RRSIGRecord s
                                                    && s.getTypeCovered() == Type.NSEC),
                    "no RRSIG over NSEC in " + authority);
        }
    }

    // ---- truncation and TCP fallback ----

    @Test
    void largeUdpAnswerWithoutEdnsIsTruncatedToQuestionOnly() throws IOException {
        try (World world = world()) {
            Message r = parse(udp(world.server(), query(BIG, Type.TXT, 7)));
            assertTruncatedEmpty(r, 7);
            assertNull(r.getOPT());
        }
    }

    @Test
    void largeUdpAnswerOverEdnsPayloadIsTruncatedToQuestionAndOpt() throws IOException {
        try (World world = world()) {
            Message r = parse(udp(world.server(), edns(query(BIG, Type.TXT, 8), 1232, true)));
            assertTruncatedEmpty(r, 8);
            assertNotNull(r.getOPT(), "truncated answer to an EDNS query lost its OPT");
        }
    }

    @Test
    void largeAnswerOverTcpIsComplete() throws IOException {
        try (World world = world()) {
            Message r = parse(tcp(world.server(), edns(query(BIG, Type.TXT, 9), 1232, true)));
            assertFalse(r.getHeader().getFlag(Flags.TC));
            assertEquals(
                    BIG_TXT_COUNT,
                    r.getSection(Section.ANSWER).stream()
                            .filter(TXTRecord.class::isInstance)
                            .count());
            assertTrue(
                    r.getSection(Section.ANSWER).stream().anyMatch(RRSIGRecord.class::isInstance));
        }
    }

    @Test
    void udpLimitIsTheClientPayloadSizeExactly() throws IOException {
        try (World world = world()) {
            WorldServer server = world.server();
            // The response does not depend on the payload size asked for, so TCP tells us its exact
            // length.
            int size = tcp(server, edns(query(BIG, Type.TXT, 1), 1232, false)).length;
            assertTrue(size > 512, "the big RRset should exceed 512 octets, is " + size);

            Message fits = parse(udp(server, edns(query(BIG, Type.TXT, 2), size, false)));
            assertFalse(
                    fits.getHeader().getFlag(Flags.TC),
                    "a " + size + "-octet answer truncated at payload " + size);
            assertEquals(BIG_TXT_COUNT, fits.getSection(Section.ANSWER).size());

            assertTruncatedEmpty(
                    parse(udp(server, edns(query(BIG, Type.TXT, 3), size - 1, false))), 3);
        }
    }

    @Test
    void payloadBelow512StillAllows512() throws IOException {
        try (World world = world()) {
            // RFC 6891 §6.2.5: values below 512 are treated as 512.
            byte[] answer = udp(world.server(), edns(query(WWW, Type.A, 1), 100, true));
            assertTrue(
                    answer.length > 100 && answer.length <= 512,
                    "pick a query whose answer is 101..512 octets");
            assertFalse(parse(answer).getHeader().getFlag(Flags.TC));
        }
    }

    @Test
    void simpleResolverFallsBackToTcpOnTruncation() throws IOException {
        try (World world = world()) {
            WorldServer server = world.server();
            SimpleResolver resolver = new SimpleResolver(server.address());
            resolver.setEDNS(0, 1232, ExtendedFlags.DO);
            resolver.setTimeout(Duration.ofMillis(ANSWER_MILLIS));

            Message r = resolver.send(query(BIG, Type.TXT, 1));

            assertEquals(
                    BIG_TXT_COUNT,
                    r.getSection(Section.ANSWER).stream()
                            .filter(TXTRecord.class::isInstance)
                            .count());
            List<Transport> transports =
                    server.log().entries().stream().map(LoggedQuery::transport).toList();
            assertEquals(List.of(Transport.UDP, Transport.TCP), transports);
            assertEquals(2, server.log().count(BIG, Type.TXT));
        }
    }

    // ---- faults ----

    @Test
    void dropOverUdpSendsNothing() throws IOException {
        try (World world = world();
                DatagramSocket s = udpClient(world.server())) {
            world.server().inject(Fault.drop());
            send(s, world.server(), query(WWW, Type.A, 1));
            assertNoDatagram(s);
            assertEquals(Fault.Kind.DROP, world.server().log().entries().get(0).fault());
        }
    }

    @Test
    void dropOverTcpClosesTheConnectionWithoutAnswer() throws IOException {
        try (World world = world();
                Socket s = tcpClient(world.server())) {
            world.server().inject(Fault.drop());
            write(s, query(WWW, Type.A, 1));
            assertClosedWithoutAnswer(s);
        }
    }

    @Test
    void delayedUdpAnswerArrivesAfterAnUndelayedOneSentLater() throws IOException {
        try (World world = world();
                DatagramSocket s = udpClient(world.server())) {
            WorldServer server = world.server();
            server.inject(Fault.delay(Duration.ofSeconds(1)).forName(SLOW));
            send(s, server, query(SLOW, Type.A, 1));
            send(s, server, query(WWW, Type.A, 2));

            assertEquals(2, parse(receive(s)).getHeader().getID(), "the delayed answer came first");
            Message delayed = parse(receive(s));
            assertEquals(1, delayed.getHeader().getID());
            assertEquals(
                    "192.0.2.2",
                    ((ARecord) delayed.getSection(Section.ANSWER).get(0))
                            .getAddress()
                            .getHostAddress());
            assertEquals(1, server.log().count(q -> q.fault() == Fault.Kind.DELAY));
        }
    }

    @Test
    void delayedTcpAnswerArrivesAfterAnUndelayedOneSentLater() throws IOException {
        try (World world = world();
                Socket slow = tcpClient(world.server());
                Socket fast = tcpClient(world.server())) {
            world.server().inject(Fault.delay(Duration.ofSeconds(1)).forName(SLOW));
            write(slow, query(SLOW, Type.A, 1));
            write(fast, query(WWW, Type.A, 2));

            assertEquals(2, parse(read(fast)).getHeader().getID());
            assertEquals(
                    0,
                    slow.getInputStream().available(),
                    "the delayed answer came before the undelayed one");
            assertEquals(1, parse(read(slow)).getHeader().getID());
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void servfailIsEmptyWithQuestionAndOpt(Transport transport) throws IOException {
        assertEmptyWithRcode(Fault.servfail(), Rcode.SERVFAIL, transport);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void refusedIsEmptyWithQuestionAndOpt(Transport transport) throws IOException {
        assertEmptyWithRcode(Fault.refused(), Rcode.REFUSED, transport);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void garbageIsNeverTheAnswer(Transport transport) throws IOException {
        try (World world = world()) {
            WorldServer server = world.server();
            server.inject(Fault.garbage());
            for (int id = 1; id <= 20; id++) {
                Message q = edns(query(WWW, Type.A, id), 1232, true);
                byte[] junk = exchange(server, q, transport);
                assertFalse(
                        isAnswerTo(q, junk),
                        "garbage parsed as the answer: " + Arrays.toString(junk));
            }
            assertEquals(20, server.log().count(q -> q.fault() == Fault.Kind.GARBAGE));
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void wrongIdChangesOnlyTheId(Transport transport) throws IOException {
        try (World world = world()) {
            Message q = edns(query(WWW, Type.A, 0x1234), 1232, true);
            byte[] normal = exchange(world.server(), q, transport);
            world.server().inject(Fault.wrongId());
            byte[] wrong = exchange(world.server(), q, transport);

            assertNotEquals(0x1234, parse(wrong).getHeader().getID());
            assertArrayEquals(
                    Arrays.copyOfRange(normal, 2, normal.length),
                    Arrays.copyOfRange(wrong, 2, wrong.length));
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void wrongQuestionAnswersForAnotherName(Transport transport) throws IOException {
        try (World world = world()) {
            world.server().inject(Fault.wrongQuestion());
            Message r = parse(exchange(world.server(), query(WWW, Type.A, 1), transport));
            assertNotEquals(Name.fromConstantString(WWW), r.getQuestion().getName());
            assertEquals(Type.A, r.getQuestion().getType());
            assertEquals(1, r.getHeader().getID());
            assertEquals(
                    List.of(Type.A),
                    types(r, Section.ANSWER),
                    "the records should be the normal answer");
        }
    }

    @Test
    void wrongSourceOverUdpAnswersFromAnotherPort() throws IOException {
        try (World world = world();
                DatagramSocket s = udpClient(world.server())) {
            WorldServer server = world.server();
            Message q = query(WWW, Type.A, 1);
            byte[] normal = udp(server, q);
            server.inject(Fault.wrongSource());
            send(s, server, q);
            DatagramPacket p = receivePacket(s);

            assertEquals(server.address().getAddress(), p.getAddress());
            assertNotEquals(
                    server.port(), p.getPort(), "the answer came from the server's own port");
            assertArrayEquals(normal, bytes(p));
        }
    }

    @Test
    void wrongSourceOverTcpClosesTheConnectionWithoutAnswer() throws IOException {
        try (World world = world();
                Socket s = tcpClient(world.server())) {
            world.server().inject(Fault.wrongSource());
            write(s, query(WWW, Type.A, 1));
            assertClosedWithoutAnswer(s);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void truncatedPacketIsAPrefixOfTheAnswerWithoutTc(Transport transport) throws IOException {
        try (World world = world()) {
            Message q = edns(query(WWW, Type.A, 1), 1232, true);
            byte[] normal = exchange(world.server(), q, transport);
            world.server().inject(Fault.truncatedPacket());
            byte[] cut = exchange(world.server(), q, transport);

            assertTrue(
                    cut.length < normal.length,
                    cut.length + " octets is not shorter than " + normal.length);
            assertArrayEquals(Arrays.copyOf(normal, cut.length), cut);
            assertEquals(0, cut[2] & 0x02, "TC set on a cut-off packet");
            assertThrows(IOException.class, () -> new Message(cut));
        }
    }

    @Test
    void forceTruncationSetsTcOverUdp() throws IOException {
        try (World world = world()) {
            world.server().inject(Fault.forceTruncation());
            assertTruncatedEmpty(parse(udp(world.server(), query(WWW, Type.A, 5))), 5);
        }
    }

    @Test
    void forceTruncationLeavesTcpAlone() throws IOException {
        try (World world = world()) {
            Message q = edns(query(WWW, Type.A, 1), 1232, true);
            byte[] normal = tcp(world.server(), q);
            world.server().inject(Fault.forceTruncation());
            assertArrayEquals(normal, tcp(world.server(), q));
            assertEquals(
                    Fault.Kind.FORCE_TRUNCATION, world.server().log().entries().get(1).fault());
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void adBitSetsAdOnTheNormalAnswer(Transport transport) throws IOException {
        try (World world = world()) {
            Message q = edns(query(WWW, Type.A, 1), 1232, true);
            byte[] normal = exchange(world.server(), q, transport);
            world.server().inject(Fault.adBit());
            byte[] lying = exchange(world.server(), q, transport);

            assertTrue(parse(lying).getHeader().getFlag(Flags.AD));
            lying[3] &= ~0x20; // without AD it is the normal answer
            assertArrayEquals(normal, lying);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void rewriteEditsTheNormalAnswerBeforeItIsEncoded(Transport transport) throws IOException {
        try (World world = world()) {
            Message q = edns(query(WWW, Type.A, 1), 1232, true);
            Message normal = parse(exchange(world.server(), q, transport));
            ARecord forged =
                    new ARecord(
                            Name.fromConstantString("victim.test."),
                            DClass.IN,
                            300,
                            java.net.InetAddress.getByAddress(new byte[] {(byte) 203, 0, 113, 66}));
            world.server()
                    .inject(
                            Fault.rewrite(
                                    m -> {
                                        m.removeAllRecords(Section.ANSWER);
                                        m.addRecord(forged, Section.ADDITIONAL);
                                        return m;
                                    }));
            Message edited = parse(exchange(world.server(), q, transport));

            assertFalse(normal.getSection(Section.ANSWER).isEmpty());
            assertTrue(edited.getSection(Section.ANSWER).isEmpty(), edited.toString());
            assertTrue(edited.getSection(Section.ADDITIONAL).contains(forged), edited.toString());
            assertEquals(normal.getHeader().getID(), edited.getHeader().getID());
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void mangleSendsTheBytesItReturnsOrNothingForNull(Transport transport) throws IOException {
        try (World world = world()) {
            Message q = edns(query(WWW, Type.A, 1), 1232, true);
            byte[] normal = exchange(world.server(), q, transport);
            world.server()
                    .inject(
                            Fault.mangle(
                                            b -> {
                                                byte[] out = Arrays.copyOf(b, b.length);
                                                out[6] = (byte) 0xff; // ANCOUNT 65280 + n: more
                                                // records than the packet
                                                // holds
                                                return out;
                                            })
                                    .times(1));
            byte[] mangled = exchange(world.server(), q, transport);
            assertEquals(normal.length, mangled.length);
            assertEquals((byte) 0xff, mangled[6]);
            assertThrows(IOException.class, () -> new Message(mangled));

            if (transport == Transport.UDP) {
                try (DatagramSocket s = udpClient(world.server())) {
                    world.server().inject(Fault.mangle(b -> null).times(1));
                    send(s, world.server(), q);
                    assertNoDatagram(s);
                }
            }
        }
    }

    @Test
    void timesAppliesToExactlyThatManyQueries() throws IOException {
        try (World world = world()) {
            WorldServer server = world.server();
            server.inject(Fault.servfail().times(2));
            List<Integer> rcodes =
                    IntStream.rangeClosed(1, 4)
                            .mapToObj(id -> rcode(server, query(WWW, Type.A, id)))
                            .toList();
            assertEquals(
                    List.of(Rcode.SERVFAIL, Rcode.SERVFAIL, Rcode.NOERROR, Rcode.NOERROR), rcodes);
            assertEquals(
                    Arrays.asList(Fault.Kind.SERVFAIL, Fault.Kind.SERVFAIL, null, null),
                    server.log().entries().stream().map(LoggedQuery::fault).toList());
        }
    }

    @Test
    void firstInjectedFaultWithUsesLeftApplies() {
        try (World world = world()) {
            WorldServer server = world.server();
            server.inject(Fault.refused().times(1)).inject(Fault.servfail());
            List<Integer> rcodes =
                    IntStream.rangeClosed(1, 3)
                            .mapToObj(id -> rcode(server, query(WWW, Type.A, id)))
                            .toList();
            assertEquals(List.of(Rcode.REFUSED, Rcode.SERVFAIL, Rcode.SERVFAIL), rcodes);
        }
    }

    @Test
    void forNameMatchesOnlyThatNameIgnoringCase() {
        try (World world = world()) {
            WorldServer server = world.server();
            server.inject(Fault.servfail().forName("WWW.Example.TEST"));
            assertEquals(Rcode.SERVFAIL, rcode(server, query(WWW, Type.A, 1)));
            assertEquals(Rcode.SERVFAIL, rcode(server, query("wWw.eXample.test.", Type.A, 2)));
            assertEquals(Rcode.NOERROR, rcode(server, query(SLOW, Type.A, 3)));
            assertEquals(Rcode.NXDOMAIN, rcode(server, query("sub." + WWW, Type.A, 4)));
        }
    }

    @Test
    void forTypeMatchesOnlyThatType() {
        try (World world = world()) {
            WorldServer server = world.server();
            server.inject(Fault.servfail().forType(Type.AAAA));
            assertEquals(Rcode.SERVFAIL, rcode(server, query(WWW, Type.AAAA, 1)));
            assertEquals(Rcode.NOERROR, rcode(server, query(WWW, Type.A, 2)));
        }
    }

    @Test
    void overMatchesOnlyThatTransport() throws IOException {
        try (World world = world()) {
            WorldServer server = world.server();
            server.inject(Fault.servfail().over(Transport.TCP));
            assertEquals(Rcode.NOERROR, parse(udp(server, query(WWW, Type.A, 1))).getRcode());
            assertEquals(Rcode.SERVFAIL, parse(tcp(server, query(WWW, Type.A, 2))).getRcode());
        }
    }

    @Test
    void narrowingsCombine() throws IOException {
        try (World world = world()) {
            WorldServer server = world.server();
            server.inject(
                    Fault.refused().forName(WWW).forType(Type.A).over(Transport.UDP).times(1));
            assertEquals(Rcode.NOERROR, parse(tcp(server, query(WWW, Type.A, 1))).getRcode());
            assertEquals(Rcode.NOERROR, parse(udp(server, query(WWW, Type.AAAA, 2))).getRcode());
            assertEquals(Rcode.NOERROR, parse(udp(server, query(SLOW, Type.A, 3))).getRcode());
            assertEquals(Rcode.REFUSED, parse(udp(server, query(WWW, Type.A, 4))).getRcode());
            assertEquals(Rcode.NOERROR, parse(udp(server, query(WWW, Type.A, 5))).getRcode());
        }
    }

    @Test
    void clearFaultsRestoresNormalAnswers() {
        try (World world = world()) {
            WorldServer server = world.server();
            server.inject(Fault.servfail()).inject(Fault.drop().forType(Type.AAAA));
            assertEquals(Rcode.SERVFAIL, rcode(server, query(WWW, Type.A, 1)));
            server.clearFaults();
            assertEquals(Rcode.NOERROR, rcode(server, query(WWW, Type.A, 2)));
            assertEquals(Rcode.NOERROR, rcode(server, query(WWW, Type.AAAA, 3)));
        }
    }

    // ---- query log ----

    @Test
    void logRecordsWhatEachQueryAskedAndWhatWasDone() throws IOException {
        try (World world = world();
                DatagramSocket s = udpClient(world.server());
                Socket t = tcpClient(world.server())) {
            WorldServer server = world.server();
            Message viaUdp = edns(query(WWW, Type.A, 0x0101), 1400, true);
            viaUdp.getHeader().setFlag(Flags.CD);
            send(s, server, viaUdp);
            receive(s);
            server.inject(Fault.servfail().over(Transport.TCP));
            write(t, query(MISSING, Type.AAAA, 0x0202));
            read(t);

            List<LoggedQuery> log = server.log().entries();
            assertEquals(
                    List.of(
                            new LoggedQuery(
                                    NOW,
                                    Transport.UDP,
                                    (InetSocketAddress) s.getLocalSocketAddress(),
                                    0x0101,
                                    Name.fromConstantString(WWW),
                                    Type.A,
                                    true,
                                    true,
                                    1400,
                                    null),
                            new LoggedQuery(
                                    NOW,
                                    Transport.TCP,
                                    (InetSocketAddress) t.getLocalSocketAddress(),
                                    0x0202,
                                    Name.fromConstantString(MISSING),
                                    Type.AAAA,
                                    false,
                                    false,
                                    0,
                                    Fault.Kind.SERVFAIL)),
                    log);
        }
    }

    @Test
    void logCountsByNameAndTypeAndClears() {
        try (World world = world()) {
            WorldServer server = world.server();
            rcode(server, query(WWW, Type.A, 1));
            rcode(server, query("WWW.example.test.", Type.A, 2));
            rcode(server, query(WWW, Type.AAAA, 3));
            assertEquals(3, server.log().size());
            assertEquals(2, server.log().count("www.example.test", Type.A));
            assertEquals(1, server.log().count(WWW, Type.AAAA));
            assertEquals(0, server.log().count(SLOW, Type.A));

            server.log().clear();
            assertEquals(0, server.log().size());
            assertEquals(List.of(), server.log().entries());
            rcode(server, query(WWW, Type.A, 4));
            assertEquals(1, server.log().count(WWW, Type.A));
        }
    }

    @Test
    void newServerHasItsOwnPortLogAndFaults() throws IOException {
        try (World world = world()) {
            WorldServer primary = world.server();
            WorldServer second = world.newServer();
            assertNotEquals(primary.port(), second.port());

            second.inject(Fault.refused());
            assertEquals(Rcode.REFUSED, rcode(second, query(WWW, Type.A, 1)));
            assertEquals(Rcode.NOERROR, rcode(primary, query(WWW, Type.A, 2)));
            assertEquals(Rcode.REFUSED, parse(tcp(second, query(WWW, Type.A, 3))).getRcode());

            assertEquals(
                    List.of(1, 3), second.log().entries().stream().map(LoggedQuery::id).toList());
            assertEquals(
                    List.of(2), primary.log().entries().stream().map(LoggedQuery::id).toList());

            second.close();
            assertEquals(Rcode.NOERROR, rcode(primary, query(WWW, Type.A, 4)));
        }
    }

    // ---- malformed input ----

    @Test
    void datagramShorterThanAHeaderGetsNoAnswerButIsLogged() throws IOException {
        try (World world = world();
                DatagramSocket s = udpClient(world.server())) {
            WorldServer server = world.server();
            send(s, server, new byte[] {0x12, 0x34, 0x01, 0x00, 0x00});
            assertNoDatagram(s);
            LoggedQuery logged = server.log().entries().get(0);
            assertEquals(0x1234, logged.id());
            assertNull(logged.name());
            assertEquals(-1, logged.type());
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void unparseableQuestionGetsFormerrEchoingIdAndRd(Transport transport) throws IOException {
        try (World world = world()) {
            // One question whose name is a 63-octet label with only three octets behind it.
            byte[] wire = {0x56, 0x78, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 63, 'w', 'w', 'w'};
            byte[] answer = exchange(world.server(), wire, transport);

            assertEquals(12, answer.length, "expected a bare header");
            Message r = parse(answer);
            assertEquals(0x5678, r.getHeader().getID());
            assertTrue(r.getHeader().getFlag(Flags.QR));
            assertTrue(r.getHeader().getFlag(Flags.RD));
            assertEquals(Rcode.FORMERR, r.getRcode());
            assertNull(r.getQuestion());
        }
    }

    @Test
    void queryWithoutQuestionGetsFormerr() throws IOException {
        try (World world = world()) {
            Message r =
                    parse(
                            udp(
                                    world.server(),
                                    new byte[] {0x00, 0x07, 0x01, 0x00, 0, 0, 0, 0, 0, 0, 0, 0}));
            assertEquals(7, r.getHeader().getID());
            assertEquals(Rcode.FORMERR, r.getRcode());
        }
    }

    @Test
    void aResponseSentToTheServerIsLoggedButNeverAnswered() throws IOException {
        try (World world = world();
                DatagramSocket s = udpClient(world.server())) {
            Message response = query(WWW, Type.A, 9);
            response.getHeader().setFlag(Flags.QR);
            send(s, world.server(), response);
            assertNoDatagram(s);
            assertEquals(1, world.server().log().size());
        }
    }

    @Test
    void unknownEdnsVersionGetsBadversWithNoRecords() throws IOException {
        try (World world = world()) {
            Message q = query(WWW, Type.A, 11);
            q.addRecord(new OPTRecord(1232, 0, 1, ExtendedFlags.DO), Section.ADDITIONAL);
            Message r = parse(udp(world.server(), q));
            assertEquals(Rcode.BADVERS, r.getRcode());
            assertEquals(0, r.getOPT().getVersion());
            assertTrue(r.getSection(Section.ANSWER).isEmpty());
        }
    }

    @Test
    void tcpMessageShorterThanAHeaderClosesTheConnection() throws IOException {
        try (World world = world();
                Socket s = tcpClient(world.server())) {
            write(s, new byte[] {0x12, 0x34, 0x01});
            assertClosedWithoutAnswer(s);
        }
    }

    @Test
    void tcpConnectionAnswersSeveralQueriesInOrder() throws IOException {
        try (World world = world();
                Socket s = tcpClient(world.server())) {
            for (int id = 1; id <= 3; id++) {
                write(s, query(WWW, Type.A, id));
                assertEquals(id, parse(read(s)).getHeader().getID());
            }
            assertEquals(
                    3,
                    world.server().log().count(q -> q.client().equals(s.getLocalSocketAddress())));
        }
    }

    // ---- closing ----

    @Test
    void closedServerAnswersNothingOnAnyTransport() throws IOException {
        try (World world = world();
                DatagramSocket s = udpClient(world.server());
                Socket open = tcpClient(world.server())) {
            WorldServer server = world.server();
            write(open, query(WWW, Type.A, 1));
            read(open); // the connection works before closing

            world.close();

            send(s, server, query(WWW, Type.A, 2));
            assertNoDatagram(s);
            assertThrows(ConnectException.class, () -> tcpClient(server));
            // A connection opened before closing must not be served after it (failover tests rely
            // on that).
            try {
                write(open, query(WWW, Type.A, 3));
            } catch (SocketException alreadyReset) {
                return; // the server reset it: nothing can be answered
            }
            assertClosedWithoutAnswer(open);
        }
    }

    // ---- helpers ----

    private static void assertEmptyWithRcode(Fault fault, int rcode, Transport transport)
            throws IOException {
        try (World world = world()) {
            world.server().inject(fault);
            Message q = edns(query(WWW, Type.A, 0x0a0a), 1232, true);
            Message r = parse(exchange(world.server(), q, transport));
            assertEquals(0x0a0a, r.getHeader().getID());
            assertEquals(rcode, r.getRcode());
            assertEquals(q.getQuestion(), r.getQuestion());
            assertNotNull(r.getOPT());
            for (int section : new int[] {Section.ANSWER, Section.AUTHORITY}) {
                assertEquals(
                        List.of(), r.getSection(section), Section.string(section) + " not empty");
            }
            assertEquals(List.of(Type.OPT), types(r, Section.ADDITIONAL));
        }
    }

    private static void assertTruncatedEmpty(Message r, int id) {
        assertEquals(id, r.getHeader().getID());
        assertTrue(r.getHeader().getFlag(Flags.TC), "TC not set");
        assertTrue(r.getHeader().getFlag(Flags.QR));
        assertNotNull(r.getQuestion(), "truncated answer lost its question");
        assertEquals(List.of(), r.getSection(Section.ANSWER));
        assertEquals(List.of(), r.getSection(Section.AUTHORITY));
        assertTrue(r.getSection(Section.ADDITIONAL).stream().allMatch(OPTRecord.class::isInstance));
    }

    /** Whether {@code wire} parses as a response with the query's ID and question. */
    private static boolean isAnswerTo(Message query, byte[] wire) {
        try {
            Message r = new Message(wire);
            return r.getHeader().getFlag(Flags.QR)
                    && r.getHeader().getID() == query.getHeader().getID()
                    && query.getQuestion().equals(r.getQuestion());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static Message query(String name, int type, int id) {
        Message m =
                Message.newQuery(
                        org.xbill.DNS.Record.newRecord(
                                Name.fromConstantString(name), type, DClass.IN));
        m.getHeader().setID(id);
        return m;
    }

    private static Message edns(Message query, int payload, boolean dnssecOk) {
        query.addRecord(
                new OPTRecord(payload, 0, 0, dnssecOk ? ExtendedFlags.DO : 0), Section.ADDITIONAL);
        return query;
    }

    private static Message parse(byte[] wire) throws IOException {
        return new Message(wire);
    }

    private static List<Integer> types(Message m, int section) {
        return m.getSection(section).stream().map(org.xbill.DNS.Record::getType).toList();
    }

    /** The rcode of a UDP answer, unchecked for use in streams. */
    private static int rcode(WorldServer server, Message query) {
        try {
            return parse(udp(server, query)).getRcode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] exchange(WorldServer server, Message query, Transport transport)
            throws IOException {
        return exchange(server, query.toWire(), transport);
    }

    private static byte[] exchange(WorldServer server, byte[] query, Transport transport)
            throws IOException {
        return transport == Transport.UDP ? udp(server, query) : tcp(server, query);
    }

    private static byte[] udp(WorldServer server, Message query) throws IOException {
        return udp(server, query.toWire());
    }

    private static byte[] udp(WorldServer server, byte[] query) throws IOException {
        try (DatagramSocket s = udpClient(server)) {
            send(s, server, query);
            return receive(s);
        }
    }

    private static byte[] tcp(WorldServer server, Message query) throws IOException {
        return tcp(server, query.toWire());
    }

    private static byte[] tcp(WorldServer server, byte[] query) throws IOException {
        try (Socket s = tcpClient(server)) {
            write(s, query);
            return read(s);
        }
    }

    /**
     * An unconnected socket on the server's loopback address, so answers from any port are seen.
     */
    private static DatagramSocket udpClient(WorldServer server) throws IOException {
        DatagramSocket s =
                new DatagramSocket(new InetSocketAddress(server.address().getAddress(), 0));
        s.setSoTimeout(ANSWER_MILLIS);
        return s;
    }

    private static void send(DatagramSocket s, WorldServer server, Message query)
            throws IOException {
        send(s, server, query.toWire());
    }

    private static void send(DatagramSocket s, WorldServer server, byte[] wire) throws IOException {
        s.send(new DatagramPacket(wire, wire.length, server.address()));
    }

    private static byte[] receive(DatagramSocket s) throws IOException {
        return bytes(receivePacket(s));
    }

    private static DatagramPacket receivePacket(DatagramSocket s) throws IOException {
        DatagramPacket p = new DatagramPacket(new byte[65_535], 65_535);
        try {
            s.receive(p);
        } catch (SocketTimeoutException e) {
            fail("no datagram within " + s.getSoTimeout() + " ms");
        }
        return p;
    }

    private static byte[] bytes(DatagramPacket p) {
        return Arrays.copyOfRange(p.getData(), p.getOffset(), p.getOffset() + p.getLength());
    }

    private static void assertNoDatagram(DatagramSocket s) throws IOException {
        s.setSoTimeout(SILENCE_MILLIS);
        DatagramPacket p = new DatagramPacket(new byte[65_535], 65_535);
        try {
            s.receive(p);
            fail("expected no answer, got " + p.getLength() + " octets from port " + p.getPort());
        } catch (SocketTimeoutException expected) {
            // silence is the point
        } finally {
            s.setSoTimeout(ANSWER_MILLIS);
        }
    }

    private static Socket tcpClient(WorldServer server) throws IOException {
        Socket s = new Socket();
        s.connect(server.address(), ANSWER_MILLIS);
        s.setSoTimeout(ANSWER_MILLIS);
        return s;
    }

    private static void write(Socket s, Message query) throws IOException {
        write(s, query.toWire());
    }

    /** One RFC 1035 §4.2.2 frame: a two-octet length, then the message. */
    private static void write(Socket s, byte[] wire) throws IOException {
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        out.writeShort(wire.length);
        out.write(wire);
        out.flush();
    }

    private static byte[] read(Socket s) throws IOException {
        DataInputStream in = new DataInputStream(s.getInputStream());
        try {
            byte[] wire = new byte[in.readUnsignedShort()];
            in.readFully(wire);
            return wire;
        } catch (SocketTimeoutException e) {
            return fail("no TCP answer within " + s.getSoTimeout() + " ms");
        }
    }

    /** The server closed the connection (FIN or reset) and sent nothing first. */
    private static void assertClosedWithoutAnswer(Socket s) throws IOException {
        try {
            int first = s.getInputStream().read();
            assertEquals(-1, first, "expected the connection closed without an answer, got data");
        } catch (SocketTimeoutException e) {
            fail(
                    "the connection stayed open for "
                            + s.getSoTimeout()
                            + " ms without an answer; expected it closed");
        } catch (SocketException reset) {
            // a reset closes it too, and carries no answer
        }
    }
}
