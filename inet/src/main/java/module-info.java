/**
 * The JVM's own host name lookups, validated: an {@link java.net.spi.InetAddressResolverProvider} that
 * answers {@code InetAddress} lookups through Daneel's validating resolver. See
 * {@link dev.daneel.inet.DaneelInetResolverProvider} for its configuration.
 */
module dev.daneel.inet {
    requires dev.daneel.validator;

    exports dev.daneel.inet;

    provides java.net.spi.InetAddressResolverProvider with dev.daneel.inet.DaneelInetResolverProvider;
}
