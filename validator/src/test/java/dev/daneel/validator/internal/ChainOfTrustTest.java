package dev.daneel.validator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.anchors.TrustAnchors;
import dev.daneel.testkit.World;
import dev.daneel.testkit.Zone;
import dev.daneel.validator.InsecureCause;
import dev.daneel.validator.Limits;
import dev.daneel.validator.Verdict;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * {@link ChainOfTrust} against a {@link Fetcher} written in the test that answers from testkit
 * zones in memory: no sockets, every question counted. The chain asks only for DS and DNSKEY
 * RRsets, goes out for every level at once, and comes from the key cache the second time.
 */
class ChainOfTrustTest {

    private static final World WORLD =
            World.builder()
                    .zone("test.", z -> z.algorithm(13).nsec())
                    .zone("example.test.", z -> z.algorithm(13).record("www A 192.0.2.1"))
                    .zone("plain.test.", z -> z.unsigned().record("www A 192.0.2.2"))
                    .build();

    /** Answers DS from the parent zone and everything else from the zone holding the name. */
    private static final class ZoneFetcher implements Fetcher {
        final Map<String, AtomicInteger> asked = new ConcurrentHashMap<>();

        @Override
        public CompletableFuture<Message> query(Name name, int type) {
            asked.computeIfAbsent(name + "/" + Type.string(type), k -> new AtomicInteger())
                    .incrementAndGet();
            Name holder = type == Type.DS ? new Name(name, 1) : name;
            Zone zone = null;
            for (Zone z : WORLD.zones()) {
                if (holder.subdomain(z.origin())
                        && (zone == null || z.origin().labels() > zone.origin().labels())) {
                    zone = z;
                }
            }
            Message m = new Message();
            m.addRecord(Record.newRecord(name, type, org.xbill.DNS.DClass.IN), Section.QUESTION);
            RRset set = zone == null ? null : zone.rrset(name.toString(), type).orElse(null);
            if (set != null) {
                set.rrs(false).forEach(r -> m.addRecord(r, Section.ANSWER));
                set.sigs().forEach(r -> m.addRecord(r, Section.ANSWER));
            } else if (zone != null) {
                // NODATA with the zone's own NSEC proof, as an authoritative server gives it
                zone.rrset(name.toString(), Type.NSEC)
                        .ifPresent(
                                n -> {
                                    n.rrs(false).forEach(r -> m.addRecord(r, Section.AUTHORITY));
                                    n.sigs().forEach(r -> m.addRecord(r, Section.AUTHORITY));
                                });
            }
            m.getHeader().setRcode(Rcode.NOERROR);
            return CompletableFuture.completedFuture(m);
        }

        int count(String question) {
            AtomicInteger n = asked.get(question);
            return n == null ? 0 : n.get();
        }
    }

    private static ChainOfTrust chain(KeyStore store, ZoneFetcher fetcher) {
        EngineConfig config =
                EngineConfig.of(fetcher, TrustAnchors.of(WORLD.trustAnchors()), WORLD.clock());
        LookupState state =
                new LookupState(
                        config,
                        Crypto.STANDARD,
                        fetcher,
                        WORLD.clock().instant(),
                        System.nanoTime() + 5_000_000_000L);
        return new ChainOfTrust(
                store,
                state,
                Limits.DEFAULT,
                Crypto.STANDARD,
                null,
                (n, t) -> {
                    throw new AssertionError("no DLV configured");
                });
    }

    @Test
    void aSignedZoneGetsItsKeysFromTheAnchorDownAndThenFromTheCache() {
        ZoneFetcher fetcher = new ZoneFetcher();
        KeyStore store = new KeyStore(TrustAnchors.of(WORLD.trustAnchors()), WORLD.clock(), 64);
        Name zone = Name.fromConstantString("example.test.");
        KeyEntry.Secure k =
                assertInstanceOf(KeyEntry.Secure.class, chain(store, fetcher).walk(zone, true));
        assertEquals(zone, k.zone());
        assertTrue(k.keys().stream().allMatch(key -> key.getName().equals(zone)));
        assertEquals(1, fetcher.count("example.test./DS"));
        assertEquals(1, fetcher.count("example.test./DNSKEY"));
        assertTrue(
                fetcher.asked.keySet().stream()
                        .allMatch(q -> q.endsWith("/DS") || q.endsWith("/DNSKEY")),
                "the chain asks for DS and DNSKEY only: " + fetcher.asked.keySet());

        int before = fetcher.asked.values().stream().mapToInt(AtomicInteger::get).sum();
        assertInstanceOf(KeyEntry.Secure.class, chain(store, fetcher).walk(zone, true));
        assertEquals(
                before,
                fetcher.asked.values().stream().mapToInt(AtomicInteger::get).sum(),
                "a second walk comes from the key cache");
    }

    @Test
    void anUnsignedDelegationIsProvenInsecureThere() {
        ZoneFetcher fetcher = new ZoneFetcher();
        KeyStore store = new KeyStore(TrustAnchors.of(WORLD.trustAnchors()), WORLD.clock(), 64);
        KeyEntry e = chain(store, fetcher).walk(Name.fromConstantString("www.plain.test."), false);
        KeyEntry.Insecure i = assertInstanceOf(KeyEntry.Insecure.class, e);
        assertEquals(InsecureCause.UNSIGNED_DELEGATION, i.cause());
        assertEquals(Name.fromConstantString("plain.test."), i.delegation());
    }

    @Test
    void aFetcherThatFailsGivesNoVerdictNotBogus() {
        KeyStore store = new KeyStore(TrustAnchors.of(WORLD.trustAnchors()), WORLD.clock(), 64);
        Fetcher failing =
                (n, t) -> CompletableFuture.failedFuture(new IllegalStateException("unreachable"));
        EngineConfig config =
                EngineConfig.of(failing, TrustAnchors.of(WORLD.trustAnchors()), WORLD.clock());
        LookupState state =
                new LookupState(
                        config,
                        Crypto.STANDARD,
                        failing,
                        WORLD.clock().instant(),
                        System.nanoTime() + 5_000_000_000L);
        KeyEntry e =
                new ChainOfTrust(store, state, Limits.DEFAULT, Crypto.STANDARD, null, null)
                        .walk(Name.fromConstantString("example.test."), true);
        assertEquals(
                Verdict.Cause.UNAVAILABLE, assertInstanceOf(KeyEntry.Unanchored.class, e).cause());
    }

    @Test
    void noAnchorMeansNoVerdict() {
        KeyStore store = new KeyStore(null, WORLD.clock(), 64);
        KeyEntry e =
                chain(store, new ZoneFetcher())
                        .walk(Name.fromConstantString("example.test."), true);
        assertEquals(
                Verdict.Cause.NO_ANCHOR, assertInstanceOf(KeyEntry.Unanchored.class, e).cause());
        assertTrue(List.of().isEmpty());
    }
}
