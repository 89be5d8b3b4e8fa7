package dev.daneel.milter;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the milter did with one message; {@link #logLine()} is the one line logged per message.
 *
 * <pre>{@code
 * daneel-milter queue=4XyZ1 from=<ann@corp.test> to=<bob@keys.test> decision=encrypted
 *     keys=bob@keys.test:1A2B3C4D5E6F7081/9F8E7D6C5B4A3921
 * daneel-milter queue=4XyZ2 from=<ann@corp.test> to=<bob@keys.test>,<carol@plain.test> decision=plaintext
 *     reason="no Secure key for carol@plain.test (zone not signed ...)"
 * }</pre>
 *
 * <p>Immutable.
 */
public sealed interface Decision {

    /** The MTA's queue ID, or "-". */
    String queueId();

    /** The envelope sender. */
    String sender();

    /** The envelope recipients. */
    List<String> recipients();

    /** One word: encrypted, plaintext, skipped, rejected, tempfail. */
    String kind();

    /** The detail after the kind in the log line. */
    String detail();

    /** The log line. */
    default String logLine() {
        return "daneel-milter queue="
                + queueId()
                + " from=<"
                + sender()
                + "> to="
                + recipients().stream().map(r -> "<" + r + ">").collect(Collectors.joining(","))
                + " decision="
                + kind()
                + " "
                + detail();
    }

    /**
     * Every recipient had a Secure key: the body was replaced by PGP/MIME encrypted to all of them.
     *
     * @param keyIds per recipient, {@code PRIMARY/SUBKEY} for each key: the primary key ID and the
     *     ID of the (sub)key the session key was encrypted to, {@code (hidden)} appended when its
     *     key ID was thrown; the sender copy key under {@code sender-copy}
     */
    record Encrypted(
            String queueId,
            String sender,
            List<String> recipients,
            Map<String, List<String>> keyIds)
            implements Decision {
        public String kind() {
            return "encrypted";
        }

        public String detail() {
            return "keys="
                    + keyIds.entrySet().stream()
                            .map(e -> e.getKey() + ":" + String.join("+", e.getValue()))
                            .collect(Collectors.joining(","));
        }
    }

    /**
     * Policy {@code opportunistic} and some recipients without a Secure key: sent unencrypted, with
     * a header saying why.
     *
     * @param withoutKey recipient to reason
     */
    record Plaintext(
            String queueId, String sender, List<String> recipients, Map<String, String> withoutKey)
            implements Decision {
        public String kind() {
            return "plaintext";
        }

        public String detail() {
            return "reason=\"no Secure key for " + describe(withoutKey) + "\"";
        }
    }

    /** Left untouched: already encrypted, or excluded by configuration. */
    record Skipped(String queueId, String sender, List<String> recipients, String reason)
            implements Decision {
        public String kind() {
            return "skipped";
        }

        public String detail() {
            return "reason=\"" + reason + "\"";
        }
    }

    /**
     * Refused with a 5xx: policy {@code require} and recipients without keys, or a message over the
     * size cap.
     */
    record Rejected(String queueId, String sender, List<String> recipients, String reply)
            implements Decision {
        public String kind() {
            return "rejected";
        }

        public String detail() {
            return "reply=\"" + reply + "\"";
        }
    }

    /**
     * Refused with a 4xx so the MTA retries: lookup failed, Bogus, timed out, or an internal error.
     */
    record TempFail(String queueId, String sender, List<String> recipients, String reply)
            implements Decision {
        public String kind() {
            return "tempfail";
        }

        public String detail() {
            return "reply=\"" + reply + "\"";
        }
    }

    private static String describe(Map<String, String> reasons) {
        return reasons.entrySet().stream()
                .map(e -> e.getKey() + " (" + e.getValue() + ")")
                .collect(Collectors.joining(", "));
    }
}
