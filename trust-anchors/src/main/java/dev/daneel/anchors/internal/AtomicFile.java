package dev.daneel.anchors.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Replaces a file so that a crash at any instant leaves either the old or the new content: the
 * bytes go to a temporary file in the same directory, are forced to disk, and the temporary file is
 * renamed over the target in one atomic step; the directory is then forced so the rename itself
 * survives a power cut.
 *
 * <p>Writers are serialized by {@link #withLock}: a {@link java.nio.channels.FileLock} on {@code
 * <file>.lock} (other processes) taken under a per-path in-JVM lock (other threads, which the OS
 * lock cannot tell apart). The lock file is never deleted, since deleting a lock file races with
 * its next user.
 */
public final class AtomicFile {

    /** The moments of a write, in order; tests stop a write at each to simulate a crash. */
    public enum Step {
        /** The temporary file exists, empty. */
        TEMP_CREATED,
        /** Half of the bytes are in the temporary file. */
        TEMP_HALF_WRITTEN,
        /** All bytes are in the temporary file, not yet forced. */
        TEMP_WRITTEN,
        /** The temporary file is on disk. */
        TEMP_FORCED,
        /** The temporary file has replaced the target. */
        RENAMED,
        /** The directory entry is on disk. */
        DIRECTORY_FORCED
    }

    /**
     * Observes each {@link Step}; a test's observer may throw to stop the write where a crash
     * would.
     */
    @FunctionalInterface
    public interface StepObserver {
        /** Called after {@code step} completed. */
        void after(Step step);
    }

    /** The observer of a normal write. */
    public static final StepObserver NO_OBSERVER = step -> {};

    private static final ConcurrentHashMap<Path, ReentrantLock> JVM_LOCKS =
            new ConcurrentHashMap<>();

    private AtomicFile() {}

    /** Work done while holding the lock. */
    @FunctionalInterface
    public interface LockedAction<T> {
        /** Runs with the lock held. */
        T run() throws IOException;
    }

    /**
     * Runs {@code action} holding an exclusive lock on {@code target}: first a per-path lock inside
     * this JVM (threads), then a {@link java.nio.channels.FileLock} on {@code <target>.lock} (other
     * processes).
     */
    public static <T> T withLock(Path target, LockedAction<T> action) throws IOException {
        Path key = target.toAbsolutePath().normalize();
        ReentrantLock inJvm = JVM_LOCKS.computeIfAbsent(key, k -> new ReentrantLock());
        inJvm.lock();
        try (FileChannel ch =
                FileChannel.open(
                        key.resolveSibling(key.getFileName() + ".lock"),
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE)) {
            FileLock osLock =
                    ch.lock(); // blocks until no other process holds it; released when the
            // channel closes
            try {
                return action.run();
            } finally {
                osLock.release();
            }
        } finally {
            inJvm.unlock();
        }
    }

    /** Replaces {@code target} with {@code content}; call inside {@link #withLock}. */
    public static void write(Path target, byte[] content, StepObserver observer)
            throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        Path dir = abs.getParent();
        Path temp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
        try {
            observer.after(Step.TEMP_CREATED);
            try (FileChannel ch =
                    FileChannel.open(
                            temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                buf.limit(content.length / 2);
                writeFully(ch, buf);
                observer.after(Step.TEMP_HALF_WRITTEN);
                buf.limit(content.length);
                writeFully(ch, buf);
                observer.after(Step.TEMP_WRITTEN);
                ch.force(true);
            }
            observer.after(Step.TEMP_FORCED);
            try {
                Files.move(
                        temp,
                        abs,
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException(
                        "cannot replace "
                                + abs
                                + " atomically (its directory's file system has no atomic rename);"
                                + " keep the state file on a local file system",
                        e);
            }
        } catch (IOException | RuntimeException e) {
            // A failed write leaves no litter; a crash (an Error from a test, or a real one) may,
            // and
            // deleteStaleTemps cleans that up on the next write.
            Files.deleteIfExists(temp);
            throw e;
        }
        observer.after(Step.RENAMED);
        forceDirectory(dir);
        observer.after(Step.DIRECTORY_FORCED);
    }

    /**
     * Deletes temporary files a crashed write left for {@code target}; call inside {@link
     * #withLock}.
     */
    public static void deleteStaleTemps(Path target) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        String prefix = "." + abs.getFileName() + ".";
        try (DirectoryStream<Path> ds =
                Files.newDirectoryStream(abs.getParent(), prefix + "*.tmp")) {
            for (Path p : ds) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    /**
     * Forces the directory entry to disk where the platform allows it (Linux, macOS; not Windows).
     */
    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory; the rename is still atomic there.
        }
    }
}
