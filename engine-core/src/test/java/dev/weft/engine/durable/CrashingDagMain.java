package dev.weft.engine.durable;

import dev.weft.engine.Engine;
import dev.weft.engine.EngineConfig;
import dev.weft.engine.NodeStatus;
import dev.weft.engine.RunListener;
import dev.weft.engine.history.RunStore;
import dev.weft.engine.history.RunStores;
import dev.weft.engine.store.StorageSettings;
import dev.weft.storage.spi.StoreConfig;
import dev.weft.engine.task.TaskOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A second JVM for {@link CrashResumeTest}: starts (or resumes) the big DAG on the given run store and prints
 * {@code DONE <display name> <phase>} as nodes end, so the test can pick the moment to {@code kill -9} it.
 *
 * <p>Arguments: {@code start|resume}, the work root, the store (a JDBC URL, or an H2 base path), the workflow file,
 * the artifact root, the marker directory.
 */
public final class CrashingDagMain {

    private CrashingDagMain() {
    }

    public static void main(String[] args) throws Exception {
        Engine engine = engine(Path.of(args[1]), store(args[2]), Path.of(args[4]), Path.of(args[5]),
                new RunListener() {
                    @Override
                    public void nodeChanged(String runName, NodeStatus node) {
                        if (node.phase().isDone()) {
                            System.out.println("DONE " + node.displayName() + " " + node.phase());
                            System.out.flush();
                        }
                    }
                });
        if (args[0].equals("start")) {
            engine.submitYaml(Files.readString(Path.of(args[3])), "crash-dag.yaml", Map.of(), List.of());
        } else {
            while (engine.resumeUnfinished().isEmpty()) {
                Thread.sleep(50); // until the killed engine's lease runs out
            }
        }
        Thread.sleep(Duration.ofMinutes(5).toMillis()); // the test kills this JVM long before
        throw new IllegalStateException("not killed");
    }

    /** An H2 base path or a JDBC URL (Postgres: user postgres, trust authentication). */
    static RunStore store(String spec) {
        return spec.startsWith("jdbc:") ? RunStores.jdbc(spec, "postgres", "not-checked") : RunStores.h2File(
                Path.of(spec));
    }

    /** The engine every JVM of the test uses: the same handler, the fs store at {@code artifacts}. */
    static Engine engine(Path work, RunStore store, Path artifacts, Path markers, RunListener listener) {
        return Engine.builder().config(EngineConfig.defaults().withWorkRoot(work).withListener(listener))
                .runStore(store).runLease(Duration.ofMillis(600))
                .storage(StorageSettings.defaults().withPluginsDir(work.resolve("no-plugins"))
                        .withDefaultRepository(StoreConfig.of("default", "fs", Map.of("root",
                                artifacts.toString()))))
                .probeSandbox() // after storage: the fs root is hidden from tasks
                .handler("mark", ctx -> {
                    Files.writeString(markers.resolve(ctx.nodeName() + "." + UUID.randomUUID()), "");
                    return TaskOutput.result(UUID.randomUUID().toString());
                })
                .build();
    }
}
