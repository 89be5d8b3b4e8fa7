/**
 * IPSECKEY (RFC 4025, RFC 8005): create, fetch and verify IPsec gateway keys.
 *
 * <p>This module has only its first types so far; the rest arrives with its issue (see the README's module table).
 */
package dev.daneel.ipseckey;
