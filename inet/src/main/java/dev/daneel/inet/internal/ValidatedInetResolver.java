package dev.daneel.inet.internal;

import dev.daneel.anchors.TrustAnchors;
import dev.daneel.validator.Answer;
import dev.daneel.validator.Verdict;
import dev.daneel.validator.Status;
import dev.daneel.validator.ValidatingResolver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The JVM's resolver, answered by a {@link ValidatingResolver}: Secure and Insecure addresses are
 * returned, Bogus ones (and, under a {@code require-secure} domain, anything not Secure) become an
 * {@link UnknownHostException} that says why.
 *
 * <p>The configuration is read at the first lookup that finds it, not when the JDK loads the provider:
 * the JDK loads it once per JVM, at the first lookup of any name, which may come before the application
 * has written its file. Until a file is found and valid, every lookup fails with the reason; once one
 * is, it is kept for the life of the JVM. Thread-safe.
 */
public final class ValidatedInetResolver implements InetAddressResolver {

    /**
     * How long one lookup may wait for its answers. The validator bounds each attempt by its timeout;
     * this only guards the caller's thread against a lookup that never completes.
     */
    static final long LOOKUP_LIMIT_SECONDS = 60;

    private final InetAddressResolver builtinResolver;
    private final Supplier<Optional<Path>> configLocation;
    private volatile Loaded loaded;

    private record Loaded(InetConfig config, ValidatingResolver resolver) {
    }

    /**
     * @param builtinResolver the JDK's own resolver, for the {@code builtin} names
     * @param configLocation where the configuration file is, asked at each lookup until one is loaded
     */
    public ValidatedInetResolver(InetAddressResolver builtinResolver, Supplier<Optional<Path>> configLocation) {
        this.builtinResolver = Objects.requireNonNull(builtinResolver, "builtinResolver");
        this.configLocation = Objects.requireNonNull(configLocation, "configLocation");
    }

