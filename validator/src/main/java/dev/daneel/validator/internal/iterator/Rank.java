package dev.daneel.validator.internal.iterator;

/**
 * How much an RRset in the cache is believed, after RFC 2181 §5.4.1, lowest first: data from a
 * non-authoritative part of a response never replaces data an authoritative server gave as its
 * answer.
 */
enum Rank {
    /** Addresses from the additional section (glue), in bailiwick of the server that sent them. */
    GLUE,
    /** The authority section of a referral: the parent's view of a child's NS RRset. */
    REFERRAL,
    /** The authority section of an authoritative answer (the zone's own NS RRset). */
    AUTHORITY,
    /** The answer section of an authoritative answer. */
    ANSWER
}
