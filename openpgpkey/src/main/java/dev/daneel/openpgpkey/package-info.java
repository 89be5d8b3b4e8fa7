/**
 * OPENPGPKEY (RFC 7929): fetch OpenPGP keys from Secure DNS answers, verify them against local
 * keys, create records.
 *
 * <p>Entry points: {@link dev.daneel.openpgpkey.OpenPgpKeyFetcher} (fetch and verify), {@link
 * dev.daneel.openpgpkey.OpenPgpKeyRecords} (create), {@link dev.daneel.openpgpkey.LocalKeys} (local
 * keys), {@link dev.daneel.openpgpkey.OpenPgpKeyName} (owner names).
 */
package dev.daneel.openpgpkey;
