package dev.weft.engine.durable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.engine.Engine;
import dev.weft.engine.EngineConfig;
import dev.weft.engine.NodePhase;
import dev.weft.engine.RunOutcome;
import dev.weft.engine.RunResult;
import dev.weft.engine.WorkflowRun;
import dev.weft.engine.history.LogStream;
import dev.weft.engine.history.NodeLog;
import dev.weft.engine.history.RunEvent;
import dev.weft.engine.history.RunStore;
import dev.weft.engine.history.RunStores;
import dev.weft.engine.history.StoredNode;
import dev.weft.engine.history.StoredRun;
import dev.weft.engine.spec.WorkflowSpecException;
import dev.weft.engine.task.TaskOutput;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs recorded in the run store as they go (write-ahead), their logs, and resume after a real crash. */
class DurableRunTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    /** Counts calls of each task in files (the crash test's engines live in two JVMs). */
    static Engine engine(EngineConfig config, RunStore store, Path markers, boolean resumed) {
        return Engine.builder().config(config).runStore(store).runLease(Duration.ofMillis(600))
                .handler("count", ctx -> {
                    Files.writeString(markers.resolve(ctx.nodeName() + "." + UUID.randomUUID()), "");
                    ctx.log().info("counted {}", ctx.nodeName());
                    return TaskOutput.result("done by " + ctx.nodeName() + " " + ctx.parameters()
                            .getOrDefault("from", ""));
                })
                .handler("hang", ctx -> {
                    Files.writeString(markers.resolve(ctx.nodeName() + "." + UUID.randomUUID()), "");
                    if (resumed) {
                        return TaskOutput.result("hang finished");
                    }
                    waitUntilStoredRunning(store, ctx.workflowName(), ctx.nodeName());
                    System.out.println("HANGING " + ctx.nodeName());
                    System.out.flush();
                    new CountDownLatch(1).await();
                    return TaskOutput.empty();
                })
                .build();
    }

    private static void waitUntilStoredRunning(RunStore store, String run, String node) throws InterruptedException {
        for (int i = 0; i < 6000; i++) {
            if (store.nodes(run).stream().anyMatch(n -> n.name().equals(node) && n.phase() == NodePhase.RUNNING)) {
                return;
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException(node + " never showed as running in the store");
    }

    private static final String DAG = """
            metadata: {name: crash-resume}
            spec:
              entrypoint: main
              templates:
              - name: main
                dag:
                  tasks:
                  - {name: first, template: count}
                  - {name: hang, template: hang, depends: first}
                  - name: last
                    template: count
                    depends: hang
                    arguments: {parameters: [{name: from, value: "{{tasks.first.outputs.result}}"}]}
              - name: count
                inputs: {parameters: [{name: from, value: ""}]}
                plugin: {count: {}}
              - name: hang
                retryStrategy: {limit: 1, retryPolicy: Always}
                plugin: {hang: {}}
            """;

    @Test
    void aRunIsRecordedWithItsNodesEventsAndHandlerLogs() throws Exception {
        Path markers = Files.createDirectories(dir.resolve("markers"));
        try (Engine engine = engine(EngineConfig.defaults().withWorkRoot(dir.resolve("work")),
                RunStores.h2File(dir.resolve("db/weft")), markers, true)) {
            RunResult result = engine.submitYaml(DAG, "crash.yaml", Map.of(), List.of()).await(WAIT);
            assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);

            RunStore store = engine.runStore();
            StoredRun run = store.get("crash-resume").orElseThrow();
            assertThat(run.phase()).isEqualTo(NodePhase.SUCCEEDED);
            assertThat(run.outcome()).contains(RunOutcome.SUCCEEDED);
            assertThat(run.workflow()).isEqualTo(DAG);
            assertThat(run.finishedAt()).isPresent();
            List<StoredNode> nodes = store.nodes("crash-resume");
            assertThat(nodes).extracting(StoredNode::displayName)
                    .contains("crash-resume", "first", "hang", "hang(0)", "last");
            StoredNode last = node(nodes, "last");
            assertThat(last.phase()).isEqualTo(NodePhase.SUCCEEDED);
            assertThat(last.result()).contains("done by crash-resume.last done by crash-resume.first ");
            assertThat(node(nodes, "hang(0)").attempt()).isZero();
            List<RunEvent> events = store.events("crash-resume");
            assertThat(events).extracting(RunEvent::phase).contains(NodePhase.RUNNING, NodePhase.SUCCEEDED);

            NodeLog log = engine.nodeLogs().read("crash-resume", node(nodes, "first").id(), 0);
            assertThat(log.of(LogStream.HANDLER)).containsExactly("counted crash-resume.first");
        }
    }

    @Test
    void aDependantStartsOnlyOnceTheStoreHoldsWhatItDependsOn() throws Exception {
        List<String> seen = new ArrayList<>();
        RunStore store = RunStores.h2File(dir.resolve("db/weft"));
        try (Engine engine = Engine.builder().config(EngineConfig.defaults().withWorkRoot(dir.resolve("work")))
                .runStore(store)
                .handler("produce", ctx -> TaskOutput.result("value-" + ctx.nodeName()))
                .handler("check", ctx -> {
                    // what the store shows at the moment the dependant starts
                    for (StoredNode n : store.nodes(ctx.workflowName())) {
                        if (n.displayName().equals("a")) {
                            seen.add(n.phase() + " " + n.result().orElse("none"));
                        }
                    }
                    return TaskOutput.empty();
                }).build()) {
            RunResult result = engine.submitYaml("""
                    metadata: {name: write-ahead}
                    spec:
                      entrypoint: main
                      templates:
                      - name: main
                        dag:
                          tasks:
                          - {name: a, template: produce}
                          - {name: b, template: check, depends: a}
                      - {name: produce, plugin: {produce: {}}}
                      - {name: check, plugin: {check: {}}}
                    """, "wa.yaml", Map.of(), List.of()).await(WAIT);
            assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        }
        assertThat(seen).containsExactly("SUCCEEDED value-write-ahead.a");
    }

    @Test
    void runningTheSameNamedWorkflowAgainReplacesTheFinishedRunButNotARunningOne() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (Engine engine = Engine.builder().config(EngineConfig.defaults().withWorkRoot(dir.resolve("work")))
                .runStore(RunStores.inMemory())
                .handler("wait", ctx -> {
                    release.await();
                    return TaskOutput.result("ok");
                }).build()) {
            String yaml = """
                    metadata: {name: same}
                    spec:
                      entrypoint: w
                      templates:
                      - {name: w, plugin: {wait: {}}}
                    """;
            WorkflowRun first = engine.submitYaml(yaml, "same.yaml", Map.of(), List.of());
            assertThatThrownBy(() -> engine.submitYaml(yaml, "same.yaml", Map.of(), List.of()))
                    .isInstanceOf(WorkflowSpecException.class)
                    .hasMessageContaining("same.yaml").hasMessageContaining("metadata.name")
                    .hasMessageContaining("a run named 'same' is still running");
            release.countDown();
            assertThat(first.await(WAIT).outcome()).isEqualTo(RunOutcome.SUCCEEDED);
            Instant firstCreated = engine.runStore().get("same").orElseThrow().createdAt();

            RunResult again = engine.submitYaml(yaml, "same.yaml", Map.of(), List.of()).await(WAIT);
            assertThat(again.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
            StoredRun stored = engine.runStore().get("same").orElseThrow();
            assertThat(stored.createdAt()).isAfterOrEqualTo(firstCreated);
            assertThat(engine.runStore().nodes("same")).hasSize(1);
        }
    }

    @Test
    void aRunKilledMidwayIsResumedWithoutRunningFinishedNodesAgain() throws Exception {
        Path markers = Files.createDirectories(dir.resolve("markers"));
        Path workflow = Files.writeString(dir.resolve("crash.yaml"), DAG);
        Path db = dir.resolve("db/weft");
        Path work = dir.resolve("work");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Daws.ec2MetadataDisabled=true", CrashingEngineMain.class.getName(), work.toString(), db.toString(),
                workflow.toString(), markers.toString())
                .redirectErrorStream(true).start();
        List<String> childOutput = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("HANGING ")) {
                childOutput.add(line);
            }
            assertThat(line).as("the child JVM's output: %s", childOutput).isEqualTo("HANGING crash-resume.hang(0)");
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no close, like a crash
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        try (RunStore store = RunStores.h2File(db)) {
            // what the crash left: first done, hang(0) running, last not started, the run unfinished
            List<StoredNode> left = store.nodes("crash-resume");
            assertThat(node(left, "first").phase()).isEqualTo(NodePhase.SUCCEEDED);
            assertThat(node(left, "hang(0)").phase()).isEqualTo(NodePhase.RUNNING);
            assertThat(left).extracting(StoredNode::displayName).doesNotContain("last");
            assertThat(store.get("crash-resume").orElseThrow().finished()).isFalse();
        }

        try (Engine engine = engine(EngineConfig.defaults().withWorkRoot(work), RunStores.h2File(db), markers,
                true)) {
            List<WorkflowRun> resumed = List.of();
            for (int i = 0; i < 200 && resumed.isEmpty(); i++) {
                resumed = engine.resumeUnfinished(); // empty until the dead engine's lease (600 ms) runs out
                if (resumed.isEmpty()) {
                    Thread.sleep(50);
                }
            }
            assertThat(resumed).extracting(WorkflowRun::name).containsExactly("crash-resume");
            RunResult result = resumed.get(0).await(WAIT);

            assertThat(result.outcome()).as(result.message()).isEqualTo(RunOutcome.SUCCEEDED);
            assertThat(result.node("hang(0)").orElseThrow().phase()).isEqualTo(NodePhase.ERROR);
            assertThat(result.node("hang(0)").orElseThrow().message()).contains("engine running this node stopped");
            assertThat(result.node("hang(1)").orElseThrow().phase()).isEqualTo(NodePhase.SUCCEEDED);
            // the restored output of first reaches last, which ran only now
            assertThat(result.node("last").orElseThrow().outputs().result())
                    .contains("done by crash-resume.last done by crash-resume.first ");
            StoredRun stored = engine.runStore().get("crash-resume").orElseThrow();
            assertThat(stored.phase()).isEqualTo(NodePhase.SUCCEEDED);
        }
        assertThat(calls(markers, "crash-resume.first")).isEqualTo(1);
        assertThat(calls(markers, "crash-resume.hang(0)")).isEqualTo(1);
        assertThat(calls(markers, "crash-resume.hang(1)")).isEqualTo(1);
        assertThat(calls(markers, "crash-resume.last")).isEqualTo(1);
    }

    private static long calls(Path markers, String node) throws Exception {
        try (Stream<Path> files = Files.list(markers)) {
            return files.filter(f -> f.getFileName().toString().startsWith(node + ".")).count();
        }
    }

    private static StoredNode node(List<StoredNode> nodes, String display) {
        Optional<StoredNode> n = nodes.stream().filter(s -> s.displayName().equals(display)).findFirst();
        return n.orElseThrow(() -> new AssertionError("no node " + display + " in " + nodes));
    }
}
