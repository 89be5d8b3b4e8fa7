package dev.daneel.validator.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.testkit.Fault;
import dev.daneel.testkit.LoggedQuery;
import dev.daneel.testkit.Transport;
import dev.daneel.testkit.World;
import dev.daneel.testkit.WorldServer;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * {@link UpstreamClient} against the testkit's real server on loopback, and against a scripted UDP
 * peer on loopback where the order of genuine and forged packets matters. Nothing here is sent
 * anywhere but 127.0.0.1.
 */
class UpstreamClientTest {

    /**
     * Short, so that the failover tests stay quick; loopback answers in well under a millisecond.
     */
    private static final Duration TIMEOUT = Duration.ofMillis(400);

    /** How long a test waits for a future: generous, it only guards against a hang. */
    private static final long WAIT_SECONDS = 20;

    private static final Name WWW = name("www.example.test.");
    private static final Name BIG = name("big.example.test.");
    private static final int BIG_RECORDS = 40;

    private ExecutorService io;
    private World world;

    @BeforeEach
    void startWorld() {
        io = Executors.newCachedThreadPool();
        world =
                World.builder()
                        .reuseKeysAcrossWorlds()
                        .zone(
                                "example.test.",
                                z -> {
                                    z.record("www 300 A 192.0.2.1");
                                    IntStream.range(0, BIG_RECORDS)
                                            .forEach(
                                                    i ->
                                                            z.record(
                                                                    "big 300 TXT \""
                                                                            + txt(i)
                                                                            + "\""));
                                })
                        .start();
    }

    @AfterEach
    void stopWorld() {
        world.close();
        io.shutdownNow();
    }

    // --- what the query looks like
    // -------------------------------------------------------------------

    @Test
    void queryCarriesDoCdAndPayload1232AsTheServerLogsIt() throws Exception {
        try (UpstreamClient client = client(world.address())) {
            get(client.query(WWW, Type.A));
        }
        List<LoggedQuery> log = world.server().log().entries();
        assertEquals(1, log.size(), log::toString);
        LoggedQuery q = log.get(0);
        assertEquals(Transport.UDP, q.transport());
        assertEquals(WWW, q.name());
        assertEquals(Type.A, q.type());
        assertTrue(q.dnssecOk(), "DO=1");
        assertTrue(q.checkingDisabled(), "CD=1");
        assertEquals(1232, q.udpPayloadSize());
    }

    @Test
    void queryOnTheWireHasRdCdEdns0DoAndOneInQuestion() throws Exception {
        try (ScriptedPeer peer = new ScriptedPeer();
                UpstreamClient client = client(peer.address())) {
            CompletableFuture<Message> answer = client.query(WWW, Type.A);
            ScriptedPeer.Query q = peer.receive();
            Message query = q.message();
            assertFalse(query.getHeader().getFlag(Flags.QR));
            assertTrue(query.getHeader().getFlag(Flags.RD), "RD=1");
            assertTrue(query.getHeader().getFlag(Flags.CD), "CD=1");
            assertEquals(1, query.getSection(Section.QUESTION).size());
            assertEquals(WWW, query.getQuestion().getName());
            assertEquals(Type.A, query.getQuestion().getType());
            assertEquals(DClass.IN, query.getQuestion().getDClass());
            OPTRecord opt = query.getOPT();
            assertEquals(0, opt.getVersion());
            assertEquals(1232, opt.getPayloadSize());
            assertTrue((opt.getFlags() & ExtendedFlags.DO) != 0, "DO=1");
            peer.send(genuine(query), q.client());
            get(answer);
        }
    }

    @Test
    void eachQueryUsesItsOwnSourcePort() throws Exception {
        try (ScriptedPeer peer = new ScriptedPeer();
                UpstreamClient client = client(peer.address())) {
            CompletableFuture<Message> first = client.query(WWW, Type.A);
            ScriptedPeer.Query q1 = peer.receive();
            CompletableFuture<Message> second = client.query(WWW, Type.A);
            ScriptedPeer.Query q2 = peer.receive();
            // Two live sockets never share a port (IDs are random and may, rarely, collide).
            assertNotEquals(q1.client(), q2.client(), "a fresh socket per query");
            peer.send(genuine(q1.message()), q1.client());
            peer.send(genuine(q2.message()), q2.client());
            get(first);
            get(second);
        }
    }

