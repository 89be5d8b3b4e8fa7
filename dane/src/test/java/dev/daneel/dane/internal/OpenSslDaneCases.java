package dev.daneel.dane.internal;

import dev.daneel.dane.TlsaRecord;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads OpenSSL's DANE case files ({@code test/danetest.in} format) the way its {@code danetest.c}
 * does: a five-integer header, exactly that many TLSA lines, then that many PEM certificates with
 * any non-PEM text between them skipped (so a surplus TLSA line is skipped too, as in OpenSSL).
 */
public final class OpenSslDaneCases {

    private static final Pattern HEADER = Pattern.compile("(\\d+) (\\d+) (\\d+) (-?\\d+) (-?\\d+)");
    private static final Pattern TLSA =
            Pattern.compile("(\\d{1,3})\\s+(\\d{1,3})\\s+(\\d{1,3})\\s+([0-9A-Fa-f\\s]+)");

    /**
     * One case.
     *
     * @param number the case's ordinal in the file, from 1
     * @param line the header's line number
     * @param records the TLSA records
     * @param chain the certificates, leaf first
     * @param noNameChecks whether DANE-EE matches skip name checks
     * @param wantError the expected X509 verify error (0, 20, 62, 65, …)
     * @param wantDepth the expected match depth, -1 for none
     */
    public record Case(
            int number,
            int line,
            List<TlsaRecord> records,
            List<X509Certificate> chain,
            boolean noNameChecks,
            int wantError,
            int wantDepth) {}

    private OpenSslDaneCases() {}

    /** Parses a case file. */
    public static List<Case> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Case> out = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            String l = lines.get(i).strip();
            i++;
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            Matcher h = HEADER.matcher(l);
            if (!h.matches()) {
                throw new IOException(
                        file + ":" + i + ": expected a header of five integers, got \"" + l + "\"");
            }
            int headerLine = i;
            int tlsaCount = Integer.parseInt(h.group(1));
            int certCount = Integer.parseInt(h.group(2));
            List<TlsaRecord> records = new ArrayList<>();
            for (int k = 0; k < tlsaCount; k++, i++) {
                if (i >= lines.size()) {
                    throw new IOException(
                            file + ":" + headerLine + ": file ends inside the TLSA lines");
                }
                Matcher t = TLSA.matcher(lines.get(i).strip());
                if (!t.matches()) {
                    throw new IOException(
                            file + ":" + (i + 1) + ": expected \"usage selector mtype hex\"");
                }
                String hex = t.group(4).replaceAll("\\s+", "");
                if (hex.length() % 2 != 0) {
                    throw new IOException(file + ":" + (i + 1) + ": odd number of hex digits");
                }
                records.add(
                        new TlsaRecord(
                                Integer.parseInt(t.group(1)),
                                Integer.parseInt(t.group(2)),
                                Integer.parseInt(t.group(3)),
                                HexFormat.of().parseHex(hex)));
            }
            List<X509Certificate> chain = new ArrayList<>();
            while (chain.size() < certCount) {
                if (i >= lines.size()) {
                    throw new IOException(
                            file
                                    + ":"
                                    + headerLine
                                    + ": file ends before "
                                    + certCount
                                    + " certificates");
                }
                String s = lines.get(i).strip();
                i++;
                if (!s.matches(
                        "-----BEGIN (CERTIFICATE|TRUSTED CERTIFICATE|X509 CERTIFICATE)-----")) {
                    continue;
                }
                StringBuilder b64 = new StringBuilder();
                while (i < lines.size() && !lines.get(i).strip().startsWith("-----END")) {
                    b64.append(lines.get(i).strip());
                    i++;
                }
                i++;
                chain.add(parse(Base64.getMimeDecoder().decode(b64.toString()), file, i));
            }
            out.add(
                    new Case(
                            out.size() + 1,
                            headerLine,
                            List.copyOf(records),
                            List.copyOf(chain),
                            !"0".equals(h.group(3)),
                            Integer.parseInt(h.group(4)),
                            Integer.parseInt(h.group(5))));
        }
        return out;
    }

    /** Reads every certificate in a PEM file (a trust store). */
    public static List<X509Certificate> readPem(Path file) throws IOException {
        try {
            CertificateFactory f = CertificateFactory.getInstance("X.509");
            List<X509Certificate> out = new ArrayList<>();
            for (var c :
                    f.generateCertificates(new ByteArrayInputStream(Files.readAllBytes(file)))) {
                out.add((X509Certificate) c);
            }
            return out;
        } catch (CertificateException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static X509Certificate parse(byte[] der, Path file, int line) throws IOException {
        return Association.certificate(der)
                .orElseThrow(
                        () ->
                                new IOException(
                                        file + ":" + line + ": PEM certificate does not decode"));
    }
}
