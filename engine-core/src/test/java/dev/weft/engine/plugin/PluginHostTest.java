package dev.weft.engine.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.engine.store.StoreProviders;
import dev.weft.storage.spi.ArtifactStore;
import dev.weft.storage.spi.ArtifactStoreException;
import dev.weft.storage.spi.ArtifactStoreProvider;
import dev.weft.storage.spi.StoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginHostTest {

    @TempDir
    Path dir;

    private StoreProviders providers(PluginHost host) {
        return StoreProviders.withBuiltIns(host);
    }

    @Test
    void aMissingPluginsFolderGivesAWorkingEngineWithTheFsStore() {
        try (PluginHost host = PluginHost.load(dir.resolve("does-not-exist"), "1.0.0")) {
            assertThat(host.plugins()).isEmpty();
            assertThat(host.failures()).isEmpty();
            StoreProviders providers = providers(host);
            assertThat(providers.types()).containsExactly("fs");
            try (ArtifactStore store = providers.create(StoreConfig.of("default", "fs",
                    Map.of("root", dir.resolve("artifacts").toString())))) {
                assertThat(store.describe().type()).isEqualTo("fs");
            }
        }
    }

    @Test
    void anEmptyPluginsFolderGivesTheFsStoreOnly() throws Exception {
        try (PluginHost host = PluginHost.load(Files.createDirectory(dir.resolve("plugins")), "1.0.0")) {
            assertThat(providers(host).types()).containsExactly("fs");
        }
    }

    @Test
    void aPluginProviderLoadsInItsOwnClassLoaderAndRunsWithItAsContext() throws Exception {
        Path plugins = Files.createDirectory(dir.resolve("plugins"));
        TestPluginJar.build(plugins, "probe-plugin", "probe", ">=1.0.0 & <2.0.0");
        try (PluginHost host = PluginHost.load(plugins, "1.0.0")) {
            assertThat(host.failures()).isEmpty();
            assertThat(host.plugins()).singleElement().satisfies(p -> {
                assertThat(p.id()).isEqualTo("probe-plugin");
                assertThat(p.version()).isEqualTo("1.2.3");
                assertThat(p.storeTypes()).containsExactly("probe");
            });
            PluginExtension<ArtifactStoreProvider> extension =
                    host.extensions(ArtifactStoreProvider.class).get(0);
            ClassLoader pluginLoader = extension.extension().getClass().getClassLoader();
            assertThat(pluginLoader).isInstanceOf(SharedPackagesClassLoader.class)
                    .isNotSameAs(getClass().getClassLoader());
            // The SPI type is the host's own: otherwise the cast to ArtifactStoreProvider above would have failed.
            assertThat(pluginLoader.loadClass(ArtifactStoreProvider.class.getName()))
                    .isSameAs(ArtifactStoreProvider.class);

            StoreProviders providers = providers(host);
            assertThat(providers.types()).containsExactly("fs", "probe");
            assertThat(providers.origins()).containsEntry("probe", "plugin probe-plugin");
            try (ArtifactStore store = providers.create(StoreConfig.of("p", "probe"))) {
                assertThat(store.describe().attributes())
                        .containsEntry("contextIsPluginAtCreate", "true")
                        .containsEntry("contextIsPluginNow", "true");
                assertThat(Thread.currentThread().getContextClassLoader()).isNotSameAs(pluginLoader);
            }
        }
    }

    @Test
    void aCorruptJarIsReportedByNameAndSkippedWhileOthersLoad() throws Exception {
        Path plugins = Files.createDirectory(dir.resolve("plugins"));
        Files.write(plugins.resolve("broken.jar"), new byte[] {'P', 'K', 3, 4, 1, 2, 3, 4, 5});
        Files.writeString(plugins.resolve("not-a-plugin.jar"), "");
        TestPluginJar.build(plugins, "probe-plugin", "probe", ">=1.0.0");
        try (PluginHost host = PluginHost.load(plugins, "1.0.0")) {
            assertThat(host.plugins()).extracting(LoadedPlugin::id).containsExactly("probe-plugin");
            assertThat(host.failures()).extracting(f -> f.path().getFileName().toString())
                    .containsExactlyInAnyOrder("broken.jar", "not-a-plugin.jar");
            assertThat(host.failures()).allSatisfy(f -> assertThat(f.reason()).contains("not a readable JAR"));
        }
    }

    @Test
    void aJarWithoutPluginIdOrIndexIsExplained() throws Exception {
        Path plugins = Files.createDirectory(dir.resolve("plugins"));
        Path built = TestPluginJar.build(dir, "probe-plugin", "probe", ">=1.0.0");
        // Repack the same classes without extensions.idx, as a build without the annotation processor would.
        Path noIndex = plugins.resolve("no-index.jar");
        try (var in = new java.util.jar.JarFile(built.toFile());
             var out = new java.util.jar.JarOutputStream(Files.newOutputStream(noIndex), in.getManifest())) {
            for (var entry : java.util.Collections.list(in.entries())) {
                if (!entry.getName().equals("META-INF/extensions.idx") && !entry.getName().startsWith("META-INF/MANIFEST")) {
                    out.putNextEntry(new java.util.jar.JarEntry(entry.getName()));
                    in.getInputStream(entry).transferTo(out);
                    out.closeEntry();
                }
            }
        }
        try (PluginHost host = PluginHost.load(plugins, "1.0.0")) {
            assertThat(host.plugins()).isEmpty();
            assertThat(host.failures()).singleElement()
                    .satisfies(f -> assertThat(f.reason()).contains("no META-INF/extensions.idx"));
        }
    }

    @Test
    void aPluginRequiringAnotherWeftVersionIsReportedAndContributesNothing() throws Exception {
        Path plugins = Files.createDirectory(dir.resolve("plugins"));
        TestPluginJar.build(plugins, "future-plugin", "future", ">=9.0.0");
        try (PluginHost host = PluginHost.load(plugins, "1.0.0")) {
            assertThat(host.plugins()).isEmpty();
            assertThat(host.failures()).singleElement().satisfies(f -> {
                assertThat(f.path().getFileName().toString()).isEqualTo("future-plugin.jar");
                assertThat(f.reason()).contains("requires Weft >=9.0.0").contains("this is Weft 1.0.0");
            });
            assertThat(providers(host).types()).containsExactly("fs");
        }
    }

    @Test
    void anUnknownStoreTypeNamesTheKnownTypesAndThePluginsFolder() {
        Path plugins = dir.resolve("plugins");
        try (PluginHost host = PluginHost.load(plugins, "1.0.0")) {
            assertThatThrownBy(() -> providers(host).create(StoreConfig.of("default", "s3")))
                    .isInstanceOfSatisfying(ArtifactStoreException.class,
                            e -> assertThat(e.kind()).isEqualTo(ArtifactStoreException.Kind.INVALID_CONFIG))
                    .hasMessageContaining("unknown store type 's3'")
                    .hasMessageContaining("known types: fs")
                    .hasMessageContaining(plugins.toAbsolutePath().toString());
        }
    }
}
