package dev.daneel.milter;

/**
 * What the milter does with a message when some recipients have no Secure OPENPGPKEY.
 *
 * <p>Lookup failures, Bogus answers and timeouts are never covered by a policy: they always
 * tempfail (4xx) so that the MTA retries, never sending plaintext silently.
 *
 * <pre>{@code
 * Policy p = Policy.REQUIRE;
 * }</pre>
 */
public enum Policy {
    /** Leave the whole message unencrypted and add a header saying why. */
    OPPORTUNISTIC,
    /** Reject with a 5xx naming the recipients without keys. */
    REQUIRE
}
