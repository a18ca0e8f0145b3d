package dev.weft.examples.embedding;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.multibindings.MapBinder;
import dev.weft.engine.Engine;
import dev.weft.engine.EngineConfig;
import dev.weft.engine.RunResult;
import dev.weft.engine.inject.EngineModule;
import dev.weft.engine.inject.StorageModule;
import dev.weft.engine.spec.WorkflowReader;
import dev.weft.engine.store.StorageSettings;
import dev.weft.engine.task.TaskHandler;
import dev.weft.engine.task.TaskOutput;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Embedding example 3: wiring the engine with Guice next to the host application's own module. */
public final class GuiceEmbedding {

    private GuiceEmbedding() {
    }

    /** The host's own service, injected into a task handler. */
    public static final class Greeter {
        String greet(String who) {
            return "hello, " + who;
        }
    }

    /** A task handler that uses the host's service. */
    public static final class GreetHandler implements TaskHandler {
        private final Greeter greeter;

        @jakarta.inject.Inject
        GreetHandler(Greeter greeter) {
            this.greeter = greeter;
        }

        @Override
        public TaskOutput run(dev.weft.engine.task.TaskContext context) {
            return TaskOutput.result(greeter.greet(context.parameters().get("who")));
        }
    }

    /** Runs a one-task workflow through an engine made by Guice; artifacts go to {@code artifactsRoot}. */
    public static RunResult run(Path artifactsRoot) throws Exception {
        // begin:guice
        Injector injector = Guice.createInjector(
                new EngineModule(EngineConfig.defaults()),
                new StorageModule(StorageSettings.defaults().withDefaultRepository(
                        dev.weft.storage.spi.StoreConfig.of("default", "fs",
                                Map.of("root", artifactsRoot.toString())))),
                new AbstractModule() {          // the host application's own module
                    @Override
                    protected void configure() {
                        bind(Greeter.class);
                        MapBinder.newMapBinder(binder(), String.class, TaskHandler.class)
                                .addBinding("greet").to(GreetHandler.class);
                    }
                });
        try (Engine engine = injector.getInstance(Engine.class)) {
            var workflow = new WorkflowReader().read("""
                    metadata: {generateName: greet-}
                    spec:
                      entrypoint: greet
                      arguments: {parameters: [{name: who, value: world}]}
                      templates:
                      - name: greet
                        inputs: {parameters: [{name: who, value: "{{workflow.parameters.who}}"}]}
                        plugin: {greet: {}}
                    """, "greet.yaml");
            RunResult result = engine.submit(workflow, Map.of("who", "Weft")).await(Duration.ofMinutes(1));
            System.out.println(result.nodes().get(0).outputs().result().orElse(""));
            return result;
        }
        // end:guice
    }
}
