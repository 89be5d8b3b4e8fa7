package dev.daneel.anchors;

import dev.daneel.anchors.internal.CmsSignature;
import dev.daneel.anchors.internal.DnskeyObservation;
import dev.daneel.anchors.internal.ProbeProcessor;
import dev.daneel.anchors.internal.Rfc5011;
import dev.daneel.anchors.internal.RootAnchorsXml;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SignatureException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Type;
import org.xml.sax.InputSource;

/**
 * Recovers the root trust anchor after a long sleep, as {@code unbound-anchor} does: when no
 * trusted key validates the root's DNSKEY RRset any more (RFC 5011 state that missed a key roll, or
 * a jar older than the root's keys), fetches IANA's {@code root-anchors.xml} and its detached CMS
 * signature {@code root-anchors.p7s} over HTTPS, checks the signature against ICANN's root CA
 * (built into this jar), keeps the {@code KeyDigest}s valid now (RFC 7958 §2.3), requires one of
 * them to name a key that signs the live root DNSKEY RRset the caller fetched, and writes the new
 * RFC 5011 state atomically.
 *
 * <pre>{@code
 * RootAnchorBootstrap bootstrap = RootAnchorBootstrap.builder()
 *         .store(AnchorStore.at(Path.of("/var/lib/daneel/anchors.state")))
 *         .build();                                       // IANA's URL, ICANN's CA, system clock
 * RRset liveKeys = ...;                                   // ". DNSKEY" with its RRSIGs, fetched with DO=1, CD=1
 * RootAnchorBootstrap.Result r = bootstrap.run(liveKeys);
 * if (r instanceof RootAnchorBootstrap.Success s) {
 *     useAnchors(s.anchors());                            // also saved in the store
 * } else if (r instanceof RootAnchorBootstrap.Failure f) {
 *     log(f.message());                                   // "... failed: <detail>. <what to do>"
 * }
 * }</pre>
 *
 * <p>It never trusts an unsigned or wrongly signed file: a missing, unparsable or non-verifying
 * signature, a signer that does not chain to the given CA at the clock's time, or a file that names
 * no key the live root signs with, is a {@link Failure} and nothing is written. HTTPS protects the
 * fetch as well, but the CMS signature is what the anchors are trusted on. The work is bounded:
 * {@link #MAX_FILE_BYTES} per file, one request per file, the builder's timeout per request, no
 * redirects.
 *
 * <p>This class fetches over the network; a library never does it unless told to. Every step is
 * logged on the {@code System.Logger} named {@code dev.daneel.anchors.bootstrap}. Thread-safe; each
 * {@link #run} is independent (the store serialises concurrent writers).
 */
public final class RootAnchorBootstrap {

    /** IANA's publication point of {@code root-anchors.xml} and {@code root-anchors.p7s}. */
    public static final URI IANA = URI.create("https://data.iana.org/root-anchors/");

    /**
     * Largest accepted file: today's files are under 2 KiB; more than this is not an anchor file.
     */
    public static final int MAX_FILE_BYTES = 64 * 1024;

    /** Default timeout of each HTTPS request. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger LOG = System.getLogger("dev.daneel.anchors.bootstrap");
    private static final String ICANN_CA_RESOURCE = "icann-root-ca.pem";

    private final URI source;
    private final List<X509Certificate> cas;
    private final SSLContext ssl;
    private final Duration timeout;
    private final Clock clock;
    private final AnchorStore store;

    private RootAnchorBootstrap(Builder b) {
        this.source = b.source;
        this.cas = b.cas != null ? b.cas : icannRootCa();
        this.ssl = b.ssl;
        this.timeout = b.timeout;
        this.clock = b.clock;
        this.store = b.store;
    }

    /**
     * A new builder: IANA's URL, ICANN's root CA, the JDK's TLS trust, the system clock, no store.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** What a bootstrap gave: {@link Success} or {@link Failure}. */
    public sealed interface Result permits Success, Failure {}

