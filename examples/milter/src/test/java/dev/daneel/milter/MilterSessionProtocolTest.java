package dev.daneel.milter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.anchors.TrustAnchors;
import dev.daneel.milter.internal.Protocol;
import dev.daneel.testkit.World;
import dev.daneel.validator.ValidatingResolver;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The milter protocol at the edges Postfix does not exercise: a unix socket listener, negotiation
 * that asks only for what the MTA offers, an MTA that forbids body changes (tempfail, never
 * plaintext), and an oversized packet length (the connection is dropped without allocating it).
 */
class MilterSessionProtocolTest {

    @TempDir Path dir;

    private static void send(DataOutputStream out, char cmd, byte[] data) throws Exception {
        out.writeInt(data.length + 1);
        out.writeByte(cmd);
        out.write(data);
        out.flush();
    }

    private static byte[] read(DataInputStream in) throws Exception {
        int len = in.readInt();
        byte[] p = new byte[len];
        in.readFully(p);
        return p;
    }

    private static byte[] cstr(String... s) {
        StringBuilder b = new StringBuilder();
        for (String x : s) {
            b.append(x).append('\0');
        }
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void unixSocketNegotiationMtaWithoutBodyChangesAndOversizedPacket() throws Exception {
        ConcurrentLinkedQueue<String> log = new ConcurrentLinkedQueue<>();
        Path sock = dir.resolve("milter.sock");
        MilterConfig config = MilterConfig.builder().listen("unix:" + sock).build();
        try (World world = World.builder().zone("test.").start();
                ValidatingResolver resolver =
                        ValidatingResolver.builder()
                                .upstream(world.address())
                                .trustAnchors(TrustAnchors.of(world.trustAnchors()))
                                .build();
                OpenPgpKeyMilter milter = OpenPgpKeyMilter.start(config, resolver, log::add)) {
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(milter.address());
                DataOutputStream out = new DataOutputStream(Channels.newOutputStream(ch));
                DataInputStream in = new DataInputStream(Channels.newInputStream(ch));
                // An MTA offering only "add headers" and every protocol step bit.
                send(
                        out,
                        'O',
                        ByteBuffer.allocate(12)
                                .putInt(6)
                                .putInt(Protocol.F_ADDHDRS)
                                .putInt(0x1FFFFF)
                                .array());
                ByteBuffer r = ByteBuffer.wrap(read(in));
                assertEquals('O', r.get());
                assertEquals(6, r.getInt());
                assertEquals(
                        Protocol.F_ADDHDRS, r.getInt(), "asked for actions the MTA did not offer");
                assertEquals(Protocol.WANTED_STEPS, r.getInt());
                // No replies expected until end of message (all NR_* steps negotiated).
                byte[] host = cstr("client");
                byte[] addr = cstr("192.0.2.9");
                send(
                        out,
                        'C',
                        ByteBuffer.allocate(host.length + 3 + addr.length)
                                .put(host)
                                .put((byte) '4')
                                .putShort((short) 25)
                                .put(addr)
                                .array());
                send(out, 'M', cstr("<ann@corp.test>"));
                send(out, 'R', cstr("<alice@keys.test>"));
                send(out, 'L', cstr("Subject", "hi"));
                send(out, 'N', new byte[0]);
                send(out, 'B', "body\r\n".getBytes(StandardCharsets.US_ASCII));
                send(out, 'E', new byte[0]);
                byte[] reply = read(in);
                assertEquals('y', reply[0], "expected a reply code, got '" + (char) reply[0] + "'");
                String text = new String(reply, 1, reply.length - 2, StandardCharsets.US_ASCII);
                assertTrue(text.startsWith("451 4.3.5 "), text);
                assertTrue(
                        log.stream().anyMatch(l -> l.contains("does not allow")), log.toString());
            }
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(milter.address());
                DataOutputStream out = new DataOutputStream(Channels.newOutputStream(ch));
                DataInputStream in = new DataInputStream(Channels.newInputStream(ch));
                out.writeInt(Protocol.MAX_PACKET + 1);
                out.writeByte('O');
                out.flush();
                try {
                    in.readInt();
                    throw new AssertionError("the milter answered an oversized packet");
                } catch (EOFException expected) {
                    // closed by the milter
                }
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (log.stream().noneMatch(l -> l.contains("outside 1.."))
                        && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertTrue(
                        log.stream()
                                .anyMatch(
                                        l ->
                                                l.contains(
                                                        "packet length "
                                                                + (Protocol.MAX_PACKET + 1))),
                        List.copyOf(log).toString());
            }
        }
    }
}
