package dev.daneel.dane.clients;

import dev.daneel.dane.DaneTrustManager;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/** {@link DaneTrustManager} as OkHttp's trust manager (the JDK's resolver finds the test names). */
class OkHttpDaneTest extends DaneClientScenarios {

    @Override
    String fetch(DaneTrustManager dane, String host, int port) throws Exception {
        OkHttpClient client =
                new OkHttpClient.Builder()
                        .sslSocketFactory(dane.sslContext().getSocketFactory(), dane)
                        .retryOnConnectionFailure(false)
                        .build();
        try (Response r =
                client.newCall(
                                new Request.Builder()
                                        .url("https://" + host + ":" + port + "/")
                                        .build())
                        .execute()) {
            return r.body().string();
        } finally {
            client.connectionPool().evictAll();
            client.dispatcher().executorService().shutdown();
        }
    }
}
