package dev.daneel.milter.internal;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One milter packet: a command octet and its data. Reading is bounded by {@link
 * Protocol#MAX_PACKET}.
 *
 * @param command the command or reply octet
 * @param data what follows it
 */
public record Packet(byte command, byte[] data) {

    /**
     * Reads the next packet, or returns null at a clean end of stream (the MTA closed between
     * packets).
     *
     * @throws ProtocolException for a length of 0 or above {@link Protocol#MAX_PACKET}, or a stream
     *     cut mid-packet
     */
    public static Packet read(DataInputStream in) throws IOException {
        int first = in.read();
        if (first < 0) {
            return null;
        }
        int length;
        try {
            length =
                    (first << 24)
                            | (in.readUnsignedByte() << 16)
                            | (in.readUnsignedByte() << 8)
                            | in.readUnsignedByte();
            if (length < 1 || length > Protocol.MAX_PACKET) {
                throw new ProtocolException(
                        "packet length "
                                + Integer.toUnsignedString(length)
                                + " outside 1.."
                                + Protocol.MAX_PACKET);
            }
            byte command = in.readByte();
            byte[] data = new byte[length - 1];
            in.readFully(data);
            return new Packet(command, data);
        } catch (EOFException e) {
            throw new ProtocolException("the MTA closed the connection in the middle of a packet");
        }
    }

    /** Writes {@code command} with {@code data} (not flushed). */
    public static void write(OutputStream out, byte command, byte[] data) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        d.writeInt(data.length + 1);
        d.writeByte(command);
        d.write(data);
    }

    /**
     * The NUL-terminated strings in {@code data} from {@code offset} (a missing final NUL ends the
     * last one), each decoded as {@link #text}.
     */
    public static List<String> strings(byte[] data, int offset) {
        List<String> out = new ArrayList<>();
        for (byte[] raw : rawStrings(data, offset)) {
            out.add(text(raw));
        }
        return out;
    }

    /** The NUL-terminated strings in {@code data} from {@code offset}, as octets. */
    public static List<byte[]> rawStrings(byte[] data, int offset) {
        List<byte[]> out = new ArrayList<>();
        int start = offset;
        for (int i = offset; i <= data.length; i++) {
            if (i == data.length || data[i] == 0) {
                if (i > start || i < data.length) {
                    out.add(java.util.Arrays.copyOfRange(data, start, i));
                }
                start = i + 1;
            }
        }
        return out;
    }

    /**
     * Octets from the MTA as text: UTF-8 when they are valid UTF-8 (SMTPUTF8 envelopes and RFC 6532
     * headers are, and so is ASCII), else ISO-8859-1, which maps every octet to one character and
     * back, so that legacy 8-bit headers survive unchanged.
     */
    public static String text(byte[] raw) {
        return isUtf8(raw)
                ? new String(raw, StandardCharsets.UTF_8)
                : new String(raw, StandardCharsets.ISO_8859_1);
    }

    /** Whether {@code raw} is well-formed UTF-8. */
    public static boolean isUtf8(byte[] raw) {
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(raw));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    /** NUL-terminated strings concatenated, as replies carry them (UTF-8). */
    public static byte[] cstrings(String... values) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (String v : values) {
            out.writeBytes(v.getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
        return out.toByteArray();
    }

    /**
     * A protocol violation by the peer; the session ends without a verdict (Postfix applies its
     * default action).
     */
    public static final class ProtocolException extends IOException {
        private static final long serialVersionUID = 1L;

        public ProtocolException(String message) {
            super(message);
        }
    }
}