    // --- ordinary answers
    // ----------------------------------------------------------------------------

    @Test
    void normalAnswerComesBack() throws Exception {
        try (UpstreamClient client = client(world.address())) {
            Message m = get(client.query(WWW, Type.A));
            assertEquals(Rcode.NOERROR, m.getRcode());
            assertTrue(m.getHeader().getFlag(Flags.QR));
            assertEquals("192.0.2.1", firstA(m));
            assertEquals(0, client.droppedResponses());
        }
    }

    @Test
    void nxdomainIsAnAnswerNotAFailure() throws Exception {
        WorldServer second = world.newServer();
        try (UpstreamClient client = client(world.address(), second.address())) {
            Message m = get(client.query(name("nope.example.test."), Type.A));
            assertEquals(Rcode.NXDOMAIN, m.getRcode());
        }
        assertEquals(0, second.log().size(), "an NXDOMAIN is final: no failover");
    }

    // --- forged and broken responses
    // -----------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(
            value = Fault.Kind.class,
            names = {"WRONG_ID", "WRONG_QUESTION", "GARBAGE", "TRUNCATED_PACKET"})
    void nonMatchingResponseIsDroppedAndCountedThenTheNextUpstreamAnswers(Fault.Kind kind)
            throws Exception {
        WorldServer second = world.newServer();
        world.server().inject(fault(kind));
        try (UpstreamClient client = client(world.address(), second.address())) {
            Message m = get(client.query(WWW, Type.A));
            assertEquals("192.0.2.1", firstA(m));
            assertTrue(client.droppedResponses() > 0, "dropped " + client.droppedResponses());
        }
        assertEquals(
                2,
                world.server().log().count(q -> q.fault() == kind),
                "UDP, then TCP after the UDP timeout");
        assertEquals(1, second.log().size());
    }

    @ParameterizedTest
    @EnumSource(
            value = Fault.Kind.class,
            names = {"WRONG_ID", "WRONG_QUESTION", "GARBAGE", "TRUNCATED_PACKET"})
    void nonMatchingResponseFromTheOnlyUpstreamEndsInTimeout(Fault.Kind kind) throws Exception {
        world.server().inject(fault(kind));
        try (UpstreamClient client = client(world.address())) {
            UpstreamException e = failure(client.query(WWW, Type.A));
            assertTrue(
                    e.getMessage()
                            .contains(
                                    UpstreamClient.format(world.address())
                                            + ": UDP timeout after 400 ms"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("non-matching packet"), e.getMessage());
            assertTrue(client.droppedResponses() > 0);
        }
    }

    @Test
    void responseFromAnotherPortIsNeverAcceptedAndTheNextUpstreamAnswers() throws Exception {
        // The connected socket makes the kernel discard it, so it may never reach
        // droppedResponses().
        WorldServer second = world.newServer();
        world.server().inject(Fault.wrongSource());
        try (UpstreamClient client = client(world.address(), second.address())) {
            assertEquals("192.0.2.1", firstA(get(client.query(WWW, Type.A))));
        }
        assertEquals(
                2,
                world.server().log().count(q -> q.fault() == Fault.Kind.WRONG_SOURCE),
                "UDP, then TCP");
        assertEquals(1, second.log().size());
    }

    @Test
    void responseFromAnotherPortOfTheOnlyUpstreamEndsInTimeout() throws Exception {
        world.server().inject(Fault.wrongSource());
        try (UpstreamClient client = client(world.address())) {
            UpstreamException e = failure(client.query(WWW, Type.A));
            assertTrue(e.getMessage().contains("timeout after 400 ms"), e.getMessage());
        }
    }

    @Test
    void forgedPacketsArrivingFirstDoNotStopTheGenuineAnswer() throws Exception {
        try (ScriptedPeer peer = new ScriptedPeer();
                DatagramSocket spoofer =
                        new DatagramSocket(
                                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                UpstreamClient client = client(peer.address())) {
            CompletableFuture<Message> answer = client.query(WWW, Type.A);
            ScriptedPeer.Query q = peer.receive();
            Message query = q.message();

            Message wrongId = genuine(query);
            wrongId.getHeader().setID((query.getHeader().getID() + 1) & 0xffff);
            Message wrongQuestion = genuine(query);
            wrongQuestion.removeAllRecords(Section.QUESTION);
            wrongQuestion.addRecord(
                    Record.newRecord(name("evil.example.test."), Type.A, DClass.IN),
                    Section.QUESTION);
            Message wrongType = genuine(query);
            wrongType.removeAllRecords(Section.QUESTION);
            wrongType.addRecord(Record.newRecord(WWW, Type.AAAA, DClass.IN), Section.QUESTION);
            Message twoQuestions = genuine(query);
            twoQuestions.addRecord(
                    Record.newRecord(name("evil.example.test."), Type.A, DClass.IN),
                    Section.QUESTION);
            Message notAResponse = genuine(query);
            notAResponse.getHeader().unsetFlag(Flags.QR);

            for (Message forged :
                    List.of(wrongId, wrongQuestion, wrongType, twoQuestions, notAResponse)) {
                peer.send(forged.toWire(), q.client());
            }
            peer.send(new byte[] {1, 2, 3}, q.client());
            // The right bytes from the wrong port: the socket must not take them either.
            byte[] fromElsewhere = genuine(query, "203.0.113.66").toWire();
            spoofer.send(new DatagramPacket(fromElsewhere, fromElsewhere.length, q.client()));
            peer.send(genuine(query).toWire(), q.client());

            Message m = get(answer);
            assertEquals("192.0.2.7", firstA(m));
            assertTrue(client.droppedResponses() >= 6, "dropped " + client.droppedResponses());
        }
    }

    @Test
    void questionNameIsComparedCaseInsensitively() throws Exception {
        try (ScriptedPeer peer = new ScriptedPeer();
                UpstreamClient client = client(peer.address())) {
            CompletableFuture<Message> answer = client.query(WWW, Type.A);
            ScriptedPeer.Query q = peer.receive();
            Message response = genuine(q.message());
            response.removeAllRecords(Section.QUESTION);
            response.addRecord(
                    Record.newRecord(name("WwW.ExAmPlE.TeSt."), Type.A, DClass.IN),
                    Section.QUESTION);
            peer.send(response.toWire(), q.client());
            assertEquals("192.0.2.7", firstA(get(answer)));
            assertEquals(0, client.droppedResponses());
        }
    }

    // --- truncation and TCP
    // --------------------------------------------------------------------------

    @Test
    void truncatedUdpAnswerIsAskedAgainOverTcp() throws Exception {
        world.server().inject(Fault.forceTruncation());
        try (UpstreamClient client = client(world.address())) {
            Message m = get(client.query(WWW, Type.A));
            assertFalse(m.getHeader().getFlag(Flags.TC));
            assertEquals("192.0.2.1", firstA(m));
        }
        assertEquals(List.of(Transport.UDP, Transport.TCP), transports(world.server()));
    }

    @Test
    void largeRRsetFallsBackToTcpWithTheFullAnswer() throws Exception {
        try (UpstreamClient client = client(world.address())) {
            Message m = get(client.query(BIG, Type.TXT));
            assertFalse(m.getHeader().getFlag(Flags.TC));
            List<Record> txt =
                    m.getSection(Section.ANSWER).stream()
                            .filter(r -> r.getType() == Type.TXT)
                            .toList();
            assertEquals(BIG_RECORDS, txt.size());
            assertTrue(
                    txt.stream()
                            .allMatch(r -> ((TXTRecord) r).getStrings().get(0).length() == 200));
            assertTrue(m.toWire().length > 1232);
        }
        assertEquals(List.of(Transport.UDP, Transport.TCP), transports(world.server()));
    }

    @Test
    void tcpOnlySendsOnlyTcp() throws Exception {
        try (UpstreamClient client =
                new UpstreamClient(List.of(world.address()), TIMEOUT, io, true)) {
            assertEquals("192.0.2.1", firstA(get(client.query(WWW, Type.A))));
            assertEquals(
                    BIG_RECORDS,
                    get(client.query(BIG, Type.TXT)).getSection(Section.ANSWER).stream()
                            .filter(r -> r.getType() == Type.TXT)
                            .count());
        }
        assertEquals(List.of(Transport.TCP, Transport.TCP), transports(world.server()));
    }

    @Test
    void nonMatchingTcpAnswerIsUnusableAndCounted() throws Exception {
        WorldServer second = world.newServer();
        world.server().inject(Fault.wrongId());
        try (UpstreamClient client =
                new UpstreamClient(List.of(world.address(), second.address()), TIMEOUT, io, true)) {
            assertEquals("192.0.2.1", firstA(get(client.query(WWW, Type.A))));
            assertEquals(1, client.droppedResponses());
        }
        world.server().clearFaults();
        world.server().inject(Fault.wrongQuestion());
        try (UpstreamClient client =
                new UpstreamClient(List.of(world.address()), TIMEOUT, io, true)) {
            UpstreamException e = failure(client.query(WWW, Type.A));
            assertTrue(
                    e.getMessage().contains("unusable TCP answer: wrong question"), e.getMessage());
        }
    }

    @Test
    void tcpRepeatThatFailsMovesOnToTheNextUpstream() throws Exception {
        WorldServer second = world.newServer();
        world.server().inject(Fault.forceTruncation().over(Transport.UDP));
        world.server().inject(Fault.drop().over(Transport.TCP));
        try (UpstreamClient client = client(world.address(), second.address())) {
            assertEquals("192.0.2.1", firstA(get(client.query(WWW, Type.A))));
        }
        assertEquals(List.of(Transport.UDP, Transport.TCP), transports(world.server()));
    }

    // --- failover
    // ------------------------------------------------------------------------------------

    @Test
    void droppedQueryFailsOverToTheSecondUpstream() throws Exception {
        WorldServer second = world.newServer();
        world.server().inject(Fault.drop());
        try (UpstreamClient client = client(world.address(), second.address())) {
            assertEquals("192.0.2.1", firstA(get(client.query(WWW, Type.A))));
        }
        assertEquals(2, world.server().log().size(), "a UDP timeout is asked once more over TCP");
        assertEquals(1, second.log().size());
    }

    @Test
    void anUpstreamThatGaveNothingIsAskedLastUntilItAnswersAgain() throws Exception {
        WorldServer second = world.newServer();
        world.server().inject(Fault.drop());
        try (UpstreamClient client = client(world.address(), second.address())) {
            for (int i = 0; i < 5; i++) {
                assertEquals("192.0.2.1", firstA(get(client.query(WWW, Type.A))));
            }
            assertEquals(
                    2,
                    world.server().log().size(),
                    "the dead first upstream cost one timeout (UDP, then TCP), not five");
            assertEquals(5, second.log().size());
            // When the second one fails too, the first is still tried: marks reorder, they never
            // exclude.
            world.server().clearFaults();
            second.inject(Fault.drop());
            assertEquals("192.0.2.1", firstA(get(client.query(WWW, Type.A))));
            assertEquals(3, world.server().log().size());
            // The first answered again: it is back at the front, and the second (now marked) goes
            // last.
            second.clearFaults();
            assertEquals("192.0.2.1", firstA(get(client.query(WWW, Type.A))));
            assertEquals(4, world.server().log().size());
            assertEquals(7, second.log().size(), "5 answers, one UDP timeout and its TCP repeat");
        }
    }

    @Test
    void everyUpstreamDroppingFailsNamingEach() throws Exception {
        WorldServer second = world.newServer();
        world.server().inject(Fault.drop());
        second.inject(Fault.drop());
        try (UpstreamClient client = client(world.address(), second.address())) {
            UpstreamException e = failure(client.query(WWW, Type.A));
            String first = UpstreamClient.format(world.address());
            String other = UpstreamClient.format(second.address());
            String tcp = ", then over TCP: TCP connection closed before the answer was complete";
            assertEquals(
                    "no upstream answered www.example.test./A: "
                            + first
                            + ": UDP timeout after 400 ms"
                            + tcp
                            + "; "
                            + other
                            + ": UDP timeout after 400 ms"
                            + tcp,
                    e.getMessage());
            assertEquals(
                    List.of(world.address(), second.address()),
                    e.attempts().stream().map(UpstreamException.Attempt::upstream).toList());
        }
        // One attempt per upstream (UDP, then TCP after its timeout), no further retries.
        assertEquals(2, world.server().log().size());
        assertEquals(2, second.log().size());
    }

    @Test
    void servfailFromTheFirstThenAGoodAnswerFromTheSecond() throws Exception {
        WorldServer second = world.newServer();
        world.server().inject(Fault.servfail());
        try (UpstreamClient client = client(world.address(), second.address())) {
            Message m = get(client.query(WWW, Type.A));
            assertEquals(Rcode.NOERROR, m.getRcode());
            assertEquals("192.0.2.1", firstA(m));
        }
    }

    @Test
    void servfailEverywhereIsReturnedAsTheAnswer() throws Exception {
        WorldServer second = world.newServer();
        world.server().inject(Fault.servfail());
        second.inject(Fault.servfail());
        try (UpstreamClient client = client(world.address(), second.address())) {
            assertEquals(Rcode.SERVFAIL, get(client.query(WWW, Type.A)).getRcode());
        }
        assertEquals(1, second.log().size());
    }

    @Test
    void servfailAndATimeoutIsAFailureNamingBoth() throws Exception {
        WorldServer second = world.newServer();
        world.server().inject(Fault.servfail());
        second.inject(Fault.drop());
        try (UpstreamClient client = client(world.address(), second.address())) {
            UpstreamException e = failure(client.query(WWW, Type.A));
            assertTrue(
                    e.getMessage().contains(UpstreamClient.format(world.address()) + ": SERVFAIL"),
                    e.getMessage());
            assertTrue(
                    e.getMessage()
                            .contains(UpstreamClient.format(second.address()) + ": UDP timeout"),
                    e.getMessage());
        }
    }

    @Test
    void refusedEverywhereFailsNamingRefused() throws Exception {
        WorldServer second = world.newServer();
        world.server().inject(Fault.refused());
        second.inject(Fault.refused());
        try (UpstreamClient client = client(world.address(), second.address())) {
            UpstreamException e = failure(client.query(WWW, Type.A));
            assertEquals(
                    "no upstream answered www.example.test./A: "
                            + UpstreamClient.format(world.address())
                            + ": REFUSED; "
                            + UpstreamClient.format(second.address())
                            + ": REFUSED",
                    e.getMessage());
        }
    }

    @Test
    void closedServerFailsOverToTheNextUpstream() throws Exception {
        WorldServer second = world.newServer();
        world.server().close();
        try (UpstreamClient client = client(world.address(), second.address())) {
            assertEquals("192.0.2.1", firstA(get(client.query(WWW, Type.A))));
        }
        assertEquals(1, second.log().size());
    }

    @Test
    void closedServerOverTcpFailsOverToo() throws Exception {
        WorldServer second = world.newServer();
        world.server().close();
        try (UpstreamClient client =
                new UpstreamClient(List.of(world.address(), second.address()), TIMEOUT, io, true)) {
            assertEquals("192.0.2.1", firstA(get(client.query(WWW, Type.A))));
        }
    }

    // --- lifecycle and arguments
    // ---------------------------------------------------------------------

    @Test
    void closeMakesLaterQueriesFailAtOnce() throws Exception {
        UpstreamClient client = client(world.address());
        client.close();
        UpstreamException e = failure(client.query(WWW, Type.A));
        assertTrue(e.getMessage().startsWith("client closed"), e.getMessage());
        assertEquals(0, world.server().log().size(), "nothing sent after close");
    }

    @Test
    void closeEndsAQueryInFlight() throws Exception {
        WorldServer second = world.newServer();
        world.server().inject(Fault.drop());
        UpstreamClient client =
                new UpstreamClient(
                        List.of(world.address(), second.address()),
                        Duration.ofSeconds(60),
                        io,
                        false);
        CompletableFuture<Message> answer = client.query(WWW, Type.A);
        while (world.server().log().size() == 0) {
            Thread.sleep(5);
        }
        client.close();
        UpstreamException e = failure(answer);
        assertTrue(e.getMessage().startsWith("client closed"), e.getMessage());
        assertEquals(0, second.log().size(), "no further upstream asked after close");
    }

    @Test
    void rejectsArgumentsOutOfRange() {
        List<InetSocketAddress> one = List.of(world.address());
        assertThrows(
                IllegalArgumentException.class,
                () -> new UpstreamClient(List.of(), TIMEOUT, io, false));
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        new UpstreamClient(
                                List.of(InetSocketAddress.createUnresolved("dns.example", 53)),
                                TIMEOUT,
                                io,
                                false));
        assertThrows(
                IllegalArgumentException.class,
                () -> new UpstreamClient(one, Duration.ZERO, io, false));
        assertThrows(
                IllegalArgumentException.class,
                () -> new UpstreamClient(one, Duration.ofMinutes(2), io, false));
        assertThrows(
                NullPointerException.class, () -> new UpstreamClient(one, TIMEOUT, null, false));
        try (UpstreamClient client = client(world.address())) {
            assertThrows(
                    IllegalArgumentException.class,
                    () -> client.query(Name.fromConstantString("relative"), Type.A));
        }
    }

    @Test
    void formatsAddressesAsHostColonPort() throws Exception {
        assertEquals(
                "127.0.0.1:53",
                UpstreamClient.format(
                        new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 53)));
        assertEquals(
                "[::1]:5353",
                UpstreamClient.format(new InetSocketAddress(InetAddress.getByName("::1"), 5353)));
        assertEquals(
                "[2001:db8::1:0:0:1]:53",
                UpstreamClient.format(
                        new InetSocketAddress(InetAddress.getByName("2001:db8:0:0:1:0:0:1"), 53)));
        assertEquals(
                "[2001:db8:0:1:1:1:1:1]:53",
                UpstreamClient.format(
                        new InetSocketAddress(InetAddress.getByName("2001:db8:0:1:1:1:1:1"), 53)));
        assertEquals(
                "[::]:53",
                UpstreamClient.format(new InetSocketAddress(InetAddress.getByName("::"), 53)));
        assertEquals(
                "[fe80::1]:53",
                UpstreamClient.format(
                        new InetSocketAddress(InetAddress.getByName("fe80:0:0:0:0:0:0:1"), 53)));
    }

    // --- helpers
    // -------------------------------------------------------------------------------------

    private UpstreamClient client(InetSocketAddress... upstreams) {
        return new UpstreamClient(List.of(upstreams), TIMEOUT, io, false);
    }

    private static Message get(CompletableFuture<Message> future) throws Exception {
        return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private static UpstreamException failure(CompletableFuture<Message> future) throws Exception {
        ExecutionException e =
                assertThrows(
                        ExecutionException.class, () -> future.get(WAIT_SECONDS, TimeUnit.SECONDS));
        return assertInstanceOf(UpstreamException.class, e.getCause());
    }

    private static Fault fault(Fault.Kind kind) {
        return switch (kind) {
            case WRONG_ID -> Fault.wrongId();
            case WRONG_QUESTION -> Fault.wrongQuestion();
            case GARBAGE -> Fault.garbage();
            case TRUNCATED_PACKET -> Fault.truncatedPacket();
            default -> throw new IllegalArgumentException(kind.toString());
        };
    }

    private static List<Transport> transports(WorldServer server) {
        return server.log().entries().stream().map(LoggedQuery::transport).toList();
    }

    private static String firstA(Message m) {
        return m.getSection(Section.ANSWER).stream()
                .filter(r -> r.getType() == Type.A)
                .map(r -> ((ARecord) r).getAddress().getHostAddress())
                .findFirst()
                .orElse(null);
    }

    /** 200 characters, different for each {@code i} so the records do not collapse into one. */
    private static String txt(int i) {
        return String.format("%03d", i) + "x".repeat(197);
    }

    private static Message genuine(Message query) throws IOException {
        return genuine(query, "192.0.2.7");
    }

    private static Message genuine(Message query, String address) throws IOException {
        Message r = new Message(query.getHeader().getID());
        r.getHeader().setFlag(Flags.QR);
        r.getHeader().setFlag(Flags.RD);
        r.getHeader().setFlag(Flags.RA);
        r.addRecord(query.getQuestion(), Section.QUESTION);
        r.addRecord(
                new ARecord(
                        query.getQuestion().getName(),
                        DClass.IN,
                        300,
                        InetAddress.getByName(address)),
                Section.ANSWER);
        return r;
    }

    private static Name name(String s) {
        return Name.fromConstantString(s);
    }

    /**
     * A UDP peer on 127.0.0.1 that a test drives by hand: receive a query, then send whatever it
     * likes.
     */
    private static final class ScriptedPeer implements AutoCloseable {
        record Query(Message message, SocketAddress client) {}

        private final DatagramSocket socket;

        ScriptedPeer() throws IOException {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        }

        InetSocketAddress address() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        Query receive() throws IOException {
            byte[] buf = new byte[65_535];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            socket.receive(p);
            return new Query(
                    new Message(java.util.Arrays.copyOf(buf, p.getLength())), p.getSocketAddress());
        }

        void send(Message m, SocketAddress to) throws IOException {
            send(m.toWire(), to);
        }

        void send(byte[] wire, SocketAddress to) throws IOException {
            socket.send(new DatagramPacket(wire, wire.length, to));
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
