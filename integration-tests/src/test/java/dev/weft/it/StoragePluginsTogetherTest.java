package dev.weft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.engine.WeftVersion;
import dev.weft.engine.plugin.LoadedPlugin;
import dev.weft.engine.plugin.PluginExtension;
import dev.weft.engine.plugin.PluginHost;
import dev.weft.engine.store.StoreProviders;
import dev.weft.storage.spi.ArtifactKey;
import dev.weft.storage.spi.ArtifactStore;
import dev.weft.storage.spi.ArtifactStoreProvider;
import dev.weft.storage.spi.StoreConfig;
import dev.weft.storage.testkit.S3ProxyExtension;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The foundation's promise: the two storage plugins, as built by the reactor, load from a plugins folder into one JVM,
 * each with its own SDK in its own class loader, and both work against a real S3 server at the same time.
 */
class StoragePluginsTogetherTest {

    @RegisterExtension
    static final S3ProxyExtension S3 = S3ProxyExtension.builder().build();

    @TempDir
    Path dir;

    private StoreConfig config(String type) {
        return StoreConfig.of("default", type, Map.of(
                "endpoint", S3.endpoint().toString(),
                "region", S3.region(),
                "bucket", S3.createBucket("together"),
                "pathStyle", "true",
                "credentials.chain", "static",
                "credentials.accessKey", S3.accessKey(),
                "credentials.secretKey", S3.secretKey()));
    }

    @Test
    void bothPluginsLoadEachWithItsOwnSdkAndWorkInTheSameJvm() throws Exception {
        Path plugins = PluginJars.folderWith(dir, PluginJars.s3(), PluginJars.minio());
        try (LogCapture logs = new LogCapture();
             PluginHost host = PluginHost.load(plugins, WeftVersion.forPluginChecks())) {
            assertThat(host.failures()).isEmpty();
            assertThat(host.plugins()).extracting(LoadedPlugin::id)
                    .containsExactlyInAnyOrder("weft-storage-s3", "weft-storage-minio");

            ClassLoader s3Loader = loaderOf(host, "s3");
            ClassLoader minioLoader = loaderOf(host, "minio");
            ClassLoader app = getClass().getClassLoader();
            assertThat(s3Loader).isNotSameAs(app).isNotSameAs(minioLoader);

            // The AWS SDK is also on this test's class path (S3Proxy uses it): the plugin still uses its own copy.
            Class<?> pluginS3Client = s3Loader.loadClass("software.amazon.awssdk.services.s3.S3Client");
            assertThat(pluginS3Client.getClassLoader()).isSameAs(s3Loader);
            assertThat(pluginS3Client).isNotSameAs(app.loadClass("software.amazon.awssdk.services.s3.S3Client"));
            // minio-java and OkHttp exist only inside the MinIO plugin.
            assertThat(minioLoader.loadClass("io.minio.MinioClient").getClassLoader()).isSameAs(minioLoader);
            assertThat(minioLoader.loadClass("okhttp3.OkHttpClient").getClassLoader()).isSameAs(minioLoader);
            assertThatThrownBy(() -> app.loadClass("io.minio.MinioClient")).isInstanceOf(ClassNotFoundException.class);

            StoreProviders providers = StoreProviders.withBuiltIns(host);
            assertThat(providers.types()).containsExactly("fs", "minio", "s3");
            try (ArtifactStore s3 = providers.create(config("s3"));
                 ArtifactStore minio = providers.create(config("minio"))) {
                put(s3, "from-s3.txt", "written by the s3 plugin");
                put(minio, "from-minio.txt", "written by the minio plugin");
                // Same bucket, two SDKs: each reads what the other wrote.
                assertThat(read(minio, "from-s3.txt")).isEqualTo("written by the s3 plugin");
                assertThat(read(s3, "from-minio.txt")).isEqualTo("written by the minio plugin");
                assertThat(s3.describe().toString()).doesNotContain(S3.secretKey());
                assertThat(minio.describe().toString()).doesNotContain(S3.secretKey());
            }
            assertThat(logs.lines()).isNotEmpty().noneMatch(line -> line.contains(S3.secretKey()));
        }
    }

    private static ClassLoader loaderOf(PluginHost host, String type) {
        return host.extensions(ArtifactStoreProvider.class).stream()
                .filter(e -> e.extension().type().equals(type))
                .map(PluginExtension::classLoader)
                .findFirst().orElseThrow();
    }

    private static void put(ArtifactStore store, String key, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        store.put(ArtifactKey.of(key), new ByteArrayInputStream(bytes), bytes.length);
    }

    private static String read(ArtifactStore store, String key) throws IOException {
        try (InputStream in = store.open(ArtifactKey.of(key))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
