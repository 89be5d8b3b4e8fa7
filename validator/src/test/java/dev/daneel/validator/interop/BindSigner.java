package dev.daneel.validator.interop;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * Signs zones with BIND's {@code dnssec-keygen} and {@code dnssec-signzone}: a signer independent
 * of the testkit, so that Daneel is checked against data it did not produce. Keys are made fresh in
 * a temporary directory for every run; nothing is kept.
 *
 * <pre>{@code
 * BindSigner bind = new BindSigner(dir);
 * BindSigner.Signed child = bind.sign(BindSigner.zone("child.bind.test.", "127.0.0.5").records("www A 192.0.2.1"));
 * BindSigner.Signed parent = bind.sign(BindSigner.zone("bind.test.", "127.0.0.4").child(child));
 * String forTheTld = parent.delegation();   // NS, glue and DS lines
 * }</pre>
 *
 * <p>Not thread-safe.
 */
final class BindSigner {

    /** How a zone proves that names and types do not exist. */
    enum Denial {
        NSEC,
        NSEC3,
        NSEC3_OPT_OUT
    }

    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final DateTimeFormatter BIND_TIME =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

    private final Path dir;
    private final String keygen;
    private final String signzone;
    private final String dsfromkey;

    BindSigner(Path dir) {
        this.dir = dir;
        this.keygen = Tools.require("dnssec-keygen", "bind9-utils");
        this.signzone = Tools.require("dnssec-signzone", "bind9-utils");
        this.dsfromkey = Tools.require("dnssec-dsfromkey", "bind9-utils");
    }

    /**
     * Describes a zone whose {@code ns1} host (the apex NS and the parent's glue) is {@code
     * address}.
     */
    static Spec zone(String origin, String address) {
        return new Spec(name(origin), address);
    }

    /** A zone as written for NSD, and what its parent must publish for it. */
    record Signed(Name origin, Path file, String address, String delegation) {}

    /** A zone description; every setter returns this. */
    static final class Spec {
        private final Name origin;
        private final String address;
        private boolean signed = true;
        private String algorithm = "ECDSAP256SHA256";
        private Denial denial = Denial.NSEC;
        private final StringBuilder records = new StringBuilder();
        private final List<Signed> children = new ArrayList<>();
        private Instant inception;
        private Instant expiration;
        private boolean decoyDs;
        private String[] tamper;

        private Spec(Name origin, String address) {
            this.origin = origin;
            this.address = address;
        }

        /** Leaves the zone unsigned: its parent publishes no DS. */
        Spec unsigned() {
            this.signed = false;
            return this;
        }

        /**
         * BIND's algorithm mnemonic: RSASHA256 (8), ECDSAP256SHA256 (13, default), ED25519 (15).
         */
        Spec algorithm(String mnemonic) {
            this.algorithm = Objects.requireNonNull(mnemonic);
            return this;
        }

        /**
         * NSEC (default), or NSEC3 with no salt and 0 extra iterations (RFC 9276), with or without
         * opt-out.
         */
        Spec denial(Denial denial) {
            this.denial = denial;
            return this;
        }

        /** Master-file lines relative to the apex, TTL 3600 unless given. */
        Spec records(String lines) {
            records.append(lines).append('\n');
            return this;
        }

        /** Delegates to a zone signed (or not) before: its NS, glue and DS go into this zone. */
        Spec child(Signed child) {
            children.add(child);
            return this;
        }

        /** Signature validity window (default: BIND's, an hour ago for 30 days). */
        Spec validity(Instant from, Instant until) {
            this.inception = from;
            this.expiration = until;
            return this;
        }

        /** The DS handed to the parent digests a key this zone does not publish. */
        Spec decoyDs() {
            this.decoyDs = true;
            return this;
        }

        /**
         * After signing, changes the data of one record (owner absolute, type, old data, new data).
         */
        Spec tamper(String owner, String type, String from, String to) {
            this.tamper = new String[] {owner, type, from, to};
            return this;
        }
    }

