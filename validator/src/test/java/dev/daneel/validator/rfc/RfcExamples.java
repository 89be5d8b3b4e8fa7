package dev.daneel.validator.rfc;

import dev.daneel.anchors.TrustAnchors;
import dev.daneel.validator.Answer;
import dev.daneel.validator.Evidence;
import dev.daneel.validator.ValidatingResolver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Master;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Reads the examples the DNSSEC RFCs print, as they print them, and replays them through Daneel's
 * validator without any network ({@link ValidatingResolver#verifyOffline}): the RFC's responses are
 * the only data the validator gets, so the verdict is the validator's judgement of exactly the
 * printed records.
 *
 * <p>A printed response is the RFCs' appendix format: {@code ;; Header: QR AA DO RCODE=n}, then
 * {@code ;; Question}, {@code ;; Answer}, {@code ;; Authority} and {@code ;; Additional}, each
 * followed by records in presentation format (relative to the root, 3600 s when no TTL is printed).
 */
final class RfcExamples {

    private static final Pattern RCODE = Pattern.compile("RCODE=(\\d+)");

    private RfcExamples() {}

    /** Records in presentation format, {@code ;} comments allowed, parentheses across lines. */
    static List<Record> records(String text) {
        List<Record> out = new ArrayList<>();
        String zone = "$ORIGIN .\n$TTL 3600\n" + text;
        try (Master m =
                new Master(new ByteArrayInputStream(zone.getBytes(StandardCharsets.US_ASCII)))) {
            for (Record r; (r = m.nextRecord()) != null; ) {
                out.add(r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("an RFC example does not parse: " + e.getMessage(), e);
        }
        return out;
    }

    static Record record(String text) {
        return records(text).get(0);
    }

    /** A printed response as the message a resolver would have received. */
    static Message response(String printed) {
        Message m = new Message();
        m.getHeader().setFlag(Flags.QR);
        Matcher rc = RCODE.matcher(printed);
        m.getHeader().setRcode(rc.find() ? Integer.parseInt(rc.group(1)) : 0);
        int section = -1;
        StringBuilder text = new StringBuilder();
        for (String line : (printed + "\n;; End").split("\n")) {
            String t = line.strip();
            int next =
                    t.startsWith(";; Question")
                            ? Section.QUESTION
                            : t.startsWith(";; Answer")
                                    ? Section.ANSWER
                                    : t.startsWith(";; Authority")
                                            ? Section.AUTHORITY
                                            : t.startsWith(";; Additional")
                                                    ? Section.ADDITIONAL
                                                    : t.startsWith(";; End") ? 99 : -2;
            if (next == -2) {
                text.append(line).append('\n');
                continue;
            }
            if (section == Section.QUESTION) {
                String[] w = text.toString().strip().split("\\s+");
                m.addRecord(
                        Record.newRecord(
                                Name.fromConstantString(w[0]), Type.value(w[w.length - 1]), 1),
                        Section.QUESTION);
            } else if (section >= 0) {
                for (Record r : records(text.toString())) {
                    m.addRecord(r, section);
                }
            }
            section = next;
            text.setLength(0);
        }
        return m;
    }

    /** A NOERROR response that answers with {@code records}. */
    static Message answer(Name name, int type, List<Record> records) {
        Message m = new Message();
        m.getHeader().setFlag(Flags.QR);
        m.addRecord(Record.newRecord(name, type, 1), Section.QUESTION);
        records.forEach(r -> m.addRecord(r, Section.ANSWER));
        return m;
    }

    /**
     * The key of {@code keys} with the SEP flag (257), the trust anchor of the RFCs' example zones.
     */
    static DNSKEYRecord ksk(List<Record> keys) {
        return keys.stream()
                .filter(r -> r instanceof DNSKEYRecord k && k.getFlags() == 257)
                .map(DNSKEYRecord.class::cast)
                .findFirst()
                .orElseThrow();
    }

    /** One question and the response to it. */
    static Evidence.Exchange exchange(String name, int type, Message response) {
        return new Evidence.Exchange(Name.fromConstantString(name), type, response);
    }

    /**
     * Daneel's verdict on the RRset of {@code data} (records and their RRSIG as an RFC prints
     * them), in a zone whose DNSKEY RRset is {@code key} alone, signed here with the RFC's printed
     * private key over the same validity window as the printed RRSIG (the RFCs print no signature
     * over the key itself), with {@code anchor} (the printed DS, or the key) as the only trust
     * anchor, at {@code at}.
     */
    static Answer validateSigned(
            Record anchor, DNSKEYRecord key, PrivateKey privateKey, List<Record> data, Instant at) {
        RRSIGRecord printed =
                data.stream()
                        .filter(RRSIGRecord.class::isInstance)
                        .map(RRSIGRecord.class::cast)
                        .findFirst()
                        .orElseThrow();
        RRset keys = new RRset(key);
        RRSIGRecord keySig;
        try {
            keySig =
                    DNSSEC.sign(
                            keys, key, privateKey, printed.getTimeSigned(), printed.getExpire());
        } catch (DNSSEC.DNSSECException e) {
            throw new IllegalStateException(
                    "cannot sign the example DNSKEY RRset with the printed private key", e);
        }
        Record first = data.get(0);
        return validate(
                anchor,
                at,
                first.getName().toString(),
                first.getType(),
                List.of(
                        new Evidence.Exchange(
                                key.getName(),
                                Type.DNSKEY,
                                answer(key.getName(), Type.DNSKEY, List.of(key, keySig))),
                        new Evidence.Exchange(
                                first.getName(),
                                first.getType(),
                                answer(first.getName(), first.getType(), data))));
    }

    /** An ECDSA private key from the RFC 6605 private-key format (the scalar, base64). */
    static PrivateKey ecPrivateKey(String curve, String base64) throws GeneralSecurityException {
        AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
        p.init(new ECGenParameterSpec(curve));
        return KeyFactory.getInstance("EC")
                .generatePrivate(
                        new ECPrivateKeySpec(
                                new BigInteger(1, Base64.getDecoder().decode(base64)),
                                p.getParameterSpec(ECParameterSpec.class)));
    }

    /** An EdDSA private key from the RFC 8080 private-key format (the seed, base64). */
    static PrivateKey edPrivateKey(String curve, String base64) throws GeneralSecurityException {
        return KeyFactory.getInstance(curve)
                .generatePrivate(
                        new EdECPrivateKeySpec(
                                new NamedParameterSpec(curve), Base64.getDecoder().decode(base64)));
    }

    /**
     * An RSA private key from the RFC 5702 private-key format (its fields, base64, in the RFC's
     * order).
     */
    static PrivateKey rsaPrivateKey(
            String modulus,
            String publicExponent,
            String privateExponent,
            String prime1,
            String prime2,
            String exponent1,
            String exponent2,
            String coefficient)
            throws GeneralSecurityException {
        return KeyFactory.getInstance("RSA")
                .generatePrivate(
                        new RSAPrivateCrtKeySpec(
                                big(modulus),
                                big(publicExponent),
                                big(privateExponent),
                                big(prime1),
                                big(prime2),
                                big(exponent1),
                                big(exponent2),
                                big(coefficient)));
    }

    private static BigInteger big(String base64) {
        return new BigInteger(1, Base64.getDecoder().decode(base64.replaceAll("\\s", "")));
    }

    /** {@code records} with the first RRSIG's signature changed in one bit. */
    static List<Record> flipSignatureBit(List<Record> records) {
        List<Record> out = new ArrayList<>();
        boolean done = false;
        for (Record r : records) {
            if (!done && r instanceof RRSIGRecord s) {
                byte[] sig = s.getSignature().clone();
                sig[sig.length / 2] ^= 0x01;
                out.add(
                        new RRSIGRecord(
                                s.getName(),
                                s.getDClass(),
                                s.getTTL(),
                                s.getTypeCovered(),
                                s.getAlgorithm(),
                                s.getOrigTTL(),
                                s.getExpire(),
                                s.getTimeSigned(),
                                s.getFootprint(),
                                s.getSigner(),
                                sig));
                done = true;
            } else {
                out.add(r);
            }
        }
        return out;
    }

    /** Daneel's verdict on {@code name}/{@code type}, given only these exchanges, at {@code at}. */
    static Answer validate(
            Record anchor, Instant at, String name, int type, List<Evidence.Exchange> exchanges) {
        return ValidatingResolver.verifyOffline(
                new Evidence(exchanges),
                Name.fromConstantString(name),
                type,
                TrustAnchors.of(anchor),
                at);
    }
}
