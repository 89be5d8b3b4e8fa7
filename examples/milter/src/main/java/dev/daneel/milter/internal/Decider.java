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
import java.util.Set;
import java.util.stream.Collectors;
import org.bouncycastle.openpgp.PGPPublicKey;

/**
 * The per-message policy, in this order: excluded client, sender or recipient domains → skipped;
 * already encrypted → skipped; over the size cap → the configured oversize action; any lookup
 * failed (Bogus, DNS unreachable, timeout) → tempfail; some recipients without a Secure key →
 * {@code opportunistic}: plaintext with an {@value #HEADER} header, {@code require}: 5xx naming
 * them; otherwise encrypt to every recipient's keys (and the sender copy key), key IDs of
 * recipients not named in To/Cc thrown as {@code hide-recipients} says; larger than {@code
 * mta-size-limit} once encrypted → {@code 552 5.3.4} under either policy (a recipient with a key
 * never gets plaintext because the ciphertext did not fit).
 *
 * <p>Thread-safe.
 */
public final class Decider {

    /** The header added to mail left unencrypted under the opportunistic policy. */
    public static final String HEADER = "X-Daneel-Encryption";

    /**
     * Longest SMTP reply text sent: libmilter's limit on {@code smfi_setreply} text is 980
     * characters.
     */
    static final int MAX_REPLY = 900;

