/**
 * The validating stub resolver: forwards queries with DO=1 and CD=1 and validates every answer
 * itself, from a trust anchor down, returning typed results (secure, insecure, bogus,
 * indeterminate).
 *
 * <p>This module has only its first types so far; the rest arrives with its issue (see the README's
 * module table).
 */
package dev.daneel.validator;
