package dev.daneel.anchors;

import dev.daneel.anchors.internal.AtomicFile;
import dev.daneel.anchors.internal.StateFileCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Keeps RFC 5011 tracking state in a small text file that survives restarts, crashes and other
 * processes.
 *
 * <pre>{@code
 * AnchorStore store = AnchorStore.at(Path.of("/var/lib/daneel/anchors.state"));
 * AnchorTracker tracker = AnchorTracker.builder()
 *         .initial(TrustAnchors.builtIn())
 *         .resume(store.load().orElse(List.of()))
 *         .build();
 * ...
 * store.save(tracker.states());
 * }</pre>
 *
 * <h2>File format (version 1)</h2>
 *
 * UTF-8 text, one item per line; blank lines and lines starting with {@code #} are comments. The
 * first other line is {@code daneel-anchor-state 1}; the last is {@code end-of-state} (its absence
 * means the file was cut short). In between, one block per trust point:
 *
 * <pre>
 * daneel-anchor-state 1
 * zone .
 * status active                          <i>or "revoked": every key was revoked, the zone is not anchored</i>
 * last-queried 2026-11-21T10:00:00Z      <i>UTC instants (ISO-8601), "-" for never</i>
 * last-success 2026-11-21T10:00:00Z
 * next-probe 2026-11-22T10:00:00Z
 * query-failed 0                         <i>failed refreshes since the last success</i>
 * query-interval 86400                   <i>RFC 5011 §2.3 refresh interval, seconds</i>
 * retry-interval 17280                   <i>RFC 5011 §2.3 retry interval, seconds</i>
 * key VALID 0 2026-10-11T00:00:00Z . 172800 IN DNSKEY 257 3 8 AwEAAa96jeuk...
 * key ADD_PEND 1 2026-11-21T10:00:00Z . 172800 IN DNSKEY 257 3 8 AwEAAb...
 * end
 * end-of-state
 * </pre>
 *
 * <p>A {@code key} line is {@code key STATE PENDING-COUNT LAST-CHANGE RECORD}: the {@link
 * AnchorState} name, how many validated RRsets showed the key while pending, when the state last
 * changed ({@code -} for a configured key never seen yet), and the DNSKEY (or, before the first
 * refresh, a configured DS) as one master-file line {@code OWNER TTL IN TYPE RDATA}. Every field of
 * a block is required exactly once.
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li>Atomic: {@link #save} writes a temporary file in the same directory, forces it to disk
 *       ({@code FileChannel.force}), renames it over the state file atomically and forces the
 *       directory. A crash at any point leaves the old or the new file; temporary files a crash
 *       leaves behind are deleted by the next save.
 *   <li>Shared: writers take a {@link java.nio.channels.FileLock} on {@code <file>.lock} (and an
 *       in-JVM lock, since file locks do not separate threads of one JVM). {@link #update} holds it
 *       across its read-modify-write, so concurrent processes never lose each other's changes.
 *   <li>Loud: a file that cannot be read or parsed is an {@link AnchorFormatException} naming the
 *       path and line, never a silent fresh start that would forget a revocation.
 * </ul>
 *
 * <p>Thread-safe. The directory must be on a local file system with atomic rename.
 */
public final class AnchorStore {

    private final Path file;

    private AnchorStore(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    /** The store in {@code file} (which need not exist yet; its directory must). */
    public static AnchorStore at(Path file) {
        return new AnchorStore(file);
    }

    /** The state file. */
    public Path file() {
        return file;
    }

    /**
     * The saved states, or empty if the file does not exist. Needs no lock: writes replace the file
     * atomically, so a reader sees one complete version.
     *
     * @throws AnchorFormatException if the file is corrupt, naming the path and line
     */
    public Optional<List<TrustPointState>> load() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        return Optional.of(parse(bytes));
    }

    /** Replaces the saved states with {@code states}, atomically. */
    public void save(List<TrustPointState> states) throws IOException {
        byte[] content = StateFileCodec.write(states).getBytes(StandardCharsets.UTF_8);
        AtomicFile.withLock(
                file,
                () -> {
                    AtomicFile.deleteStaleTemps(file);
                    AtomicFile.write(file, content, AtomicFile.NO_OBSERVER);
                    return null;
                });
    }

    /**
     * Reads the states, applies {@code change} and writes the result, holding the lock throughout
     * so that no other thread or process writes in between. A missing file reads as an empty list.
     *
     * @return the states written
     */
    public List<TrustPointState> update(UnaryOperator<List<TrustPointState>> change)
            throws IOException {
        return AtomicFile.withLock(
                file,
                () -> {
                    List<TrustPointState> before = load().orElse(List.of());
                    List<TrustPointState> after = List.copyOf(change.apply(before));
                    AtomicFile.deleteStaleTemps(file);
                    AtomicFile.write(
                            file,
                            StateFileCodec.write(after).getBytes(StandardCharsets.UTF_8),
                            AtomicFile.NO_OBSERVER);
                    return after;
                });
    }

    private List<TrustPointState> parse(byte[] bytes) {
        String text;
        try {
            text =
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(bytes))
                            .toString();
        } catch (CharacterCodingException e) {
            throw new AnchorFormatException(
                    file.toString(),
                    0,
                    "expected a UTF-8 anchor state file, saw bytes that are not UTF-8;"
                            + " the file is corrupt. Restore it from a backup or delete it to start again from the configured anchors",
                    e);
        }
        return StateFileCodec.read(file.toString(), text);
    }

    @Override
    public String toString() {
        return "AnchorStore[" + file + "]";
    }
}
