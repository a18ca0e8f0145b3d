package dev.weft.storage.minio;

import dev.weft.storage.minio.credentials.CredentialEnvironment;
import dev.weft.storage.spi.ArtifactStore;
import dev.weft.storage.spi.StoreConfig;
import dev.weft.storage.testkit.ArtifactStoreContract;
import dev.weft.storage.testkit.S3ProxyExtension;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The minio store against S3Proxy, with static keys, a small part size and parallel part uploads. */
class MinioArtifactStoreContractTest extends ArtifactStoreContract {

    @RegisterExtension
    static final S3ProxyExtension S3 = S3ProxyExtension.builder().build();

    @Override
    protected ArtifactStore createStore() {
        S3.createBucket("contract");
        StoreConfig config = StoreConfig.of("default", "minio", Map.of(
                "endpoint", S3.endpoint().toString(),
                "region", S3.region(),
                "bucket", "contract",
                "pathStyle", "true",
                "partSize", "5MiB",
                "uploadConcurrency", "3",
                "credentials.accessKey", S3.accessKey(),
                "credentials.secretKey", S3.secretKey()));
        return new MinioArtifactStoreProvider(CredentialEnvironment.of(Map.of("AWS_EC2_METADATA_DISABLED", "true")),
                Clock.systemUTC()).create(config);
    }

    @Override
    protected Collection<String> secrets() {
        return List.of(S3.secretKey());
    }
}
