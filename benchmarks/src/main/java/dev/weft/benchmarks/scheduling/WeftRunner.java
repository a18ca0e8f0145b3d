package dev.weft.benchmarks.scheduling;

import dev.weft.engine.Engine;
import dev.weft.engine.NodePhase;
import dev.weft.engine.RunResult;
import dev.weft.engine.expr.DefaultExpressions;
import dev.weft.engine.model.DagTask;
import dev.weft.engine.model.Template;
import dev.weft.engine.model.Workflow;
import dev.weft.engine.task.TaskOutput;
import dev.weft.engine.store.StorageSettings;
import dev.weft.storage.spi.StoreConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Weft: the graph as a workflow built in Java (one DAG template, one task per node with {@code dependencies}, each
 * calling a no-op Java {@code TaskHandler}), submitted to one long-lived {@link Engine} built with its defaults.
 * The timed part is what an embedder does: build the workflow, submit it (validation included), await the result.
 */
final class WeftRunner implements DagRunner {

    private final NoOpCounter counter = new NoOpCounter();
    private final Engine engine;
    private final String label;
    private int runs;

    /** @param scratch where the engine's (unused) default fs repository and empty plugins folder live */
    WeftRunner(Path scratch) {
        this(scratch, null, "Weft Engine");
    }

    /**
     * @param scratch  as above; also the engine's work root (so its default H2 run store lives there)
     * @param runStore where runs are recorded, or null for the engine's default
     * @param label    what the table calls this engine
     */
    WeftRunner(Path scratch, dev.weft.engine.history.RunStore runStore, String label) {
        this.label = label;
        StorageSettings storage = StorageSettings.defaults().withPluginsDir(scratch.resolve("no-plugins"))
                .withDefaultRepository(StoreConfig.of("default", "fs",
                        Map.of("root", scratch.resolve("artifacts").toString())));
        Engine.Builder builder = Engine.builder().expressions(new DefaultExpressions()).storage(storage);
        if (runStore != null) {
            builder.runStore(runStore);
        }
        this.engine = builder
                .handler("no-op", ctx -> {
                    counter.run();
                    return TaskOutput.empty();
                })
                .build();
    }

    /** The engine's handler pool size: the floor and the peer get as many threads. */
    int handlerThreads() {
        return engine.config().handlerThreads();
    }

    /** The run store's transactions so far. */
    long commits() {
        return engine.runStore().commits();
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public void run(DagShape shape) throws Exception {
        counter.take(); // forget what an abandoned earlier run left behind
        int[][] deps = shape.deps();
        List<DagTask> tasks = new ArrayList<>(deps.length);
        for (int i = 0; i < deps.length; i++) {
            DagTask.Builder task = DagTask.builder("t" + i, "noop");
            if (deps[i].length > 0) {
                String[] names = new String[deps[i].length];
                for (int k = 0; k < names.length; k++) {
                    names[k] = "t" + deps[i][k];
                }
                task.dependencies(names);
            }
            tasks.add(task.build());
        }
        Workflow workflow = Workflow.builder().name("bench-" + shape.name() + "-" + (runs++)).entrypoint("main")
                .template(Template.builder("main").dag(tasks))
                .template(Template.builder("noop").plugin("no-op", Map.of()))
                .build();
        RunResult result = engine.submit(workflow, Map.of()).await(Duration.ofMinutes(10));
        if (result.phase() != NodePhase.SUCCEEDED) {
            throw new IllegalStateException("Weft run of " + shape.name() + " ended " + result.phase());
        }
        counter.expect(label(), shape, deps.length);
    }

    @Override
    public void close() {
        engine.close();
    }
}
