/**
 * IPSECKEY (RFC 4025, RFC 8005, RFC 9373): create records from public keys ({@link
 * dev.daneel.ipseckey.Ipseckey}), parse and print them ({@link
 * dev.daneel.ipseckey.IpseckeyRecord}), and fetch and verify them through the validator ({@link
 * dev.daneel.ipseckey.IpseckeyLookup}).
 */
package dev.daneel.ipseckey;
