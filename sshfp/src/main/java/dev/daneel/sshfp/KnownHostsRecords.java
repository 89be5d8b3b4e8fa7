package dev.daneel.sshfp;

import java.util.List;

/**
 * The SSHFP records made from a {@code known_hosts} file, and a note for every line that was
 * skipped (hashed host names, {@code @revoked} and {@code @cert-authority} lines, key types SSHFP
 * has no number for). Show the notes to the user: a hashed entry is silently missing otherwise.
 *
 * <pre>{@code
 * KnownHostsRecords r = Sshfp.fromKnownHosts(Path.of(".ssh/known_hosts"), "host.example.test.");
 * r.records().forEach(x -> System.out.println(x.rfcForm()));
 * r.notes().forEach(System.err::println); // line 3: hashed host name skipped (...)
 * }</pre>
 *
 * @param records the records, in file order
 * @param notes one human-readable line per skipped entry, with its line number
 */
public record KnownHostsRecords(List<SshfpRecord> records, List<String> notes) {
    /** Copies the lists. */
    public KnownHostsRecords {
        records = List.copyOf(records);
        notes = List.copyOf(notes);
    }
}
