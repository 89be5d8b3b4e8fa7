package dev.daneel.validator.internal.transport;

import dev.daneel.validator.internal.Fetcher;
import java.util.List;

/**
 * Every upstream that could be asked was probed and found unable to carry DNSSEC, so none was
 * asked: the validator makes such a lookup Indeterminate ({@code UPSTREAM_NO_DNSSEC}), not Bogus.
 * The message names each upstream and what it stripped, e.g. {@code "no upstream carries DNSSEC for
 * www.example.test./A: 127.0.0.1:5353: does not carry DNSSEC (RRSIGs of the test./DNSKEY answer are
 * missing)"}.
 */
public final class NoDnssecUpstreamException extends UpstreamException
        implements Fetcher.NoDnssecPath {

    private static final long serialVersionUID = 1L;

    NoDnssecUpstreamException(String what, List<Attempt> attempts) {
        super(what, attempts);
    }
}
