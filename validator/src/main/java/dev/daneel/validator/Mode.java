package dev.daneel.validator;

/**
 * Where a {@link ValidatingResolver} gets its data from. Validation is the same in every mode: only
 * the path changes, and nothing a path says (the AD bit included) is trusted.
 *
 * <pre>{@code
 * ValidatingResolver r = ValidatingResolver.builder()
 *         .mode(Mode.STUB_THEN_RECURSIVE)          // the hotel Wi-Fi strips RRSIGs: recurse instead
 *         .build();
 * }</pre>
 */
public enum Mode {
    /**
     * Ask the configured recursive resolvers only (the default). Each is probed first; one that
     * cannot carry DNSSEC is never used, and a lookup only such upstreams could serve is {@link
     * Verdict.Cause#UPSTREAM_NO_DNSSEC Indeterminate(UPSTREAM_NO_DNSSEC)}.
     */
    STUB,
    /** Ask the authoritative servers from the root hints down, never an upstream. */
    RECURSIVE,
    /**
     * As {@link #STUB}, but a question every upstream fails (unreachable, erring, or unable to
     * carry DNSSEC) is resolved from the root hints instead, and so is one whose upstream answer
     * failed validation when no other upstream is left to ask.
     */
    STUB_THEN_RECURSIVE
}
