package dev.daneel.dane;

import dev.daneel.dane.internal.CapturingTrustManager;
import dev.daneel.dane.internal.SmtpStartTls;
import dev.daneel.validator.Answer;
import dev.daneel.validator.Status;
import dev.daneel.validator.ValidatingResolver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.CertificateException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * SMTP DANE (RFC 7672) for outbound mail: from a recipient domain, a validated MX lookup, a TLSA
 * lookup per MX host, and an SMTP conversation through STARTTLS that authenticates the server as
 * the TLSA records say.
 *
 * <ul>
 *   <li>The MX RRset must be Secure for any MX host to use DANE; the host's address records must be
 *       Secure too (RFC 7672 §2.2.1, §2.2.2). Each host's IPv6 (AAAA) then IPv4 (A) addresses are
 *       tried in turn. A domain without MX records is its own MX host (RFC 5321 §5.1).
 *   <li>TLSA records are looked up at {@code _25._tcp.mxhost} (its Secure CNAME target first, RFC
 *       7672 §2.2.3). Only DANE-TA(2) and DANE-EE(3) are usable in SMTP (RFC 7672 §3.1.3); PKIX
 *       usages count as unusable.
 *   <li>Usable records: STARTTLS and a matching chain are mandatory; a mismatch fails that MX host,
 *       never falls back to plaintext. All unusable: STARTTLS is mandatory, without authentication.
 *       None (Insecure, or provably absent): as the {@link SmtpDanePolicy} says.
 *   <li>DANE-TA name checks accept the TLSA base domain, the MX host name and the recipient domain
 *       (RFC 7672 §3.2.2).
 * </ul>
 *
 * <pre>{@code
 * SmtpDane smtp = SmtpDane.builder(resolver).policy(SmtpDanePolicy.DANE).heloName("client.example").build();
 * SmtpDaneResult r = smtp.connect("example.com");
 * }</pre>
 *
 * <p>Immutable and thread-safe; each call blocks on DNS and the network, holding no lock.
 */
public final class SmtpDane {

    private final ValidatingResolver resolver;
    private final TlsaLookup lookup;
    private final DaneVerifier verifier;
    private final SmtpDanePolicy policy;
    private final int port;
    private final String heloName;
    private final Duration timeout;

    private SmtpDane(Builder b) {
        this.resolver = b.resolver;
        this.lookup = new TlsaLookup(b.resolver);
        // SMTP uses no PKIX usages, so the verifier needs no trust store.
        this.verifier = DaneVerifier.builder().clock(b.clock).trustStore(List.of()).build();
        this.policy = b.policy;
        this.port = b.port;
        this.heloName = b.heloName;
        this.timeout = b.timeout;
    }

    /** Starts configuring SMTP DANE through {@code resolver}. */
    public static Builder builder(ValidatingResolver resolver) {
        return new Builder(resolver);
    }

    /**
     * Tries the MX hosts of {@code domain} in preference order and returns the first result that is
     * not {@link SmtpDaneResult.Failed}; if every host fails, a Failed result listing each host's
     * failure.
     */
    public SmtpDaneResult connect(String domain) {
        String d = domain.endsWith(".") ? domain : domain + ".";
        Answer mx = resolver.resolve(d, Type.MX);
        if (mx.status() == Status.BOGUS
                || (mx.status() == Status.INDETERMINATE
                        && !mx.nonexistent()
                        && mx.records().isEmpty())) {
            return new SmtpDaneResult.Failed(
                    strip(d),
                    "the MX lookup for "
                            + d
                            + " failed: "
                            + DaneTrustManager.securityText(mx.verdict())
                            + " (RFC 7672 §2.2.1: defer delivery)");
        }
        boolean mxSecure = mx.status() == Status.SECURE;
        List<String> hosts = mxHosts(mx, d);
        if (hosts.isEmpty()) {
            return new SmtpDaneResult.Failed(
                    strip(d), d + " publishes a null MX (RFC 7505): it accepts no mail");
        }
        List<String> failures = new ArrayList<>();
        for (String host : hosts) {
            SmtpDaneResult r = connectHost(host, strip(d), mxSecure);
            if (!(r instanceof SmtpDaneResult.Failed f)) {
                return r;
            }
            failures.add(host + ": " + f.detail());
        }
        return new SmtpDaneResult.Failed(
                strip(d),
                "no MX host of " + d + " could be used:\n  " + String.join("\n  ", failures));
    }

