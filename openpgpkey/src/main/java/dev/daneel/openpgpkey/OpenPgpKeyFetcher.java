package dev.daneel.openpgpkey;

import dev.daneel.openpgpkey.internal.KeyInspector;
import dev.daneel.validator.Answer;
import dev.daneel.validator.ValidatingResolver;
import dev.daneel.validator.Verdict;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.xbill.DNS.OPENPGPKEYRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Fetches an address's OpenPGP keys from DNSSEC-validated OPENPGPKEY records (RFC 7929) and checks
 * them: every key in the RRset is parsed with Bouncy Castle, its user IDs must contain the address
 * (RFC 7929 §5.3), and revoked, expired and non-encrypting keys are reported.
 *
 * <pre>{@code
 * ValidatingResolver resolver = ValidatingResolver.builder().build();
 * OpenPgpKeyFetcher fetcher = OpenPgpKeyFetcher.builder(resolver).build();
 * if (fetcher.fetch("hugh@example.com") instanceof FetchResult.Secure s && !s.encryptionKeys().isEmpty()) {
 *     PGPPublicKey to = s.encryptionKeys().get(0).encryptionKey().orElseThrow();
 *     ...
 * }
 * }</pre>
 *
 * <p>Only a Secure answer yields keys. An Insecure zone, a Bogus answer and an unreachable upstream
 * are their own {@link FetchResult} kinds, and a Secure NXDOMAIN or NODATA is {@link
 * FetchResult.NoKey}.
 *
 * <p>Thread-safe; blocking calls run on the caller's thread, network I/O is the resolver's.
 */
public final class OpenPgpKeyFetcher {

    private final ValidatingResolver resolver;
    private final Clock clock;
    private final boolean retryLowercase;
    private final boolean acceptMismatch;

    private OpenPgpKeyFetcher(Builder b) {
        this.resolver = b.resolver;
        this.clock = b.clock;
        this.retryLowercase = b.retryLowercase;
        this.acceptMismatch = b.acceptMismatch;
    }

    /** A builder using {@code resolver} for every lookup. */
    public static Builder builder(ValidatingResolver resolver) {
        return new Builder(resolver);
    }

    /**
     * Looks up and checks the keys for {@code address}. With {@link
     * Builder#retryLowercaseLocalPart()}, a proven absence under the RFC owner name is followed by
     * a lookup under the lowercased one.
     *
     * @throws IllegalArgumentException if {@code address} is not local@domain
     */
    public FetchResult fetch(String address) {
        String owner = OpenPgpKeyName.of(address);
        FetchResult result = fetchAt(address, owner, false);
        String lower = OpenPgpKeyName.lowercased(address);
        if (retryLowercase && result instanceof FetchResult.NoKey && !lower.equals(owner)) {
            return fetchAt(address, lower, true);
        }
        return result;
    }

    /**
     * Fetches the keys for {@code address} and compares them with local keys by fingerprint.
     *
     * @param local keys read with {@link LocalKeys}
     */
    public Verification verify(String address, List<PGPPublicKeyRing> local) {
        return Verification.of(fetch(address), local);
    }

    private FetchResult fetchAt(String address, String owner, boolean lowercased) {
        Answer answer = resolver.resolve(owner, Type.OPENPGPKEY);
        List<OPENPGPKEYRecord> records = new ArrayList<>();
        for (Record r : answer.records()) {
            if (r instanceof OPENPGPKEYRecord k) {
                records.add(k);
            }
        }
        Verdict verdict = answer.verdict();
        if (verdict instanceof Verdict.Insecure insecure) {
            return new FetchResult.Insecure(address, owner, records.size(), insecure);
        } else if (verdict instanceof Verdict.Bogus bogus) {
            return new FetchResult.Bogus(address, owner, bogus);
        } else if (verdict instanceof Verdict.Indeterminate indeterminate) {
            return new FetchResult.Unavailable(address, owner, indeterminate);
        }
        Verdict.Secure secure = (Verdict.Secure) verdict;
        if (records.isEmpty()) {
            return new FetchResult.NoKey(address, owner, answer.rcode());
        }
        List<PublishedKey> keys = new ArrayList<>();
        List<PublishedKey> rejected = new ArrayList<>();
        for (OPENPGPKEYRecord r : records) {
            PublishedKey key =
                    KeyInspector.inspect(r.getCert(), address, lowercased, clock.instant());
            boolean reject =
                    key.issues().contains(KeyIssue.UNPARSEABLE)
                            || (key.issues().contains(KeyIssue.USER_ID_MISMATCH)
                                    && !acceptMismatch);
            (reject ? rejected : keys).add(key);
        }
        return new FetchResult.Secure(address, owner, keys, rejected, secure);
    }

    /**
     * Configuration for {@link OpenPgpKeyFetcher}. Defaults: system UTC clock, no lowercase retry,
     * user-ID mismatches rejected.
     */
    public static final class Builder {
        private final ValidatingResolver resolver;
        private Clock clock = Clock.systemUTC();
        private boolean retryLowercase;
        private boolean acceptMismatch;

        private Builder(ValidatingResolver resolver) {
            this.resolver = Objects.requireNonNull(resolver, "resolver");
        }

        /** The clock that decides key expiry. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * After a proven absence, look again under the owner name of the lowercased local part
         * ({@link OpenPgpKeyName#lowercased(String)}), which hash-slinger, GnuPG's {@code
         * export-dane} and openpgpkey-milter publish and look up. Off by default: RFC 7929 §3
         * hashes the local part as written.
         */
        public Builder retryLowercaseLocalPart() {
            this.retryLowercase = true;
            return this;
        }

        /**
         * Accept keys whose user IDs do not contain the address (RFC 7929 §5.3 says to reject
         * them); they stay marked {@link KeyIssue#USER_ID_MISMATCH}. For callers that check the
         * binding otherwise.
         */
        public Builder insecureAcceptUserIdMismatch() {
            this.acceptMismatch = true;
            return this;
        }

        /** The fetcher, with the settings made so far. */
        public OpenPgpKeyFetcher build() {
            return new OpenPgpKeyFetcher(this);
        }
    }
}
