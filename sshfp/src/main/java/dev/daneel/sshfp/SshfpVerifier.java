package dev.daneel.sshfp;

import dev.daneel.sshfp.internal.Matching;
import dev.daneel.validator.Answer;
import dev.daneel.validator.ValidatingResolver;
import dev.daneel.validator.Verdict;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Record;
import org.xbill.DNS.SSHFPRecord;
import org.xbill.DNS.Type;

/**
 * Checks the host key an SSH server presented against the host's SSHFP records, looked up and
 * validated by a {@link ValidatingResolver} (RFC 4255: the records count only when their RRset is
 * Secure).
 *
 * <pre>{@code
 * SshfpVerifier verifier = new SshfpVerifier(resolver);
 * SshfpResult r = verifier.verify("host.example.test.", SshHostKey.of(serverKey));
 * // Match[host=host.example.test., matched=host.example.test. IN SSHFP 4 2 26304ed8…]
 * // Mismatch[host=…, presented=ssh-ed25519 SHA256:JjBO2AhUOpnjOkiBYOOuDxZg/OQQGAJ22oX+t643vlw, records=[…], considered=[…]]
 * }</pre>
 *
 * <p>Per key algorithm only the strongest fingerprint type published is compared: SHA-1 records are
 * ignored when a SHA-256 record exists for the same key algorithm. A Secure RRset without a record
 * for the key's algorithm is a {@link SshfpResult.Mismatch}: the host published its keys and this
 * is not one.
 *
 * <p>Thread-safe; it holds only the resolver, which the caller closes.
 */
public final class SshfpVerifier {

    private final ValidatingResolver resolver;

    /** A verifier that looks records up with {@code resolver}. */
    public SshfpVerifier(ValidatingResolver resolver) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /** Looks up {@code host}'s SSHFP RRset and compares it with {@code presented}. */
    public CompletionStage<SshfpResult> lookup(String host, SshHostKey presented) {
        Objects.requireNonNull(presented, "presented");
        return resolver.lookup(host, Type.SSHFP).thenApply(a -> judge(host, presented, a));
    }

    /** Blocking {@link #lookup(String, SshHostKey)}. */
    public SshfpResult verify(String host, SshHostKey presented) {
        return lookup(host, presented).toCompletableFuture().join();
    }

    /** Blocking check of a JCA public key. */
    public SshfpResult verify(String host, PublicKey presented) {
        return verify(host, SshHostKey.of(presented));
    }

    /** The verdict for a validated answer. */
    static SshfpResult judge(String host, SshHostKey presented, Answer answer) {
        Verdict s = answer.verdict();
        if (s instanceof Verdict.Bogus) {
            return new SshfpResult.Bogus(host, (Verdict.Bogus) s);
        }
        if (s instanceof Verdict.Indeterminate) {
            return new SshfpResult.Indeterminate(host, (Verdict.Indeterminate) s);
        }
        if (s instanceof Verdict.Insecure) {
            return new SshfpResult.Insecure(host, (Verdict.Insecure) s);
        }
        List<SshfpRecord> records = new ArrayList<>();
        for (Record r : answer.records()) {
            if (r instanceof SSHFPRecord) {
                SSHFPRecord x = (SSHFPRecord) r;
                records.add(
                        new SshfpRecord(
                                x.getName().toString(),
                                x.getAlgorithm(),
                                x.getDigestType(),
                                x.getFingerPrint()));
            }
        }
        if (records.isEmpty()) {
            return new SshfpResult.NoRecords(host);
        }
        List<SshfpRecord> considered = Matching.considered(presented, records);
        for (SshfpRecord r : considered) {
            if (r.matches(presented)) {
                return new SshfpResult.Match(host, r);
            }
        }
        return new SshfpResult.Mismatch(host, presented, records, considered);
    }
}