    private static List<String> mxHosts(Answer mx, String domain) {
        List<MXRecord> records = new ArrayList<>();
        for (Record r : mx.records()) {
            if (r instanceof MXRecord m) {
                records.add(m);
            }
        }
        if (records.isEmpty()) {
            return List.of(strip(domain));
        }
        records.sort(Comparator.comparingInt(MXRecord::getPriority));
        Set<String> hosts = new LinkedHashSet<>();
        for (MXRecord m : records) {
            if (m.getTarget().equals(Name.root)) {
                continue;
            }
            hosts.add(strip(m.getTarget().toString()));
        }
        return new ArrayList<>(hosts);
    }

    /** An address of an MX host and whether its address RRset was Secure. */
    private record Address(InetAddress ip, boolean secure) {}

    /**
     * One MX host: its IPv6 then IPv4 addresses (RFC 6724 order), each tried in turn until one
     * gives a result that is not Failed — the same rule as for MX hosts. A Bogus address RRset
     * fails the host (RFC 7672 §2.2.2: an attack, not a reason to try plaintext).
     */
    SmtpDaneResult connectHost(String host, String domain, boolean mxSecure) {
        List<Address> addresses = new ArrayList<>();
        for (int type : new int[] {Type.AAAA, Type.A}) {
            Answer a = resolver.resolve(host + ".", type);
            if (a.status() == Status.BOGUS) {
                return new SmtpDaneResult.Failed(
                        host,
                        "the "
                                + Type.string(type)
                                + " records of "
                                + host
                                + " are Bogus: "
                                + DaneTrustManager.securityText(a.verdict()));
            }
            for (Record r : a.records()) {
                if (r instanceof AAAARecord v6) {
                    addresses.add(new Address(v6.getAddress(), a.status() == Status.SECURE));
                } else if (r instanceof ARecord v4) {
                    addresses.add(new Address(v4.getAddress(), a.status() == Status.SECURE));
                }
            }
        }
        if (addresses.isEmpty()) {
            return new SmtpDaneResult.Failed(host, host + " has no IPv6 or IPv4 address");
        }
        TlsaAnswer tlsa = null;
        List<String> failures = new ArrayList<>();
        for (Address address : addresses) {
            InetSocketAddress target = new InetSocketAddress(address.ip(), port);
            SmtpDaneResult r;
            if (!mxSecure || !address.secure()) {
                r =
                        withoutDane(
                                host,
                                target,
                                (mxSecure ? "the address of " + host : "the MX RRset of " + domain)
                                        + " is not Secure, so DANE does not apply");
            } else {
                if (tlsa == null) {
                    tlsa = lookup.resolve(host, port, "tcp");
                }
                r = withTlsa(host, domain, target, tlsa);
            }
            if (!(r instanceof SmtpDaneResult.Failed f)) {
                return r;
            }
            failures.add(address.ip().getHostAddress() + ": " + f.detail());
        }
        return new SmtpDaneResult.Failed(
                host,
                failures.size() == 1
                        ? failures.get(0).substring(failures.get(0).indexOf(": ") + 2)
                        : "no address of "
                                + host
                                + " could be used: "
                                + String.join("; ", failures));
    }

