package dev.daneel.anchors;

/**
 * The states a tracked trust anchor passes through under RFC 5011 §4.
 *
 * <pre>{@code
 * AnchorState s = AnchorState.ADD_PEND;
 * boolean trusted = s.trusted(); // false: still in the 30-day add hold-down
 * }</pre>
 */
public enum AnchorState {
    /** Seen for the first time; not yet trusted (RFC 5011 §4 "Start"). */
    START(false),
    /** Seen, signed by a trusted key, waiting out the add hold-down ("AddPend"). */
    ADD_PEND(false),
    /** Trusted for validation ("Valid"). */
    VALID(true),
    /** Trusted, but absent from the last DNSKEY RRset ("Missing"). */
    MISSING(true),
    /** Revocation bit (0x0080) seen in a self-signed key; never trusted again ("Revoked"). */
    REVOKED(false),
    /** Forgotten after the remove hold-down ("Removed"). */
    REMOVED(false);

    private final boolean trusted;

    AnchorState(boolean trusted) {
        this.trusted = trusted;
    }

    /**
     * Whether a key in this state may validate the DNSKEY RRset (RFC 5011 §4: Valid and Missing).
     */
    public boolean trusted() {
        return trusted;
    }
}
