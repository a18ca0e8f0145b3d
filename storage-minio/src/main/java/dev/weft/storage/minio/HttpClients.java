package dev.weft.storage.minio;

import io.minio.Http;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;

/** Builds the store's own OkHttp client (TLS, timeouts, retries) and releases it. */
final class HttpClients {

    private HttpClients() {
    }

    /**
     * The base client: HTTP/1.1 (minio-java's own choice: HTTP/2 kept the JVM alive for minutes), the store's
     * timeouts and TLS settings, no interceptors. Clients derived with {@code newBuilder()} share its dispatcher and
     * connection pool, so {@link #release} frees them all.
     */
    static OkHttpClient base(MinioStoreSettings settings) {
        OkHttpClient.Builder builder = new OkHttpClient.Builder()
                .protocols(List.of(Protocol.HTTP_1_1))
                .connectTimeout(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(settings.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .writeTimeout(settings.readTimeout().toMillis(), TimeUnit.MILLISECONDS);
        boolean https = settings.endpoint().getScheme().equals("https");
        try {
            if (https && settings.insecureSkipVerify()) {
                X509TrustManager trustAll = new TrustAll();
                SSLContext tls = SSLContext.getInstance("TLS");
                tls.init(null, new TrustManager[] {trustAll}, new SecureRandom());
                builder.sslSocketFactory(tls.getSocketFactory(), trustAll).hostnameVerifier((host, session) -> true);
            } else if (https && settings.caFile().isPresent()) {
                X509TrustManager trust = withExtraCertificates(settings);
                SSLContext tls = SSLContext.getInstance("TLS");
                tls.init(null, new TrustManager[] {trust}, new SecureRandom());
                builder.sslSocketFactory(tls.getSocketFactory(), trust);
            }
        } catch (GeneralSecurityException | IOException e) {
            throw settings.config().invalid("cannot set up TLS" + settings.caFile().map(f -> " with caFile " + f)
                    .orElse("") + ": " + e.getMessage());
        }
        return builder.build();
    }

    /**
     * The client for S3 requests: the base client plus minio-java's retry of retryable statuses (408, 429, 5xx).
     * minio-java counts attempts, not retries: {@code maxRetries} retries are {@code maxRetries + 1} attempts.
     */
    static OkHttpClient forS3(OkHttpClient base, MinioStoreSettings settings) {
        return base.newBuilder()
                .addInterceptor(new Http.StatusRetryInterceptor(Http.RETRIABLE_STATUS_CODES, 100L,
                        settings.maxRetries() + 1))
                .build();
    }

    /**
     * Shuts the dispatcher's executor down and evicts pooled connections: without this a non-daemon OkHttp thread
     * keeps the JVM alive for about a minute after the engine is done.
     */
    static void release(OkHttpClient client) {
        client.dispatcher().cancelAll();
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }

    private static X509TrustManager withExtraCertificates(MinioStoreSettings settings)
            throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        Collection<? extends Certificate> extra;
        try (InputStream in = Files.newInputStream(settings.caFile().get())) {
            extra = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (extra.isEmpty()) {
            throw new CertificateException("no PEM certificate found");
        }
        int i = 0;
        for (Certificate cert : extra) {
            store.setCertificateEntry("weft-ca-" + i++, cert);
        }
        List<X509TrustManager> managers = new ArrayList<>();
        managers.add(trustManager(null));
        managers.add(trustManager(store));
        return new AnyOf(managers);
    }

    private static X509TrustManager trustManager(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager m : factory.getTrustManagers()) {
            if (m instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("no X509TrustManager available");
    }

    /** Trusts a server certificate that any of the managers trusts: the JDK's CAs or the caFile's. */
    private record AnyOf(List<X509TrustManager> managers) implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            managers.get(0).checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            CertificateException last = null;
            for (X509TrustManager m : managers) {
                try {
                    m.checkServerTrusted(chain, authType);
                    return;
                } catch (CertificateException e) {
                    last = e;
                }
            }
            throw last;
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return managers.stream().flatMap(m -> java.util.Arrays.stream(m.getAcceptedIssuers()))
                    .toArray(X509Certificate[]::new);
        }
    }

    /** {@code insecureSkipVerify=true}: accepts every certificate. Only ever used when the config asks for it. */
    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // insecureSkipVerify=true was asked for explicitly
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // insecureSkipVerify=true was asked for explicitly
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
