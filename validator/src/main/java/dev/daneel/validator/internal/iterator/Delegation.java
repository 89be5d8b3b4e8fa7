package dev.daneel.validator.internal.iterator;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Name;

/**
 * A zone and the names of its servers, as the cache or the root hints know them; addresses are
 * looked up when needed (glue ages separately from the NS RRset).
 *
 * @param zone the zone
 * @param nsNames its NS targets
 * @param hintAddresses addresses that come with the delegation itself (the root hints), else empty
 */
record Delegation(Name zone, List<Name> nsNames, Map<Name, List<InetAddress>> hintAddresses) {

    Delegation {
        nsNames = List.copyOf(nsNames);
        hintAddresses = Map.copyOf(hintAddresses);
    }
}
