package dev.daneel.dane.clients;

import dev.daneel.dane.DaneTrustManager;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.io.entity.EntityUtils;

/**
 * {@link DaneTrustManager} behind Apache HttpClient 5's classic client (its TLS strategy takes the
 * SSLContext).
 */
class ApacheHttpClientDaneTest extends DaneClientScenarios {

    @Override
    String fetch(DaneTrustManager dane, String host, int port) throws Exception {
        try (CloseableHttpClient client =
                HttpClients.custom()
                        .setConnectionManager(
                                PoolingHttpClientConnectionManagerBuilder.create()
                                        .setTlsSocketStrategy(
                                                new DefaultClientTlsStrategy(dane.sslContext()))
                                        .build())
                        .build()) {
            return client.execute(
                    new HttpGet("https://" + host + ":" + port + "/"),
                    response -> EntityUtils.toString(response.getEntity()));
        }
    }
}
