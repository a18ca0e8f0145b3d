package dev.weft.storage.minio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.storage.spi.ArtifactKey;
import dev.weft.storage.spi.ArtifactStore;
import dev.weft.storage.spi.ArtifactStoreProvider;
import dev.weft.storage.spi.StoreConfig;
import dev.weft.storage.testkit.S3ProxyExtension;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.JarPluginManager;
import org.pf4j.PluginManager;

/**
 * The plugin JAR as an operator gets it. Runs in the {@code package} phase, after shading (surefire execution
 * {@code plugin-jar} in this module's pom), so {@code mvn verify} checks the real artifact.
 */
@Tag("plugin-jar")
class PluginJarTest {

    @RegisterExtension
    static final S3ProxyExtension S3 = S3ProxyExtension.builder().build();

    @TempDir
    Path pluginsDir;

    private static Path pluginJar() {
        Path jar = Path.of("target", "weft-storage-minio-1.0.0-SNAPSHOT-plugin.jar");
        assertThat(jar).as("the shaded plugin JAR (run in the package phase)").exists();
        return jar;
    }

    @Test
    void theJarListsTheProviderBundlesTheSdkAndNothingTheHostShares() throws IOException {
        try (JarFile jar = new JarFile(pluginJar().toFile())) {
            Attributes manifest = jar.getManifest().getMainAttributes();
            assertThat(manifest.getValue("Plugin-Id")).isEqualTo("weft-storage-minio");
            assertThat(manifest.getValue("Plugin-Version")).isEqualTo("1.0.0-SNAPSHOT");
            assertThat(manifest.getValue("Plugin-Requires")).isEqualTo(">=1.0.0 & <2.0.0");

            JarEntry idx = jar.getJarEntry("META-INF/extensions.idx");
            assertThat(idx).as("META-INF/extensions.idx").isNotNull();
            try (InputStream in = jar.getInputStream(idx)) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                        .contains(MinioArtifactStoreProvider.class.getName());
            }
            List<String> names = jar.stream().map(JarEntry::getName).toList();
            assertThat(names).contains("io/minio/credentials/IamAwsProvider.class", "okhttp3/OkHttpClient.class",
                    "dev/weft/storage/minio/credentials/CredentialChain.class");
            assertThat(names).noneMatch(n -> n.matches("META-INF/[^/]*\\.(SF|RSA|DSA|EC)"))
                    .noneMatch(n -> n.startsWith("dev/weft/storage/spi/"))
                    .noneMatch(n -> n.startsWith("org/pf4j/"))
                    .noneMatch(n -> n.startsWith("org/slf4j/"))
                    .noneMatch(n -> n.startsWith("org/bouncycastle/"))
                    .noneMatch(n -> n.startsWith("org/apache/commons/codec/"));
        }
    }

    @Test
    void pf4jLoadsTheProviderFromItsOwnClassLoaderAndTheStoreWorks() throws Exception {
        Files.copy(pluginJar(), pluginsDir.resolve("weft-storage-minio.jar"), StandardCopyOption.REPLACE_EXISTING);
        PluginManager plugins = new JarPluginManager(pluginsDir);
        plugins.setSystemVersion("1.0.0");
        plugins.loadPlugins();
        plugins.startPlugins();
        try {
            // (getExtensions(type) would also list this module's own classes, which are on the test class path.)
            List<ArtifactStoreProvider> providers =
                    plugins.getExtensions(ArtifactStoreProvider.class, "weft-storage-minio");
            assertThat(providers).extracting(ArtifactStoreProvider::type).containsExactly("minio");
            ArtifactStoreProvider provider = providers.get(0);
            ClassLoader pluginLoader = plugins.getPluginClassLoader("weft-storage-minio");
            assertThat(provider.getClass().getClassLoader()).isSameAs(pluginLoader);
            assertThat(pluginLoader.loadClass("io.minio.MinioClient").getClassLoader()).isSameAs(pluginLoader);
            assertThat(pluginLoader.loadClass(StoreConfig.class.getName())).isSameAs(StoreConfig.class);

            S3.createBucket("plugin-jar");
            try (ArtifactStore store = provider.create(StoreConfig.of("default", "minio", Map.of(
                    "endpoint", S3.endpoint().toString(), "bucket", "plugin-jar", "pathStyle", "true",
                    "credentials.chain", "static",
                    "credentials.accessKey", S3.accessKey(), "credentials.secretKey", S3.secretKey())))) {
                store.put(ArtifactKey.of("from/plugin.txt"),
                        new ByteArrayInputStream("via pf4j".getBytes(StandardCharsets.UTF_8)), 8);
                try (InputStream in = store.open(ArtifactKey.of("from/plugin.txt"))) {
                    assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("via pf4j");
                }
            }
        } finally {
            plugins.unloadPlugins();
        }
    }
}
