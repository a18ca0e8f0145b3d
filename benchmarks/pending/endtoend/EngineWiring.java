package dev.weft.benchmarks.endtoend;

import dev.weft.engine.Engine;
import dev.weft.engine.store.StorageSettings;

/**
 * How the benchmark builds an engine whose artifacts go to the configured repositories: through the engine's own
 * public wiring, so the run takes the real path (plugins folder, store providers, uploader, downloader).
 */
final class EngineWiring {

    private EngineWiring() {
    }

    /** The engine, with the process sandbox the machine offers and the storage settings' repositories. */
    static Engine engineWithStorage(Engine.Builder builder, StorageSettings storage) {
        // Until the engine's artifact wiring is merged there is no public way to hand it storage settings.
        throw new UnsupportedOperationException("this engine build cannot move artifacts yet (plugins "
                + storage.pluginsDir() + ")");
    }
}
