package dev.daneel.dane.internal;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A one-connection server trust manager around a check that may record what it concluded. With a
 * check that accepts everything it is {@link #insecureAcceptAny()}: used only where RFC 7672 §2.2
 * asks for TLS without authentication (TLSA records all unusable, or opportunistic TLS).
 */
public final class CapturingTrustManager<T> extends X509ExtendedTrustManager {

    /** The check. */
    public interface Check<T> {
        /** Returns what it concluded, or throws to refuse the chain. */
        T check(X509Certificate[] chain) throws CertificateException;
    }

    private final Check<T> check;
    private final AtomicReference<T> result = new AtomicReference<>();

    public CapturingTrustManager(Check<T> check) {
        this.check = check;
    }

    /** Encryption without authentication: accepts any server chain. */
    public static CapturingTrustManager<Void> insecureAcceptAny() {
        return new CapturingTrustManager<>(chain -> null);
    }

    /** What the check concluded in the last accepted handshake, or null. */
    public T result() {
        return result.get();
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
            throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the server presented no certificate");
        }
        result.set(check.check(chain));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
            throws CertificateException {
        throw new CertificateException("server authentication only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