    @Override
    public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(policy, "policy");
        Name name = name(host);
        Loaded l = loaded(host);
        if (InetConfig.covering(l.config().builtin(), name).isPresent()) {
            return builtinResolver.lookupByName(host, policy);
        }
        int c = policy.characteristics();
        boolean v4 = (c & LookupPolicy.IPV4) != 0;
        boolean v6 = (c & LookupPolicy.IPV6) != 0;
        CompletableFuture<Answer> a = v4 ? l.resolver().lookup(name, Type.A).toCompletableFuture() : null;
        CompletableFuture<Answer> aaaa = v6 ? l.resolver().lookup(name, Type.AAAA).toCompletableFuture() : null;
        List<InetAddress> v4s = v4 ? addresses(host, check(host, name, await(host, a), l.config())) : List.of();
        List<InetAddress> v6s = v6 ? addresses(host, check(host, name, await(host, aaaa), l.config())) : List.of();
        List<InetAddress> all = new ArrayList<>();
        if ((c & LookupPolicy.IPV6_FIRST) != 0) {
            all.addAll(v6s);
            all.addAll(v4s);
        } else {
            all.addAll(v4s);
            all.addAll(v6s);
        }
        if (all.isEmpty()) {
            Answer shown = a != null ? a.join() : aaaa.join();
            throw new UnknownHostException(host + ": no " + (v4 && v6 ? "A or AAAA" : v4 ? "A" : "AAAA") + " records ("
                    + Rcode.string(shown.rcode()) + ", DNSSEC " + shown.status().name().toLowerCase(java.util.Locale.ROOT)
                    + ")");
        }
        return all.stream();
    }

    @Override
    public String lookupByAddress(byte[] addr) throws UnknownHostException {
        Objects.requireNonNull(addr, "addr");
        if (addr.length != 4 && addr.length != 16) {
            throw new IllegalArgumentException("expected a 4-byte IPv4 or 16-byte IPv6 address, got " + addr.length + " bytes");
        }
        Name reverse = ReverseMap.fromAddress(addr);
        String shown = reverse.toString();
        Loaded l = loaded(shown);
        if (InetConfig.covering(l.config().builtin(), reverse).isPresent()) {
            return builtinResolver.lookupByAddress(addr);
        }
        Answer answer = check(shown, reverse, await(shown, l.resolver().lookup(reverse, Type.PTR).toCompletableFuture()),
                l.config());
        for (Record r : answer.records()) {
            if (r instanceof PTRRecord ptr) {
                String target = ptr.getTarget().toString();
                return target.endsWith(".") ? target.substring(0, target.length() - 1) : target;
            }
        }
        throw new UnknownHostException(shown + ": no PTR record (" + Rcode.string(answer.rcode()) + ", DNSSEC "
                + answer.status().name().toLowerCase(java.util.Locale.ROOT) + ")");
    }

    /** The answer, if it may be used; otherwise the exception that says why not. */
    private static Answer check(String host, Name name, Answer answer, InetConfig config) throws UnknownHostException {
        Verdict s = answer.verdict();
        if (s instanceof Verdict.Bogus bogus) {
            throw new UnknownHostException(host + ": DNSSEC validation failed for " + Type.string(answer.type())
                    + " (Bogus, " + bogus.reason() + "): " + bogus.detail());
        }
        Optional<Name> strict = InetConfig.covering(config.requireSecure(), name);
        if (strict.isPresent() && answer.status() != Status.SECURE) {
            throw new UnknownHostException(host + ": " + Type.string(answer.type()) + " answer is "
                    + answer.status().name().toLowerCase(java.util.Locale.ROOT) + ", but names under " + strict.get()
                    + " must be Secure (require-secure in " + config.source() + ")" + detail(s));
        }
        if (s instanceof Verdict.Indeterminate i && answer.records().isEmpty()) {
            throw new UnknownHostException(host + ": lookup failed (" + i.cause() + "): " + i.detail());
        }
        return answer;
    }

    private static String detail(Verdict s) {
        if (s instanceof Verdict.Insecure i) {
            return "; the zone is unsigned below " + i.delegation();
        }
        if (s instanceof Verdict.Indeterminate i) {
            return "; " + i.detail();
        }
        return "";
    }

    private static List<InetAddress> addresses(String host, Answer answer) throws UnknownHostException {
        List<InetAddress> out = new ArrayList<>();
        for (Record r : answer.records()) {
            byte[] bytes = r instanceof ARecord a ? a.getAddress().getAddress()
                    : r instanceof AAAARecord aaaa ? aaaa.getAddress().getAddress() : null;
            if (bytes != null) {
                out.add(InetAddress.getByAddress(host, bytes));
            }
        }
        return out;
    }

    private static Answer await(String host, CompletableFuture<Answer> f) throws UnknownHostException {
        try {
            return f.get(LOOKUP_LIMIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            throw new UnknownHostException(host + ": interrupted while resolving");
        } catch (ExecutionException e) {
            throw unknown(host + ": lookup failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new UnknownHostException(host + ": no answer within " + LOOKUP_LIMIT_SECONDS + " s");
        }
    }

    private static Name name(String host) throws UnknownHostException {
        try {
            return Name.fromString(host, Name.root);
        } catch (TextParseException e) {
            throw new UnknownHostException(host + ": not a valid host name (" + e.getMessage() + ")");
        }
    }

    /** The loaded configuration and its resolver; loads them on the first call that finds a valid file. */
    private Loaded loaded(String host) throws UnknownHostException {
        Loaded l = loaded;
        if (l != null) {
            return l;
        }
        synchronized (this) {
            if (loaded == null) {
                Path file = configLocation.get().orElseThrow(() -> new UnknownHostException(host
                        + ": daneel-inet answers this JVM's host name lookups but has no configuration; set the system "
                        + "property " + ConfigLocation.PROPERTY + " (or the environment variable " + ConfigLocation.ENVIRONMENT
                        + ") to a properties file naming at least the upstream resolvers, e.g. upstream = 127.0.0.1:53"));
                InetConfig config;
                try {
                    config = InetConfig.read(file);
                } catch (IOException e) {
                    throw unknown(host + ": cannot read the daneel-inet configuration " + file + " (" + e + ")", e);
                } catch (IllegalArgumentException e) {
                    throw unknown(host + ": bad daneel-inet configuration: " + e.getMessage(), e);
                }
                loaded = new Loaded(config, resolver(config, host));
            }
            return loaded;
        }
    }

    private static ValidatingResolver resolver(InetConfig config, String host) throws UnknownHostException {
        ValidatingResolver.Builder b = ValidatingResolver.builder();
        config.upstreams().forEach(b::upstream);
        config.timeout().ifPresent(b::timeout);
        if (config.anchors().isPresent()) {
            try {
                b.trustAnchors(TrustAnchors.fromFile(config.anchors().get()));
            } catch (IOException | RuntimeException e) {
                throw unknown(host + ": cannot read the trust anchors " + config.anchors().get() + " named in "
                        + config.source() + " (" + e.getMessage() + ")", e);
            }
        }
        return b.build();
    }

    private static UnknownHostException unknown(String message, Throwable cause) {
        UnknownHostException e = new UnknownHostException(message);
        e.initCause(cause);
        return e;
    }
}