    /** Keys, signs and writes the zone; children must have been signed before. */
    Signed sign(Spec z) {
        try {
            String label = z.origin.toString(true);
            Path zoneDir = dir.resolve(label);
            Files.createDirectories(zoneDir);
            StringBuilder text = new StringBuilder();
            text.append("$ORIGIN ")
                    .append(z.origin)
                    .append('\n')
                    .append("$TTL 3600\n")
                    .append("@ IN SOA ns1 hostmaster 2026112101 7200 3600 1209600 300\n")
                    .append("@ IN NS ns1\n")
                    .append("ns1 IN A ")
                    .append(z.address)
                    .append('\n')
                    .append(z.records);
            for (Signed c : z.children) {
                text.append(c.delegation());
            }
            Path unsignedFile = zoneDir.resolve(label + ".zone");
            if (!z.signed) {
                Files.writeString(unsignedFile, text, StandardCharsets.UTF_8);
                return new Signed(z.origin, unsignedFile, z.address, glue(z));
            }
            String ksk = key(zoneDir, z, true);
            String zsk = key(zoneDir, z, false);
            text.append("$INCLUDE ").append(zoneDir.resolve(ksk + ".key")).append('\n');
            text.append("$INCLUDE ").append(zoneDir.resolve(zsk + ".key")).append('\n');
            Files.writeString(unsignedFile, text, StandardCharsets.UTF_8);

            Path signedFile = zoneDir.resolve(label + ".signed");
            List<String> cmd =
                    new ArrayList<>(
                            List.of(
                                    signzone,
                                    "-q",
                                    "-K",
                                    zoneDir.toString(),
                                    "-d",
                                    zoneDir.toString(),
                                    "-O",
                                    "full",
                                    "-o",
                                    z.origin.toString(),
                                    "-f",
                                    signedFile.toString()));
            if (z.inception != null) {
                cmd.addAll(
                        List.of(
                                "-s",
                                BIND_TIME.format(z.inception),
                                "-e",
                                BIND_TIME.format(z.expiration)));
                // dnssec-signzone's own check judges signatures by the real clock and refuses a
                // window in the past.
                cmd.add("-P");
            }
            if (z.denial != Denial.NSEC) {
                cmd.addAll(List.of("-3", "-", "-H", "0"));
                if (z.denial == Denial.NSEC3_OPT_OUT) {
                    cmd.add("-A");
                }
            }
            cmd.add(unsignedFile.toString());
            Tools.check(LIMIT, zoneDir, cmd);
            if (z.tamper != null) {
                tamper(signedFile, z.tamper);
            }

            String dsKey = ksk;
            Path dsDir = zoneDir;
            if (z.decoyDs) {
                dsDir = zoneDir.resolve("decoy");
                Files.createDirectories(dsDir);
                dsKey = key(dsDir, z, true);
            }
            String ds =
                    Tools.check(
                            LIMIT,
                            dsDir,
                            List.of(dsfromkey, "-2", dsDir.resolve(dsKey + ".key").toString()));
            return new Signed(z.origin, signedFile, z.address, glue(z) + ds.strip() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write zone " + z.origin + " under " + dir, e);
        }
    }

    private String key(Path keyDir, Spec z, boolean ksk) {
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                keygen,
                                "-q",
                                "-K",
                                keyDir.toString(),
                                "-a",
                                z.algorithm,
                                "-L",
                                "3600"));
        if (z.algorithm.startsWith("RSA")) {
            cmd.addAll(List.of("-b", "2048"));
        }
        if (ksk) {
            cmd.addAll(List.of("-f", "KSK"));
        }
        cmd.add(z.origin.toString());
        return Tools.check(LIMIT, keyDir, cmd).strip();
    }

    private static String glue(Spec z) {
        return z.origin
                + " 3600 IN NS ns1."
                + z.origin
                + "\nns1."
                + z.origin
                + " 3600 IN A "
                + z.address
                + "\n";
    }

    /**
     * Replaces the data of one record line in a {@code -O full} file (owner TTL class type data).
     */
    private static void tamper(Path file, String[] t) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        boolean done = false;
        for (int i = 0; i < lines.size() && !done; i++) {
            String[] f = lines.get(i).trim().split("\\s+", 5);
            if (f.length == 5
                    && f[0].equalsIgnoreCase(t[0])
                    && f[2].equals("IN")
                    && f[3].equals(t[1])
                    && f[4].equals(t[2])) {
                lines.set(i, f[0] + "\t" + f[1] + "\tIN " + f[3] + "\t" + t[3]);
                done = true;
            }
        }
        if (!done) {
            fail(
                    "no record \""
                            + String.join(" ", t[0], t[1], t[2])
                            + "\" to tamper with in "
                            + file);
        }
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    private static Name name(String s) {
        try {
            return Name.fromString(s, Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a domain name: " + s, e);
        }
    }
}
