/**
 * Trust anchors for DNSSEC validation.
 *
 * <ul>
 *   <li>{@link dev.daneel.anchors.TrustAnchors}: a fixed anchor set — the built-in IANA root
 *       anchors (RFC 7958 {@code root-anchors.xml}), anchor files (DS/DNSKEY lines, BIND clauses,
 *       the XML with its CMS signature), or records built in code.
 *   <li>{@link dev.daneel.anchors.AnchorTracker}: RFC 5011 rollover tracking, a pure state machine
 *       over {@link dev.daneel.anchors.AnchorState} fed with fetched DNSKEY RRsets.
 *   <li>{@link dev.daneel.anchors.AnchorStore}: the tracker's state in a text file, written
 *       atomically and shared safely between processes.
 * </ul>
 *
 * <p>Internals ({@code dev.daneel.anchors.internal}) are not exported.
 */
package dev.daneel.anchors;
