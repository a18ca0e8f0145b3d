package dev.weft.engine.plugin;

import java.nio.file.Path;
import java.util.List;

/**
 * A plugin JAR that loaded and started.
 *
 * @param id         its {@code Plugin-Id}
 * @param version    its {@code Plugin-Version}
 * @param requires   its {@code Plugin-Requires} range ("*" when it names none)
 * @param path       the JAR
 * @param storeTypes the store types its {@code ArtifactStoreProvider} extensions make
 */
public record LoadedPlugin(String id, String version, String requires, Path path, List<String> storeTypes) {

    /** Copies the list. */
    public LoadedPlugin {
        storeTypes = List.copyOf(storeTypes);
    }
}
