package dev.daneel.testkit.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.daneel.testkit.ExternalTools;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.IPSECKEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPENPGPKEYRecord;
import org.xbill.DNS.SSHFPRecord;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.Type;

/**
 * Checks {@link RecordFactory} against the tools operators use to make these records (OpenSSH,
 * OpenSSL, hash-slinger, libreswan, GnuPG), run as subprocesses on files under a temporary
 * directory, and against known answers printed in the RFCs. No expected value is computed by the
 * code under test.
 *
 * <p>A test whose tool is missing is skipped with the tool's name, unless the environment variable
 * {@code CI} is {@code true}: there a missing tool fails the test, so CI cannot pass by skipping.
 * Nothing here touches the network.
 */
class RecordFactoryTest {

    private static final long TTL = 3600;
    private static final Name HOST = Name.fromConstantString("host.example.com.");
    private static final long TOOL_TIMEOUT_SECONDS = 120;

    /** RFC 4025 §3.3: the key every example record carries (RFC 3110 encoding). */
    private static final String RFC4025_KEY = "AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSGvgqt4AQ==";

    @TempDir Path tmp;

    // ------------------------------------------------------------------------------------------
    // SSHFP (RFC 4255, 6594, 7479, 8709)

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"ed25519, 0", "ecdsa, 256", "ecdsa, 384", "ecdsa, 521", "rsa, 2048", "dsa, 1024"})
    void sshfpMatchesSshKeygenR(String keyType, int bits) throws Exception {
        String sshKeygen = requireTool("ssh-keygen");
        String publicKeyLine = sshKey(sshKeygen, keyType, bits);
        String printed =
                run(
                        Map.of(),
                        sshKeygen,
                        "-r",
                        HOST.toString(),
                        "-f",
                        tmp.resolve("key.pub").toString());

        List<String[]> rdata = rdataOf(printed, "SSHFP");
        assertEquals(
                2,
                rdata.size(),
                "ssh-keygen -r prints one record per fingerprint type:\n" + printed);
        for (String[] fields : rdata) {
            int digestType = Integer.parseInt(fields[1]);
            SSHFPRecord made = RecordFactory.sshfp(HOST, TTL, publicKeyLine, digestType);
            assertRdataEquals(String.join(" ", fields), Type.SSHFP, made);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"ed25519, 0", "ecdsa, 256", "rsa, 2048"})
    void sshfpMatchesHashSlingerSshfp(String keyType, int bits) throws Exception {
        String sshKeygen = requireTool("ssh-keygen");
        String sshfp = requireTool("sshfp");
        String publicKeyLine = sshKey(sshKeygen, keyType, bits);
        Path knownHosts = tmp.resolve("known_hosts");
        String[] parts = publicKeyLine.split(" ");
        Files.writeString(knownHosts, "host.example.com " + parts[0] + " " + parts[1] + "\n");
        String printed =
                run(
                        Map.of(),
                        sshfp,
                        "-k",
                        knownHosts.toString(),
                        "--digest",
                        "sha1",
                        "--digest",
                        "sha256",
                        "host.example.com");

        List<String[]> rdata = rdataOf(printed, "SSHFP");
        assertEquals(2, rdata.size(), printed);
        for (String[] fields : rdata) {
            SSHFPRecord made =
                    RecordFactory.sshfp(HOST, TTL, publicKeyLine, Integer.parseInt(fields[1]));
            assertRdataEquals(String.join(" ", fields), Type.SSHFP, made);
        }
    }

    @Test
    void sshfpRefusesAKeyLineWhoseTypeContradictsTheBlob() throws Exception {
        String sshKeygen = requireTool("ssh-keygen");
        String line = sshKey(sshKeygen, "ed25519", 0);
        String lying = line.replaceFirst("^ssh-ed25519", "ssh-rsa");
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> RecordFactory.sshfp(HOST, TTL, lying, 2));
        assertTrue(
                e.getMessage().contains("ssh-rsa") && e.getMessage().contains("ssh-ed25519"),
                e.getMessage());
    }

    // ------------------------------------------------------------------------------------------
    // TLSA (RFC 6698 §2.1)

    @ParameterizedTest
    @ValueSource(strings = {"ec-p256", "rsa-2048", "ed25519", "rsa-pss"})
    void tlsaMatchesOpensslForEverySelectorAndMatchingType(String keyType) throws Exception {
        String openssl = requireTool("openssl");
        Path certPem = selfSignedCertificate(openssl, keyType);
        X509Certificate cert = loadCertificate(certPem);

        Path certDer = tmp.resolve("cert.der");
        run(
                Map.of(),
                openssl,
                "x509",
                "-in",
                certPem.toString(),
                "-outform",
                "DER",
                "-out",
                certDer.toString());
        Path pubPem = tmp.resolve("pub.pem");
        run(
                Map.of(),
                openssl,
                "x509",
                "-in",
                certPem.toString(),
                "-pubkey",
                "-noout",
                "-out",
                pubPem.toString());
        Path spkiDer = tmp.resolve("spki.der");
        run(
                Map.of(),
                openssl,
                "pkey",
                "-pubin",
                "-in",
                pubPem.toString(),
                "-outform",
                "DER",
                "-out",
                spkiDer.toString());

        for (int selector = 0; selector <= 1; selector++) {
            Path selected = selector == 0 ? certDer : spkiDer;
            byte[][] expected = {
                Files.readAllBytes(selected),
                opensslDigest(openssl, "-sha256", selected),
                opensslDigest(openssl, "-sha512", selected),
            };
            for (int matchingType = 0; matchingType <= 2; matchingType++) {
                TLSARecord made = RecordFactory.tlsa(HOST, TTL, cert, 3, selector, matchingType);
                assertEquals(3, made.getCertificateUsage());
                assertEquals(selector, made.getSelector());
                assertEquals(matchingType, made.getMatchingType());
                assertArrayEquals(
                        expected[matchingType],
                        made.getCertificateAssociationData(),
                        keyType + ": selector " + selector + ", matching type " + matchingType);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ec-p256", "rsa-2048"})
    void tlsaMatchesHashSlingerTlsa(String keyType) throws Exception {
        String openssl = requireTool("openssl");
        String tlsa = requireTool("tlsa");
        Path certPem = selfSignedCertificate(openssl, keyType);
        X509Certificate cert = loadCertificate(certPem);
        Name owner = Name.fromConstantString("_443._tcp.www.example.com.");

        for (int usage : new int[] {2, 3}) {
            for (int selector = 0; selector <= 1; selector++) {
                for (int matchingType = 0; matchingType <= 2; matchingType++) {
                    String printed =
                            run(
                                    Map.of(),
                                    tlsa,
                                    "--create",
                                    "--certificate",
                                    certPem.toString(),
                                    "--usage",
                                    "" + usage,
                                    "--selector",
                                    "" + selector,
                                    "--mtype",
                                    "" + matchingType,
                                    "--port",
                                    "443",
                                    "--protocol",
                                    "tcp",
                                    "www.example.com");
                    List<String[]> rdata = rdataOf(printed, "TLSA");
                    assertEquals(1, rdata.size(), printed);
                    assertTrue(printed.contains(owner + " IN TLSA"), printed);
                    TLSARecord made =
                            RecordFactory.tlsa(owner, TTL, cert, usage, selector, matchingType);
                    assertRdataEquals(String.join(" ", rdata.get(0)), Type.TLSA, made);
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // OPENPGPKEY (RFC 7929)

    @Test
    void openpgpkeyOwnerIsTheRfc7929Section3Example() {
        OPENPGPKEYRecord made =
                RecordFactory.openpgpkey("hugh@example.com", TTL, new byte[] {1, 2, 3});
        assertEquals(
                Name.fromConstantString(
                        "c93f1e400f26708f98cb19d936620da35eec8f72e57f9eec01c1afd6._openpgpkey.example.com."),
                made.getName());
        assertArrayEquals(new byte[] {1, 2, 3}, made.getCert());
    }

    /**
     * RFC 7929 §3 step 2: enclosing double quotes, literal quoting and CFWS are removed before
     * hashing.
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "\"hugh\"@example.com",
                "\"hu\\gh\"@example.com",
                "hugh(comment)@example.com",
                "hugh (a (nested) comment)@example.com"
            })
    void openpgpkeyOwnerIsComputedFromTheCanonicalLocalPart(String address) {
        OPENPGPKEYRecord made = RecordFactory.openpgpkey(address, TTL, new byte[] {1});
        assertEquals(
                Name.fromConstantString(
                        "c93f1e400f26708f98cb19d936620da35eec8f72e57f9eec01c1afd6._openpgpkey.example.com."),
                made.getName());
    }

    /**
     * RFC 7929 §3 step 3 (NFC) and §5 (no case mapping): the expected label is SHA-256 of the UTF-8
     * octets of the canonical local part, computed by {@code openssl dgst}.
     */
    @ParameterizedTest
    @CsvSource({
        "jose\u0301@example.org, jos\u00e9",
        "jos\u00e9@example.org, jos\u00e9",
        "Hugh@example.org, Hugh"
    })
    void openpgpkeyOwnerHashesTheNfcLocalPartWithItsCaseKept(String address, String canonical)
            throws Exception {
        String openssl = requireTool("openssl");
        Path localPart = tmp.resolve("local-part");
        Files.write(localPart, canonical.getBytes(StandardCharsets.UTF_8));
        String label =
                HexFormat.of()
                        .formatHex(opensslDigest(openssl, "-sha256", localPart))
                        .substring(0, 56);

        OPENPGPKEYRecord made = RecordFactory.openpgpkey(address, TTL, new byte[] {1});
        assertEquals(Name.fromConstantString(label + "._openpgpkey.example.org."), made.getName());
    }

    /**
     * hash-slinger's {@code openpgpkey --create} against a key made by GnuPG. Only lower-case
     * addresses: hash-slinger 3.1 lower-cases the local part (an early draft's rule), which RFC
     * 7929 dropped.
     */
    @ParameterizedTest
    @ValueSource(strings = {"hugh@example.com", "jane.doe+dns@example.org"})
    void openpgpkeyMatchesHashSlingerOpenpgpkey(String address) throws Exception {
        String gpg = requireTool("gpg");
        String openpgpkey = requireTool("openpgpkey");
        Path home =
                Files.createDirectory(
                        tmp.resolve("gnupg"),
                        PosixFilePermissions.asFileAttribute(
                                PosixFilePermissions.fromString("rwx------")));
        Map<String, String> env = Map.of("GNUPGHOME", home.toString());
        try {
            run(
                    env,
                    gpg,
                    "--batch",
                    "--pinentry-mode",
                    "loopback",
                    "--passphrase",
                    "",
                    "--quick-generate-key",
                    "Test <" + address + ">",
                    "ed25519",
                    "sign",
                    "never");
            Path exported = tmp.resolve("key.pgp");
            run(
                    env,
                    gpg,
                    "--batch",
                    "--export",
                    "--export-options",
                    "export-minimal",
                    "--output",
                    exported.toString(),
                    address);
            String printed = run(env, openpgpkey, "--create", address);

            Matcher m = Pattern.compile("(?m)^(\\S+) IN OPENPGPKEY (\\S+)$").matcher(printed);
            assertTrue(m.find(), "no OPENPGPKEY record in:\n" + printed);
            OPENPGPKEYRecord made =
                    RecordFactory.openpgpkey(address, TTL, Files.readAllBytes(exported));
            assertEquals(Name.fromConstantString(m.group(1)), made.getName());
            assertArrayEquals(Base64.getDecoder().decode(m.group(2)), made.getCert());
        } finally {
            stopGpgAgent(env);
        }
    }

    // ------------------------------------------------------------------------------------------
    // IPSECKEY (RFC 4025; RSA per RFC 3110, ECDSA per RFC 8005, EdDSA per RFC 9373)

    /** The example records of RFC 4025 §3.3, rebuilt from the key their RDATA carries. */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "38.2.0.192.in-addr.arpa. | 10 1 2 192.0.2.38 " + RFC4025_KEY + " | 192.0.2.38",
                "38.2.0.192.in-addr.arpa. | 10 0 2 . " + RFC4025_KEY + " | ",
                "38.2.0.192.in-addr.arpa. | 10 1 2 192.0.2.3 " + RFC4025_KEY + " | 192.0.2.3",
                "38.1.0.192.in-addr.arpa. | 10 3 2 mygateway.example.com. "
                        + RFC4025_KEY
                        + " | mygateway.example.com.",
                "0.d.4.0.3.0.e.f.f.f.3.f.0.1.2.0.1.0.0.0.0.0.2.8.B.D.0.1.0.0.2.ip6.arpa. "
                        + "| 10 2 2 2001:0DB8:0:8002::2000:1 "
                        + RFC4025_KEY
                        + " | 2001:0DB8:0:8002::2000:1",
            })
    void ipseckeyReproducesTheRfc4025Examples(String owner, String rdata, String gateway)
            throws Exception {
        // RFC 3110 §2, read by hand: one octet exponent length (here 1), the exponent, the modulus.
        byte[] key = Base64.getDecoder().decode(RFC4025_KEY);
        assertEquals(1, key[0]);
        RSAPublicKey rsa =
                new RawRsaKey(
                        new BigInteger(1, Arrays.copyOfRange(key, 2, key.length)),
                        new BigInteger(1, Arrays.copyOfRange(key, 1, 2)));
        IPSECKEYRecord made =
                RecordFactory.ipseckey(Name.fromConstantString(owner), 7200, 10, gateway, rsa);
        assertRdataEquals(rdata, Type.IPSECKEY, made);
    }

    /**
     * RFC 3110 §2: up to 255 octets the length is one octet; beyond, a zero octet and two length
     * octets.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 3, 255, 256, 300})
    void ipseckeyRsaExponentLengthFollowsRfc3110(int exponentOctets) {
        byte[] exponent = new byte[exponentOctets];
        Arrays.fill(exponent, (byte) 0xA5);
        exponent[exponentOctets - 1] |= 1;
        byte[] modulus = new byte[256];
        Arrays.fill(modulus, (byte) 0xC3);
        byte[] header =
                exponentOctets <= 255
                        ? new byte[] {(byte) exponentOctets}
                        : new byte[] {0, (byte) (exponentOctets >>> 8), (byte) exponentOctets};
        byte[] expected = concat(header, exponent, modulus);

        IPSECKEYRecord made =
                RecordFactory.ipseckey(
                        HOST,
                        TTL,
                        10,
                        null,
                        new RawRsaKey(new BigInteger(1, modulus), new BigInteger(1, exponent)));
        assertArrayEquals(expected, made.getKey());
    }

    /** The RFC 3110 layout built here from the modulus and exponent that {@code openssl} prints. */
    @ParameterizedTest
    @ValueSource(ints = {3, 65537})
    void ipseckeyRsaKeyIsRfc3110OfOpensslsModulusAndExponent(int exponent) throws Exception {
        String openssl = requireTool("openssl");
        Path keyPem = tmp.resolve("rsa.key");
        run(
                Map.of(),
                openssl,
                "genpkey",
                "-algorithm",
                "RSA",
                "-pkeyopt",
                "rsa_keygen_bits:2048",
                "-pkeyopt",
                "rsa_keygen_pubexp:" + exponent,
                "-out",
                keyPem.toString());
        String modulusLine =
                run(Map.of(), openssl, "rsa", "-in", keyPem.toString(), "-noout", "-modulus")
                        .trim();
        assertTrue(modulusLine.startsWith("Modulus="), modulusLine);
        byte[] modulus =
                HexFormat.of().parseHex(modulusLine.substring("Modulus=".length()).toLowerCase());
        byte[] e = BigInteger.valueOf(exponent).toByteArray();
        byte[] expected = concat(new byte[] {(byte) e.length}, e, modulus);

        PublicKey key = publicKeyOf(openssl, keyPem, "RSA");
        IPSECKEYRecord made = RecordFactory.ipseckey(HOST, TTL, 10, "192.0.2.1", key);
        assertEquals(2, made.getAlgorithmType());
        assertArrayEquals(expected, made.getKey());
    }

    @ParameterizedTest(name = "{0} gateway {1}")
    @CsvSource({
        "rsa-2048, 192.0.2.38",
        "rsa-2048, 2001:db8::1",
        "rsa-2048, ",
        "ec-p256, 192.0.2.38",
        "ec-p384, 2001:db8::1",
        "ec-p521, "
    })
    void ipseckeyMatchesLibreswanShowhostkey(String keyType, String gateway) throws Exception {
        String openssl = requireTool("openssl");
        String ipsec = requireTool("ipsec");
        String pk12util = requireTool("pk12util");
        requireTool("certutil"); // ipsec initnss runs it
        Path certPem = selfSignedCertificate(openssl, keyType);
        Path nss = Files.createDirectory(tmp.resolve("nss"));
        run(Map.of(), ipsec, "initnss", "--nssdir", nss.toString());
        Path p12 = tmp.resolve("key.p12");
        run(
                Map.of(),
                openssl,
                "pkcs12",
                "-export",
                "-inkey",
                tmp.resolve("key.pem").toString(),
                "-in",
                certPem.toString(),
                "-out",
                p12.toString(),
                "-passout",
                "pass:",
                "-name",
                "gateway");
        run(Map.of(), pk12util, "-i", p12.toString(), "-d", "sql:" + nss, "-W", "");
        String listed = run(Map.of(), ipsec, "showhostkey", "--nssdir", nss.toString(), "--list");
        Matcher ckaid = Pattern.compile("ckaid: ([0-9a-f]+)").matcher(listed);
        assertTrue(ckaid.find(), "no key in the NSS database:\n" + listed);

        List<String> command =
                new ArrayList<>(
                        List.of(
                                ipsec,
                                "showhostkey",
                                "--nssdir",
                                nss.toString(),
                                "--ipseckey",
                                "--ckaid",
                                ckaid.group(1),
                                "--precedence",
                                "10"));
        if (gateway != null) {
            command.addAll(List.of("--gateway", gateway));
        }
        String printed = run(Map.of(), command.toArray(new String[0]));
        List<String[]> rdata = rdataOf(printed, "IPSECKEY");
        assertEquals(1, rdata.size(), printed);

        IPSECKEYRecord made =
                RecordFactory.ipseckey(
                        HOST, TTL, 10, gateway, loadCertificate(certPem).getPublicKey());
        assertRdataEquals(String.join(" ", rdata.get(0)), Type.IPSECKEY, made);
    }

    /**
     * RFC 8005 (by way of RFC 6605 §4): the raw point X || Y, each coordinate padded to the field
     * size. Keys are drawn until one has a coordinate with a leading zero octet, the case a sloppy
     * encoding gets wrong; the expectation is the SEC 1 uncompressed point at the end of the JDK's
     * SPKI.
     */
    @ParameterizedTest
    @CsvSource({"secp256r1, 32", "secp384r1, 48", "secp521r1, 66"})
    void ipseckeyEcKeyIsTheUncompressedSpkiPointWithoutItsPrefix(String curve, int coordinateOctets)
            throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(curve));
        ECPublicKey key = null;
        BigInteger shortBound = BigInteger.ONE.shiftLeft(8 * (coordinateOctets - 1));
        for (int i = 0; i < 5000 && key == null; i++) {
            ECPublicKey candidate = (ECPublicKey) generator.generateKeyPair().getPublic();
            if (candidate.getW().getAffineX().compareTo(shortBound) < 0
                    || candidate.getW().getAffineY().compareTo(shortBound) < 0) {
                key = candidate;
            }
        }
        assertNotNull(key, "no " + curve + " key with a short coordinate in 5000 draws");
        byte[] spki = key.getEncoded();
        int pointLength = 1 + 2 * coordinateOctets;
        assertEquals(0x04, spki[spki.length - pointLength], "uncompressed point");
        byte[] expected = Arrays.copyOfRange(spki, spki.length - pointLength + 1, spki.length);

        IPSECKEYRecord made = RecordFactory.ipseckey(HOST, TTL, 10, null, key);
        assertEquals(3, made.getAlgorithmType());
        assertEquals(2 * coordinateOctets, made.getKey().length);
        assertArrayEquals(expected, made.getKey());
    }

    @Test
    void ipseckeyP256KeyIsOpensslsPublicPointWithoutTheUncompressedPrefix() throws Exception {
        String openssl = requireTool("openssl");
        Path keyPem = tmp.resolve("ec.key");
        run(
                Map.of(),
                openssl,
                "genpkey",
                "-algorithm",
                "EC",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-out",
                keyPem.toString());
        byte[] point = opensslPublicOctets(openssl, keyPem);
        assertEquals(65, point.length);
        assertEquals(0x04, point[0]);

        IPSECKEYRecord made =
                RecordFactory.ipseckey(HOST, TTL, 10, null, publicKeyOf(openssl, keyPem, "EC"));
        assertEquals(64, made.getKey().length);
        assertArrayEquals(Arrays.copyOfRange(point, 1, 65), made.getKey());
    }

    /**
     * RFC 9373 §3 (by way of RFC 8080): the raw public key, as {@code openssl pkey -text_pub}
     * prints it.
     */
    @ParameterizedTest
    @CsvSource({"ed25519, Ed25519, 32", "ed448, Ed448, 57"})
    void ipseckeyEdDsaKeyIsTheRawPublicKey(String opensslName, String jdkName, int length)
            throws Exception {
        String openssl = requireTool("openssl");
        Path keyPem = tmp.resolve("ed.key");
        run(Map.of(), openssl, "genpkey", "-algorithm", opensslName, "-out", keyPem.toString());
        byte[] raw = opensslPublicOctets(openssl, keyPem);
        assertEquals(length, raw.length);

        IPSECKEYRecord made =
                RecordFactory.ipseckey(HOST, TTL, 10, null, publicKeyOf(openssl, keyPem, jdkName));
        assertEquals(4, made.getAlgorithmType());
        assertArrayEquals(raw, made.getKey());
    }

    // ------------------------------------------------------------------------------------------
    // Tools

    /**
     * The absolute path of {@code tool}. When it is missing the test is skipped, or fails when the
     * environment variable {@code CI} is {@code true}.
     */
    static String requireTool(String tool) {
        return ExternalTools.require(tool);
    }

    /**
     * Runs a command in the temporary directory; returns its standard output, failing on a non-zero
     * exit.
     */
    private String run(Map<String, String> env, String... command)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(tmp.toFile());
        builder.environment().putAll(env);
        builder.environment().put("LC_ALL", "C");
        Path out = Files.createTempFile(tmp, "stdout", ".txt");
        Path err = Files.createTempFile(tmp, "stderr", ".txt");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process process = builder.start();
        process.getOutputStream().close();
        if (!process.waitFor(TOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            fail(
                    String.join(" ", command)
                            + " did not finish within "
                            + TOOL_TIMEOUT_SECONDS
                            + " s");
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        Files.delete(out);
        Files.delete(err);
        if (process.exitValue() != 0) {
            fail(
                    String.join(" ", command)
                            + " exited with "
                            + process.exitValue()
                            + "\nstderr:\n"
                            + stderr
                            + "\nstdout:\n"
                            + stdout);
        }
        return stdout;
    }

    /**
     * Generates an OpenSSH key of {@code type} (bits 0: the tool's default) and returns its public
     * line.
     */
    private String sshKey(String sshKeygen, String type, int bits) throws Exception {
        List<String> command =
                new ArrayList<>(
                        List.of(
                                sshKeygen,
                                "-q",
                                "-t",
                                type,
                                "-N",
                                "",
                                "-C",
                                "test@example",
                                "-f",
                                tmp.resolve("key").toString()));
        if (bits != 0) {
            command.addAll(List.of("-b", "" + bits));
        }
        if (type.equals("dsa")) {
            // OpenSSH 10 removed DSA entirely; that is the tool's choice, not a missing tool.
            Process probe =
                    new ProcessBuilder(command)
                            .directory(tmp.toFile())
                            .redirectErrorStream(true)
                            .start();
            probe.getOutputStream().close();
            String output =
                    new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            Assumptions.assumeTrue(
                    probe.waitFor() == 0, "this ssh-keygen cannot make DSA keys: " + output.trim());
        } else {
            run(Map.of(), command.toArray(new String[0]));
        }
        return Files.readString(tmp.resolve("key.pub")).trim();
    }

    /**
     * {@code openssl req -x509} with a fresh key of {@code keyType}; the key is left in key.pem.
     */
    private Path selfSignedCertificate(String openssl, String keyType) throws Exception {
        List<String> newKey =
                switch (keyType) {
                    case "ec-p256" ->
                            List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256");
                    case "ec-p384" ->
                            List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384");
                    case "ec-p521" ->
                            List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-521");
                    case "rsa-2048" -> List.of("-newkey", "rsa:2048");
                    case "ed25519" -> List.of("-newkey", "ed25519");
                    // An RSASSA-PSS SPKI with parameters: the JDK must hand back the SPKI octets
                    // unchanged.
                    case "rsa-pss" ->
                            List.of(
                                    "-newkey",
                                    "rsa-pss",
                                    "-pkeyopt",
                                    "rsa_keygen_bits:2048",
                                    "-pkeyopt",
                                    "rsa_pss_keygen_md:sha256",
                                    "-pkeyopt",
                                    "rsa_pss_keygen_mgf1_md:sha256",
                                    "-pkeyopt",
                                    "rsa_pss_keygen_saltlen:32");
                    default -> throw new IllegalArgumentException(keyType);
                };
        Path cert = tmp.resolve("cert.pem");
        List<String> command =
                new ArrayList<>(
                        List.of(
                                openssl,
                                "req",
                                "-x509",
                                "-nodes",
                                "-days",
                                "30",
                                "-subj",
                                "/CN=www.example.com",
                                "-keyout",
                                tmp.resolve("key.pem").toString(),
                                "-out",
                                cert.toString()));
        command.addAll(newKey);
        run(Map.of(), command.toArray(new String[0]));
        return cert;
    }

    private static X509Certificate loadCertificate(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate)
                    CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    /** The public half of a private key file, as openssl encodes its SPKI, decoded by the JDK. */
    private PublicKey publicKeyOf(String openssl, Path keyPem, String jdkAlgorithm)
            throws Exception {
        Path der = tmp.resolve("public.der");
        run(
                Map.of(),
                openssl,
                "pkey",
                "-in",
                keyPem.toString(),
                "-pubout",
                "-outform",
                "DER",
                "-out",
                der.toString());
        return KeyFactory.getInstance(jdkAlgorithm)
                .generatePublic(new X509EncodedKeySpec(Files.readAllBytes(der)));
    }

    /**
     * The octets after "pub:" in {@code openssl pkey -text_pub}: an EC point or a raw EdDSA key.
     */
    private byte[] opensslPublicOctets(String openssl, Path keyPem) throws Exception {
        String text =
                run(Map.of(), openssl, "pkey", "-in", keyPem.toString(), "-text_pub", "-noout");
        Matcher m = Pattern.compile("(?m)^pub:\\s*\\n((?:[ \\t]+[0-9a-f:]+\\n?)+)").matcher(text);
        assertTrue(m.find(), "no pub: block in\n" + text);
        return HexFormat.of().parseHex(m.group(1).replaceAll("[\\s:]", ""));
    }

    private byte[] opensslDigest(String openssl, String algorithm, Path file) throws Exception {
        String printed = run(Map.of(), openssl, "dgst", algorithm, "-r", file.toString());
        return HexFormat.of().parseHex(printed.trim().split("\\s+")[0]);
    }

    /** Stops the agent gpg started for this test's GNUPGHOME, and no other. */
    private void stopGpgAgent(Map<String, String> env) {
        Optional<String> gpgconf = ExternalTools.find("gpgconf");
        if (gpgconf.isEmpty()) {
            return;
        }
        try {
            run(env, gpgconf.get(), "--kill", "gpg-agent");
        } catch (IOException | InterruptedException | AssertionError e) {
            // Best effort: an agent whose home directory is gone exits by itself.
        }
    }

    /** The RDATA fields of every {@code <owner> IN <type> <rdata>} line a tool printed. */
    private static List<String[]> rdataOf(String printed, String type) {
        List<String[]> out = new ArrayList<>();
        Matcher m =
                Pattern.compile("(?m)^\\S+\\s+IN\\s+" + type + "\\s+(.+?)\\s*$").matcher(printed);
        while (m.find()) {
            out.add(m.group(1).split("\\s+"));
        }
        return out;
    }

    /**
     * Parses the tool's RDATA text with dnsjava and compares wire forms, so case and spacing do not
     * matter.
     */
    private static void assertRdataEquals(String expectedText, int type, org.xbill.DNS.Record made)
            throws IOException {
        org.xbill.DNS.Record expected =
                org.xbill.DNS.Record.fromString(
                        made.getName(), type, DClass.IN, TTL, expectedText, Name.root);
        assertEquals(expected.rdataToString(), made.rdataToString());
        assertArrayEquals(expected.rdataToWireCanonical(), made.rdataToWireCanonical());
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /**
     * An RSA public key with any modulus and exponent, which the JDK's key factory would refuse.
     */
    private static final class RawRsaKey implements RSAPublicKey {
        private final BigInteger modulus;
        private final BigInteger exponent;

        RawRsaKey(BigInteger modulus, BigInteger exponent) {
            this.modulus = modulus;
            this.exponent = exponent;
        }

        @Override
        public BigInteger getModulus() {
            return modulus;
        }

        @Override
        public BigInteger getPublicExponent() {
            return exponent;
        }

        @Override
        public String getAlgorithm() {
            return "RSA";
        }

        @Override
        public String getFormat() {
            return null;
        }

        @Override
        public byte[] getEncoded() {
            return null;
        }
    }
}
