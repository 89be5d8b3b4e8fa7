package dev.daneel.validator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.daneel.validator.Limits;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.NSEC3PARAMRecord;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import org.xbill.DNS.utils.base32;

/**
 * Unbound's signature, DS and NSEC3-hash vectors ({@code testcode/unitverify.c} over {@code
 * testdata/test_sig*}, {@code test_ds.*}, {@code test_nsec3_hash.1}) run through our own {@link
 * SignatureVerifier}, {@link DsMatcher} and the NSEC3 hashing {@link Denial} uses.
 *
 * <p>The data is read from {@code ../shared/testdata/unbound/crypto} next to the project root and
 * is never copied into the project. When it is absent the tests are skipped with the reason, except
 * with {@code CI=true}, where they fail.
 *
 * <p>A signature file is a list of {@code testpkts.h} entries: the first one's answer holds the
 * zone's DNSKEY RRset; every RRset of every later entry (all sections) is verified with those keys
 * at the file's fixed time. As in {@code unitverify.c}'s {@code should_be_bogus}, an RRset must
 * fail when its owner or the entry's query name has a first label starting with {@code bogus}, or
 * when it carries no RRSIG; every other RRset must be Secure. One dynamic test per RRset, named
 * {@code #entry owner TYPE -> expectation}, inside one container per file.
 *
 * <p>Where our policy differs from Unbound's the expectation says so in the test name, never
 * silently:
 *
 * <ul>
 *   <li>{@link #REFUSED_BY_POLICY}: RRSIGs made only with an algorithm RFC 8624 §3.1 says MUST NOT
 *       be used for validation (RSAMD5, DSA, DSA-NSEC3-SHA1, ECC-GOST) never make anything Secure,
 *       even where Unbound's vector says "good";
 *   <li>{@link #SINGLE_VALID_ALGORITHM_IS_ENOUGH}: RFC 6840 §5.11 lets a validator accept one valid
 *       signature path; Unbound's test asks for a valid signature for every algorithm of the DNSKEY
 *       set.
 * </ul>
 */
class UnboundCryptoVectorsTest {

    private static final DateTimeFormatter UNBOUND_TIME =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss", Locale.ROOT);

    private static final Pattern DS_MNEMONIC =
            Pattern.compile("(\\sDS\\s+\\d+\\s+)([A-Za-z][A-Za-z0-9-]*)(?=\\s)");

    private static final base32 B32HEX = new base32(base32.Alphabet.BASE32HEX, false, true);

    /**
     * Marks an expectation that deviates from Unbound's: RSAMD5 (1), DSA (3), DSA-NSEC3-SHA1 (6)
     * and ECC-GOST (12) are "MUST NOT" for validation in RFC 8624 §3.1, so {@link
     * SignatureVerifier} ignores their signatures; Unbound still validates them when its crypto
     * library can.
     */
    private static final String REFUSED_BY_POLICY =
            "not Secure (policy, RFC 8624 §3.1: algorithm refused)";

    /**
     * Marks an expectation that deviates from Unbound's: {@code unitverify.c} passes the list of
     * every algorithm in the DNSKEY set to {@code dnskeyset_verify_rrset}, so an RRset is Bogus
     * unless each of those algorithms has a signature that verifies (Unbound's {@code
     * harden-algo-downgrade} behaviour). RFC 6840 §5.11: "Validators SHOULD accept any single valid
     * path"; the completeness check is a MAY, and {@link SignatureVerifier} does not make it.
     */
    private static final String SINGLE_VALID_ALGORITHM_IS_ENOUGH =
            "Secure (RFC 6840 §5.11: one valid algorithm suffices; Unbound's test wants all)";

    /**
     * The vectors (file and entry number) whose Bogus verdict in Unbound comes only from the
     * algorithm-completeness check, with the file's own comment on them.
     */
    private static final Map<String, String> ONE_ALGORITHM_VERIFIES =
            Map.of(
                    "test_sigs.sha1_and_256 #3",
                            "\"the SHA1 invalid\": the RSASHA256 signature verifies",
                    "test_sigs.sha1_and_256 #4",
                            "\"the SHA256 invalid\": the RSASHA1 signature verifies");

    // ---- signature vectors, one factory per file, at the time unitverify.c uses
    // ------------------------

    @TestFactory
    Stream<DynamicNode> testSignatures1() {
        return signatures("test_signatures.1", "20070818005004");
    }

