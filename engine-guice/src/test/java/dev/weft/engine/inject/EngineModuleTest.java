package dev.weft.engine.inject;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.multibindings.MapBinder;
import dev.weft.engine.Engine;
import dev.weft.engine.EngineConfig;
import dev.weft.engine.NodePhase;
import dev.weft.engine.RunResult;
import dev.weft.engine.model.Template;
import dev.weft.engine.model.Workflow;
import dev.weft.engine.task.TaskHandler;
import dev.weft.engine.task.TaskOutput;
import dev.weft.engine.task.process.ProcessSandbox;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineModuleTest {

    @TempDir
    Path work;

    @Test
    void handlersBoundThroughGuiceRunFromWorkflows() throws Exception {
        Engine engine = Guice.createInjector(new EngineModule(EngineConfig.defaults().withWorkRoot(work)),
                new AbstractModule() {
                    @Override
                    protected void configure() {
                        MapBinder.newMapBinder(binder(), String.class, TaskHandler.class).addBinding("greet")
                                .toInstance(ctx -> TaskOutput.result("hello " + ctx.parameters().get("who")));
                    }
                }).getInstance(Engine.class);
        try (engine) {
            Workflow wf = Workflow.builder().name("g").entrypoint("greet").parameter("who", "weft")
                    .template(Template.builder("greet").input("who").plugin("greet", Map.of())).build();
            RunResult r = engine.submit(wf, Map.of()).await(Duration.ofSeconds(60));
            assertThat(r.phase()).isEqualTo(NodePhase.SUCCEEDED);
            assertThat(r.nodes().get(0).outputs().result()).contains("hello weft");
        }
    }

    @Test
    void theProcessSandboxDefaultsToTheProbedOne() {
        var injector = Guice.createInjector(new EngineModule(EngineConfig.defaults().withWorkRoot(work)));
        @SuppressWarnings("unchecked")
        var sandbox = (java.util.Optional<ProcessSandbox>) injector.getInstance(com.google.inject.Key.get(
                com.google.inject.util.Types.newParameterizedType(java.util.Optional.class, ProcessSandbox.class)));
        assertThat(sandbox).isPresent();
        assertThat(sandbox.get().describe()).startsWith("Process sandbox: ");
    }
}
