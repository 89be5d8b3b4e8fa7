package dev.daneel.milter.internal;

/**
 * Milter protocol version 6 constants, as Sendmail's libmilter ({@code mfdef.h}) defines them and
 * Postfix ({@code milter8.c}) speaks them. The protocol has no RFC; these values are its
 * specification.
 *
 * <p>A packet is a 4-octet big-endian length (command octet included), one command octet, then
 * data.
 */
public final class Protocol {

    /** The version this milter speaks; Postfix's {@code milter_protocol = 6}. */
    public static final int VERSION = 6;

    /** Oldest MTA version accepted: body replacement and header changes exist since version 2. */
    public static final int MIN_VERSION = 2;

    /**
     * Largest packet accepted from the MTA. libmilter's largest negotiable data size is 1 MiB
     * ({@code MILTER_MDS_1M}); Postfix sends body chunks of at most 64 KiB and headers of at most
     * {@code header_size_limit} (100 KiB by default). A longer length is a protocol error, never an
     * allocation.
     */
    public static final int MAX_PACKET = 1024 * 1024;

    /** Body replacement chunk size: libmilter's {@code MILTER_CHUNK_SIZE}. */
    public static final int CHUNK = 65535;

    // MTA -> milter commands (SMFIC_*)
    public static final byte ABORT = 'A';
    public static final byte BODY = 'B';
    public static final byte CONNECT = 'C';
    public static final byte MACRO = 'D';
    public static final byte BODYEOB = 'E';
    public static final byte HELO = 'H';
    public static final byte QUIT_NC = 'K';
    public static final byte HEADER = 'L';
    public static final byte MAIL = 'M';
    public static final byte EOH = 'N';
    public static final byte OPTNEG = 'O';
    public static final byte QUIT = 'Q';
    public static final byte RCPT = 'R';
    public static final byte DATA = 'T';
    public static final byte UNKNOWN = 'U';

    // milter -> MTA replies (SMFIR_*)
    public static final byte R_ADDHEADER = 'h';
    public static final byte R_CHGHEADER = 'm';
    public static final byte R_REPLBODY = 'b';
    public static final byte R_CONTINUE = 'c';
    public static final byte R_ACCEPT = 'a';
    public static final byte R_TEMPFAIL = 't';
    public static final byte R_REPLYCODE = 'y';

    // actions the milter asks for (SMFIF_*)
    public static final int F_ADDHDRS = 0x01;
    public static final int F_CHGBODY = 0x02;
    public static final int F_CHGHDRS = 0x10;

    /** Everything this milter may do to a message. */
    public static final int ACTIONS = F_ADDHDRS | F_CHGBODY | F_CHGHDRS;

    // protocol steps (SMFIP_*): events not wanted and events that get no reply
    public static final int P_NOHELO = 0x02;
    public static final int P_NR_HDR = 0x80;
    public static final int P_NOUNKNOWN = 0x100;
    public static final int P_NODATA = 0x200;
    public static final int P_NR_CONN = 0x1000;
    public static final int P_NR_HELO = 0x2000;
    public static final int P_NR_MAIL = 0x4000;
    public static final int P_NR_RCPT = 0x8000;
    public static final int P_NR_DATA = 0x10000;
    public static final int P_NR_UNKN = 0x20000;
    public static final int P_NR_EOH = 0x40000;
    public static final int P_NR_BODY = 0x80000;

    /**
     * Steps asked for when the MTA offers them: skip what is not needed, and answer only DATA and
     * end of message. DATA is asked for and answered on purpose: without it, the macros Postfix
     * sends for DATA go out as a lone write that the milter never answers, so the milter's kernel
     * delays its ACK (40 ms on Linux) and Postfix's next write, the headers, waits for it under
     * Nagle's algorithm — 40 ms per message. The CONTINUE to DATA carries the ACK back at once, for
     * one loopback round trip.
     */
    public static final int WANTED_STEPS =
            P_NOHELO
                    | P_NOUNKNOWN
                    | P_NR_HDR
                    | P_NR_CONN
                    | P_NR_HELO
                    | P_NR_MAIL
                    | P_NR_RCPT
                    | P_NR_UNKN
                    | P_NR_EOH
                    | P_NR_BODY;

    private Protocol() {}
}
