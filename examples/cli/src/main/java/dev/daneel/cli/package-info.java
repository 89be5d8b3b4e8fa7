/**
 * The {@code daneel} command: hash-slinger's verbs with Daneel's validator inside.
 *
 * <p>This module has only its first types so far; the rest arrives with its issue (see the README's module table).
 */
package dev.daneel.cli;
