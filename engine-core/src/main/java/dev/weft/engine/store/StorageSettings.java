package dev.weft.engine.store;

import dev.weft.storage.spi.StoreConfig;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where plugins come from and which artifact repositories exist.
 *
 * @param pluginsDir   the plugins folder (default {@value #DEFAULT_PLUGINS_DIR}); may be missing or empty
 * @param repositories repository configs by name; {@code default} is added as an {@code fs} store when absent
 */
public record StorageSettings(Path pluginsDir, Map<String, StoreConfig> repositories) {

    /** The plugins folder when none is configured, relative to the working directory. */
    public static final String DEFAULT_PLUGINS_DIR = "plugins";

    /** Adds the default fs repository when none is configured, and copies the map. */
    public StorageSettings {
        Objects.requireNonNull(pluginsDir, "pluginsDir");
        Map<String, StoreConfig> copy = new LinkedHashMap<>(repositories);
        copy.putIfAbsent(ArtifactRepositories.DEFAULT,
                StoreConfig.of(ArtifactRepositories.DEFAULT, FileSystemArtifactStoreProvider.TYPE));
        repositories = Collections.unmodifiableMap(copy);
    }

    /** The embedded defaults: plugins from {@code ./plugins}, artifacts in an fs store under {@code .weft/}. */
    public static StorageSettings defaults() {
        return new StorageSettings(Path.of(DEFAULT_PLUGINS_DIR), Map.of());
    }

    /** These settings with another default repository. */
    public StorageSettings withDefaultRepository(StoreConfig config) {
        Map<String, StoreConfig> copy = new LinkedHashMap<>(repositories);
        copy.put(ArtifactRepositories.DEFAULT, config);
        return new StorageSettings(pluginsDir, copy);
    }

    /** These settings with another plugins folder. */
    public StorageSettings withPluginsDir(Path dir) {
        return new StorageSettings(dir, repositories);
    }
}