    /**
     * The root is anchored again.
     *
     * @param anchors what a validator should trust for the root now (the live keys the file named)
     * @param digests the file's KeyDigests valid now, as DS records
     * @param matched the live root KSKs those digests name and that sign the DNSKEY RRset
     * @param states the RFC 5011 states written to the store (every other trust point kept as it
     *     was)
     * @param source where the file came from
     */
    public record Success(
            TrustAnchors anchors,
            List<DSRecord> digests,
            List<DNSKEYRecord> matched,
            List<TrustPointState> states,
            URI source)
            implements Result {
        public Success {
            digests = List.copyOf(digests);
            matched = List.copyOf(matched);
            states = List.copyOf(states);
        }
    }

    /**
     * No anchor was taken, and nothing was written.
     *
     * @param reason the kind of failure, with advice for the operator
     * @param detail what was expected and what was seen
     */
    public record Failure(Reason reason, String detail) implements Result {
        public Failure {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }

        /** The reason's advice and the detail, as one line for a log or an error message. */
        public String message() {
            return "root anchor bootstrap failed: " + detail + ". " + reason.advice();
        }
    }

    /** Why a bootstrap failed, each with what the operator should do. */
    public enum Reason {
        /** The URL could not be reached (connection refused, DNS, TLS handshake, timeout). */
        UNREACHABLE(
                "Check the machine's network and the bootstrap URL, or install a current root-anchors.xml by hand"
                        + " (from https://data.iana.org/root-anchors/) and point the anchor option at it"),
        /**
         * The server answered, but not with the file (an HTTP status other than 200, or an
         * oversized body).
         */
        HTTP_ERROR(
                "Check the bootstrap URL: it must be the folder that holds root-anchors.xml and root-anchors.p7s"),
        /**
         * The signature is missing, malformed, does not verify over the file, or does not chain to
         * the CA.
         */
        BAD_SIGNATURE(
                "Do not use this file: it is not signed by ICANN's CA. Check the bootstrap URL and the CA"
                        + " configured; if the built-in ICANN CA has been replaced since this release, update Daneel"),
        /** The file verified but is not a usable RFC 7958 document for the root. */
        MALFORMED_FILE(
                "The signed file could not be read as root anchors; report it, and install anchors by hand"),
        /** Every KeyDigest in the file is expired or not yet valid at the clock's time. */
        NO_VALID_DIGEST(
                "Check the system clock; if it is right, the file at the URL is stale: fetch a current one"),
        /** No KeyDigest valid now names a key that signs the live root DNSKEY RRset. */
        NO_MATCHING_KEY(
                "The root's live keys are not the ones IANA publishes: the DNSKEY RRset may be forged or"
                        + " stale (check the upstream resolver), or the clock is wrong; nothing was trusted"),
        /** The anchors were verified, but the new state could not be written. */
        STORE_FAILED(
                "Fix the permissions or free space of the anchor state file's directory, then run again");

        private final String advice;

        Reason(String advice) {
            this.advice = advice;
        }

        /** What the operator should do. */
        public String advice() {
            return advice;
        }
    }

