package dev.daneel.testkit;

/** How a query reached a {@link WorldServer}. */
public enum Transport {
    /** A datagram on the server's UDP socket. */
    UDP,
    /** A length-prefixed message on a TCP connection (RFC 1035 §4.2.2). */
    TCP
}
