package dev.daneel.inet;

import dev.daneel.inet.internal.ConfigLocation;
import dev.daneel.inet.internal.ValidatedInetResolver;
import java.net.InetAddress;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;

/**
 * Makes the JVM resolve host names through Daneel's validating resolver: every client that resolves
 * through {@link InetAddress} ({@code HttpClient}, {@code URL}, {@code Socket}, JDBC drivers…) gets
 * DNSSEC-validated addresses by adding this jar, with no code change.
 *
 * <p>The JDK finds the provider through {@code META-INF/services} on the class path, or the
 * {@code provides} clause of module {@code dev.daneel.inet} on the module path, and loads it once per
 * JVM, at the first lookup of any name (JEP 418).
 *
 * <h2>What a lookup returns</h2>
 * <ul>
 *   <li>Secure and Insecure answers: their A and AAAA addresses (as the JDK's
 *       {@link InetAddressResolver.LookupPolicy} asks: IPv4, IPv6, which first).</li>
 *   <li>Bogus: {@link java.net.UnknownHostException} whose message gives the reason and the record that
 *       failed, e.g. {@code www.forged.test: DNSSEC validation failed for A (Bogus, DNSSEC_BOGUS): …}.</li>
 *   <li>A name at or below a {@code require-secure} domain whose answer is not Secure (Insecure or
 *       Indeterminate): {@code UnknownHostException} naming the domain and the configuration file.</li>
 *   <li>A name that does not exist, has no address, or could not be resolved (network failure):
 *       {@code UnknownHostException} with the rcode or the failure.</li>
 *   <li>Reverse lookups ({@link InetAddress#getHostName()}): the first PTR target of the
 *       {@code in-addr.arpa}/{@code ip6.arpa} name, under the same rules.</li>
 * </ul>
 *
 * <h2>Configuration</h2>
 * <p>A properties file, named by the system property {@code daneel.inet.config} or, when that is not
 * set, the environment variable {@code DANEEL_INET_CONFIG}. There are no silent defaults: without a
 * file, every lookup fails with an {@code UnknownHostException} that says how to configure it. The file
 * is read at the first lookup that finds it (so an application may write it after start-up, before its
 * first lookup) and kept for the life of the JVM; an invalid file fails every lookup with the file,
 * key and what was expected, until a valid one is found.
 *
 * <pre>
 * # /etc/daneel/inet.properties
 * upstream = 127.0.0.1:53, [::1]:53          # required: recursive resolvers, IP literals, port 53 if omitted
 * anchors = root.key                         # optional: DS/DNSKEY lines or root-anchors.xml (relative to this file);
 *                                            #   default: the built-in IANA root anchors
 * require-secure = corp.example, bank.example # optional: names at or below these must be Secure
 * builtin = localhost                        # optional: answered by the JDK's own resolver (hosts file, system),
 *                                            #   unvalidated; default: localhost; "builtin =" sends every name to Daneel
 * timeout = 2                                # optional: seconds per upstream attempt (0.01 to 60; default 2)
 * </pre>
 *
 * <pre>
 * java -Ddaneel.inet.config=/etc/daneel/inet.properties -cp app.jar:daneel-inet.jar:… com.example.App
 * </pre>
 *
 * <p>Upstreams must be IP addresses: a name there would have to be resolved by this resolver itself.
 * Unknown keys are errors (a misspelt {@code require-secure} must not silently protect nothing).
 * Requires Java 21 or newer: the SPI is Java 18+, and the jar is built for Java 21.
 * {@link InetAddress#getLocalHost()} looks up the machine's own name like any other; if that name is only
 * in the hosts file, add it to {@code builtin}.
 */
public final class DaneelInetResolverProvider extends InetAddressResolverProvider {

    /** Called by the JDK's service loader. */
    public DaneelInetResolverProvider() {
    }

    @Override
    public InetAddressResolver get(Configuration configuration) {
        return new ValidatedInetResolver(configuration.builtinResolver(), ConfigLocation::fromSystem);
    }

    @Override
    public String name() {
        return "Daneel validating resolver";
    }
}
