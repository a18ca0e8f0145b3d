package dev.weft.benchmarks.endtoend;

import dev.weft.engine.Engine;
import dev.weft.engine.store.StorageSettings;

/**
 * How the benchmark builds an engine whose artifacts go to the configured repositories: through the engine's own
 * public wiring ({@link Engine.Builder#storage}), so the run takes the real path (plugins folder, store providers,
 * repository stager, uploader, downloader) and the process sandbox the machine's probe picks.
 */
final class EngineWiring {

    private EngineWiring() {
    }

    /** The engine, with the best process sandbox the machine offers and the storage settings' repositories. */
    static Engine engineWithStorage(Engine.Builder builder, StorageSettings storage) {
        return builder.probeSandbox().storage(storage).build();
    }
}
