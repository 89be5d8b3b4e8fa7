package dev.daneel.ipseckey;

import dev.daneel.ipseckey.internal.KeyFiles;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import org.xbill.DNS.ReverseMap;

/**
 * Creates IPSECKEY records (RFC 4025; ECDSA per RFC 8005, EdDSA per RFC 9373) from public key files
 * or JCA keys. To fetch and check published records, use {@link IpseckeyLookup}.
 *
 * <pre>{@code
 * PublicKey key = Ipseckey.readPublicKey(Path.of("gateway.pub.pem"));   // PEM or DER, RSA/EC/Ed25519
 * IpseckeyRecord r = Ipseckey.create(Ipseckey.reverseName(InetAddress.getByName("192.0.2.38")), 10,
 *         Gateway.parse("192.0.2.38"), key);
 * System.out.println(r.rfcForm());
 * // 38.2.0.192.in-addr.arpa. IN IPSECKEY 10 1 3 192.0.2.38 w6iLTEBnxTGWvQLJiop1tYT8ZmV3...
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class Ipseckey {

    private Ipseckey() {}

    /** The record for {@code key} behind {@code gateway} with {@code precedence} (0..255). */
    public static IpseckeyRecord create(
            String owner, int precedence, Gateway gateway, PublicKey key) {
        return IpseckeyRecord.of(owner, precedence, gateway, key);
    }

    /** The record for the key in a PEM or DER file. */
    public static IpseckeyRecord create(
            String owner, int precedence, Gateway gateway, Path publicKeyFile) throws IOException {
        return IpseckeyRecord.of(owner, precedence, gateway, readPublicKey(publicKeyFile));
    }

    /**
     * Reads a public key: PEM {@code PUBLIC KEY} (SubjectPublicKeyInfo, as {@code openssl pkey
     * -pubout} and {@code ipsec showhostkey --pem} write it), PEM {@code CERTIFICATE}, or DER
     * SubjectPublicKeyInfo; RSA, EC, Ed25519 or Ed448.
     */
    public static PublicKey readPublicKey(Path file) throws IOException {
        try {
            return KeyFiles.read(Files.readAllBytes(file));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The reverse-map owner name of an address, where RFC 4025 suggests publishing a host's
     * IPSECKEY.
     */
    public static String reverseName(InetAddress address) {
        return ReverseMap.fromAddress(address).toString();
    }
}
