package dev.weft.benchmarks.stores;

import dev.weft.storage.spi.ArtifactKey;
import dev.weft.storage.spi.ArtifactStore;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;

/** A Weft {@link ArtifactStore} (built-in or from a plugin JAR) driven through its public SPI. */
final class WeftStoreClient implements ObjectClient {

    private final ArtifactStore store;

    WeftStoreClient(ArtifactStore store) {
        this.store = store;
    }

    @Override
    public void putFile(String key, Path file) {
        store.put(ArtifactKey.of(key), file);
    }

    @Override
    public void getFile(String key, Path target) {
        store.get(ArtifactKey.of(key), target);
    }

    @Override
    public void putBytes(String key, byte[] data) {
        store.put(ArtifactKey.of(key), new ByteArrayInputStream(data), data.length);
    }

    @Override
    public byte[] getBytes(String key) throws Exception {
        try (InputStream in = store.open(ArtifactKey.of(key))) {
            return in.readAllBytes();
        }
    }

    @Override
    public void close() {
        store.close();
    }
}
