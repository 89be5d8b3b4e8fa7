package dev.daneel.validator.internal.iterator;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.xbill.DNS.Message;

/**
 * Carries one query to one authoritative server and brings back its response: the network ({@link
 * NetworkTransport}, the default) or, in tests, a program that plays the servers.
 *
 * <pre>{@code
 * Message reply = transport.exchange(new InetSocketAddress("192.0.2.53", 53), query, false, Duration.ofMillis(400));
 * }</pre>
 *
 * <p>An implementation returns only a response that matches the query (RFC 5452 §9.1: the query's
 * ID, opcode and question, from the server asked) and keeps waiting past anything else until the
 * timeout. Implementations are thread-safe.
 */
public interface Transport extends AutoCloseable {

    /**
     * @param server the server's address and port
     * @param query the query, ID and question set
     * @param tcp whether to ask over TCP instead of UDP
     * @param timeout how long to wait in all
     * @return the matching response (possibly with TC=1 over UDP)
     * @throws java.net.SocketTimeoutException when nothing matching arrived in time
     * @throws IOException when the server cannot be reached or the exchange broke
     */
    Message exchange(InetSocketAddress server, Message query, boolean tcp, Duration timeout)
            throws IOException;

    /** Ends exchanges in flight; later ones fail. The default does nothing. */
    @Override
    default void close() {}
}
