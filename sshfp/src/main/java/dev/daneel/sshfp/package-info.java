/**
 * SSHFP (RFC 4255, 6594, 7479, 8709): create records from SSH host keys and verify presented host keys.
 *
 * <p>This module has only its first types so far; the rest arrives with its issue (see the README's module table).
 */
package dev.daneel.sshfp;
