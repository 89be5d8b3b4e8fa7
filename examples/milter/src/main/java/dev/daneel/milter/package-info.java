/**
 * A milter that encrypts outbound mail to recipients whose OpenPGP key is published in Secure OPENPGPKEY records.
 *
 * <p>This module has only its first types so far; the rest arrives with its issue (see the README's module table).
 */
package dev.daneel.milter;
