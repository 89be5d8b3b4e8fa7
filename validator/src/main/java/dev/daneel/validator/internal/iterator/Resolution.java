package dev.daneel.validator.internal.iterator;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * What {@link IterativeResolver#resolve} found: the response a recursive resolver asked with CD=1
 * would give, and which server of which zone gave each part of it, so that a caller whose
 * validation fails can {@link IterativeResolver#markBogus set those servers aside} and ask again.
 *
 * <pre>{@code
 * Resolution r = iterator.resolve(name, Type.DNSKEY).join();
 * if (validationFailed(r.response())) {
 *     r.hops().forEach(h -> iterator.markBogus(h.zone(), h.server()));
 *     r = iterator.resolve(name, Type.DNSKEY).join(); // the zone's other servers; once, then it is Bogus
 * }
 * }</pre>
 *
 * @param response the response (a copy the caller may change)
 * @param hops the servers whose data the response holds, one per CNAME/DNAME link's zone, in chain
 *     order
 */
public record Resolution(Message response, List<Hop> hops) {

    /**
     * One server's part of a response.
     *
     * @param zone the zone the server was asked as a server of (for a DS, the parent's)
     * @param server its address
     * @param qname the name it was asked
     * @param qtype the type it was asked
     */
    public record Hop(Name zone, InetAddress server, Name qname, int qtype) {
        public Hop {
            Objects.requireNonNull(zone, "zone");
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(qname, "qname");
        }

        @Override
        public String toString() {
            return qname
                    + "/"
                    + Type.string(qtype)
                    + " from "
                    + server.getHostAddress()
                    + " for "
                    + zone;
        }
    }

    public Resolution {
        Objects.requireNonNull(response, "response");
        hops = List.copyOf(hops);
    }
}
