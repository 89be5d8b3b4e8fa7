/**
 * DANE (RFC 6698, 7671, 7672, 7673): TLSA lookup, certificate matching, record creation and a JSSE trust manager.
 *
 * <p>This module has only its first types so far; the rest arrives with its issue (see the README's module table).
 */
package dev.daneel.dane;
