package dev.weft.engine.store;

import dev.weft.storage.spi.ArtifactStore;
import dev.weft.storage.spi.ArtifactStoreProvider;
import dev.weft.storage.spi.StoreConfig;
import java.nio.file.Path;

/**
 * Makes {@code fs} stores: the embedded default, built into the engine so it works with an empty plugins folder.
 *
 * <p>Properties: {@code root} (default {@value #DEFAULT_ROOT}, relative to the working directory) and {@code sync}
 * (default true: force each file to disk before it becomes visible).
 */
public final class FileSystemArtifactStoreProvider implements ArtifactStoreProvider {

    /** The store type. */
    public static final String TYPE = "fs";
    /** Where artifacts go when no root is configured. */
    public static final String DEFAULT_ROOT = ".weft/artifacts";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public ArtifactStore create(StoreConfig config) {
        Path root = config.getPath("root").orElse(Path.of(DEFAULT_ROOT));
        return new FileSystemArtifactStore(config.name(), root, config.getBoolean("sync", true));
    }
}
