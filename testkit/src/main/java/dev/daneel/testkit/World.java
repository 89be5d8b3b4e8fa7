package dev.daneel.testkit;

import dev.daneel.testkit.internal.Responder;
import dev.daneel.testkit.internal.ZoneData;
import dev.daneel.testkit.internal.ZoneSigner;
import dev.daneel.testkit.internal.ZoneSpec;
import dev.daneel.testkit.internal.Zones;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;

/**
 * A signed DNS world built in code: a root zone, TLDs and child zones, each with fresh keys,
 * chained by DS records up to a root whose trust anchor the world hands out, and served for real on
 * loopback.
 *
 * <pre>{@code
 * try (World world = World.builder()
 *         .clock(Clock.fixed(Instant.parse("2026-11-21T12:00:00Z"), ZoneOffset.UTC))
 *         .zone("test.")
 *         .zone("example.test.", z -> z
 *             .nsec3(0, "", false)
 *             .record("www 300 A 192.0.2.1")
 *             .record("*.wild TXT \"anything\""))
 *         .zone("unsigned.test.", ZoneBuilder::unsigned)
 *         .zone("broken.test.", z -> z.record("www A 192.0.2.2")
 *             .breakRRset("www", Type.A, Breakage.EXPIRED_SIGNATURES))
 *         .start()) {
 *     InetSocketAddress upstream = world.address();   // 127.0.0.1, a free port, UDP and TCP
 *     List<DSRecord> anchor = world.trustAnchors();    // ". DS ..." for the root KSK
 *     world.server().inject(Fault.drop().times(1));   // lose the next query
 * }
 * }</pre>
 *
 * <p>The root zone exists whether or not it is described; each zone's parent is the closest
 * enclosing zone of the world, which publishes NS, glue and DS for it. Signatures are valid from an
 * hour before the world's clock for {@link Builder#signatureValidity(Duration) 30 days}. The server
 * behaves as a recursive resolver holding every zone would (see {@link WorldServer}).
 *
 * <p>Thread-safe once built. Closing stops every server; the zones stay readable.
 */
public final class World implements AutoCloseable {

    private final Clock clock;
    private final InetAddress bindAddress;
    private final int port;
    private final Zones zones;
    private final Responder responder;
    private final List<WorldServer> servers = new CopyOnWriteArrayList<>();

    private World(Clock clock, InetAddress bindAddress, int port, Zones zones) {
        this.clock = clock;
        this.bindAddress = bindAddress;
        this.port = port;
        this.zones = zones;
        this.responder = new Responder(zones);
    }

    /** Starts describing a world. */
    public static Builder builder() {
        return new Builder();
    }

    /** The clock the world was signed by (and logs queries by). */
    public Clock clock() {
        return clock;
    }

    /** The zone with this apex. */
    public Zone zone(String origin) {
        ZoneData z = zones.get(absolute(origin));
        if (z == null) {
            throw new IllegalArgumentException(
                    "no zone " + origin + " in this world; zones: " + zoneNames());
        }
        return new Zone(z);
    }

    /** Every zone, parents before children (signs any zone not signed yet). */
    public List<Zone> zones() {
        zones.signAll();
        return zones.origins().stream()
                .sorted(Comparator.comparingInt(Name::labels).thenComparing(n -> n))
                .map(n -> new Zone(zones.get(n)))
                .toList();
    }

    /**
     * Generates the keys of and signs every zone now, in parallel, and returns this world. Without
     * it, each zone is keyed and signed the first time a query, {@link #zone(String)} or an export
     * needs it, so big worlds start at once and tests pay only for the zones they reach; benchmarks
     * call this first so that they measure the client, not the testkit.
     */
    public World signAll() {
        zones.signAll();
        return this;
    }

    /** The root trust anchor as DS records (what a validator should be configured with). */
    public List<DSRecord> trustAnchors() {
        List<DSRecord> ds = zones.get(Name.root).dsForParent();
        if (ds.isEmpty()) {
            throw new IllegalStateException(
                    "the root zone publishes no DS (withoutDsInParent); use trustAnchorKeys()");
        }
        return ds;
    }

    /** The root trust anchor as the root's key-signing DNSKEY records. */
    public List<DNSKEYRecord> trustAnchorKeys() {
        return zones.get(Name.root).keys().stream()
                .filter(ZoneKey::signsKeys)
                .filter(k -> k.privateKey() != null)
                .map(ZoneKey::dnskey)
                .toList();
    }

    /** The trust anchor in presentation format, one DS record per line. */
    public String trustAnchorText() {
        return trustAnchors().stream()
                .map(Record::toString)
                .collect(Collectors.joining("\n", "", "\n"));
    }

    /** Writes {@link #trustAnchorText()} to {@code file} (atomically) and returns the path. */
    public Path writeTrustAnchors(Path file) {
        writeAtomically(file, trustAnchorText());
        return file;
    }

