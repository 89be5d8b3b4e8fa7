package dev.daneel.dane;

import dev.daneel.validator.Answer;
import dev.daneel.validator.Verdict;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of a TLSA lookup. Switch over it; there are three kinds.
 *
 * <pre>{@code
 * switch (lookup.resolve("www.example.com", 443, "tcp")) {
 *     case TlsaAnswer.Dane d -> verifier.verify(chain, d.records(), d.referenceNames());
 *     case TlsaAnswer.NoDane n -> authenticateWithoutDane();
 *     case TlsaAnswer.Failed f -> abort(f.detail());
 * }
 * }</pre>
 */
public sealed interface TlsaAnswer {

    /**
     * A Secure, non-empty TLSA RRset: DANE applies.
     *
     * @param owner the TLSA owner name queried ({@code _port._proto.base.})
     * @param baseDomain the TLSA base domain: the host, or its validated CNAME target (RFC 7671 §7)
     * @param referenceNames names the leaf may carry: the base domain and the original host
     * @param records the records (usable or not; the verifier sorts that out)
     * @param answer the validated answer, with its CNAME chain and evidence
     */
    record Dane(
            String owner,
            String baseDomain,
            List<String> referenceNames,
            List<TlsaRecord> records,
            Answer answer)
            implements TlsaAnswer {
        /** Copies the lists; checks that the answer is present. */
        public Dane {
            referenceNames = List.copyOf(referenceNames);
            records = List.copyOf(records);
            Objects.requireNonNull(answer, "answer");
        }
    }

    /**
     * DANE does not apply: the TLSA RRset is Insecure, provably absent, or no trust anchor covers
     * it.
     *
     * @param owner the TLSA owner name queried last
     * @param verdict the verdict of that lookup
     * @param why a sentence for a human
     */
    record NoDane(String owner, Verdict verdict, String why) implements TlsaAnswer {}

    /**
     * The TLSA RRset is Bogus, or could not be obtained: the connection must fail, not fall back.
     *
     * @param owner the TLSA owner name queried
     * @param verdict the verdict (Bogus, or Indeterminate because the network failed)
     * @param detail a sentence for a human
     */
    record Failed(String owner, Verdict verdict, String detail) implements TlsaAnswer {}
}
