package dev.weft.engine.store;

import dev.weft.engine.plugin.ContextClassLoader;
import dev.weft.engine.plugin.PluginExtension;
import dev.weft.engine.plugin.PluginHost;
import dev.weft.storage.spi.ArtifactStore;
import dev.weft.storage.spi.ArtifactStoreException;
import dev.weft.storage.spi.ArtifactStoreProvider;
import dev.weft.storage.spi.CredentialReport;
import dev.weft.storage.spi.StoreConfig;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which provider makes which store type: the built-in {@code fs} provider plus every {@link ArtifactStoreProvider}
 * that a loaded plugin contributes. A type offered twice keeps its first provider (built-ins first, then plugins in
 * file name order) and logs a warning.
 */
public final class StoreProviders {

    private static final Logger LOG = LoggerFactory.getLogger(StoreProviders.class);

    private record Entry(ArtifactStoreProvider provider, ClassLoader loader, String origin) {
    }

    private final Map<String, Entry> byType = new LinkedHashMap<>();
    private final String pluginsDir;

    /**
     * The built-in providers and those of the plugins the host loaded.
     *
     * @param builtIns providers that live in the engine itself (at least {@code fs})
     * @param plugins  the loaded plugins folder
     */
    public StoreProviders(List<ArtifactStoreProvider> builtIns, PluginHost plugins) {
        this.pluginsDir = plugins.pluginsDir().toString();
        for (ArtifactStoreProvider provider : builtIns) {
            add(provider, null, "built-in");
        }
        for (PluginExtension<ArtifactStoreProvider> extension : plugins.extensions(ArtifactStoreProvider.class)) {
            add(extension.extension(), extension.classLoader(), "plugin " + extension.pluginId());
        }
    }

    /** The engine's built-in providers (the {@code fs} store) plus those of the loaded plugins. */
    public static StoreProviders withBuiltIns(PluginHost plugins) {
        return new StoreProviders(List.of(new FileSystemArtifactStoreProvider()), plugins);
    }

    private void add(ArtifactStoreProvider provider, ClassLoader loader, String origin) {
        String type = provider.type().toLowerCase(java.util.Locale.ROOT);
        Entry existing = byType.get(type);
        if (existing != null) {
            LOG.warn("Store type '{}' is offered by {} and by {}; using {}", type, existing.origin(), origin,
                    existing.origin());
            return;
        }
        byType.put(type, new Entry(provider, loader, origin));
    }

    /** The known store types, built-ins first. */
    public List<String> types() {
        return List.copyOf(byType.keySet());
    }

    /** Where each type comes from: "built-in" or "plugin &lt;id&gt;". */
    public Map<String, String> origins() {
        Map<String, String> origins = new LinkedHashMap<>();
        byType.forEach((type, entry) -> origins.put(type, entry.origin()));
        return Collections.unmodifiableMap(origins);
    }

    /** Whether a provider makes this type. */
    public boolean has(String type) {
        return byType.containsKey(type.toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * Makes a store for the config, with the plugin's class loader current during the call and around every later
     * call into the store.
     *
     * @throws ArtifactStoreException INVALID_CONFIG for an unknown type (listing the known ones and the plugins
     *                                folder), or whatever the provider throws
     */
    public ArtifactStore create(StoreConfig config) {
        Entry entry = entry(config);
        if (entry.loader() == null) {
            return entry.provider().create(config);
        }
        ArtifactStore store = ContextClassLoader.call(entry.loader(), () -> entry.provider().create(config));
        return ClassLoaderScopedStore.wrap(store, entry.loader());
    }

    /** Walks the credential chain the type's provider would use for this config. */
    public CredentialReport diagnoseCredentials(StoreConfig config) {
        Entry entry = entry(config);
        return entry.loader() == null
                ? entry.provider().diagnoseCredentials(config)
                : ContextClassLoader.call(entry.loader(), () -> entry.provider().diagnoseCredentials(config));
    }

    /**
     * Checks that a provider makes the config's type.
     *
     * @throws ArtifactStoreException INVALID_CONFIG listing the known types and the plugins folder
     */
    public void checkType(StoreConfig config) {
        entry(config);
    }

    private Entry entry(StoreConfig config) {
        return Optional.ofNullable(byType.get(config.type())).orElseThrow(() -> config.invalid(
                "unknown store type '" + config.type() + "'; known types: " + String.join(", ", types())
                        + " (plugins are loaded from " + pluginsDir + ")"));
    }
}
