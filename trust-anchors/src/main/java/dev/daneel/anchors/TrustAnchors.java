package dev.daneel.anchors;

import dev.daneel.anchors.internal.AnchorFileReader;
import dev.daneel.anchors.internal.CmsSignature;
import dev.daneel.anchors.internal.LocatedRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SignatureException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * The trust anchors a validator starts from: DS or DNSKEY records, grouped by the zone they anchor.
 *
 * <pre>{@code
 * TrustAnchors root = TrustAnchors.builtIn();                              // IANA's KSK-2017 and KSK-2024
 * TrustAnchors mine = TrustAnchors.fromFile(Path.of("/etc/daneel/anchors")); // DS/DNSKEY lines, BIND, or XML
 * Optional<Anchor> a = root.closestEnclosing(Name.fromString("www.example.com."));
 * }</pre>
 *
 * <p>Where they come from:
 *
 * <ul>
 *   <li>{@link #builtIn()}: the IANA root anchors compiled in as IANA's own {@code
 *       root-anchors.xml} (RFC 7958): KSK-2017 (key tag 20326) and KSK-2024 (key tag 38696) as DS
 *       records, each only from its {@code validFrom} and until its {@code validUntil}, judged by
 *       the clock given.
 *   <li>{@link #fromFile(Path)}: a file in any of three formats, told apart by their first word:
 *       master-file DS/DNSKEY lines (comments, {@code $TTL}, {@code $ORIGIN}, base64 with spaces as
 *       {@code dnssec-keygen} writes it), BIND {@code trust-anchors} / {@code managed-keys} /
 *       {@code trusted-keys} clauses, or IANA's {@code root-anchors.xml}. {@link
 *       #fromSignedRootAnchors} also checks the XML's detached CMS signature.
 *   <li>{@link #of(Collection)}: records built in code (tests, the testkit).
 * </ul>
 *
 * <p>Bad input fails loudly, never into an empty set: a malformed line, a DS that matches none of
 * the keys given beside it, a revoked key, or an XML file whose every digest has expired gives an
 * {@link AnchorFormatException} such as {@code anchors.txt:4: expected a DS or DNSKEY record, saw
 * type NS}.
 *
 * <p>Immutable and thread-safe. RFC 5011 rollover is {@link AnchorTracker}'s job; this class is a
 * fixed set.
 */
public final class TrustAnchors {

    /** IANA's root-anchors.xml, as a resource next to this class. */
    private static final String BUILT_IN = "root-anchors.xml";

    private final Map<Name, Anchor> byZone;

    private TrustAnchors(Map<Name, Anchor> byZone) {
        this.byZone = Map.copyOf(byZone);
    }

    /** Anchors from DS and DNSKEY records (other types are refused, naming the record). */
    public static TrustAnchors of(Collection<? extends Record> records) {
        if (records.isEmpty()) {
            throw new IllegalArgumentException(
                    "no trust anchors given: a validator needs at least one DS or DNSKEY anchor");
        }
        Map<Name, List<DSRecord>> ds = new LinkedHashMap<>();
        Map<Name, List<DNSKEYRecord>> keys = new LinkedHashMap<>();
        for (Record r : records) {
            if (r instanceof DSRecord) {
                ds.computeIfAbsent(r.getName(), n -> new ArrayList<>()).add((DSRecord) r);
            } else if (r instanceof DNSKEYRecord) {
                keys.computeIfAbsent(r.getName(), n -> new ArrayList<>()).add((DNSKEYRecord) r);
            } else {
                throw new IllegalArgumentException(
                        "a trust anchor must be a DS or DNSKEY record, got " + r);
            }
        }
        Map<Name, Anchor> byZone = new LinkedHashMap<>();
        for (Name zone : union(ds.keySet(), keys.keySet())) {
            byZone.put(
                    zone,
                    new Anchor(
                            zone,
                            ds.getOrDefault(zone, List.of()),
                            keys.getOrDefault(zone, List.of())));
        }
        return new TrustAnchors(byZone);
    }

    /** Anchors from DS and DNSKEY records. */
    public static TrustAnchors of(Record... records) {
        return of(List.of(records));
    }

    /** Anchors from per-zone anchors, such as {@link AnchorTracker#anchors()}. */
    public static TrustAnchors fromAnchors(Collection<Anchor> anchors) {
        List<Record> records = new ArrayList<>();
        for (Anchor a : anchors) {
            records.addAll(a.ds());
            records.addAll(a.keys());
        }
        return of(records);
    }

    /** The IANA root anchors valid now (system clock); see {@link #builtIn(Clock)}. */
    public static TrustAnchors builtIn() {
        return builtIn(Clock.systemUTC());
    }

    /**
     * The IANA root anchors compiled into this jar as IANA's {@code root-anchors.xml}, keeping each
     * key digest from its {@code validFrom} until its {@code validUntil} as {@code clock} sees it.
     *
     * @throws IllegalStateException if no built-in digest is valid at the clock's time (a clock set
     *     before 2017, or a jar far past the digests' end): configure a current anchor file instead
     */
    public static TrustAnchors builtIn(Clock clock) {
        byte[] xml;
        try (InputStream in = TrustAnchors.class.getResourceAsStream(BUILT_IN)) {
            if (in == null) {
                throw new IllegalStateException(
                        "the built-in root anchors (" + BUILT_IN + ") are missing from the jar");
            }
            xml = in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(
                    "the built-in root anchors ("
                            + BUILT_IN
                            + ") cannot be read: "
                            + e.getMessage(),
                    e);
        }
        try {
            return fromLocated(AnchorFileReader.read("built-in " + BUILT_IN, xml, clock.instant()));
        } catch (AnchorFormatException e) {
            throw new IllegalStateException(
                    "the built-in root anchors have no key valid at "
                            + clock.instant()
                            + " (is the clock right?); configure an anchor file instead. "
                            + e.getMessage(),
                    e);
        }
    }

    /**
     * Anchors from a file (any of the three formats), with XML validity judged by the system clock.
     */
    public static TrustAnchors fromFile(Path file) throws IOException {
        return fromFile(file, Clock.systemUTC());
    }

    /**
     * Anchors from a file: DS/DNSKEY lines, BIND clauses or {@code root-anchors.xml}, detected by
     * content.
     *
     * @throws AnchorFormatException naming the file and line when the content is not a usable
     *     anchor set
     * @throws IOException when the file cannot be read
     */
    public static TrustAnchors fromFile(Path file, Clock clock) throws IOException {
        return fromLocated(
                AnchorFileReader.read(file.toString(), Files.readAllBytes(file), clock.instant()));
    }

    /** Anchors from text read from {@code in}; {@code sourceName} names it in error messages. */
    public static TrustAnchors fromReader(Reader in, String sourceName, Clock clock)
            throws IOException {
        StringBuilder sb = new StringBuilder();
        char[] buf = new char[8192];
        for (int n; (n = in.read(buf)) > 0; ) {
            sb.append(buf, 0, n);
        }
        return fromLocated(AnchorFileReader.readText(sourceName, sb.toString(), clock.instant()));
    }

    /** Anchors from text in any of the three formats (XML validity judged by the system clock). */
    public static TrustAnchors fromString(String text) {
        return fromLocated(
                AnchorFileReader.readText("<string>", text, Clock.systemUTC().instant()));
    }

    /**
     * Anchors from IANA's {@code root-anchors.xml} after checking its detached CMS signature
     * ({@code root-anchors.p7s}, RFC 7958 §4) against the given CA certificates (ICANN's root CA
     * for IANA's file) at the clock's time.
     *
     * @throws SignatureException if the signature does not verify or does not chain to {@code
     *     trustedCas}
     */
    public static TrustAnchors fromSignedRootAnchors(
            Path xml, Path p7s, Collection<X509Certificate> trustedCas, Clock clock)
            throws IOException, SignatureException {
        byte[] content = Files.readAllBytes(xml);
        CmsSignature.verify(content, Files.readAllBytes(p7s), trustedCas, clock.instant());
        return fromLocated(AnchorFileReader.read(xml.toString(), content, clock.instant()));
    }

    private static TrustAnchors fromLocated(List<LocatedRecord> located) {
        List<Record> records = new ArrayList<>();
        for (LocatedRecord lr : located) {
            records.add(lr.record());
        }
        return of(records);
    }

    /** The anchor of the deepest anchored zone at or above {@code name}, if any. */
    public Optional<Anchor> closestEnclosing(Name name) {
        for (int strip = 0; strip < name.labels(); strip++) {
            Anchor a = byZone.get(strip == 0 ? name : new Name(name, strip));
            if (a != null) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** The anchored zones. */
    public Set<Name> zones() {
        return byZone.keySet();
    }

    /** The anchor for exactly this zone, if any. */
    public Optional<Anchor> forZone(Name zone) {
        return Optional.ofNullable(byZone.get(zone));
    }

    private static Set<Name> union(Set<Name> a, Set<Name> b) {
        Set<Name> out = new java.util.LinkedHashSet<>(a);
        out.addAll(b);
        return out;
    }

    @Override
    public String toString() {
        return "TrustAnchors" + byZone.values();
    }
}
