package dev.weft.engine.inject;

import java.util.List;

/**
 * What the engine closes at shut-down besides its own threads, in order. {@link StorageModule} contributes the
 * artifact repositories and then the plugin host (stores close before their plugins unload).
 *
 * @param resources the resources, in closing order
 */
record OwnedResources(List<AutoCloseable> resources) {

    OwnedResources {
        resources = List.copyOf(resources);
    }
}