    @TestFactory
    Stream<DynamicNode> testSignatures2() {
        return signatures("test_signatures.2", "20080414005004");
    }

    @TestFactory
    Stream<DynamicNode> testSignatures3() {
        return signatures("test_signatures.3", "20080416005004");
    }

    @TestFactory
    Stream<DynamicNode> testSignatures4() {
        return signatures("test_signatures.4", "20080416005004");
    }

    @TestFactory
    Stream<DynamicNode> testSignatures5() {
        return signatures("test_signatures.5", "20080416005004");
    }

    @TestFactory
    Stream<DynamicNode> testSignatures6() {
        return signatures("test_signatures.6", "20080416005004");
    }

    @TestFactory
    Stream<DynamicNode> testSignatures7() {
        return signatures("test_signatures.7", "20070829144150");
    }

    @TestFactory
    Stream<DynamicNode> testSignatures8() {
        return signatures("test_signatures.8", "20070829144150");
    }

    @TestFactory
    Stream<DynamicNode> testSignatures9() {
        return signatures("test_signatures.9", "20171215000000");
    }

    @TestFactory
    Stream<DynamicNode> testSigsRsaSha256() {
        return signatures("test_sigs.rsasha256", "20070829144150");
    }

    @TestFactory
    Stream<DynamicNode> testSigsSha1AndSha256() {
        return signatures("test_sigs.sha1_and_256", "20070829144150");
    }

    @TestFactory
    Stream<DynamicNode> testSigsRsaSha256Draft() {
        return signatures("test_sigs.rsasha256_draft", "20090101000000");
    }

    @TestFactory
    Stream<DynamicNode> testSigsRsaSha512Draft() {
        return signatures("test_sigs.rsasha512_draft", "20070829144150");
    }

    @TestFactory
    Stream<DynamicNode> testSigsHinfo() {
        return signatures("test_sigs.hinfo", "20090107100022");
    }

    @TestFactory
    Stream<DynamicNode> testSigsRevoked() {
        return signatures("test_sigs.revoked", "20080414005004");
    }

    /**
     * Optional in Unbound (needs an OpenSSL with GOST); for us GOST is refused by policy, so it
     * always runs.
     */
    @TestFactory
    Stream<DynamicNode> testSigsGost() {
        return signatures("test_sigs.gost", "20090807060504");
    }

    @TestFactory
    Stream<DynamicNode> testSigsEcdsaP256() {
        return signatures("test_sigs.ecdsa_p256", "20100908100439");
    }

    @TestFactory
    Stream<DynamicNode> testSigsEcdsaP384() {
        return signatures("test_sigs.ecdsa_p384", "20100908100439");
    }

    @TestFactory
    Stream<DynamicNode> testSigsEd25519() {
        return signatures("test_sigs.ed25519", "20170530140439");
    }

    @TestFactory
    Stream<DynamicNode> testSigsEd448() {
        return signatures("test_sigs.ed448", "20180408143630");
    }

    // ---- DS and NSEC3 hash vectors
    // -------------------------------------------------------------------

    @TestFactory
    Stream<DynamicNode> testDsSha1() {
        return dsMatches("test_ds.sha1");
    }

    @TestFactory
    Stream<DynamicNode> testDsSha384() {
        return dsMatches("test_ds.sha384");
    }

