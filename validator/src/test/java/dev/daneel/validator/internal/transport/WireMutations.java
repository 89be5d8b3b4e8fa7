package dev.daneel.validator.internal.transport;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.xbill.DNS.DNSOutput;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * What a hostile upstream or a broken path can do to the bytes of a genuine response: the mutations
 * the fuzz properties apply. Each is a pure function of the genuine message and a seed, so a
 * failing case is reproducible from its printed parameters.
 */
final class WireMutations {

    private WireMutations() {}

    /** The kinds of damage, from single bits to wholly invented messages. */
    enum Kind {
        /** One to eight random bits flipped anywhere, header included. */
        BIT_FLIPS,
        /** The packet cut off at a random length. */
        TRUNCATE,
        /** One of the four section counts set to a wrong value (0, ±1, 65535 or random). */
        WRONG_COUNT,
        /** A name compression pointer aimed at itself or at another pointer that points back. */
        COMPRESSION_LOOP,
        /** One record's RDATA replaced by random octets: empty, short, or huge (up to 16,000). */
        MALFORMED_RDATA,
        /** One record's RDLENGTH off by a few octets or set to 65535. */
        WRONG_RDLENGTH,
        /** A record dropped, duplicated or moved to another section. */
        RECORDS_SHUFFLED,
        /** A header bit or the rcode changed. */
        HEADER,
        /** The ID and question kept, everything after them random octets. */
        RANDOM_TAIL,
        /**
         * The ID and question kept, then random records (types validation cares about) with random
         * RDATA.
         */
        RANDOM_RECORDS
    }

    private static final int[] TYPES = {
        Type.A,
        Type.AAAA,
        Type.TXT,
        Type.CNAME,
        Type.DNAME,
        Type.NS,
        Type.SOA,
        Type.DS,
        Type.DNSKEY,
        Type.RRSIG,
        Type.NSEC,
        Type.NSEC3,
        Type.NSEC3PARAM,
        Type.OPT,
        Type.TLSA,
        Type.MX,
        0,
        65535
    };

