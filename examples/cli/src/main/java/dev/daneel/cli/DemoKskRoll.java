package dev.daneel.cli;

import dev.daneel.anchors.AnchorStore;
import dev.daneel.anchors.AnchorTracker;
import dev.daneel.anchors.TrustAnchors;
import dev.daneel.testkit.TestClock;
import dev.daneel.testkit.World;
import dev.daneel.testkit.ZoneBuilder;
import dev.daneel.validator.Answer;
import dev.daneel.validator.Status;
import dev.daneel.validator.ValidatingResolver;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.xbill.DNS.Type;

/**
 * The demo's root KSK roll in fast-forward (RFC 5011): worlds signed at successive times on one
 * loopback port, the root publishing a standby KSK, waiting out the 30-day add hold-down, revoking
 * the old KSK and retiring it. A resolver that tracks its anchors (state in a file) rides through;
 * one that does not ends Bogus. The clock is a {@link TestClock}: months pass in a second.
 *
 * <pre>{@code
 * boolean ok = new DemoKskRoll(out, dir).run();
 * }</pre>
 *
 * <p>Single use, not thread-safe.
 */
final class DemoKskRoll {
    private static final Instant START = Instant.parse("2026-10-01T00:00:00Z");

    private final PrintWriter out;
    private final Path stateFile;
    private Path anchorFile;

    DemoKskRoll(PrintWriter out, Path dir) {
        this.out = out;
        this.stateFile = dir.resolve("root-5011.state");
    }

    Path stateFile() {
        return stateFile;
    }

    Path anchorFile() {
        return anchorFile;
    }

    private static World phase(TestClock clock, int port, Consumer<ZoneBuilder> root) {
        return World.builder()
                .clock(Clock.fixed(clock.instant(), ZoneOffset.UTC))
                .port(port)
                .reuseKeysAcrossWorlds()
                .bindAddress(java.net.InetAddress.getLoopbackAddress())
                .zone(
                        ".",
                        z -> {
                            z.algorithm(8).rsaKeyBits(1024).ttl(172800);
                            root.accept(z);
                        })
                .zone("test.", z -> z.record("www A 192.0.2.1"))
                .start();
    }

    /** Plays the roll, printing each phase; true when every phase behaved as described. */
    boolean run() throws IOException {
        TestClock clock = new TestClock(START);
        boolean ok = true;
        World p1 = phase(clock, 0, z -> {});
        int port = p1.server().port();
        anchorFile = p1.writeTrustAnchors(stateFile.resolveSibling("root-2017.anchor"));
        TrustAnchors only2017 = TrustAnchors.of(p1.trustAnchors());
        AnchorStore store = AnchorStore.at(stateFile);
        try (ValidatingResolver tracking =
                        ValidatingResolver.builder()
                                .upstream(p1.address())
                                .trustAnchors(only2017)
                                .clock(clock)
                                .trackAnchors(store, false)
                                .build();
                ValidatingResolver fixed =
                        ValidatingResolver.builder()
                                .upstream(p1.address())
                                .trustAnchors(only2017)
                                .clock(clock)
                                .build()) {
            ok &=
                    step(
                            clock,
                            "only the old KSK; the configured DS becomes a tracked key",
                            tracking,
                            store,
                            Status.SECURE);
            p1.close();

            clock.advance(Duration.ofDays(1));
            World p2 = phase(clock, port, ZoneBuilder::standbyKsk);
            ok &=
                    step(
                            clock,
                            "a new KSK appears beside the old one: add hold-down starts (ADD_PEND)",
                            tracking,
                            store,
                            Status.SECURE);
            p2.close();
            for (int i = 0; i < 4; i++) {
                clock.advance(Duration.ofDays(10));
                World p = phase(clock, port, ZoneBuilder::standbyKsk);
                ok &=
                        step(
                                clock,
                                i < 3
                                        ? "still in the 30-day hold-down"
                                        : "hold-down over: the new KSK is VALID",
                                tracking,
                                store,
                                Status.SECURE);
                p.close();
            }
            clock.advance(Duration.ofDays(1));
            World p3 = phase(clock, port, z -> z.standbyKsk().revokedKsk());
            ok &=
                    step(
                            clock,
                            "the old KSK is published with the REVOKE bit: REVOKED",
                            tracking,
                            store,
                            Status.SECURE);
            p3.close();
            clock.advance(Duration.ofDays(1));
            World p4 = phase(clock, port, z -> z.standbyKsk().retirePrimaryKsk());
            try {
                ok &=
                        step(
                                clock,
                                "the old KSK is gone; only the new one signs",
                                tracking,
                                store,
                                Status.SECURE);
                Answer stale = fixed.resolve("www.test.", Type.A);
                out.println(
                        "  a resolver that did not track its anchors (still trusting only the old KSK): "
                                + QueryCommand.statusLine(stale.verdict()));
                ok &= stale.status() == Status.BOGUS;
            } finally {
                p4.close();
            }
        }
        return ok;
    }

    private boolean step(
            TestClock clock,
            String what,
            ValidatingResolver tracking,
            AnchorStore store,
            Status expected)
            throws IOException {
        List<AnchorTracker.Result> results = tracking.refreshAnchors();
        Answer a = tracking.resolve("www.test.", Type.A);
        String states =
                store.load()
                        .map(
                                s ->
                                        s.get(0).keys().stream()
                                                .filter(k -> !k.isDs())
                                                .map(k -> "tag " + k.keyTag() + " " + k.state())
                                                .collect(Collectors.joining(", ")))
                        .orElse("(none)");
        out.println(clock.instant().toString().substring(0, 10) + "  " + what);
        out.println(
                "  refresh: "
                        + results.stream()
                                .map(r -> r.outcome().name())
                                .collect(Collectors.joining(", "))
                        + "; root keys: "
                        + states
                        + "; www.test. A is "
                        + QueryCommand.statusLine(a.verdict()));
        return a.status() == expected;
    }
}
