/**
 * Trust anchors for DNSSEC validation: the built-in IANA root anchors (RFC 7958 {@code root-anchors.xml}),
 * anchors read from files, RFC 5011 rollover tracking and the DLV registry anchor.
 *
 * <p>This module has only its first types so far; the rest arrives with its issue (see the README's module table).
 */
package dev.daneel.anchors;
