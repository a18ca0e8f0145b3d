package dev.weft.examples.embedding;

import dev.weft.engine.Engine;
import dev.weft.engine.store.StorageSettings;
import dev.weft.storage.spi.StoreConfig;
import java.nio.file.Path;
import java.util.Map;

/** Embedding example 4: the S3 plugin as the default artifact store, with credentials from EKS Pod Identity. */
public final class S3WithPodIdentity {

    private S3WithPodIdentity() {
    }

    /**
     * An engine whose artifacts go to an S3 bucket through the {@code s3} plugin in {@code pluginsDir}. No keys: on
     * EKS the pod's environment has {@code AWS_CONTAINER_CREDENTIALS_FULL_URI} and
     * {@code AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE}, and the chain's {@code pod-identity} step uses them.
     */
    public static Engine engine(Path pluginsDir, String endpoint, String bucket, String region) {
        // begin:s3-pod-identity
        StoreConfig s3 = StoreConfig.of("default", "s3", Map.of(
                "endpoint", endpoint,                 // omit for AWS S3 itself
                "bucket", bucket,
                "region", region,
                "pathStyle", "true",
                "credentials.chain", "pod-identity"   // or leave the default chain, which includes it
        ));
        return Engine.builder()
                .storage(StorageSettings.defaults().withPluginsDir(pluginsDir).withDefaultRepository(s3))
                .probeSandbox()
                .build();
        // end:s3-pod-identity
    }
}
