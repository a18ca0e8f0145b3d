package dev.weft.engine.store;

import dev.weft.storage.spi.ArtifactStore;
import dev.weft.storage.spi.ArtifactStoreException;
import dev.weft.storage.spi.StoreConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The artifact repositories a run can use: the configured ones by name ({@value #DEFAULT} and any that
 * {@code artifactRepositoryRef} names) and ad-hoc ones from a per-artifact override. Each store is made once, on
 * first use, and closed with this object. Thread-safe.
 */
public final class ArtifactRepositories implements AutoCloseable {

    /** The name of the repository used when an artifact names none. */
    public static final String DEFAULT = "default";

    private final StoreProviders providers;
    private final Map<String, StoreConfig> configured;
    private final Map<StoreConfig, ArtifactStore> open = new LinkedHashMap<>();
    private boolean closed;

    /**
     * @param providers  the known store types
     * @param configured repository configs by name; must contain {@value #DEFAULT}
     */
    public ArtifactRepositories(StoreProviders providers, Map<String, StoreConfig> configured) {
        if (!configured.containsKey(DEFAULT)) {
            throw new IllegalArgumentException("no '" + DEFAULT + "' artifact repository configured");
        }
        this.providers = providers;
        this.configured = Collections.unmodifiableMap(new LinkedHashMap<>(configured));
        // Fail at start-up, not at the first artifact: a typo in a type should not wait for a run.
        configured.values().forEach(providers::checkType);
    }

    /** The names of the configured repositories. */
    public Set<String> names() {
        return configured.keySet();
    }

    /** The config of a configured repository. */
    public StoreConfig config(String name) {
        StoreConfig config = configured.get(name);
        if (config == null) {
            throw ArtifactStoreException.invalidConfig("unknown artifact repository '" + name
                    + "'; configured: " + String.join(", ", configured.keySet()));
        }
        return config;
    }

    /** The default repository's store. */
    public ArtifactStore defaultStore() {
        return store(DEFAULT);
    }

    /** A configured repository's store, made on first use. */
    public ArtifactStore store(String name) {
        return store(config(name));
    }

    /** The store for a config (configured or ad hoc), made on first use and shared after that. */
    public synchronized ArtifactStore store(StoreConfig config) {
        if (closed) {
            throw new IllegalStateException("artifact repositories are closed");
        }
        return open.computeIfAbsent(config, providers::create);
    }

    /** Closes every store made so far; the first failure is rethrown after all were tried. */
    @Override
    public synchronized void close() {
        closed = true;
        List<RuntimeException> failures = new ArrayList<>();
        for (ArtifactStore store : open.values()) {
            try {
                store.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        open.clear();
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }
}
