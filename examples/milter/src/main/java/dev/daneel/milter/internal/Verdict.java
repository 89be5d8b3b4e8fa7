package dev.daneel.milter.internal;

import java.util.List;
import java.util.Objects;

/**
 * What the session sends back at end of message: header changes, an optional new body, then the
 * final reply. Changes are applied by the MTA only when the final reply accepts the message.
 *
 * @param headerChanges in the order they are sent
 * @param newBody the replacement body (CRLF line ends), or null to keep the body
 * @param reply null to accept, else an SMTP reply line ({@code 451 4.7.0 text} or {@code 550 5.7.1
 *     text})
 */
public record Verdict(List<HeaderChange> headerChanges, byte[] newBody, String reply) {

    public Verdict {
        headerChanges = List.copyOf(headerChanges);
    }

    /** Accept unchanged. */
    public static Verdict accept() {
        return new Verdict(List.of(), null, null);
    }

    /** Accept with headers changed, body unchanged. */
    public static Verdict accept(List<HeaderChange> changes) {
        return new Verdict(changes, null, null);
    }

    /** Refuse with an SMTP reply (4xx or 5xx). */
    public static Verdict refuse(String reply) {
        Objects.requireNonNull(reply, "reply");
        if (!reply.matches("[45][0-9][0-9] [45]\\.[0-9]{1,3}\\.[0-9]{1,3} .*")) {
            throw new IllegalArgumentException(
                    "not a 4xx/5xx reply with an enhanced status code: " + reply);
        }
        return new Verdict(List.of(), null, reply);
    }

    /**
     * One header change.
     *
     * @param name the header name
     * @param index for a change, the 1-based occurrence of {@code name}; 0 to add a new header
     * @param value the new value; "" with an index deletes that occurrence
     */
    public record HeaderChange(String name, int index, String value) {
        public static HeaderChange add(String name, String value) {
            return new HeaderChange(name, 0, value);
        }

        public static HeaderChange change(String name, int index, String value) {
            if (index < 1) {
                throw new IllegalArgumentException("index must be 1 or more, got " + index);
            }
            return new HeaderChange(name, index, value);
        }
    }
}