    /**
     * Writes every zone as {@code <origin>zone} (the root as {@code root.zone}) into {@code dir}.
     */
    public Map<Name, Path> exportZones(Path dir) {
        Map<Name, Path> out = new LinkedHashMap<>();
        for (Zone z : zones()) {
            String file = z.origin().equals(Name.root) ? "root.zone" : z.origin() + "zone";
            Path p = dir.resolve(file);
            writeAtomically(p, z.toMasterFile());
            out.put(z.origin(), p);
        }
        return out;
    }

    /** Starts the primary server if it is not running yet; returns this world. */
    public synchronized World start() {
        if (servers.isEmpty()) {
            newServer();
        }
        return this;
    }

    /** The primary server. */
    public WorldServer server() {
        if (servers.isEmpty()) {
            throw new IllegalStateException("the world is not started; call start()");
        }
        return servers.get(0);
    }

    /** The primary server's address: what a stub resolver should use as its upstream. */
    public InetSocketAddress address() {
        return server().address();
    }

    /** Starts one more server over the same zones, with its own port, log and faults. */
    public WorldServer newServer() {
        try {
            WorldServer s =
                    new WorldServer(responder, clock, bindAddress, servers.isEmpty() ? port : 0);
            servers.add(s);
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot start a DNS server on " + bindAddress.getHostAddress(), e);
        }
    }

    /** Stops every server. */
    @Override
    public void close() {
        for (WorldServer s : servers) {
            s.close();
        }
        servers.clear();
    }

    private String zoneNames() {
        return zones.origins().stream()
                .map(Name::toString)
                .sorted()
                .collect(Collectors.joining(", "));
    }

    private static void writeAtomically(Path file, String text) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(
                    tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    static Name absolute(String name) {
        try {
            return Name.fromString(name, Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a domain name: \"" + name + "\"", e);
        }
    }

    /** Describes a world. Every setter checks its argument at once. Not thread-safe. */
    public static final class Builder {
        private final Map<Name, ZoneBuilder> zones = new LinkedHashMap<>();
        private Clock clock = Clock.systemUTC();
        private Duration validity = Duration.ofDays(30);
        private boolean reuseKeys;
        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private int port;

        private Builder() {
            zones.put(Name.root, new ZoneBuilder(Name.root));
        }

        /** The clock that dates signatures and query logs (default the system UTC clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * How long signatures stay valid after the world's clock (1 hour .. 3650 days, default 30
         * days).
         */
        public Builder signatureValidity(Duration validity) {
            if (validity.compareTo(Duration.ofHours(1)) < 0
                    || validity.compareTo(Duration.ofDays(3650)) > 0) {
                throw new IllegalArgumentException(
                        "signatureValidity must be 1 hour .. 3650 days, got " + validity);
            }
            this.validity = validity;
            return this;
        }

        /**
         * Takes keys from a JVM-wide cache (same zone name, algorithm, size and role: same key)
         * instead of generating fresh ones. RSA key generation costs tens of milliseconds per key;
         * test suites that build many RSA worlds use this.
         */
        public Builder reuseKeysAcrossWorlds() {
            this.reuseKeys = true;
            return this;
        }

        /**
         * The loopback address servers bind to (default 127.0.0.1); anything but loopback is
         * refused.
         */
        public Builder bindAddress(InetAddress address) {
            if (!address.isLoopbackAddress()) {
                throw new IllegalArgumentException(
                        "the testkit serves only on loopback (127.0.0.0/8, ::1), got "
                                + address.getHostAddress());
            }
            this.bindAddress = address;
            return this;
        }

        /**
         * The port of the primary server (default 0: any free port). A fixed port lets a test
         * replace a world by a later one (the next phase of a key roll) behind the same upstream
         * address; close the old world first.
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /** Adds a zone with the defaults (see {@link ZoneBuilder}). */
        public Builder zone(String origin) {
            return zone(origin, z -> {});
        }

        /** Adds a zone, or describes further a zone added before (the root always exists). */
        public Builder zone(String origin, Consumer<ZoneBuilder> description) {
            Name name = absolute(origin);
            description.accept(zones.computeIfAbsent(name, ZoneBuilder::new));
            return this;
        }

        /**
         * Checks the description and returns the world, not yet serving. Keys and signatures are
         * made when a zone is first used (see {@link World#signAll()}), dated by this builder's
         * clock as it reads now.
         */
        public World build() {
            Map<Name, ZoneSpec> specs = new LinkedHashMap<>();
            for (ZoneBuilder z : zones.values()) {
                specs.put(z.origin(), z.build());
            }
            ZoneSigner.Times times =
                    new ZoneSigner.Times(clock.instant().truncatedTo(ChronoUnit.SECONDS), validity);
            return new World(
                    clock, bindAddress, port, new Zones(specs, times, reuseKeys ? "shared" : null));
        }

        /** {@link #build()}, then {@link World#start()}. */
        public World start() {
            return build().start();
        }
    }
}
