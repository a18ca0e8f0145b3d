package dev.weft.benchmarks.endtoend;

import dev.weft.benchmarks.HeapPeak;
import dev.weft.benchmarks.Scratch;
import dev.weft.engine.Engine;
import dev.weft.engine.EngineConfig;
import dev.weft.engine.RunResult;
import dev.weft.engine.expr.DefaultExpressions;
import dev.weft.engine.model.Workflow;
import dev.weft.engine.spec.WorkflowReader;
import dev.weft.engine.store.StorageSettings;
import dev.weft.storage.spi.StoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The engine JVM of scenario 5, started by {@link EndToEndScenario} with {@code -Xmx256m}: loads the plugins folder,
 * makes the {@code s3} store (S3Proxy, static keys from the environment) the default artifact repository, runs the
 * produce → consume workflow once with 1 MiB (untimed warm-up) and once with the given size, and prints {@code RESULT <seconds> <peak heap MiB>}. Exits non-zero on failure.
 *
 * <pre>
 * java -Xmx256m -cp ... EndToEndChild ENDPOINT REGION BUCKET PLUGINS_DIR SIZE WORK_DIR RUN_NAME
 * </pre>
 */
public final class EndToEndChild {

    static final String ACCESS_KEY_ENV = "WEFT_BENCH_S3_ACCESS_KEY";
    static final String SECRET_KEY_ENV = "WEFT_BENCH_S3_SECRET_KEY";

    private EndToEndChild() {
    }

    /** The workflow: Argo YAML, as a user would write it; {@code SIZE} is replaced by the byte count. */
    static String workflowYaml(String name, long size) {
        return """
                apiVersion: argoproj.io/v1alpha1
                kind: Workflow
                metadata:
                  name: NAME
                spec:
                  entrypoint: main
                  templates:
                  - name: main
                    dag:
                      tasks:
                      - name: produce
                        template: produce
                      - name: consume
                        template: consume
                        dependencies: [produce]
                        arguments:
                          artifacts:
                          - name: data
                            from: "{{tasks.produce.outputs.artifacts.data}}"
                  - name: produce
                    container:
                      image: debian:12
                      command: [sh, -c]
                      args: ["head -c SIZE /dev/urandom > /tmp/data.bin"]
                    outputs:
                      artifacts:
                      - name: data
                        path: /tmp/data.bin
                        archive:
                          none: {}
                  - name: consume
                    inputs:
                      artifacts:
                      - name: data
                        path: /tmp/data.bin
                    container:
                      image: debian:12
                      command: [sh, -c]
                      args: ["cksum /tmp/data.bin"]
                """.replace("NAME", name).replace("SIZE", Long.toString(size));
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 7) {
            System.err.println("usage: EndToEndChild ENDPOINT REGION BUCKET PLUGINS_DIR SIZE WORK_DIR RUN_NAME");
            System.exit(2);
        }
        String endpoint = args[0];
        String region = args[1];
        String bucket = args[2];
        Path plugins = Path.of(args[3]);
        long size = Long.parseLong(args[4]);
        Path work = Files.createDirectories(Path.of(args[5]));
        String runName = args[6];
        StoreConfig s3 = StoreConfig.of("default", "s3", Map.of(
                "endpoint", endpoint,
                "region", region,
                "bucket", bucket,
                "pathStyle", "true",
                "credentials.chain", "static",
                "credentials.accessKey", System.getenv(ACCESS_KEY_ENV),
                "credentials.secretKey", System.getenv(SECRET_KEY_ENV)));
        StorageSettings storage = StorageSettings.defaults().withPluginsDir(plugins).withDefaultRepository(s3);
        Workflow workflow = new WorkflowReader().read(workflowYaml(runName, size), "e2e.yaml");
        EngineConfig config = EngineConfig.defaults().withWorkRoot(work.resolve("tasks"));
        try (Engine engine = EngineWiring.engineWithStorage(Engine.builder().config(config)
                .expressions(new DefaultExpressions()), storage)) {
            // One small untimed run first: an embedded engine lives in a warm JVM, and the raw parts it is compared
            // with run in the (warm) harness JVM.
            RunResult warm = engine.submit(new WorkflowReader().read(workflowYaml(runName + "-warm", 1 << 20),
                    "e2e-warm.yaml"), Map.of()).await(Duration.ofMinutes(5));
            if (!warm.succeeded()) {
                System.err.println("warm-up workflow ended " + warm.phase() + ": " + warm.message());
                System.exit(1);
            }
            HeapPeak.reset();
            long t0 = System.nanoTime();
            RunResult result = engine.submit(workflow, Map.of()).await(Duration.ofMinutes(20));
            double seconds = Scratch.secondsSince(t0);
            if (!result.succeeded()) {
                System.err.println("workflow " + result.name() + " ended " + result.phase() + ": " + result.message());
                result.nodes().forEach(n -> System.err.println("  " + n));
                System.exit(1);
            }
            double peak = HeapPeak.peakMiB();
            // Where the time went, per node (the harness prints these lines with the run).
            result.nodes().forEach(n -> {
                if (n.startedAt().isPresent() && n.finishedAt().isPresent()) {
                    System.out.printf(java.util.Locale.ROOT, "node %s %.1f s%n", n.displayName(),
                            Duration.between(n.startedAt().get(), n.finishedAt().get()).toMillis() / 1000.0);
                }
            });
            System.out.printf(java.util.Locale.ROOT, "RESULT %.3f %.1f%n", seconds, peak);
        }
    }
}
