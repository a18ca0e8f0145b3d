package dev.weft.storage.s3;

import dev.weft.storage.spi.ArtifactStoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpConfigurationOption;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.utils.AttributeMap;

/**
 * Builds the store's Apache HTTP client: pool size and timeouts from the settings, and TLS trust from a custom CA
 * file or, only when asked, no verification at all. The client is passed explicitly to the S3 client rather than
 * found through ServiceLoader, which is unreliable inside a plugin class loader.
 */
final class S3HttpClients {

    private S3HttpClients() {
    }

    static SdkHttpClient build(S3StoreSettings settings) {
        ApacheHttpClient.Builder builder = ApacheHttpClient.builder()
                .maxConnections(settings.maxConnections())
                .connectionTimeout(settings.connectionTimeout())
                .socketTimeout(settings.socketTimeout())
                .connectionAcquisitionTimeout(settings.acquisitionTimeout());
        if (settings.caFile().isPresent()) {
            TrustManager[] trust = trustManagers(settings, settings.caFile().get());
            builder.tlsTrustManagersProvider(() -> trust);
        }
        if (settings.trustAllCertificates()) {
            return builder.buildWithDefaults(AttributeMap.builder()
                    .put(SdkHttpConfigurationOption.TRUST_ALL_CERTIFICATES, Boolean.TRUE).build());
        }
        return builder.build();
    }

    private static TrustManager[] trustManagers(S3StoreSettings settings, Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(in);
            if (certificates.isEmpty()) {
                throw settings.config().invalid("property 'caFile' = " + caFile + " holds no PEM certificate");
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("weft-ca-" + i++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory.getTrustManagers();
        } catch (IOException | GeneralSecurityException e) {
            throw new ArtifactStoreException(ArtifactStoreException.Kind.INVALID_CONFIG, "store '"
                    + settings.config().name() + "' (type s3): property 'caFile' = " + caFile
                    + " is not a PEM certificate file: " + e.getMessage(), e);
        }
    }
}
