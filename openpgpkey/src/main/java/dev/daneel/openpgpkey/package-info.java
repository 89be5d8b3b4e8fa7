/**
 * OPENPGPKEY (RFC 7929): fetch OpenPGP keys from Secure DNS answers, verify them against local keys, create records.
 *
 * <p>This module has only its first types so far; the rest arrives with its issue (see the README's module table).
 */
package dev.daneel.openpgpkey;
