package dev.daneel.sshfp;

import dev.daneel.sshfp.internal.KnownHostsParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Creates SSHFP records (RFC 4255, 6594, 7479, 8709) from SSH host keys: an OpenSSH public key
 * line, a {@code .pub} file, a {@code known_hosts} file or a JCA {@link PublicKey}. The default
 * fingerprint is SHA-256; ask for {@link FingerprintType#SHA1} too for clients older than OpenSSH
 * 6.1. To check a key a server presents, use {@link SshfpVerifier}.
 *
 * <pre>{@code
 * for (SshfpRecord r : Sshfp.create("host.example.test.", SshHostKey.read(Path.of("/etc/ssh/ssh_host_ed25519_key.pub")))) {
 *     System.out.println(r.rfcForm());      // host.example.test. IN SSHFP 4 2 26304ed8…
 *     System.out.println(r.genericForm());  // host.example.test. IN TYPE44 \# 34 040226304ed8…
 * }
 * }</pre>
 *
 * <p>The owner name is used as given: add the final dot for a zone file, leave it off for a
 * relative name. Stateless and thread-safe.
 */
public final class Sshfp {

    private Sshfp() {}

    /**
     * Records for one key, one per fingerprint type (SHA-256 only when none is given), in the order
     * given.
     */
    public static List<SshfpRecord> create(String owner, SshHostKey key, FingerprintType... types) {
        List<SshfpRecord> out = new ArrayList<>();
        for (FingerprintType t : typesOrDefault(types)) {
            out.add(SshfpRecord.of(owner, key, t));
        }
        return out;
    }

    /** Records for an OpenSSH public key line. */
    public static List<SshfpRecord> create(
            String owner, String opensshLine, FingerprintType... types) {
        return create(owner, SshHostKey.parse(opensshLine), types);
    }

    /** Records for a JCA public key. */
    public static List<SshfpRecord> create(String owner, PublicKey key, FingerprintType... types) {
        return create(owner, SshHostKey.of(key), types);
    }

    /** Records for the key in a {@code .pub} file (OpenSSH or RFC 4716 format). */
    public static List<SshfpRecord> create(String owner, Path pubFile, FingerprintType... types)
            throws IOException {
        return create(owner, SshHostKey.read(pubFile), types);
    }

    /**
     * Records for every key a {@code known_hosts} file holds for {@code host} (compared ignoring
     * case, a final dot and a {@code [host]:port} wrapper), owned by {@code host} as given. Hashed
     * entries cannot be matched to a name and are skipped with a note, as are markers and
     * unsupported key types.
     */
    public static KnownHostsRecords fromKnownHosts(
            Path knownHosts, String host, FingerprintType... types) throws IOException {
        return fromKnownHosts(Files.readAllLines(knownHosts, StandardCharsets.UTF_8), host, types);
    }

    /** {@link #fromKnownHosts(Path, String, FingerprintType...)} for the file's lines. */
    public static KnownHostsRecords fromKnownHosts(
            List<String> lines, String host, FingerprintType... types) {
        KnownHostsParser.Parsed parsed = KnownHostsParser.parse(lines);
        List<SshfpRecord> records = new ArrayList<>();
        List<String> notes = new ArrayList<>(parsed.notes());
        for (KnownHostsParser.Entry e : parsed.entries()) {
            if (!KnownHostsParser.names(e, host)) {
                continue;
            }
            try {
                records.addAll(create(host, SshHostKey.parse(e.keyLine()), types));
            } catch (IllegalArgumentException ex) {
                notes.add("line " + e.lineNumber() + ": skipped, " + ex.getMessage());
            }
        }
        return new KnownHostsRecords(records, sortedNotes(notes));
    }

    private static List<String> sortedNotes(List<String> notes) {
        notes.sort((a, b) -> Integer.compare(lineOf(a), lineOf(b)));
        return notes;
    }

    private static int lineOf(String note) {
        int space = note.indexOf(':');
        try {
            return Integer.parseInt(note.substring(5, space));
        } catch (RuntimeException e) {
            return Integer.MAX_VALUE;
        }
    }

    private static Set<FingerprintType> typesOrDefault(FingerprintType... types) {
        if (types.length == 0) {
            return EnumSet.of(FingerprintType.SHA256);
        }
        Set<FingerprintType> set = new java.util.LinkedHashSet<>(List.of(types));
        return set;
    }
}
