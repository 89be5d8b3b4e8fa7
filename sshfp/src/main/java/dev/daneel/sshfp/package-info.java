/**
 * SSHFP (RFC 4255, 6594, 7479, 8709): create records from SSH host keys ({@link
 * dev.daneel.sshfp.Sshfp}) and verify the key a server presents against a validated SSHFP RRset
 * ({@link dev.daneel.sshfp.SshfpVerifier}), with an adapter for Apache MINA SSHD clients ({@link
 * dev.daneel.sshfp.MinaSshfpServerKeyVerifier}).
 */
package dev.daneel.sshfp;
