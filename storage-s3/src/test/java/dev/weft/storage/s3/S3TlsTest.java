package dev.weft.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.storage.spi.ArtifactKey;
import dev.weft.storage.spi.ArtifactStore;
import dev.weft.storage.spi.ArtifactStoreException;
import dev.weft.storage.spi.ArtifactStoreException.Kind;
import dev.weft.storage.spi.StoreConfig;
import java.util.Map;
import dev.weft.storage.testkit.SelfSignedHttpsServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * TLS trust: a loopback https server with a self-signed certificate (made by the JDK's keytool) is refused by
 * default, trusted through {@code caFile}, and reached without verification only with {@code insecureSkipVerify}.
 * The server answers every request with 404, which is enough to prove the handshake succeeded.
 */
class S3TlsTest {

    @RegisterExtension
    static final SelfSignedHttpsServer HTTPS = new SelfSignedHttpsServer();



    private static ArtifactStore store(String... extra) {
        StoreConfig config = StoreConfig.of("tls", "s3", Map.of("bucket", "b",
                "endpoint", HTTPS.endpoint().toString(), "region", "us-east-1",
                "retry.maxAttempts", "1", "credentials.accessKey", "AKIDTLS", "credentials.secretKey", "tls-secret"));
        for (int i = 0; i < extra.length; i += 2) {
            config = config.with(extra[i], extra[i + 1]);
        }
        return TestStores.provider(Map.of()).create(config);
    }

    @Test
    void anUntrustedCertificateIsRefusedWithAHint() {
        try (ArtifactStore store = store()) {
            assertThatThrownBy(() -> store.stat(ArtifactKey.of("k")))
                    .hasMessageContaining("TLS with the endpoint failed")
                    .hasMessageContaining("set caFile")
                    .satisfies(e -> assertThat(((ArtifactStoreException) e).kind()).isEqualTo(Kind.FAILED));
        }
    }

    @Test
    void aCaFileMakesTheServerTrusted() {
        int before = HTTPS.requests();
        try (ArtifactStore store = store("caFile", HTTPS.caPem().toString())) {
            assertThat(store.stat(ArtifactKey.of("k"))).isEmpty();
        }
        assertThat(HTTPS.requests()).isGreaterThan(before);
    }

    @Test
    void insecureSkipVerifyReachesTheServerWithoutTrust() {
        int before = HTTPS.requests();
        try (ArtifactStore store = store("insecureSkipVerify", "true")) {
            assertThat(store.stat(ArtifactKey.of("k"))).isEmpty();
        }
        assertThat(HTTPS.requests()).isGreaterThan(before);
    }
}
