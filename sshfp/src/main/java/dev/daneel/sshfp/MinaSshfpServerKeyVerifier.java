package dev.daneel.sshfp;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.PublicKey;
import java.util.Objects;
import java.util.function.Function;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;

/**
 * An Apache MINA SSHD {@link ServerKeyVerifier} that accepts a server's host key when a Secure
 * SSHFP RRset matches it, refuses it on a mismatch or a Bogus answer, and otherwise (no records, an
 * unsigned zone) asks an optional fallback verifier, typically MINA's {@code
 * KnownHostsServerKeyVerifier}. MINA's interface returns only a boolean, so every decision is
 * logged with its reason on the {@code dev.daneel.sshfp} {@link System.Logger} (refusals at
 * WARNING, the rest at INFO).
 *
 * <pre>{@code
 * SshClient client = SshClient.setUpDefaultClient();
 * client.setServerKeyVerifier(MinaSshfpServerKeyVerifier.builder(new SshfpVerifier(resolver))
 *         .fallback(new KnownHostsServerKeyVerifier(RejectAllServerKeyVerifier.INSTANCE, knownHosts))
 *         .build());
 * }</pre>
 *
 * <table>
 *   <caption>Decisions</caption>
 *   <tr><th>SSHFP result</th><th>decision</th></tr>
 *   <tr><td>Match</td><td>accept</td></tr>
 *   <tr><td>Mismatch, Bogus, Indeterminate</td><td>refuse (never the fallback: DNS said no, or could not be
 *       checked)</td></tr>
 *   <tr><td>NoRecords, Insecure</td><td>the fallback's answer; refuse without one</td></tr>
 * </table>
 *
 * <p>MINA calls a {@code ServerKeyVerifier} synchronously during key exchange, so the SSHFP lookup
 * blocks that session's I/O thread until the resolver answers (at most its timeout per upstream
 * attempt); the resolver's cache makes repeated connections to one host cheap.
 *
 * <p>MINA SSHD ({@code org.apache.sshd:sshd-core}) is an optional dependency of this module: add it
 * yourself to use this class. Thread-safe if the fallback is.
 */
// MINA's types appear in this API without "requires transitive": MINA is optional, and a transitive
// requirement would force it on every module that reads dev.daneel.sshfp.
@SuppressWarnings("exports")
public final class MinaSshfpServerKeyVerifier implements ServerKeyVerifier {

    private static final System.Logger LOG = System.getLogger("dev.daneel.sshfp");

    private final SshfpVerifier verifier;
    private final ServerKeyVerifier fallback;
    private final Function<ClientSession, String> hostName;

    private MinaSshfpServerKeyVerifier(Builder b) {
        this.verifier = b.verifier;
        this.fallback = b.fallback;
        this.hostName = b.hostName;
    }

    /** Starts configuring a verifier that checks keys with {@code verifier}. */
    public static Builder builder(SshfpVerifier verifier) {
        return new Builder(verifier);
    }

    @Override
    public boolean verifyServerKey(
            ClientSession session, SocketAddress remoteAddress, PublicKey serverKey) {
        String host = hostName.apply(session);
        if (host == null || host.isBlank()) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "SSHFP: no host name for {0}; refusing the host key",
                    remoteAddress);
            return false;
        }
        SshHostKey key;
        try {
            key = SshHostKey.of(serverKey);
        } catch (IllegalArgumentException e) {
            return fallBack(session, remoteAddress, serverKey, host + ": " + e.getMessage());
        }
        SshfpResult r = verifier.verify(host, key);
        if (r instanceof SshfpResult.Match) {
            LOG.log(
                    System.Logger.Level.INFO,
                    "SSHFP: {0} host key {1} accepted: {2}",
                    host,
                    key,
                    r);
            return true;
        }
        if (r instanceof SshfpResult.NoRecords || r instanceof SshfpResult.Insecure) {
            return fallBack(session, remoteAddress, serverKey, r.toString());
        }
        LOG.log(System.Logger.Level.WARNING, "SSHFP: {0} host key {1} refused: {2}", host, key, r);
        return false;
    }

    private boolean fallBack(
            ClientSession session, SocketAddress remote, PublicKey key, String why) {
        if (fallback == null) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "SSHFP cannot decide and no fallback is configured; refusing: {0}",
                    why);
            return false;
        }
        boolean ok = fallback.verifyServerKey(session, remote, key);
        LOG.log(
                System.Logger.Level.INFO,
                "SSHFP cannot decide ({0}); the fallback {1} the key",
                why,
                ok ? "accepted" : "refused");
        return ok;
    }

    /**
     * The host name of the address the session was asked to connect to, as given to {@code
     * connect}. MINA's {@code getConnectAddress()} and {@code SshdSocketAddress} live in
     * sshd-common, which a named module cannot read next to sshd-core (the two jars split
     * packages), so they are reached reflectively; both are public API.
     */
    static String connectHost(ClientSession session) {
        Object s = session;
        try {
            Object a = s.getClass().getMethod("getConnectAddress").invoke(s);
            if (a instanceof InetSocketAddress) {
                return ((InetSocketAddress) a).getHostString();
            }
            if (a != null) {
                Object name = a.getClass().getMethod("getHostName").invoke(a);
                return name instanceof String ? (String) name : null;
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(
                    System.Logger.Level.DEBUG,
                    "SSHFP: cannot read the session's connect address",
                    e);
        }
        return null;
    }

    /** Configures a {@link MinaSshfpServerKeyVerifier}. */
    public static final class Builder {
        private final SshfpVerifier verifier;
        private ServerKeyVerifier fallback;
        private Function<ClientSession, String> hostName = MinaSshfpServerKeyVerifier::connectHost;

        private Builder(SshfpVerifier verifier) {
            this.verifier = Objects.requireNonNull(verifier, "verifier");
        }

        /**
         * Asked when DNS cannot decide (no SSHFP records, or an unsigned zone); default none, which
         * refuses.
         */
        public Builder fallback(ServerKeyVerifier fallback) {
            this.fallback = Objects.requireNonNull(fallback, "fallback");
            return this;
        }

        /**
         * Where the SSHFP owner name comes from (default: the host name given to {@code
         * SshClient.connect}). Set it when you connect to an address but the records live at a
         * name.
         */
        public Builder hostName(Function<ClientSession, String> hostName) {
            this.hostName = Objects.requireNonNull(hostName, "hostName");
            return this;
        }

        /** Builds the verifier. */
        public MinaSshfpServerKeyVerifier build() {
            return new MinaSshfpServerKeyVerifier(this);
        }
    }
}
