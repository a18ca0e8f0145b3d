package dev.weft.storage.minio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.storage.minio.credentials.CredentialEnvironment;
import dev.weft.storage.spi.ArtifactKey;
import dev.weft.storage.spi.ArtifactStore;
import dev.weft.storage.spi.ArtifactStoreException;
import dev.weft.storage.spi.ArtifactStoreException.Kind;
import dev.weft.storage.spi.StoreConfig;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import dev.weft.storage.testkit.SelfSignedHttpsServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * TLS trust against a loopback https server with a self-signed certificate (made with the JDK's keytool): refused by
 * default, trusted through {@code caFile}, reached without verification only with {@code insecureSkipVerify}. The
 * server answers 404 to everything, so a {@code stat} that returns empty proves the handshake worked.
 */
class MinioTlsTest {

    @RegisterExtension
    static final SelfSignedHttpsServer HTTPS = new SelfSignedHttpsServer();


    @Test
    void anUntrustedCertificateIsRefusedWithAHint() {
        int before = HTTPS.requests();
        try (ArtifactStore store = store(Map.of())) {
            assertThatThrownBy(() -> store.stat(ArtifactKey.of("k")))
                    .isInstanceOfSatisfying(ArtifactStoreException.class,
                            e -> assertThat(e.kind()).isEqualTo(Kind.FAILED))
                    .hasMessageContaining("TLS with the endpoint failed").hasMessageContaining("set caFile");
        }
        assertThat(HTTPS.requests()).isEqualTo(before);
    }

    @Test
    void aCaFileMakesTheServerTrusted() {
        int before = HTTPS.requests();
        try (ArtifactStore store = store(Map.of("caFile", HTTPS.caPem().toString()))) {
            assertThat(store.stat(ArtifactKey.of("k"))).isEmpty();
        }
        assertThat(HTTPS.requests()).isGreaterThan(before);
    }

    @Test
    void insecureSkipVerifyReachesTheServerWithoutTrust() {
        int before = HTTPS.requests();
        try (ArtifactStore store = store(Map.of("insecureSkipVerify", "true"))) {
            assertThat(store.stat(ArtifactKey.of("k"))).isEmpty();
            assertThat(store.describe().attributes()).containsEntry("insecureSkipVerify", "true");
        }
        assertThat(HTTPS.requests()).isGreaterThan(before);
    }

    private static ArtifactStore store(Map<String, String> extra) {
        Map<String, String> props = new HashMap<>(Map.of("bucket", "tls-bucket",
                "endpoint", HTTPS.endpoint().toString(), "pathStyle", "true",
                "maxRetries", "0", "credentials.accessKey", "AKIDTLS", "credentials.secretKey", "tls-secret"));
        props.putAll(extra);
        return new MinioArtifactStoreProvider(CredentialEnvironment.of(Map.of("AWS_EC2_METADATA_DISABLED", "true")),
                Clock.systemUTC()).create(StoreConfig.of("tls", "minio", props));
    }

}
