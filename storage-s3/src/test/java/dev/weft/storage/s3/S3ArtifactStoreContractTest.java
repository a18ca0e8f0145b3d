package dev.weft.storage.s3;

import dev.weft.storage.spi.ArtifactStore;
import dev.weft.storage.testkit.ArtifactStoreContract;
import dev.weft.storage.testkit.S3ProxyExtension;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The S3 store against S3Proxy passes the storage contract, multipart paths included (5 MiB parts). */
class S3ArtifactStoreContractTest extends ArtifactStoreContract {

    @RegisterExtension
    static final S3ProxyExtension S3 = S3ProxyExtension.builder().build();

    @Override
    protected ArtifactStore createStore() {
        return TestStores.provider(Map.of()).create(TestStores.withStaticKeys(S3, S3.createBucket("contract")));
    }

    @Override
    protected Collection<String> secrets() {
        return List.of(S3.secretKey());
    }
}
