package dev.weft.storage.s3;

import dev.weft.storage.s3.credentials.Environment;
import dev.weft.storage.spi.StoreConfig;
import dev.weft.storage.testkit.S3ProxyExtension;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/** Configs and providers for stores pointed at a test's S3Proxy, with an environment that never reaches IMDS. */
final class TestStores {

    private TestStores() {
    }

    /** The properties of a path-style store at S3Proxy, without credentials. */
    static Map<String, String> properties(S3ProxyExtension s3, String bucket) {
        Map<String, String> p = new HashMap<>();
        p.put("bucket", bucket);
        p.put("endpoint", s3.endpoint().toString());
        p.put("region", s3.region());
        p.put("multipart.partSize", "5MiB");
        return p;
    }

    /** The same with S3Proxy's key pair as static credentials. */
    static StoreConfig withStaticKeys(S3ProxyExtension s3, String bucket) {
        Map<String, String> p = properties(s3, bucket);
        p.put("credentials.accessKey", s3.accessKey());
        p.put("credentials.secretKey", s3.secretKey());
        return StoreConfig.of("test", "s3", p);
    }

    /** An environment with only the given variables plus IMDS switched off. */
    static Environment env(Map<String, String> variables) {
        Map<String, String> all = new HashMap<>(variables);
        all.put("AWS_EC2_METADATA_DISABLED", "true");
        return Environment.of(all);
    }

    static S3ArtifactStoreProvider provider(Map<String, String> variables) {
        return new S3ArtifactStoreProvider(env(variables), Clock.systemUTC());
    }
}
