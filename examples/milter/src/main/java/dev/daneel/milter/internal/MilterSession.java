package dev.daneel.milter.internal;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One MTA connection speaking milter protocol 6: negotiates, collects each message into a {@link
 * Mail} and, at end of message, sends back the {@link Verdict} that {@code decide} returns. Several
 * messages (and, after {@code QUIT_NC}, several SMTP connections) may follow on one milter
 * connection.
 *
 * <p>Never loses mail: if {@code decide} throws, the message is tempfailed; if the protocol breaks,
 * the connection is closed and the MTA applies its {@code milter_default_action} (tempfail, as
 * documented).
 *
 * <p>Not thread-safe: one thread runs {@link #run()}.
 */
public final class MilterSession {

    private final DataInputStream in;
    private final OutputStream out;
    private final long cap;
    private final Function<Mail, Verdict> decide;
    private final java.util.function.Consumer<String> problems;

    private int steps;
    private boolean canModify;
    private String clientAddress = "";
    private final Map<String, String> connectionMacros = new HashMap<>();
    private Mail mail;

    /** Macros for MAIL FROM arrive just before it, while no message exists yet. */
    private Map<String, String> pendingMacros = Map.of();

    /**
     * @param cap the most octets of one message kept in memory ({@link Mail})
     * @param decide the policy, called once per complete message
     * @param problems where protocol problems are reported (one line each)
     */
    public MilterSession(
            InputStream in,
            OutputStream out,
            long cap,
            Function<Mail, Verdict> decide,
            java.util.function.Consumer<String> problems) {
        this.in = new DataInputStream(new java.io.BufferedInputStream(in, 65536));
        this.out = new BufferedOutputStream(out, 65536);
        this.cap = cap;
        this.decide = decide;
        this.problems = problems;
    }

    /**
     * Serves packets until the MTA quits or closes; protocol errors end the session with an
     * exception.
     */
    public void run() throws IOException {
        while (true) {
            Packet p = Packet.read(in);
            if (p == null || p.command() == Protocol.QUIT) {
                return;
            }
            handle(p);
            // Everything one event answers (at end of message: header changes, body chunks, the
            // final reply)
            // leaves in one write: small writes back to back wait on Nagle and the MTA's delayed
            // ACK.
            out.flush();
        }
    }

    private void handle(Packet p) throws IOException {
        byte[] d = p.data();
        switch (p.command()) {
            case Protocol.OPTNEG -> negotiate(d);
            case Protocol.MACRO -> macros(d);
            case Protocol.CONNECT -> {
                connect(d);
                reply(Protocol.P_NR_CONN);
            }
            case Protocol.HELO -> reply(Protocol.P_NR_HELO);
            case Protocol.MAIL -> {
                mail = new Mail(cap, clientAddress, connectionMacros);
                mail.macros(pendingMacros);
                pendingMacros = Map.of();
                List<String> args = Packet.strings(d, 0);
                mail.sender(args.isEmpty() ? "" : Mail.path(args.get(0)));
                reply(Protocol.P_NR_MAIL);
            }
            case Protocol.RCPT -> {
                List<String> args = Packet.strings(d, 0);
                if (mail != null && !args.isEmpty()) {
                    mail.recipient(Mail.path(args.get(0)));
                }
                reply(Protocol.P_NR_RCPT);
            }
            case Protocol.DATA -> reply(Protocol.P_NR_DATA);
            case Protocol.UNKNOWN -> reply(Protocol.P_NR_UNKN);
            case Protocol.HEADER -> {
                List<byte[]> nv = Packet.rawStrings(d, 0);
                if (mail != null && !nv.isEmpty()) {
                    byte[] value = nv.size() > 1 ? nv.get(1) : new byte[0];
                    // Without SMFIP_HDR_LEADSPC the MTA strips the space after the colon; be
                    // lenient anyway.
                    if (value.length > 0 && value[0] == ' ') {
                        value = java.util.Arrays.copyOfRange(value, 1, value.length);
                    }
                    mail.header(Packet.text(nv.get(0)), value);
                }
                reply(Protocol.P_NR_HDR);
            }
            case Protocol.EOH -> reply(Protocol.P_NR_EOH);
            case Protocol.BODY -> {
                if (mail != null) {
                    mail.body(d);
                }
                reply(Protocol.P_NR_BODY);
            }
            case Protocol.BODYEOB -> {
                if (mail != null && d.length > 0) {
                    mail.body(d);
                }
                endOfMessage();
            }
            case Protocol.ABORT -> mail = null;
            case Protocol.QUIT_NC -> {
                mail = null;
                clientAddress = "";
                connectionMacros.clear();
            }
            default -> {
                // Unknown commands get a neutral answer so a newer MTA is not stalled.
                problems.accept(
                        "milter: unknown command '"
                                + (char) p.command()
                                + "' answered with continue");
                send(Protocol.R_CONTINUE, new byte[0]);
            }
        }
    }

    private void negotiate(byte[] d) throws IOException {
        if (d.length < 12) {
            throw new Packet.ProtocolException("OPTNEG with " + d.length + " octets, expected 12");
        }
        ByteBuffer b = ByteBuffer.wrap(d);
        int version = b.getInt();
        int actions = b.getInt();
        int mtaSteps = b.getInt();
        if (version < Protocol.MIN_VERSION) {
            throw new Packet.ProtocolException(
                    "MTA speaks milter protocol "
                            + version
                            + ", at least "
                            + Protocol.MIN_VERSION
                            + " is needed");
        }
        canModify = (actions & Protocol.ACTIONS) == Protocol.ACTIONS;
        if (!canModify) {
            problems.accept(
                    "milter: the MTA does not allow adding/changing headers and replacing the body"
                            + " (offered actions 0x"
                            + Integer.toHexString(actions)
                            + "); every message will be tempfailed");
        }
        steps = mtaSteps & Protocol.WANTED_STEPS;
        ByteBuffer r = ByteBuffer.allocate(12);
        r.putInt(Math.min(version, Protocol.VERSION))
                .putInt(actions & Protocol.ACTIONS)
                .putInt(steps);
        send(Protocol.OPTNEG, r.array());
    }

    private void macros(byte[] d) {
        if (d.length < 1) {
            return;
        }
        List<String> kv = Packet.strings(d, 1);
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i + 1 < kv.size(); i += 2) {
            m.put(kv.get(i), kv.get(i + 1));
        }
        if (d[0] == Protocol.CONNECT || d[0] == Protocol.HELO) {
            connectionMacros.putAll(m);
        } else if (d[0] == Protocol.MAIL || mail == null) {
            pendingMacros = m;
        } else {
            mail.macros(m);
        }
    }

    private void connect(byte[] d) {
        // hostname NUL, family, port (2 octets), address NUL; family 'U' (unknown) has no more.
        int nul = 0;
        while (nul < d.length && d[nul] != 0) {
            nul++;
        }
        clientAddress = "";
        if (nul + 1 < d.length && (d[nul + 1] == '4' || d[nul + 1] == '6') && nul + 4 < d.length) {
            List<String> rest = Packet.strings(d, nul + 4);
            String addr = rest.isEmpty() ? "" : rest.get(0);
            clientAddress = addr.startsWith("IPv6:") ? addr.substring(5) : addr;
        }
    }

    private void endOfMessage() throws IOException {
        Mail m = mail;
        mail = null;
        Verdict v;
        if (m == null) {
            v =
                    Verdict.refuse(
                            "451 4.3.0 milter saw no MAIL FROM for this message; try again later");
        } else if (!canModify) {
            v =
                    Verdict.refuse(
                            "451 4.3.5 the encryption milter may not change messages on this MTA; try again later");
        } else {
            try {
                v = decide.apply(m);
            } catch (RuntimeException | Error e) {
                problems.accept("milter: internal error on " + m + ": " + e);
                v = Verdict.refuse("451 4.3.0 encryption milter internal error; try again later");
            }
        }
        for (Verdict.HeaderChange c : v.headerChanges()) {
            if (c.index() == 0) {
                send(Protocol.R_ADDHEADER, Packet.cstrings(c.name(), c.value()));
            } else {
                byte[] nv = Packet.cstrings(c.name(), c.value());
                send(
                        Protocol.R_CHGHEADER,
                        ByteBuffer.allocate(4 + nv.length).putInt(c.index()).put(nv).array());
            }
        }
        if (v.newBody() != null) {
            byte[] body = v.newBody();
            for (int off = 0; off < body.length; off += Protocol.CHUNK) {
                send(
                        Protocol.R_REPLBODY,
                        java.util.Arrays.copyOfRange(
                                body, off, Math.min(body.length, off + Protocol.CHUNK)));
            }
        }
        if (v.reply() == null) {
            send(Protocol.R_CONTINUE, new byte[0]);
        } else {
            send(Protocol.R_REPLYCODE, Packet.cstrings(v.reply()));
        }
    }

    /** Answers an event with CONTINUE unless the negotiated steps say the MTA expects no reply. */
    private void reply(int noReplyFlag) throws IOException {
        if ((steps & noReplyFlag) == 0) {
            send(Protocol.R_CONTINUE, new byte[0]);
        }
    }

    /** Queues a packet; {@link #run()} flushes once the event is answered. */
    private void send(byte command, byte[] data) throws IOException {
        Packet.write(out, command, data);
    }
}
