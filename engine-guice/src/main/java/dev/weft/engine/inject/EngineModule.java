package dev.weft.engine.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.MapBinder;
import com.google.inject.multibindings.OptionalBinder;
import dev.weft.engine.Engine;
import dev.weft.engine.history.RunStore;
import dev.weft.engine.EngineConfig;
import dev.weft.engine.exec.ArtifactStager;
import dev.weft.engine.exec.NoArtifactStager;
import dev.weft.engine.expr.DefaultExpressions;
import dev.weft.engine.expr.Expressions;
import dev.weft.engine.task.TaskHandler;
import dev.weft.engine.task.TaskHandlerRegistry;
import dev.weft.engine.task.process.ProcessSandbox;
import dev.weft.engine.task.process.SandboxFactory;
import dev.weft.engine.task.process.SandboxSettings;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Binds the engine: {@link Engine} (singleton), its {@link EngineConfig}, the Java {@link TaskHandler}s (add yours
 * with {@code MapBinder.newMapBinder(binder(), String.class, TaskHandler.class).addBinding("name").to(...)}), and
 * optional bindings other modules fill or override:
 * <ul>
 *   <li>{@link ArtifactStager}: defaults to {@link NoArtifactStager}; override with
 *       {@code OptionalBinder.newOptionalBinder(binder(), ArtifactStager.class).setBinding().to(...)};</li>
 *   <li>{@link ProcessSandbox}: defaults to the one {@link SandboxFactory} probes for (work root, aliases and forced
 *       mode from the {@link EngineConfig}); override with
 *       {@code OptionalBinder.newOptionalBinder(binder(), ProcessSandbox.class).setBinding().toInstance(...)};</li>
 *   <li>{@link Expressions}: defaults to {@link DefaultExpressions}.</li>
 * </ul>
 */
public final class EngineModule extends AbstractModule {

    private final EngineConfig config;

    /** With default settings. */
    public EngineModule() {
        this(EngineConfig.defaults());
    }

    /** With these settings. */
    public EngineModule(EngineConfig config) {
        this.config = config;
    }

    @Override
    protected void configure() {
        bind(EngineConfig.class).toInstance(config);
        MapBinder.newMapBinder(binder(), String.class, TaskHandler.class);
        OptionalBinder.newOptionalBinder(binder(), ArtifactStager.class).setDefault().to(NoArtifactStager.class);
        OptionalBinder.newOptionalBinder(binder(), OwnedResources.class);
        OptionalBinder.newOptionalBinder(binder(), Expressions.class).setDefault().to(DefaultExpressions.class);
        // the embedded default (H2 under the work root); bind RunStore to share a Postgres database or keep none
        OptionalBinder.newOptionalBinder(binder(), RunStore.class).setDefault()
                .toProvider(() -> Engine.defaultRunStore(config.workRoot()));
        OptionalBinder.newOptionalBinder(binder(), ProcessSandbox.class).setDefault()
                .toProvider(() -> new SandboxFactory(new SandboxSettings(config.workRoot(), config.commandAliases(),
                        config.forcedIsolation())).create());
    }

    @Provides
    @Singleton
    TaskHandlerRegistry handlerRegistry(Map<String, TaskHandler> handlers) {
        return new TaskHandlerRegistry(handlers);
    }

    @Provides
    @Singleton
    Engine engine(EngineConfig engineConfig, Optional<Expressions> expressions, TaskHandlerRegistry handlers,
                  Optional<ProcessSandbox> sandbox, Optional<ArtifactStager> stager, Optional<OwnedResources> owned,
                  RunStore runStore) {
        return new Engine(engineConfig, expressions.orElseGet(DefaultExpressions::new), handlers, sandbox,
                stager.orElseGet(NoArtifactStager::new), runStore, Engine.DEFAULT_LEASE,
                owned.map(OwnedResources::resources).orElse(List.of()));
    }
}