    /** The decision and the protocol verdict that carries it out. */
    public record Result(Decision decision, Verdict verdict) {}

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
        this.senderCopyId =
                senderCopy.map(k -> String.format(Locale.ROOT, "%016X", k.getKeyID())).orElse("");
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
            String reply =
                    config.oversize() == MilterConfig.Oversize.REJECT
                            ? "552 5.3.4 Message larger than the encryption milter's limit of "
                                    + config.maxMessageSize()
                                    + " octets"
                            : "452 4.3.4 Message larger than the encryption milter's limit of "
                                    + config.maxMessageSize()
                                    + " octets; try again later";
            return refuse(mail, reply);
        }
        Optional<String> encrypted = AlreadyEncrypted.check(mail);
        if (encrypted.isPresent()) {
            return new Result(new Decision.Skipped(q, from, to, encrypted.get()), Verdict.accept());
        }
        if (to.isEmpty()) {
            return refuse(
                    mail, "451 4.5.3 the encryption milter saw no recipients; try again later");
        }
        // Duplicates and domain-case variants are one lookup; the lowercased retry is shared
        // through the cache.
        Map<String, KeyLookups.Outcome> outcomes =
                lookups.lookUp(to.stream().map(Addresses::lookupKey).distinct().toList());
        Set<String> visible = Addresses.named(mail.headers());
        Map<String, String> failed = new LinkedHashMap<>();
        Map<String, String> missing = new LinkedHashMap<>();
        Map<String, List<String>> ids = new LinkedHashMap<>();
        Map<Long, PgpMime.Recipient> keys = new LinkedHashMap<>();
        List<String> fromWkd = new ArrayList<>();
        for (String r : to) {
            String address = Addresses.lookupKey(r);
            if (excludedDomain(address)) {
                missing.put(r, "recipient domain excluded from encryption");
                continue;
            }
            KeyLookups.Outcome o = outcomes.get(address);
            if (o instanceof KeyLookups.Outcome.Failed f) {
                failed.put(r, f.why());
            } else if (o instanceof KeyLookups.Outcome.Missing m) {
                missing.put(r, m.why());
            } else if (((KeyLookups.Outcome.Keys) o).wkd()
                    && config.policy() == Policy.REQUIRE
                    && !config.acceptWkd()) {
                missing.put(r, "only a Web Key Directory key, not DNSSEC (accept-wkd = false)");
            } else if (!ids.containsKey(address)) {
                KeyLookups.Outcome.Keys k = (KeyLookups.Outcome.Keys) o;
                if (k.wkd()) {
                    fromWkd.add(r);
                }
                boolean hidden =
                        switch (config.hideRecipients()) {
                            case ALL -> true;
                            case NONE -> false;
                            case BCC -> !visible.contains(Addresses.visibilityKey(r));
                        };
                for (PGPPublicKey key : k.keys()) {
                    // A key shared by a visible and a hidden recipient stays visible: the To line
                    // names it anyway.
                    keys.merge(
                            key.getKeyID(),
                            new PgpMime.Recipient(key, hidden),
                            (a, b) ->
                                    a.hidden() && b.hidden()
                                            ? a
                                            : new PgpMime.Recipient(a.key(), false));
                }
                String marks = (k.wkd() ? "(wkd)" : "") + (hidden ? "(hidden)" : "");
                ids.put(address, k.keyIds().stream().map(i -> i + marks).toList());
            }
        }
        if (!failed.isEmpty()) {
            return refuse(
                    mail,
                    "451 4.7.5 OPENPGPKEY lookup failed for " + list(failed) + "; try again later");
        }
        if (!missing.isEmpty()) {
            if (config.policy() == Policy.REQUIRE) {
                return refuse(
                        mail,
                        "550 5.7.1 Encryption required but no Secure OPENPGPKEY for "
                                + list(missing));
            }
            Decision d = new Decision.Plaintext(q, from, to, missing);
            String value =
                    "none; no Secure OPENPGPKEY for "
                            + missing.entrySet().stream()
                                    .map(e -> e.getKey() + " (" + e.getValue() + ")")
                                    .collect(Collectors.joining(", "));
            return new Result(
                    d,
                    Verdict.accept(List.of(Verdict.HeaderChange.add(HEADER, clipHeader(value)))));
        }
        senderCopy.ifPresent(
                k -> {
                    boolean hidden = config.hideRecipients() == MilterConfig.HideRecipients.ALL;
                    keys.putIfAbsent(k.getKeyID(), new PgpMime.Recipient(k, hidden));
                    ids.put("sender-copy", List.of(senderCopyId + (hidden ? "(hidden)" : "")));
                });
        PgpMime.Encrypted e =
                PgpMime.encrypt(
                        mail,
                        List.copyOf(keys.values()),
                        config.protectedHeaders(),
                        config.compression(),
                        random);
        if (e.size() > config.mtaSizeLimit()) {
            // Under both policies: a keyed recipient never gets the plaintext because the
            // ciphertext is too big.
            return refuse(
                    mail,
                    "552 5.3.4 Message too big after encryption: "
                            + e.size()
                            + " octets encrypted"
                            + (e.compressed() ? " and compressed" : "")
                            + ", the mail system's limit is "
                            + config.mtaSizeLimit()
                            + " (mta-size-limit); send it in parts or without encryption-requiring recipients");
        }
        Verdict v = e.verdict();
        if (!fromWkd.isEmpty()) {
            // Said outside too: a reader (or a later filter) can tell these keys were not
            // DNSSEC-authenticated.
            List<Verdict.HeaderChange> changes = new ArrayList<>(v.headerChanges());
            changes.add(
                    Verdict.HeaderChange.add(
                            HEADER,
                            clipHeader(
                                    "encrypted; Web Key Directory key (not DNSSEC) for "
                                            + String.join(", ", fromWkd))));
            v = new Verdict(changes, v.newBody(), v.reply());
        }
        return new Result(new Decision.Encrypted(q, from, to, ids), v);
    }

    private Result refuse(Mail mail, String reply) {
        String r = clip(sanitize(reply));
        Decision d =
                r.startsWith("4")
                        ? new Decision.TempFail(mail.queueId(), mail.sender(), mail.recipients(), r)
                        : new Decision.Rejected(
                                mail.queueId(), mail.sender(), mail.recipients(), r);
        return new Result(d, Verdict.refuse(r));
    }

    private Optional<String> excluded(Mail mail) {
        String client = mail.clientAddress();
        for (int i = 0; i < clients.size(); i++) {
            if (clients.get(i).contains(client)) {
                return Optional.of(
                        "client " + client + " excluded (" + config.excludedClients().get(i) + ")");
            }
        }
        String sender = mail.sender().toLowerCase(Locale.ROOT);
        int at = sender.lastIndexOf('@');
        if (config.excludedSenders().contains(sender)
                || (at >= 0 && config.excludedSenders().contains(sender.substring(at)))) {
            return Optional.of("sender " + mail.sender() + " excluded");
        }
        if (!mail.recipients().isEmpty()
                && mail.recipients().stream()
                        .allMatch(r -> excludedDomain(Addresses.lookupKey(r)))) {
            return Optional.of("every recipient domain excluded");
        }
        return Optional.empty();
    }

    private boolean excludedDomain(String address) {
        return config.excludedRecipientDomains().contains(Mail.domainOf(address));
    }

    private static String list(Map<String, String> reasons) {
        return reasons.entrySet().stream()
                .map(e -> e.getKey() + " (" + e.getValue() + ")")
                .collect(Collectors.joining(", "));
    }

    /**
     * SMTP replies and headers are one line of printable ASCII; '%' would be taken as a macro by
     * Sendmail.
     */
    private static String sanitize(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            // Non-ASCII (an SMTPUTF8 address) shows as '?': reply text is ASCII unless the client
            // negotiated SMTPUTF8.
            b.append(c >= 0x20 && c < 0x7f && c != '%' ? c : c >= 0x80 ? '?' : ' ');
        }
        return b.toString();
    }

    private static String clip(String s) {
        String one = sanitize(s);
        return one.length() <= MAX_REPLY ? one : one.substring(0, MAX_REPLY - 5) + " ...";
    }

    /**
     * A header value: one line of printable characters. Unlike a reply, a header may carry UTF-8
     * (RFC 6532): a message to an SMTPUTF8 address is itself an SMTPUTF8 message, so the address is
     * kept readable.
     */
    private static String clipHeader(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints()
                .forEach(
                        c ->
                                b.appendCodePoint(
                                        c >= 0x20 && c != 0x7f && !Character.isISOControl(c)
                                                ? c
                                                : ' '));
        String one = b.toString();
        return one.length() <= MAX_REPLY ? one : one.substring(0, MAX_REPLY - 5) + " ...";
    }
}
