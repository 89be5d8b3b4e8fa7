/**
 * DANE (RFC 6698, 7671, 7672, 7673): TLSA lookup, certificate matching, record creation, a JSSE
 * trust manager and SMTP DANE.
 *
 * <ul>
 *   <li>{@link dev.daneel.dane.DaneVerifier} matches a chain against TLSA records ({@link
 *       dev.daneel.dane.DaneResult}).
 *   <li>{@link dev.daneel.dane.TlsaLookup} finds Secure TLSA records, following CNAMEs and SRV
 *       ({@link dev.daneel.dane.TlsaAnswer}, {@link dev.daneel.dane.SrvAnswer}).
 *   <li>{@link dev.daneel.dane.TlsaRecords} creates records and zone-file lines.
 *   <li>{@link dev.daneel.dane.DaneTrustManager} plugs DANE into any {@code SSLContext} and {@code
 *       HttpClient}.
 *   <li>{@link dev.daneel.dane.SmtpDane} authenticates outbound SMTP per RFC 7672.
 * </ul>
 *
 * <pre>{@code
 * DaneTrustManager dane = DaneTrustManager.builder(resolver).build();
 * HttpClient client = HttpClient.newBuilder().sslContext(dane.sslContext()).build();
 * }</pre>
 */
package dev.daneel.dane;
