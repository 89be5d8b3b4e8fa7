package dev.daneel.inet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.daneel.testkit.Breakage;
import dev.daneel.testkit.World;
import dev.daneel.testkit.ZoneBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/**
 * The JVM's own resolver answered by daneel-inet, in a JVM of its own (surefire forks one per test class
 * and sets {@code daneel.inet.config} before anything resolves): a testkit world on loopback holds the
 * names, and {@code HttpClient}, a plain {@code Socket} and {@code InetAddress} reach local servers by
 * them. No name here exists outside the world, so every success went through the provider.
 */
class InetResolverProviderTest {

    private static final byte[] LOOPBACK = {127, 0, 0, 1};

    private static World world;
    private static HttpServer http;
    private static final AtomicInteger REQUESTS = new AtomicInteger();
    private static String lookupBeforeConfig;

    @BeforeAll
    static void startWorldAndConfigure() throws Exception {
        Path config = Path.of(System.getProperty("daneel.inet.config"));
        Files.deleteIfExists(config);
        // The JDK loads the provider now, with no file there yet: the lookup fails and says why.
        lookupBeforeConfig = assertThrows(UnknownHostException.class,
                () -> InetAddress.getByName("early.example.test")).getMessage();

        world = World.builder()
                .zone("test.")
                .zone("example.test.", z -> z
                        .record("www 300 A 127.0.0.1")
                        .record("sock 300 A 127.0.0.1")
                        .record("v6 300 AAAA ::1")
                        .record("both 300 A 127.0.0.1")
                        .record("both 300 AAAA ::1")
                        .record("rev 300 A 127.0.0.2"))
                .zone("2.0.0.127.in-addr.arpa.", z -> z.record("@ 300 PTR rev.example.test."))
                .zone("unsigned.test.", z -> z.unsigned().record("www 300 A 127.0.0.1"))
                .zone("forged.test.", z -> z.record("www 300 A 127.0.0.1")
                        .breakRRset("www", Type.A, Breakage.TAMPERED_DATA))
                .zone("strict.test.", z -> z.record("www 300 A 127.0.0.1"))
                .zone("insecure.strict.test.", z -> z.unsigned().record("www 300 A 127.0.0.1"))
                .start();
        Files.createDirectories(config.getParent());
        world.writeTrustAnchors(config.resolveSibling("anchors.ds"));
        Files.writeString(config, String.join("\n",
                "# written by InetResolverProviderTest",
                "upstream = 127.0.0.1:" + world.address().getPort(),
                "anchors = anchors.ds",
                "require-secure = strict.test",
                "builtin = localhost",
                ""), StandardCharsets.UTF_8);

        http = HttpServer.create(new InetSocketAddress(InetAddress.getByAddress(LOOPBACK), 0), 0);
        http.createContext("/", exchange -> {
            REQUESTS.incrementAndGet();
            byte[] body = ("hello " + exchange.getRequestHeaders().getFirst("Host")).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();
    }

    @AfterAll
    static void stop() {
        if (http != null) {
            http.stop(0);
        }
        if (world != null) {
            world.close();
        }
    }

    @Test
    void withoutItsFileTheProviderFailsLookupsAndSaysWhichFileItWanted() {
        assertTrue(lookupBeforeConfig.contains("cannot read the daneel-inet configuration")
                && lookupBeforeConfig.contains(System.getProperty("daneel.inet.config")), lookupBeforeConfig);
    }

    @Test
    void httpClientReachesALocalServerByASecureName() throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        int port = http.getAddress().getPort();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://www.example.test:" + port + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals("hello www.example.test:" + port, r.body());
        assertTrue(world.server().log().count("www.example.test.", Type.A) >= 1, "the world was asked for the name");
    }

    @Test
    void plainSocketReachesALocalServerByASecureName() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByAddress(LOOPBACK))) {
            Thread acceptor = Thread.ofPlatform().daemon().start(() -> {
                try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
                    out.write(42);
                } catch (IOException e) {
                    // the test's read fails instead
                }
            });
            try (Socket s = new Socket("sock.example.test", server.getLocalPort()); InputStream in = s.getInputStream()) {
                assertEquals(42, in.read());
                assertArrayEquals(LOOPBACK, s.getInetAddress().getAddress());
            }
            acceptor.join(10_000);
        }
    }

    @Test
    void bogusNameFailsWithTheReasonAndNoClientConnects() throws Exception {
        UnknownHostException e = assertThrows(UnknownHostException.class, () -> InetAddress.getByName("www.forged.test"));
        assertTrue(e.getMessage().startsWith("www.forged.test: DNSSEC validation failed for A (Bogus, ")
                && e.getMessage().contains("forged.test"), e.getMessage());

        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByAddress(LOOPBACK))) {
            assertThrows(UnknownHostException.class, () -> new Socket("www.forged.test", server.getLocalPort()).close());
        }
        int before = REQUESTS.get();
        HttpClient client = HttpClient.newHttpClient();
        assertThrows(IOException.class, () -> client.send(HttpRequest.newBuilder(
                URI.create("http://www.forged.test:" + http.getAddress().getPort() + "/")).build(),
                HttpResponse.BodyHandlers.ofString()));
        assertEquals(before, REQUESTS.get(), "no request reached the server through the forged name");
    }

    @Test
    void insecureAnswersAreReturned() throws Exception {
        assertArrayEquals(LOOPBACK, InetAddress.getByName("www.unsigned.test").getAddress());
    }

    @Test
    void underARequireSecureDomainOnlySecureAnswersAreReturned() throws Exception {
        assertArrayEquals(LOOPBACK, InetAddress.getByName("www.strict.test").getAddress());
        UnknownHostException e = assertThrows(UnknownHostException.class,
                () -> InetAddress.getByName("www.insecure.strict.test"));
        assertTrue(e.getMessage().contains("is insecure, but names under strict.test. must be Secure")
                && e.getMessage().contains("insecure.strict.test"), e.getMessage());
    }

    @Test
    void aSecureNxdomainIsAnUnknownHost() {
        UnknownHostException e = assertThrows(UnknownHostException.class, () -> InetAddress.getByName("nothere.example.test"));
        assertTrue(e.getMessage().contains("NXDOMAIN") && e.getMessage().contains("secure"), e.getMessage());
    }

    @Test
    void ipv4AndIpv6AddressesAreBothReturned() throws Exception {
        InetAddress[] v6 = InetAddress.getAllByName("v6.example.test");
        assertEquals(1, v6.length, Arrays.toString(v6));
        assertTrue(v6[0].isLoopbackAddress() && v6[0].getAddress().length == 16, Arrays.toString(v6));
        InetAddress[] both = InetAddress.getAllByName("both.example.test");
        assertEquals(2, both.length, Arrays.toString(both));
        assertEquals("both.example.test", both[0].getHostName());
    }

    @Test
    void reverseLookupsAreValidatedToo() throws Exception {
        // getHostName asks lookupByAddress, then checks the name maps back to the address (a second, forward lookup).
        assertEquals("rev.example.test", InetAddress.getByAddress(new byte[] {127, 0, 0, 2}).getHostName());
        assertTrue(world.server().log().count("2.0.0.127.in-addr.arpa.", Type.PTR) >= 1);
    }

    @Test
    void builtinNamesGoToTheJdksOwnResolver() throws Exception {
        assertTrue(InetAddress.getByName("localhost").isLoopbackAddress());
        assertEquals(0, world.server().log().count("localhost.", Type.A), "localhost never reached the DNS");
    }
}
