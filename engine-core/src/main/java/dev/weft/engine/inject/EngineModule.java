package dev.weft.engine.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.MapBinder;
import com.google.inject.multibindings.OptionalBinder;
import dev.weft.engine.Engine;
import dev.weft.engine.EngineConfig;
import dev.weft.engine.exec.ArtifactStager;
import dev.weft.engine.exec.NoArtifactStager;
import dev.weft.engine.expr.Expressions;
import dev.weft.engine.task.TaskHandler;
import dev.weft.engine.task.TaskHandlerRegistry;
import dev.weft.engine.task.process.ProcessSandbox;
import java.util.Map;
import java.util.Optional;

/**
 * Binds the engine: {@link Engine} (singleton), its {@link EngineConfig}, the Java {@link TaskHandler}s (add yours
 * with {@code MapBinder.newMapBinder(binder(), String.class, TaskHandler.class).addBinding("name").to(...)}), and
 * optional bindings other modules fill or override:
 * <ul>
 *   <li>{@link ArtifactStager}: defaults to {@link NoArtifactStager}; override with
 *       {@code OptionalBinder.newOptionalBinder(binder(), ArtifactStager.class).setBinding().to(...)};</li>
 *   <li>{@link ProcessSandbox}: unset means container/script templates end in Error; set it with
 *       {@code OptionalBinder.newOptionalBinder(binder(), ProcessSandbox.class).setBinding().toInstance(...)};</li>
 *   <li>{@link Expressions}: must be bound by another module (the expression package's implementation).</li>
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
        OptionalBinder.newOptionalBinder(binder(), ProcessSandbox.class);
    }

    @Provides
    @Singleton
    TaskHandlerRegistry handlerRegistry(Map<String, TaskHandler> handlers) {
        return new TaskHandlerRegistry(handlers);
    }

    @Provides
    @Singleton
    Engine engine(EngineConfig engineConfig, Expressions expressions, TaskHandlerRegistry handlers,
                  Optional<ProcessSandbox> sandbox, Optional<ArtifactStager> stager) {
        return new Engine(engineConfig, expressions, handlers, sandbox,
                stager.orElseGet(NoArtifactStager::new));
    }
}
