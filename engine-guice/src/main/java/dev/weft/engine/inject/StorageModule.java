package dev.weft.engine.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.OptionalBinder;
import dev.weft.engine.artifact.RepositoryArtifactStager;
import dev.weft.engine.exec.ArtifactStager;
import dev.weft.engine.WeftVersion;
import dev.weft.engine.plugin.PluginHost;
import dev.weft.engine.store.ArtifactRepositories;
import dev.weft.engine.store.StorageSettings;
import dev.weft.engine.store.StoreProviders;
import java.util.List;

/**
 * Binds the storage side of the engine: the loaded plugins folder, the store providers (built-in {@code fs} plus
 * plugins) and the artifact repositories. Whoever creates the injector closes {@link ArtifactRepositories} and then
 * {@link PluginHost} at shut-down: installed with {@link EngineModule}, the engine does this in its {@code close()}.
 * It also binds the engine's {@link ArtifactStager} to the {@link RepositoryArtifactStager}.
 */
public final class StorageModule extends AbstractModule {

    private final StorageSettings settings;

    /** A module for these settings. */
    public StorageModule(StorageSettings settings) {
        this.settings = settings;
    }

    @Override
    protected void configure() {
        bind(StorageSettings.class).toInstance(settings);
        OptionalBinder.newOptionalBinder(binder(), ArtifactStager.class).setBinding()
                .to(RepositoryArtifactStager.class);
        OptionalBinder.newOptionalBinder(binder(), OwnedResources.class).setBinding()
                .toProvider(OwnedStorage.class);
    }

    @Provides
    @Singleton
    RepositoryArtifactStager artifactStager(ArtifactRepositories repositories) {
        return new RepositoryArtifactStager(repositories);
    }

    /** Hands the storage singletons to the engine, which closes them: repositories first, then plugins. */
    private static final class OwnedStorage implements com.google.inject.Provider<OwnedResources> {
        private final ArtifactRepositories repositories;
        private final PluginHost plugins;

        @jakarta.inject.Inject
        OwnedStorage(ArtifactRepositories repositories, PluginHost plugins) {
            this.repositories = repositories;
            this.plugins = plugins;
        }

        @Override
        public OwnedResources get() {
            return new OwnedResources(List.of(repositories, plugins));
        }
    }

    @Provides
    @Singleton
    PluginHost pluginHost(StorageSettings storage) {
        return PluginHost.load(storage.pluginsDir(), WeftVersion.forPluginChecks());
    }

    @Provides
    @Singleton
    StoreProviders storeProviders(PluginHost plugins) {
        return StoreProviders.withBuiltIns(plugins);
    }

    @Provides
    @Singleton
    ArtifactRepositories artifactRepositories(StoreProviders providers, StorageSettings storage) {
        return new ArtifactRepositories(providers, storage.repositories());
    }
}
