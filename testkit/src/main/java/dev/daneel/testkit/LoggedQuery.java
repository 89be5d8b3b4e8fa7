package dev.daneel.testkit;

import java.net.InetSocketAddress;
import java.time.Instant;
import org.xbill.DNS.Name;

/**
 * One query a {@link WorldServer} received, as its {@link QueryLog} records it.
 *
 * @param time when it arrived, by the world's clock
 * @param transport UDP or TCP
 * @param client the sender's address and port
 * @param id the message ID
 * @param name the question name, or null when the message had none or did not parse
 * @param type the question type, or -1
 * @param dnssecOk whether EDNS DO was set
 * @param checkingDisabled whether CD was set
 * @param udpPayloadSize the EDNS payload size, or 0 without EDNS
 * @param fault the fault applied to this query, or null
 */
public record LoggedQuery(
        Instant time,
        Transport transport,
        InetSocketAddress client,
        int id,
        Name name,
        int type,
        boolean dnssecOk,
        boolean checkingDisabled,
        int udpPayloadSize,
        Fault.Kind fault) {}
