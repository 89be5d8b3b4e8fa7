package dev.daneel.milter.internal;

import dev.daneel.milter.Decision;
import dev.daneel.milter.MilterConfig;
import dev.daneel.milter.Policy;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.bouncycastle.openpgp.PGPPublicKey;

/**
 * The per-message policy, in this order: excluded client, sender or recipient domains → skipped; already
 * encrypted → skipped; over the size cap → the configured oversize action; any lookup failed (Bogus, DNS
 * unreachable, timeout) → tempfail; some recipients without a Secure key → {@code opportunistic}: plaintext
 * with an {@value #HEADER} header, {@code require}: 5xx naming them; otherwise encrypt to every recipient's
 * keys (and the sender copy key).
 *
 * <p>Thread-safe.
 */
public final class Decider {

    /** The header added to mail left unencrypted under the opportunistic policy. */
    public static final String HEADER = "X-Daneel-Encryption";
    /** Longest SMTP reply text sent: libmilter's limit on {@code smfi_setreply} text is 980 characters. */
    static final int MAX_REPLY = 900;

    /** The decision and the protocol verdict that carries it out. */
    public record Result(Decision decision, Verdict verdict) {
    }

    private final MilterConfig config;
    private final KeyLookups lookups;
    private final Optional<PGPPublicKey> senderCopy;
    private final String senderCopyId;
    private final List<AddressRange> clients;
    private final SecureRandom random = new SecureRandom();

    public Decider(MilterConfig config, KeyLookups lookups, Optional<PGPPublicKey> senderCopy) {
        this.config = config;
        this.lookups = lookups;
        this.senderCopy = senderCopy;
        this.senderCopyId = senderCopy.map(k -> String.format(Locale.ROOT, "%016X", k.getKeyID())).orElse("");
        this.clients = config.excludedClients().stream().map(AddressRange::parse).toList();
    }

    public Result decide(Mail mail) {
        String q = mail.queueId();
        String from = mail.sender();
        List<String> to = mail.recipients();
        Optional<String> excluded = excluded(mail);
        if (excluded.isPresent()) {
            return new Result(new Decision.Skipped(q, from, to, excluded.get()), Verdict.accept());
        }
        if (mail.oversize()) {
            String reply = config.oversize() == MilterConfig.Oversize.REJECT
                    ? "552 5.3.4 Message larger than the encryption milter's limit of " + config.maxMessageSize() + " octets"
                    : "452 4.3.4 Message larger than the encryption milter's limit of " + config.maxMessageSize()
                    + " octets; try again later";
            return refuse(mail, reply);
        }
        Optional<String> encrypted = PgpMime.alreadyEncrypted(mail);
        if (encrypted.isPresent()) {
            return new Result(new Decision.Skipped(q, from, to, encrypted.get()), Verdict.accept());
        }
        if (to.isEmpty()) {
            return refuse(mail, "451 4.5.3 the encryption milter saw no recipients; try again later");
        }
        Map<String, KeyLookups.Outcome> outcomes = lookups.lookUp(to.stream().map(Decider::normalize).toList());
        Map<String, String> failed = new LinkedHashMap<>();
        Map<String, String> missing = new LinkedHashMap<>();
        Map<String, List<String>> ids = new LinkedHashMap<>();
        List<PGPPublicKey> keys = new ArrayList<>();
        for (String r : to) {
            String address = normalize(r);
            if (excludedDomain(address)) {
                missing.put(r, "recipient domain excluded from encryption");
                continue;
            }
            KeyLookups.Outcome o = outcomes.get(address);
            if (o instanceof KeyLookups.Outcome.Failed f) {
                failed.put(r, f.why());
            } else if (o instanceof KeyLookups.Outcome.Missing m) {
                missing.put(r, m.why());
            } else {
                KeyLookups.Outcome.Keys k = (KeyLookups.Outcome.Keys) o;
                keys.addAll(k.keys());
                ids.put(r, k.keyIds());
            }
        }
        if (!failed.isEmpty()) {
            return refuse(mail, "451 4.7.5 OPENPGPKEY lookup failed for " + list(failed) + "; try again later");
        }
        if (!missing.isEmpty()) {
            if (config.policy() == Policy.REQUIRE) {
                return refuse(mail, "550 5.7.1 Encryption required but no Secure OPENPGPKEY for " + list(missing));
            }
            Decision d = new Decision.Plaintext(q, from, to, missing);
            String value = "none; no Secure OPENPGPKEY for " + missing.entrySet().stream()
                    .map(e -> e.getKey() + " (" + e.getValue() + ")").collect(Collectors.joining(", "));
            return new Result(d, Verdict.accept(List.of(Verdict.HeaderChange.add(HEADER, clip(value)))));
        }
        senderCopy.ifPresent(k -> {
            keys.add(k);
            ids.put("sender-copy", List.of(senderCopyId));
        });
        Verdict v = PgpMime.encrypt(mail, keys, config.protectedHeaders(), random);
        return new Result(new Decision.Encrypted(q, from, to, ids), v);
    }

    private Result refuse(Mail mail, String reply) {
        String r = clip(sanitize(reply));
        Decision d = r.startsWith("4")
                ? new Decision.TempFail(mail.queueId(), mail.sender(), mail.recipients(), r)
                : new Decision.Rejected(mail.queueId(), mail.sender(), mail.recipients(), r);
        return new Result(d, Verdict.refuse(r));
    }

    private Optional<String> excluded(Mail mail) {
        String client = mail.clientAddress();
        for (int i = 0; i < clients.size(); i++) {
            if (clients.get(i).contains(client)) {
                return Optional.of("client " + client + " excluded (" + config.excludedClients().get(i) + ")");
            }
        }
        String sender = mail.sender().toLowerCase(Locale.ROOT);
        int at = sender.lastIndexOf('@');
        if (config.excludedSenders().contains(sender)
                || (at >= 0 && config.excludedSenders().contains(sender.substring(at)))) {
            return Optional.of("sender " + mail.sender() + " excluded");
        }
        if (!mail.recipients().isEmpty() && mail.recipients().stream().allMatch(r -> excludedDomain(normalize(r)))) {
            return Optional.of("every recipient domain excluded");
        }
        return Optional.empty();
    }

    private boolean excludedDomain(String address) {
        return config.excludedRecipientDomains().contains(Mail.domainOf(address));
    }

    /** The address with its domain lowercased (the local part is hashed as written, RFC 7929 §3). */
    static String normalize(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? address : address.substring(0, at + 1) + address.substring(at + 1).toLowerCase(Locale.ROOT);
    }

    private static String list(Map<String, String> reasons) {
        return reasons.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")").collect(Collectors.joining(", "));
    }

    /** SMTP replies and headers are one line of printable ASCII; '%' would be taken as a macro by Sendmail. */
    private static String sanitize(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            b.append(c >= 0x20 && c < 0x7f && c != '%' ? c : ' ');
        }
        return b.toString();
    }

    private static String clip(String s) {
        String one = sanitize(s);
        return one.length() <= MAX_REPLY ? one : one.substring(0, MAX_REPLY - 5) + " ...";
    }
}