    /**
     * Applies {@code kind} to {@code genuine}, whose wire form is {@code wire}; never returns null.
     */
    static byte[] apply(Kind kind, Message genuine, byte[] wire, long seed) {
        Random random = new Random(seed);
        switch (kind) {
            case BIT_FLIPS -> {
                byte[] out = wire.clone();
                int flips = 1 + random.nextInt(8);
                for (int i = 0; i < flips; i++) {
                    int bit = random.nextInt(out.length * 8);
                    out[bit / 8] ^= (byte) (1 << (bit % 8));
                }
                return out;
            }
            case TRUNCATE -> {
                return Arrays.copyOf(wire, random.nextInt(wire.length));
            }
            case WRONG_COUNT -> {
                byte[] out = wire.clone();
                int at = 4 + 2 * random.nextInt(4);
                int old = ((out[at] & 0xff) << 8) | (out[at + 1] & 0xff);
                int[] choices = {0, old + 1, Math.max(0, old - 1), 0xffff, random.nextInt(0x10000)};
                int v = choices[random.nextInt(choices.length)] & 0xffff;
                out[at] = (byte) (v >> 8);
                out[at + 1] = (byte) v;
                return out;
            }
            case COMPRESSION_LOOP -> {
                byte[] out = wire.clone();
                List<Integer> pointers = new ArrayList<>();
                for (int i = 12; i + 1 < out.length; i++) {
                    int target = ((out[i] & 0x3f) << 8) | (out[i + 1] & 0xff);
                    if ((out[i] & 0xc0) == 0xc0 && target < i && target >= 12) {
                        pointers.add(i);
                    }
                }
                if (pointers.isEmpty()) {
                    return apply(Kind.BIT_FLIPS, genuine, wire, seed);
                }
                int p = pointers.get(random.nextInt(pointers.size()));
                if (random.nextBoolean() || pointers.size() < 2) {
                    point(out, p, p);
                } else {
                    int q = pointers.get(random.nextInt(pointers.size()));
                    point(out, p, q);
                    point(out, q, p);
                }
                return out;
            }
            case MALFORMED_RDATA, WRONG_RDLENGTH -> {
                List<Placed> records = records(genuine);
                if (records.isEmpty()) {
                    return apply(Kind.TRUNCATE, genuine, wire, seed);
                }
                int victim = random.nextInt(records.size());
                return encode(
                        genuine,
                        records,
                        (i, rdata, out) -> {
                            if (i != victim) {
                                out.writeU16(rdata.length);
                                out.writeByteArray(rdata);
                            } else if (kind == Kind.MALFORMED_RDATA) {
                                int[] lengths = {
                                    0,
                                    1,
                                    1 + random.nextInt(64),
                                    1 + random.nextInt(512),
                                    2000 + random.nextInt(14_000)
                                };
                                byte[] junk = new byte[lengths[random.nextInt(lengths.length)]];
                                random.nextBytes(junk);
                                out.writeU16(junk.length);
                                out.writeByteArray(junk);
                            } else {
                                int delta =
                                        random.nextInt(4) == 0
                                                ? 0xffff - rdata.length
                                                : (random.nextBoolean() ? 1 : -1)
                                                        * (1 + random.nextInt(5));
                                out.writeU16(Math.max(0, Math.min(0xffff, rdata.length + delta)));
                                out.writeByteArray(rdata);
                            }
                        });
            }
            case RECORDS_SHUFFLED -> {
                List<Placed> records = records(genuine);
                if (records.isEmpty()) {
                    return apply(Kind.RANDOM_RECORDS, genuine, wire, seed);
                }
                Placed victim = records.get(random.nextInt(records.size()));
                Message copy = genuine.clone();
                switch (random.nextInt(3)) {
                    case 0 -> copy.removeRecord(victim.record(), victim.section());
                    case 1 -> copy.addRecord(victim.record(), 1 + random.nextInt(3));
                    default -> {
                        copy.removeRecord(victim.record(), victim.section());
                        copy.addRecord(
                                victim.record(), 1 + (victim.section() + random.nextInt(2)) % 3);
                    }
                }
                return copy.toWire();
            }
            case HEADER -> {
                byte[] out = wire.clone();
                if (random.nextBoolean()) {
                    out[3] = (byte) ((out[3] & 0xf0) | random.nextInt(16)); // rcode
                } else {
                    int bit = random.nextInt(16);
                    out[2 + bit / 8] ^= (byte) (1 << (bit % 8));
                }
                return out;
            }
            case RANDOM_TAIL -> {
                int keep = 12 + questionLength(genuine);
                byte[] out = Arrays.copyOf(wire, keep + random.nextInt(600));
                byte[] tail = new byte[out.length - keep];
                random.nextBytes(tail);
                System.arraycopy(tail, 0, out, keep, tail.length);
                int counts = random.nextInt(8);
                for (int i = 0; i < 3; i++) {
                    out[6 + 2 * i] = 0;
                    out[7 + 2 * i] = (byte) random.nextInt(counts + 1);
                }
                return out;
            }
            case RANDOM_RECORDS -> {
                List<Name> names = new ArrayList<>();
                names.add(genuine.getQuestion().getName());
                for (Placed p : records(genuine)) {
                    names.add(p.record().getName());
                }
                int n = 1 + random.nextInt(10);
                List<Placed> invented = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    Name owner = names.get(random.nextInt(names.size()));
                    if (random.nextInt(4) == 0) {
                        try {
                            owner =
                                    Name.concatenate(
                                            Name.fromConstantString("x" + random.nextInt(100)),
                                            owner);
                        } catch (org.xbill.DNS.NameTooLongException e) {
                            // keep the owner as it is
                        }
                    }
                    invented.add(
                            new Placed(
                                    Record.newRecord(
                                            owner,
                                            TYPES[random.nextInt(TYPES.length)],
                                            1,
                                            random.nextInt(86_400)),
                                    1 + random.nextInt(3)));
                }
                Message header = new Message(genuine.getHeader().getID());
                header.getHeader().setFlag(org.xbill.DNS.Flags.QR);
                header.addRecord(genuine.getQuestion(), Section.QUESTION);
                return encode(
                        header,
                        invented,
                        (i, rdata, out) -> {
                            byte[] junk =
                                    new byte
                                            [random.nextInt(4) == 0
                                                    ? random.nextInt(600)
                                                    : random.nextInt(40)];
                            random.nextBytes(junk);
                            out.writeU16(junk.length);
                            out.writeByteArray(junk);
                        });
            }
            default -> throw new IllegalStateException(kind.toString());
        }
    }

    private static void point(byte[] out, int at, int target) {
        out[at] = (byte) (0xc0 | (target >> 8));
        out[at + 1] = (byte) target;
    }

    /** A record and the section it sits in. */
    record Placed(Record record, int section) {}

    /** Writes one record's RDLENGTH and RDATA; {@code rdata} is the genuine RDATA. */
    interface RdataWriter {
        void write(int index, byte[] rdata, DNSOutput out);
    }

    private static List<Placed> records(Message m) {
        List<Placed> out = new ArrayList<>();
        for (int section = Section.ANSWER; section <= Section.ADDITIONAL; section++) {
            for (Record r : m.getSection(section)) {
                out.add(new Placed(r, section));
            }
        }
        return out;
    }

    private static int questionLength(Message m) {
        return m.getQuestion().getName().length() + 4;
    }

    /**
     * The genuine RDATA, or nothing for the empty records RANDOM_RECORDS invents (their RDATA is
     * written afresh).
     */
    private static byte[] rdataOf(Record r) {
        try {
            return r.rdataToWireCanonical();
        } catch (RuntimeException e) {
            return new byte[0];
        }
    }

    /**
     * The header and question of {@code m}, then {@code records} uncompressed, RDATA written by
     * {@code rdata}.
     */
    private static byte[] encode(Message m, List<Placed> records, RdataWriter rdata) {
        DNSOutput out = new DNSOutput();
        byte[] header = m.toWire();
        out.writeByteArray(header, 0, 4);
        int[] counts = new int[4];
        counts[0] = 1;
        for (Placed p : records) {
            counts[p.section()]++;
        }
        for (int c : counts) {
            out.writeU16(c);
        }
        Record q = m.getQuestion();
        q.getName().toWireCanonical(out);
        out.writeU16(q.getType());
        out.writeU16(q.getDClass());
        int i = 0;
        for (int section = Section.ANSWER; section <= Section.ADDITIONAL; section++) {
            for (Placed p : records) {
                if (p.section() != section) {
                    continue;
                }
                Record r = p.record();
                r.getName().toWireCanonical(out);
                out.writeU16(r.getType());
                out.writeU16(r.getDClass());
                out.writeU32(r.getTTL());
                rdata.write(i, rdataOf(r), out);
                i++;
            }
        }
        return out.toByteArray();
    }
}
