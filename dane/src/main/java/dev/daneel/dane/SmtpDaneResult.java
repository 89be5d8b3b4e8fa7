package dev.daneel.dane;

import java.util.Objects;

/**
 * The outcome of one SMTP DANE connection attempt (RFC 7672). Switch over it; there are four kinds.
 *
 * <pre>{@code
 * switch (smtp.connect("example.com")) {
 *     case SmtpDaneResult.Authenticated a -> log("DANE " + a.match().usage());
 *     case SmtpDaneResult.Encrypted e -> log("TLS, unauthenticated: " + e.why());
 *     case SmtpDaneResult.Plaintext p -> log("no TLS: " + p.why());
 *     case SmtpDaneResult.Failed f -> defer(f.detail());
 * }
 * }</pre>
 */
public sealed interface SmtpDaneResult {

    /**
     * The MX host this result is about (the domain itself when it failed before any MX was known).
     */
    String mxHost();

    /**
     * STARTTLS succeeded and the server was authenticated by a usable TLSA record.
     *
     * @param mxHost the MX host
     * @param port the port connected to
     * @param match the DANE match
     * @param protocol the TLS protocol negotiated
     */
    record Authenticated(String mxHost, int port, DaneResult.Authenticated match, String protocol)
            implements SmtpDaneResult {
        /** Checks that the match is present. */
        public Authenticated {
            Objects.requireNonNull(match, "match");
        }
    }

    /**
     * STARTTLS succeeded without authentication: the TLSA records were all unusable (TLS
     * mandatory), or no DANE applied and the policy is opportunistic.
     *
     * @param mxHost the MX host
     * @param port the port connected to
     * @param protocol the TLS protocol negotiated
     * @param why which of the two
     */
    record Encrypted(String mxHost, int port, String protocol, String why)
            implements SmtpDaneResult {}

    /**
     * No DANE applied, the policy is opportunistic and the server did not offer STARTTLS.
     *
     * @param mxHost the MX host
     * @param port the port connected to
     * @param why why DANE did not apply
     */
    record Plaintext(String mxHost, int port, String why) implements SmtpDaneResult {}

    /**
     * Delivery must not go ahead (to this MX host, or, for the last result, to any).
     *
     * @param mxHost the MX host, or the domain
     * @param detail what failed, for a human
     */
    record Failed(String mxHost, String detail) implements SmtpDaneResult {}
}
