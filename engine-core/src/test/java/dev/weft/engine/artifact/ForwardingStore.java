package dev.weft.engine.artifact;

import dev.weft.storage.spi.ArtifactInfo;
import dev.weft.storage.spi.ArtifactKey;
import dev.weft.storage.spi.ArtifactStore;
import dev.weft.storage.spi.StoreDescription;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/** Passes every call to another store; tests override the one they want to break. */
class ForwardingStore implements ArtifactStore {

    final ArtifactStore delegate;

    ForwardingStore(ArtifactStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public void put(ArtifactKey key, Path source) {
        delegate.put(key, source);
    }

    @Override
    public void put(ArtifactKey key, InputStream data, long length) {
        delegate.put(key, data, length);
    }

    @Override
    public InputStream open(ArtifactKey key) {
        return delegate.open(key);
    }

    @Override
    public Optional<ArtifactInfo> stat(ArtifactKey key) {
        return delegate.stat(key);
    }

    @Override
    public Stream<ArtifactInfo> list(String prefix) {
        return delegate.list(prefix);
    }

    @Override
    public void delete(ArtifactKey key) {
        delegate.delete(key);
    }

    @Override
    public StoreDescription describe() {
        return delegate.describe();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