    private SmtpDaneResult withTlsa(
            String host, String domain, InetSocketAddress target, TlsaAnswer tlsa) {
        if (tlsa instanceof TlsaAnswer.Failed f) {
            return new SmtpDaneResult.Failed(host, f.detail());
        }
        if (tlsa instanceof TlsaAnswer.NoDane n) {
            return withoutDane(host, target, n.why());
        }
        TlsaAnswer.Dane dane = (TlsaAnswer.Dane) tlsa;
        List<TlsaRecord> smtpUsable = new ArrayList<>();
        for (TlsaRecord r : dane.records()) {
            if (r.usage() == CertUsage.DANE_TA.code() || r.usage() == CertUsage.DANE_EE.code()) {
                smtpUsable.add(r);
            }
        }
        List<String> names = new ArrayList<>(dane.referenceNames());
        if (!names.contains(domain)) {
            names.add(domain);
        }
        if (DaneVerifier.usable(smtpUsable).isEmpty()) {
            return encryptOnly(
                    host,
                    target,
                    "every TLSA record at "
                            + dane.owner()
                            + " is unusable for SMTP: TLS is mandatory, without authentication (RFC 7672 §2.2)",
                    true);
        }
        CapturingTrustManager<DaneResult.Authenticated> tm =
                new CapturingTrustManager<>(
                        chain -> {
                            DaneResult r = verifier.verify(Arrays.asList(chain), smtpUsable, names);
                            if (r instanceof DaneResult.Authenticated auth) {
                                return auth;
                            }
                            String detail =
                                    r instanceof DaneResult.Failed f
                                            ? f.detail()
                                            : "no usable TLSA record";
                            throw new CertificateException(
                                    "DANE authentication of "
                                            + host
                                            + ":"
                                            + port
                                            + " failed: "
                                            + detail);
                        });
        try {
            SmtpStartTls.Result r = SmtpStartTls.run(target, heloName, host, tm, timeout);
            if (r.outcome() == SmtpStartTls.Outcome.NO_STARTTLS) {
                return new SmtpDaneResult.Failed(
                        host, host + " has usable TLSA records but offers no STARTTLS");
            }
            return new SmtpDaneResult.Authenticated(host, port, tm.result(), r.protocol());
        } catch (IOException e) {
            return new SmtpDaneResult.Failed(host, describe(e));
        }
    }

    private SmtpDaneResult withoutDane(String host, InetSocketAddress target, String why) {
        if (policy == SmtpDanePolicy.DANE_ONLY) {
            return new SmtpDaneResult.Failed(host, "policy dane-only: " + why);
        }
        return encryptOnly(host, target, "opportunistic TLS: " + why, false);
    }

    private SmtpDaneResult encryptOnly(
            String host, InetSocketAddress target, String why, boolean mandatory) {
        try {
            SmtpStartTls.Result r =
                    SmtpStartTls.run(
                            target,
                            heloName,
                            host,
                            CapturingTrustManager.insecureAcceptAny(),
                            timeout);
            if (r.outcome() == SmtpStartTls.Outcome.NO_STARTTLS) {
                return mandatory
                        ? new SmtpDaneResult.Failed(
                                host, why + "; but " + host + " offers no STARTTLS")
                        : new SmtpDaneResult.Plaintext(host, port, why);
            }
            return new SmtpDaneResult.Encrypted(host, port, r.protocol(), why);
        } catch (IOException e) {
            return new SmtpDaneResult.Failed(host, describe(e));
        }
    }

    private static String describe(IOException e) {
        StringBuilder b = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof CertificateException) {
                return t.getMessage();
            }
        }
        return b.toString();
    }

    private static String strip(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    /** Configures {@link SmtpDane}; every setter checks its argument at once. */
    public static final class Builder {
        private final ValidatingResolver resolver;
        private SmtpDanePolicy policy = SmtpDanePolicy.DANE;
        private int port = 25;
        private String heloName = "localhost";
        private Duration timeout = Duration.ofSeconds(30);
        private Clock clock = Clock.systemUTC();

        private Builder(ValidatingResolver resolver) {
            this.resolver = Objects.requireNonNull(resolver, "resolver");
        }

        /** The policy (default {@link SmtpDanePolicy#DANE}). */
        public Builder policy(SmtpDanePolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** The SMTP port, 1..65535 (default 25); also the TLSA owner's port label. */
        public Builder port(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be 1..65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /** The name sent in EHLO (default "localhost"). */
        public Builder heloName(String name) {
            if (name == null || name.isBlank() || name.chars().anyMatch(c -> c <= ' ')) {
                throw new IllegalArgumentException(
                        "EHLO name must be one non-blank word, got \"" + name + "\"");
            }
            this.heloName = name;
            return this;
        }

        /** Connect and read timeout, 100 ms .. 10 minutes (default 30 s). */
        public Builder timeout(Duration timeout) {
            if (timeout.compareTo(Duration.ofMillis(100)) < 0
                    || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException(
                        "timeout must be 100 ms .. 10 minutes, got " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** The clock certificate validity below a DANE-TA anchor is judged by. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The SMTP DANE client. */
        public SmtpDane build() {
            return new SmtpDane(this);
        }
    }
}
