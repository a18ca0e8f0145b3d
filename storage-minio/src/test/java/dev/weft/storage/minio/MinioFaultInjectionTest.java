package dev.weft.storage.minio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.storage.minio.credentials.CredentialEnvironment;
import dev.weft.storage.spi.ArtifactStore;
import dev.weft.storage.spi.StoreConfig;
import dev.weft.storage.testkit.FaultInjectingProxy;
import dev.weft.storage.testkit.FaultWorkload;
import dev.weft.storage.testkit.S3ProxyExtension;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The minio store through a proxy injecting 503 SlowDown, 500 InternalError, connection resets and mid-body stalls:
 * 30 seeded runs of a representative workload at 5% and at 20%. Every run succeeds or fails with a store error;
 * afterwards no multipart upload is open and no object is left, both checked on the server directly.
 */
class MinioFaultInjectionTest {

    @RegisterExtension
    static final S3ProxyExtension S3 = S3ProxyExtension.builder().onDisk().build();

    private static final String BUCKET = "faults";

    private ArtifactStore store(URI endpoint) {
        Map<String, String> p = new HashMap<>();
        p.put("endpoint", endpoint.toString());
        p.put("region", S3.region());
        p.put("bucket", BUCKET);
        p.put("pathStyle", "true");
        p.put("partSize", "5MiB");
        p.put("credentials.accessKey", S3.accessKey());
        p.put("credentials.secretKey", S3.secretKey());
        p.put("readTimeout", "500ms");
        p.put("connectTimeout", "2s");
        p.put("retry.baseDelay", "10ms");
        p.put("retry.maxDelay", "200ms");
        return new MinioArtifactStoreProvider(CredentialEnvironment.of(Map.of("AWS_EC2_METADATA_DISABLED", "true")),
                Clock.systemUTC()).create(StoreConfig.of("faults", "minio", p));
    }

    @Test
    void everyRunSucceedsOrFailsCleanlyAndNothingIsLeftBehind(@TempDir Path scratch) throws Exception {
        S3.createBucket(BUCKET);
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(S3.endpoint(), 1, 0, Duration.ofMillis(1500));
             ArtifactStore clean = store(S3.endpoint())) {
            FaultWorkload workload = new FaultWorkload(proxy, this::store, clean, scratch, 11L * 1024 * 1024);
            FaultWorkload.Outcome at5 = workload.run("five", 0.05, 5_000, 30);
            FaultWorkload.Outcome at20 = workload.run("twenty", 0.20, 20_000, 30);
            System.out.printf("minio plugin under faults: 5%%: %d/%d (%.0f%%), 20%%: %d/%d (%.0f%%); "
                            + "%d requests, injected %s%n", at5.succeeded(), at5.runs(), at5.percent(),
                    at20.succeeded(), at20.runs(), at20.percent(), proxy.requests(), proxy.injected());
            at5.failures().forEach(f -> System.out.println("  5% failure: " + f));
            at20.failures().forEach(f -> System.out.println("  20% failure: " + f));

            assertThat(S3.openMultipartUploads(BUCKET)).as("open multipart uploads").isZero();
            assertThat(S3.objectKeys(BUCKET)).as("objects left by failed operations").isEmpty();
            assertThat(at5.failures()).as("failures").allSatisfy(f -> assertThat(f)
                    .doesNotContain("NOT an ArtifactStoreException").contains("minio store 'faults'"));
            assertThat(at20.failures()).as("failures").allSatisfy(f -> assertThat(f)
                    .doesNotContain("NOT an ArtifactStoreException").contains("minio store 'faults'"));
            assertThat(proxy.injected().values().stream().mapToInt(Integer::intValue).sum())
                    .as("faults injected").isPositive();
        }
    }
}
