/**
 * A milter that encrypts outbound mail to recipients whose OpenPGP key is published in Secure
 * OPENPGPKEY records: {@link dev.daneel.milter.OpenPgpKeyMilter} (the server), {@link
 * dev.daneel.milter.MilterConfig} (its configuration file), {@link dev.daneel.milter.Policy},
 * {@link dev.daneel.milter.Decision} (one per message) and {@link dev.daneel.milter.MilterMain}
 * (the daemon's command line).
 */
package dev.daneel.milter;
