package dev.daneel.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;

/**
 * The directories a private Postfix instance started by a test needs — {@code conf}, {@code queue}
 * (with the subfolders Postfix's daemons expect, owned by the {@code postfix} user) and {@code
 * data} — below one test directory, so that {@code postfix -c conf} or {@code master -c conf} never
 * touches the system's.
 *
 * <pre>{@code
 * PostfixLayout p = PostfixLayout.create(tempDir);
 * Files.writeString(p.conf().resolve("main.cf"), "queue_directory = " + p.queue() + "\ndata_directory = " + p.data() + ...);
 * }</pre>
 *
 * @param conf the configuration directory ({@code main.cf}, {@code master.cf})
 * @param queue the queue directory
 * @param data the data directory
 */
public record PostfixLayout(Path conf, Path queue, Path data) {

    private static final List<String> QUEUE_FOLDERS =
            List.of(
                    "public",
                    "private",
                    "maildrop",
                    "incoming",
                    "active",
                    "deferred",
                    "bounce",
                    "defer",
                    "flush",
                    "hold",
                    "corrupt",
                    "saved",
                    "trace");

    /**
     * The {@code master.cf} lines of the internal services every test instance needs (no listeners:
     * a test adds its own {@code smtpd} lines, and {@code pickup} or {@code tlsmgr} when it uses
     * them).
     */
    public static final List<String> INTERNAL_SERVICES =
            List.of(
                    "anvil unix - - n - 1 anvil",
                    "scache unix - - n - 1 scache",
                    "postlog unix-dgram n - n - 1 postlogd",
                    "cleanup unix n - n - 0 cleanup",
                    "rewrite unix - - n - - trivial-rewrite",
                    "bounce unix - - n - 0 bounce",
                    "defer unix - - n - 0 bounce",
                    "trace unix - - n - 0 bounce",
                    "verify unix - - n - 1 verify",
                    "proxymap unix - - n - - proxymap",
                    "qmgr unix n - n 300 1 qmgr");

    /**
     * The {@code main.cf} lines every test instance needs: compatibility level, this layout's queue
     * and data directories, the Debian program directories, and a mail log written to {@code
     * logDir/maillog}. A test adds its own host names, listeners and policies.
     */
    public List<String> mainCf(Path logDir) {
        return List.of(
                "compatibility_level = 3.6",
                "queue_directory = " + queue,
                "data_directory = " + data,
                "mail_owner = postfix",
                "maillog_file = " + logDir.resolve("maillog"),
                "maillog_file_prefixes = " + logDir,
                "shlib_directory = /usr/lib/postfix",
                "daemon_directory = /usr/lib/postfix/sbin",
                "command_directory = /usr/sbin",
                "meta_directory = /etc/postfix");
    }

    /** Creates the layout below {@code dir}, which is made traversable for the postfix user. */
    public static PostfixLayout create(Path dir) throws IOException {
        // The postfix user must reach the queue below the (root-only) JUnit temporary directory.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Path queue = Files.createDirectories(dir.resolve("queue"));
        Path data = Files.createDirectories(dir.resolve("data"));
        UserPrincipal postfix =
                dir.getFileSystem()
                        .getUserPrincipalLookupService()
                        .lookupPrincipalByName("postfix");
        for (String d : QUEUE_FOLDERS) {
            Files.setOwner(Files.createDirectories(queue.resolve(d)), postfix);
        }
        Files.createDirectories(queue.resolve("pid"));
        Files.setOwner(data, postfix);
        return new PostfixLayout(conf, queue, data);
    }
}
