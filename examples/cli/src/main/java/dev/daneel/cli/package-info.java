/**
 * The {@code daneel} command: hash-slinger's verbs ({@code tlsa}, {@code openpgpkey}, {@code
 * sshfp}, {@code ipseckey}) with Daneel's validator inside, {@code query} like {@code delv}, {@code
 * anchors} for the RFC 5011 state, and {@code demo}, a signed world on loopback that exercises
 * every capability.
 *
 * <pre>{@code
 * $ mvn -q install -DskipTests && bin/daneel demo
 * $ bin/daneel --server 127.0.0.1:5353 --anchor root.key query www.example.test. A --json
 * }</pre>
 *
 * <p>{@link dev.daneel.cli.Daneel} is the entry point ({@code main}, and {@code run} in process);
 * {@link dev.daneel.cli.ExitCode} lists the stable exit codes. Everything else is package-private.
 */
package dev.daneel.cli;