    /**
     * Fetches, verifies and installs the root anchors, checking them against {@code liveRootKeys}.
     *
     * @param liveRootKeys the root's DNSKEY RRset with its RRSIGs, as an upstream returned it
     *     (unvalidated: this method checks which of its keys sign it)
     * @throws IllegalArgumentException when the RRset is not the root's DNSKEY RRset
     */
    public Result run(RRset liveRootKeys) {
        if (liveRootKeys == null
                || liveRootKeys.getType() != Type.DNSKEY
                || !Name.root.equals(liveRootKeys.getName())) {
            throw new IllegalArgumentException(
                    "expected the root's DNSKEY RRset, got "
                            + (liveRootKeys == null
                                    ? "null"
                                    : liveRootKeys.getName()
                                            + "/"
                                            + Type.string(liveRootKeys.getType())));
        }
        Instant now = clock.instant();
        URI xmlUri = source.resolve("root-anchors.xml");
        URI p7sUri = source.resolve("root-anchors.p7s");
        LOG.log(
                Level.INFO,
                () ->
                        "bootstrapping the root trust anchor from "
                                + xmlUri
                                + " (signature "
                                + p7sUri
                                + ")");
        byte[] xml;
        byte[] p7s;
        try {
            HttpClient http = client();
            xml = fetch(http, xmlUri);
            p7s = fetch(http, p7sUri);
        } catch (FetchFailure e) {
            return fail(e.reason, e.getMessage());
        }

        try {
            CmsSignature.verify(xml, p7s, cas, now);
        } catch (SignatureException e) {
            return fail(Reason.BAD_SIGNATURE, xmlUri + ": " + e.getMessage());
        }
        LOG.log(
                Level.INFO,
                () ->
                        "the CMS signature over "
                                + xmlUri
                                + " verifies and chains to "
                                + subjects(cas));

        List<RootAnchorsXml.Digest> all;
        try {
            all =
                    RootAnchorsXml.parseAll(
                            xmlUri.toString(), new InputSource(new ByteArrayInputStream(xml)));
        } catch (AnchorFormatException e) {
            return fail(Reason.MALFORMED_FILE, e.getMessage());
        }
        List<DSRecord> valid = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (RootAnchorsXml.Digest d : all) {
            String label =
                    "KeyDigest "
                            + (d.id() == null ? "" : d.id() + " ")
                            + "(key tag "
                            + d.ds().getFootprint()
                            + ", algorithm "
                            + d.ds().getAlgorithm()
                            + ")";
            if (!d.ds().getName().equals(Name.root)) {
                return fail(
                        Reason.MALFORMED_FILE,
                        xmlUri
                                + " anchors zone "
                                + d.ds().getName()
                                + "; expected the root zone \".\"");
            }
            if (!d.validAt(now)) {
                String why =
                        now.isBefore(d.validFrom())
                                ? "valid only from " + d.validFrom()
                                : "expired at " + d.validUntil().orElseThrow();
                skipped.add(label + " " + why);
                LOG.log(Level.INFO, () -> label + " skipped: " + why);
            } else if (!ProbeProcessor.supportedAlgorithm(d.ds().getAlgorithm())) {
                skipped.add(label + " uses an algorithm Daneel does not validate");
                LOG.log(
                        Level.WARNING,
                        () ->
                                label
                                        + " skipped: Daneel does not validate algorithm "
                                        + d.ds().getAlgorithm());
            } else {
                valid.add(d.ds());
                LOG.log(Level.INFO, () -> label + " valid now");
            }
        }
        if (valid.isEmpty()) {
            return fail(
                    Reason.NO_VALID_DIGEST,
                    "no KeyDigest in " + xmlUri + " is usable at " + now + ": " + skipped);
        }

        DnskeyObservation live = DnskeyObservation.of(liveRootKeys, List.of(), now);
        List<DNSKEYRecord> matched = new ArrayList<>();
        for (DNSKEYRecord k : live.keys()) {
            if (!Rfc5011.isSep(k) || Rfc5011.isRevoked(k) || !live.signers().contains(k)) {
                continue;
            }
            if (valid.stream().anyMatch(ds -> ProbeProcessor.dsMatches(ds, k))) {
                matched.add(k);
            }
        }
        if (matched.isEmpty()) {
            return fail(
                    Reason.NO_MATCHING_KEY,
                    "the KeyDigests valid now in "
                            + xmlUri
                            + " name key tags "
                            + tags(valid.stream().map(DSRecord::getFootprint).toList())
                            + ", but the live root DNSKEY RRset is signed by "
                            + tags(live.signers().stream().map(DNSKEYRecord::getFootprint).toList())
                            + " (its key-signing keys: "
                            + tags(
                                    live.keys().stream()
                                            .filter(Rfc5011::isSep)
                                            .map(DNSKEYRecord::getFootprint)
                                            .toList())
                            + ")");
        }

        AnchorTracker tracker =
                AnchorTracker.builder().clock(clock).initial(TrustAnchors.of(valid)).build();
        AnchorTracker.Result probe = tracker.onDnskeyResponse(liveRootKeys);
        if (probe.outcome() != AnchorTracker.Outcome.VALIDATED || tracker.anchors().isEmpty()) {
            return fail(
                    Reason.NO_MATCHING_KEY,
                    "the live root DNSKEY RRset did not validate with the file's anchors ("
                            + probe.outcome()
                            + ")");
        }
        TrustPointState root = tracker.state(Name.root).orElseThrow();
        List<TrustPointState> written = List.of(root);
        if (store != null) {
            try {
                written =
                        store.update(
                                before -> {
                                    List<TrustPointState> after = new ArrayList<>();
                                    after.add(root);
                                    before.stream()
                                            .filter(s -> !s.zone().equals(Name.root))
                                            .forEach(after::add);
                                    return after;
                                });
            } catch (IOException | RuntimeException e) {
                return fail(
                        Reason.STORE_FAILED,
                        "cannot write the new anchor state to "
                                + store.file()
                                + ": "
                                + e.getMessage());
            }
        }
        TrustAnchors anchors = TrustAnchors.fromAnchors(tracker.anchors());
        List<DNSKEYRecord> matchedFinal = List.copyOf(matched);
        LOG.log(
                Level.INFO,
                () ->
                        "root trust anchor bootstrapped from "
                                + xmlUri
                                + ": now trusting key tags "
                                + tags(
                                        matchedFinal.stream()
                                                .map(DNSKEYRecord::getFootprint)
                                                .toList())
                                + (store == null
                                        ? " (no state file configured)"
                                        : ", state written to " + store.file()));
        return new Success(anchors, valid, matched, written, xmlUri);
    }