    /**
     * Each entry hashes its query name with the NSEC3 parameters of its authority section; the
     * first label of the answer's AAAA owner is the expected hash (RFC 5155 Appendix A zone).
     * Checks the dnsjava call {@link Denial} hashes with.
     */
    @TestFactory
    Stream<DynamicNode> testNsec3Hash1() {
        String file = "test_nsec3_hash.1";
        if (CRYPTO_DIR.isEmpty()) {
            return absent(file);
        }
        List<Entry> entries = read(file);
        List<DynamicNode> tests = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            NSEC3Record params = only(e, NSEC3Record.class);
            Name answer = only(e, AAAARecord.class).getName();
            String expected = answer.getLabelString(0);
            tests.add(
                    DynamicTest.dynamicTest(
                            "#" + (i + 1) + " H(" + e.qname() + ") = " + expected,
                            () -> {
                                String hash = B32HEX.toString(nsec3Hash(e.qname(), params));
                                assertEquals(
                                        expected,
                                        hash,
                                        file
                                                + ": NSEC3 hash of "
                                                + e.qname()
                                                + " with "
                                                + params.getIterations()
                                                + " iterations, salt "
                                                + params.getSalt().length
                                                + " bytes");
                            }));
        }
        return Stream.of(DynamicContainer.dynamicContainer(file, tests));
    }

    /** The computation in {@code Denial.hash}. */
    private static byte[] nsec3Hash(Name name, NSEC3Record params) throws NoSuchAlgorithmException {
        return new NSEC3PARAMRecord(
                        new Name(params.getName(), 1),
                        params.getDClass(),
                        0,
                        params.getHashAlgorithm(),
                        0,
                        params.getIterations(),
                        params.getSalt())
                .hashName(name);
    }

    // ---- running a file
    // ------------------------------------------------------------------------------

    private Stream<DynamicNode> signatures(String file, String time) {
        if (CRYPTO_DIR.isEmpty()) {
            return absent(file);
        }
        Instant at = LocalDateTime.parse(time, UNBOUND_TIME).toInstant(ZoneOffset.UTC);
        List<Entry> entries = read(file);
        List<DNSKEYRecord> keys =
                entries.get(0).records().stream()
                        .filter(DNSKEYRecord.class::isInstance)
                        .map(DNSKEYRecord.class::cast)
                        .toList();
        assertFalse(keys.isEmpty(), file + ": the first entry must hold the DNSKEY RRset");
        Name zone = keys.get(0).getName();
        List<DynamicNode> tests = new ArrayList<>();
        for (int i = 1; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            int number = i + 1;
            for (RRset set : rrsets(entry.records())) {
                Expectation expect = expectation(file + " #" + number, set, entry.qname());
                String name =
                        "#"
                                + number
                                + " "
                                + set.getName()
                                + " "
                                + Type.string(set.getType())
                                + " -> "
                                + expect.text;
                tests.add(
                        DynamicTest.dynamicTest(
                                name,
                                () -> {
                                    SignatureVerifier verifier =
                                            new SignatureVerifier(
                                                    at,
                                                    Duration.ZERO,
                                                    new Budget(Limits.DEFAULT),
                                                    Crypto.STANDARD);
                                    SignatureVerifier.Outcome outcome =
                                            verifier.verify(set, zone, keys);
                                    String what =
                                            file
                                                    + " entry "
                                                    + number
                                                    + " (query "
                                                    + entry.qname()
                                                    + "), "
                                                    + set.getName()
                                                    + " "
                                                    + Type.string(set.getType())
                                                    + " at "
                                                    + time
                                                    + ": expected "
                                                    + expect.text
                                                    + ", got "
                                                    + (outcome.secure()
                                                            ? "Secure"
                                                            : outcome.failure()
                                                                    + " ("
                                                                    + outcome.detail()
                                                                    + ")");
                                    assertEquals(expect.secure, outcome.secure(), what);
                                    if (expect.oneAlgorithmSuffices) {
                                        // The deviation must be exactly Unbound's completeness
                                        // check, nothing else.
                                        assertTrue(
                                                someAlgorithmFailsAlone(set, zone, keys, at),
                                                what
                                                        + "; yet every algorithm verifies alone, so Unbound's verdict should be Secure too");
                                    }
                                }));
            }
        }
        return Stream.of(DynamicContainer.dynamicContainer(file + " at " + time, tests));
    }

    /**
     * Whether some algorithm of the key set has no signature on {@code set} that verifies with its
     * keys alone.
     */
    private static boolean someAlgorithmFailsAlone(
            RRset set, Name zone, List<DNSKEYRecord> keys, Instant at) {
        return keys.stream()
                .map(DNSKEYRecord::getAlgorithm)
                .distinct()
                .anyMatch(
                        alg -> {
                            List<DNSKEYRecord> only =
                                    keys.stream().filter(k -> k.getAlgorithm() == alg).toList();
                            return !new SignatureVerifier(
                                            at,
                                            Duration.ZERO,
                                            new Budget(Limits.DEFAULT),
                                            Crypto.STANDARD)
                                    .verify(set, zone, only)
                                    .secure();
                        });
    }

    private record Expectation(boolean secure, String text, boolean oneAlgorithmSuffices) {
        Expectation(boolean secure, String text) {
            this(secure, text, false);
        }
    }

    /** Unbound's {@code should_be_bogus}, then our two documented deviations. */
    private static Expectation expectation(String vector, RRset set, Name qname) {
        List<RRSIGRecord> sigs = set.sigs();
        if (sigs.isEmpty()) {
            return new Expectation(false, "not Secure (no RRSIG)");
        }
        if (ONE_ALGORITHM_VERIFIES.containsKey(vector)) {
            return new Expectation(
                    true,
                    SINGLE_VALID_ALGORITHM_IS_ENOUGH + ", " + ONE_ALGORITHM_VERIFIES.get(vector),
                    true);
        }
        if (startsWithBogus(set.getName()) || startsWithBogus(qname)) {
            return new Expectation(false, "not Secure (named bogus)");
        }
        // RFC 8624 §3.1: RSAMD5, DSA, DSA-NSEC3-SHA1 and ECC-GOST MUST NOT be used for validation;
        // a
        // signature made only with them proves nothing to us, whatever Unbound's vector says.
        if (sigs.stream().noneMatch(s -> Crypto.STANDARD.supported(s.getAlgorithm()))) {
            return new Expectation(false, REFUSED_BY_POLICY);
        }
        return new Expectation(true, "Secure");
    }

    private static boolean startsWithBogus(Name name) {
        return name.labels() > 1
                && name.getLabelString(0).toLowerCase(Locale.ROOT).startsWith("bogus");
    }

    /**
     * Groups a message's records into RRsets as Unbound's parser does: by owner, class and
     * (covered) type.
     */
    private static List<RRset> rrsets(List<Record> records) {
        Map<String, RRset> sets = new LinkedHashMap<>();
        for (Record r : records) {
            String key = r.getName().canonicalize() + " " + r.getDClass() + " " + r.getRRsetType();
            sets.computeIfAbsent(key, k -> new RRset()).addRR(r);
        }
        return List.copyOf(sets.values());
    }

    private Stream<DynamicNode> dsMatches(String file) {
        if (CRYPTO_DIR.isEmpty()) {
            return absent(file);
        }
        List<Entry> entries = read(file);
        List<DynamicNode> tests = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            DSRecord ds = only(e, DSRecord.class);
            DNSKEYRecord key = only(e, DNSKEYRecord.class);
            String verdict = e.qname().getLabelString(0).toLowerCase(Locale.ROOT);
            if (!verdict.equals("yes") && !verdict.equals("no")) {
                fail(
                        file
                                + " entry "
                                + (i + 1)
                                + ": query name must be yes. or no., is "
                                + e.qname());
            }
            boolean match = verdict.equals("yes");
            String name =
                    "#"
                            + (i + 1)
                            + " "
                            + verdict
                            + ": "
                            + ds.getName()
                            + " DS "
                            + ds.getFootprint()
                            + " alg "
                            + ds.getAlgorithm()
                            + " digest "
                            + ds.getDigestID();
            int entry = i + 1;
            tests.add(
                    DynamicTest.dynamicTest(
                            name,
                            () -> {
                                assertEquals(
                                        List.of(ds),
                                        DsMatcher.usable(List.of(ds), Crypto.STANDARD),
                                        file
                                                + " entry "
                                                + entry
                                                + ": algorithm "
                                                + ds.getAlgorithm()
                                                + " / digest "
                                                + ds.getDigestID()
                                                + " should be usable");
                                assertEquals(
                                        match,
                                        DsMatcher.matches(ds, key),
                                        file + " entry " + entry + ": " + ds + " vs " + key);
                            }));
        }
        return Stream.of(DynamicContainer.dynamicContainer(file, tests));
    }

    private static <T extends Record> T only(Entry e, Class<T> type) {
        List<T> found = e.records().stream().filter(type::isInstance).map(type::cast).toList();
        assertEquals(
                1,
                found.size(),
                "entry for " + e.qname() + " should have one " + type.getSimpleName());
        return found.get(0);
    }

    // ---- the testpkts.h format
    // -----------------------------------------------------------------------

    /**
     * One {@code ENTRY_BEGIN … ENTRY_END} block: its query name and the records of all other
     * sections.
     */
    private record Entry(Name qname, List<Record> records) {}

    /**
     * Reads the entries of a {@code testpkts.h} file. Only what the crypto files use is supported:
     * {@code SECTION QUESTION|ANSWER|AUTHORITY|ADDITIONAL} with records in zone-file syntax
     * (parentheses, comments, missing TTL or class); {@code MATCH}, {@code ADJUST} and {@code
     * REPLY} lines carry no records and are skipped. A DS algorithm mnemonic ({@code RSASHA1}),
     * which Unbound's parser takes and dnsjava's does not, is turned into its number first.
     */
    private static List<Entry> read(String file) {
        Path path = CRYPTO_DIR.orElseThrow().resolve(file);
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
        List<Entry> entries = new ArrayList<>();
        StringBuilder question = null;
        StringBuilder records = null;
        boolean inQuestion = false;
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            String t = line.strip();
            String keyword = t.isEmpty() ? "" : t.split("\\s+")[0];
            switch (keyword) {
                case "ENTRY_BEGIN" -> {
                    question = new StringBuilder();
                    records = new StringBuilder();
                    inQuestion = false;
                }
                case "ENTRY_END" -> {
                    entries.add(entry(path, n + 1, question, records));
                    question = null;
                    records = null;
                }
                case "SECTION" -> inQuestion = t.split("\\s+")[1].equals("QUESTION");
                case "MATCH", "ADJUST", "REPLY" -> {}
                case "HEX_ANSWER_BEGIN", "EXTRA_PACKET", "RAW_DATA_BEGIN" ->
                        fail(
                                path
                                        + ":"
                                        + (n + 1)
                                        + ": "
                                        + keyword
                                        + " is not supported by this reader");
                default -> {
                    if (records != null) {
                        (inQuestion ? question : records).append(line).append('\n');
                    }
                }
            }
        }
        return entries;
    }

    private static Entry entry(Path path, int line, StringBuilder question, StringBuilder records) {
        String q = question.toString().replaceAll(";[^\n]*", "").strip();
        if (q.isEmpty()) {
            fail(path + ":" + line + ": entry without a question");
        }
        List<Record> parsed = new ArrayList<>();
        // dnsjava's DS parser wants the algorithm as a number; Unbound's also takes the mnemonic
        // (RSASHA1).
        String text =
                DS_MNEMONIC
                        .matcher(records)
                        .replaceAll(m -> m.group(1) + DNSSEC.Algorithm.value(m.group(2)));
        // Unbound's reader defaults the TTL to 3600; it does not matter, verification uses the
        // RRSIG's.
        try (Master master =
                new Master(
                        new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                        Name.root,
                        3600)) {
            for (Record r = master.nextRecord(); r != null; r = master.nextRecord()) {
                parsed.add(r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    path + ": entry ending at line " + line + " does not parse", e);
        }
        try {
            return new Entry(Name.fromString(q.split("\\s+")[0], Name.root), List.copyOf(parsed));
        } catch (IOException e) {
            throw new UncheckedIOException(path + ":" + line + ": bad query name in " + q, e);
        }
    }

    // ---- locating the shared test data
    // ---------------------------------------------------------------

    /**
     * {@code shared/testdata/unbound/crypto} in the first directory up from the working directory
     * that has it: {@code ../shared/testdata} seen from the project root, whichever module Maven
     * runs in.
     */
    private static final Optional<Path> CRYPTO_DIR =
            Stream.iterate(Path.of("").toAbsolutePath(), Objects::nonNull, Path::getParent)
                    .map(
                            dir ->
                                    dir.resolve("shared")
                                            .resolve("testdata")
                                            .resolve("unbound")
                                            .resolve("crypto"))
                    .filter(Files::isDirectory)
                    .findFirst();

    /**
     * One test standing for a file whose data is missing. It is a test rather than an aborted
     * factory so that the skip, with its reason, shows in the report (an aborted
     * {@code @TestFactory} counts nothing).
     */
    private static Stream<DynamicNode> absent(String file) {
        String reason =
                "the third-party test data folder shared/testdata/unbound/crypto was not found in "
                        + Path.of("").toAbsolutePath()
                        + " or any parent; it belongs next to the project root (../shared/testdata)";
        return Stream.of(
                DynamicTest.dynamicTest(
                        file + ": test data not found", () -> assumeOrFail(false, reason)));
    }

    /**
     * Skips with the reason when {@code condition} is false; fails instead when {@code CI=true}.
     */
    private static void assumeOrFail(boolean condition, String reason) {
        if (condition) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            fail(reason + ". CI=true, so missing test data is a failure, not a skip");
        }
        Assumptions.abort(reason + "; skipped (with CI=true this fails)");
    }
}
