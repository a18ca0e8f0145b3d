package dev.weft.engine.store;

import dev.weft.storage.spi.ArtifactStore;
import dev.weft.storage.testkit.ArtifactStoreContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

class FileSystemArtifactStoreContractTest extends ArtifactStoreContract {

    @Override
    protected ArtifactStore createStore() {
        try {
            return new FileSystemArtifactStore("default", Files.createTempDirectory("weft-fs-contract"), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
