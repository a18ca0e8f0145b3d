package dev.weft.engine.store;

import dev.weft.engine.plugin.ContextClassLoader;
import dev.weft.storage.spi.ArtifactInfo;
import dev.weft.storage.spi.ArtifactKey;
import dev.weft.storage.spi.ArtifactStore;
import dev.weft.storage.spi.RangedReads;
import dev.weft.storage.spi.StoreDescription;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A plugin's store with the plugin's class loader made current around every call, so SDK service lookups through
 * the context class loader find the plugin's classes, not the host's. Keeps the {@link RangedReads} ability.
 */
class ClassLoaderScopedStore implements ArtifactStore {

    private final ArtifactStore delegate;
    private final ClassLoader loader;

    ClassLoaderScopedStore(ArtifactStore delegate, ClassLoader loader) {
        this.delegate = delegate;
        this.loader = loader;
    }

    static ArtifactStore wrap(ArtifactStore store, ClassLoader loader) {
        return store instanceof RangedReads ? new Ranged(store, loader) : new ClassLoaderScopedStore(store, loader);
    }

    /** The plugin's own store object. */
    ArtifactStore unwrap() {
        return delegate;
    }

    @Override
    public void put(ArtifactKey key, Path source) {
        ContextClassLoader.run(loader, () -> delegate.put(key, source));
    }

    @Override
    public void put(ArtifactKey key, InputStream data, long length) {
        ContextClassLoader.run(loader, () -> delegate.put(key, data, length));
    }

    @Override
    public InputStream open(ArtifactKey key) {
        return ContextClassLoader.call(loader, () -> delegate.open(key));
    }

    @Override
    public void get(ArtifactKey key, Path target) {
        ContextClassLoader.run(loader, () -> delegate.get(key, target));
    }

    @Override
    public Optional<ArtifactInfo> stat(ArtifactKey key) {
        return ContextClassLoader.call(loader, () -> delegate.stat(key));
    }

    @Override
    public Stream<ArtifactInfo> list(String prefix) {
        // Materialized inside the scope: a lazily paged stream would call the SDK outside it.
        return ContextClassLoader.call(loader, () -> {
            try (Stream<ArtifactInfo> infos = delegate.list(prefix)) {
                return infos.toList();
            }
        }).stream();
    }

    @Override
    public void delete(ArtifactKey key) {
        ContextClassLoader.run(loader, () -> delegate.delete(key));
    }

    @Override
    public StoreDescription describe() {
        return ContextClassLoader.call(loader, delegate::describe);
    }

    @Override
    public void close() {
        ContextClassLoader.run(loader, delegate::close);
    }

    @Override
    public String toString() {
        return delegate.toString();
    }

    /** The same, for stores that read ranges. */
    private static final class Ranged extends ClassLoaderScopedStore implements RangedReads {
        private final RangedReads ranged;
        private final ClassLoader rangedLoader;

        Ranged(ArtifactStore delegate, ClassLoader loader) {
            super(delegate, loader);
            this.ranged = (RangedReads) delegate;
            this.rangedLoader = loader;
        }

        @Override
        public InputStream open(ArtifactKey key, long offset, long length) {
            return ContextClassLoader.call(rangedLoader, () -> ranged.open(key, offset, length));
        }
    }
}