    private Failure fail(Reason reason, String detail) {
        Failure f = new Failure(reason, detail);
        LOG.log(Level.WARNING, f::message);
        return f;
    }

    private HttpClient client() {
        HttpClient.Builder b =
                HttpClient.newBuilder()
                        .connectTimeout(timeout)
                        .followRedirects(HttpClient.Redirect.NEVER);
        if (ssl != null) {
            b.sslContext(ssl);
        }
        return b.build();
    }

    private byte[] fetch(HttpClient http, URI uri) throws FetchFailure {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new FetchFailure(Reason.UNREACHABLE, "cannot fetch " + uri + ": " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FetchFailure(Reason.UNREACHABLE, "interrupted while fetching " + uri);
        }
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                throw new FetchFailure(
                        Reason.HTTP_ERROR,
                        uri + " answered HTTP " + response.statusCode() + "; expected 200");
            }
            byte[] body = in.readNBytes(MAX_FILE_BYTES + 1);
            if (body.length > MAX_FILE_BYTES) {
                throw new FetchFailure(
                        Reason.HTTP_ERROR,
                        uri
                                + " is larger than "
                                + MAX_FILE_BYTES
                                + " bytes; an anchor file is not");
            }
            LOG.log(Level.DEBUG, () -> "fetched " + uri + " (" + body.length + " bytes)");
            return body;
        } catch (IOException e) {
            throw new FetchFailure(Reason.UNREACHABLE, "cannot read " + uri + ": " + describe(e));
        }
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : " (" + m + ")");
    }

    private static String tags(Collection<Integer> tags) {
        return tags.stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
    }

    private static List<String> subjects(List<X509Certificate> certs) {
        return certs.stream().map(c -> c.getSubjectX500Principal().getName()).toList();
    }

    /**
     * ICANN's root CA certificate(s), the trust for IANA's signature, as compiled into this jar.
     */
    public static List<X509Certificate> icannRootCa() {
        try (InputStream in = RootAnchorBootstrap.class.getResourceAsStream(ICANN_CA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        "the built-in ICANN root CA ("
                                + ICANN_CA_RESOURCE
                                + ") is missing from the jar");
            }
            List<X509Certificate> out = new ArrayList<>();
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (var c : cf.generateCertificates(in)) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new IllegalStateException(
                        "the built-in ICANN root CA ("
                                + ICANN_CA_RESOURCE
                                + ") holds no certificate");
            }
            return List.copyOf(out);
        } catch (IOException | CertificateException e) {
            throw new IllegalStateException(
                    "the built-in ICANN root CA ("
                            + ICANN_CA_RESOURCE
                            + ") cannot be read: "
                            + e.getMessage(),
                    e);
        }
    }

    /** A failed fetch, turned into a {@link Failure} by {@link #run}. */
    private static final class FetchFailure extends Exception {
        private static final long serialVersionUID = 1L;
        final transient Reason reason;

        FetchFailure(Reason reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }

    /**
     * Configures a {@link RootAnchorBootstrap}. Every setter checks its argument at once.
     *
     * <pre>{@code
     * RootAnchorBootstrap b = RootAnchorBootstrap.builder()
     *         .source(URI.create("https://mirror.example/root-anchors/"))
     *         .timeout(Duration.ofSeconds(5))
     *         .store(store)
     *         .build();
     * }</pre>
     */
    public static final class Builder {
        private URI source = IANA;
        private List<X509Certificate> cas;
        private SSLContext ssl;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Clock clock = Clock.systemUTC();
        private AnchorStore store;

        private Builder() {}

        /**
         * The folder that holds {@code root-anchors.xml} and {@code root-anchors.p7s} (default
         * {@link #IANA}); must be an absolute {@code https} URL ending in {@code /}.
         */
        public Builder source(URI folder) {
            Objects.requireNonNull(folder, "folder");
            if (!"https".equalsIgnoreCase(folder.getScheme())
                    || folder.getHost() == null
                    || !folder.getPath().endsWith("/")) {
                throw new IllegalArgumentException(
                        "the bootstrap source must be an https URL of a folder ending in '/',"
                                + " like "
                                + IANA
                                + "; got "
                                + folder);
            }
            this.source = folder;
            return this;
        }

        /**
         * The CA certificates the file's signature must chain to (default: ICANN's root CA built
         * into this jar, {@link #icannRootCa()}); tests and private mirrors pass their own.
         */
        public Builder trustedCas(Collection<X509Certificate> cas) {
            if (cas.isEmpty()) {
                throw new IllegalArgumentException("trustedCas needs at least one CA certificate");
            }
            this.cas = List.copyOf(cas);
            return this;
        }

        /**
         * The TLS settings for the HTTPS fetch (default: the JDK's default context and trust
         * store).
         */
        public Builder sslContext(SSLContext context) {
            this.ssl = Objects.requireNonNull(context, "context");
            return this;
        }

        /**
         * Timeout of the connection and of each request, 1 second .. 5 minutes (default 10
         * seconds).
         */
        public Builder timeout(Duration t) {
            if (t.compareTo(Duration.ofSeconds(1)) < 0 || t.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new IllegalArgumentException(
                        "timeout must be 1 second .. 5 minutes, got " + t);
            }
            this.timeout = t;
            return this;
        }

        /**
         * The clock for KeyDigest validity, certificate validity, signatures and hold-downs
         * (default system UTC).
         */
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /**
         * Where the new RFC 5011 state is written atomically (default: nowhere; the result still
         * carries it).
         */
        public Builder store(AnchorStore s) {
            this.store = Objects.requireNonNull(s, "store");
            return this;
        }

        /** The bootstrap; reads the built-in ICANN CA now unless CAs were given. */
        public RootAnchorBootstrap build() {
            return new RootAnchorBootstrap(this);
        }
    }

    @Override
    public String toString() {
        return "RootAnchorBootstrap["
                + source
                + ", CAs "
                + subjects(cas)
                + (store == null ? "" : ", " + store)
                + "]";
    }
}
