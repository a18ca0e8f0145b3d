package dev.weft.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.weft.engine.Engine;
import dev.weft.engine.EngineConfig;
import dev.weft.engine.NodePhase;
import dev.weft.engine.NodeStatus;
import dev.weft.engine.NodeType;
import dev.weft.engine.RunListener;
import dev.weft.engine.RunOutcome;
import dev.weft.engine.RunResult;
import dev.weft.engine.WorkflowRun;
import dev.weft.engine.model.DagTask;
import dev.weft.engine.model.Template;
import dev.weft.engine.model.Workflow;
import dev.weft.engine.spec.WorkflowReader;
import dev.weft.engine.store.StorageSettings;
import dev.weft.engine.task.TaskOutput;
import dev.weft.storage.spi.StoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The traps an embedder met in the public API (issue 13), each with the behaviour that replaced it. */
class EmbedderApiTest {

    @TempDir
    Path dir;

    private Engine.Builder engine() {
        return Engine.builder().config(EngineConfig.defaults().withWorkRoot(dir.resolve("work")))
                .storage(StorageSettings.defaults().withPluginsDir(dir.resolve("no-plugins"))
                        .withDefaultRepository(StoreConfig.of("default", "fs",
                                Map.of("root", dir.resolve("artifacts").toString()))));
    }

    /** A DAG with one task {@code only} that calls {@code task}, a template named {@code t}. */
    private static Workflow oneTask(Template.Builder task) {
        return Workflow.builder().generateName("api-").entrypoint("main")
                .template(Template.builder("main").dag(DagTask.builder("only", "t").build()))
                .template(task).build();
    }

    private static RunResult run(Engine engine, Workflow workflow) throws Exception {
        return engine.submit(workflow, Map.of()).await(Duration.ofMinutes(1));
    }

    @Test
    void nodesAreFoundByTheirFullNameAndByTheirDisplayName() throws Exception {
        try (Engine e = engine().handler("noop", c -> TaskOutput.result("x")).build()) {
            RunResult r = run(e, oneTask(Template.builder("t").plugin("noop", Map.of())));
            NodeStatus byDisplay = r.node("only").orElseThrow();
            assertThat(byDisplay.name()).isEqualTo(r.name() + ".only");
            assertThat(r.node(byDisplay.name())).contains(byDisplay);
            assertThat(r.node("nope")).isEmpty();
            assertThat(r.nodesNamed("only")).containsExactly(byDisplay);
        }
    }

    @Test
    void javaHandlerNodesHaveThePluginTypeNotPod() throws Exception {
        try (Engine e = engine().handler("noop", c -> TaskOutput.empty()).build()) {
            RunResult r = run(e, oneTask(Template.builder("t").plugin("noop", Map.of())));
            assertThat(r.node("only").orElseThrow().type()).isEqualTo(NodeType.PLUGIN);
            assertThat(NodeType.PLUGIN.isTask()).isTrue();
        }
    }

    @Test
    void aHandlerTimeoutSaysTheHandlerWasInterruptedNotThatAProcessWasKilled() throws Exception {
        try (Engine e = engine().handler("sleepy", c -> {
            Thread.sleep(60_000);
            return TaskOutput.empty();
        }).build()) {
            RunResult r = run(e, oneTask(Template.builder("t").timeout("1s").plugin("sleepy", Map.of())));
            String message = r.node("only").orElseThrow().message();
            assertThat(message).contains("exceeded its time limit of 1s").contains("handler was interrupted")
                    .doesNotContain("process");
        }
    }

    @Test
    void aHandlersExceptionIsKeptOnTheNodeWithItsCauseChainAndLoggedAtWarn() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger("dev.weft.engine.task.JavaHandlerRunner");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try (Engine e = engine().handler("broken", c -> {
            throw new IllegalStateException("cannot price", new java.io.IOException("feed down"));
        }).build()) {
            RunResult r = run(e, oneTask(Template.builder("t").plugin("broken", Map.of())));
            NodeStatus node = r.node("only").orElseThrow();
            assertThat(node.phase()).isEqualTo(NodePhase.FAILED);
            assertThat(node.message()).contains("cannot price");
            assertThat(node.failureCause()).get().isInstanceOf(IllegalStateException.class)
                    .extracting(Throwable::getCause).isInstanceOf(java.io.IOException.class);
            assertThat(appender.list).anySatisfy(ev -> {
                assertThat(ev.getLevel()).isEqualTo(Level.WARN);
                assertThat(ev.getFormattedMessage()).contains("broken").contains(node.name());
                assertThat(ev.getThrowableProxy().getMessage()).isEqualTo("cannot price");
            });
        } finally {
            logger.detachAppender(appender);
        }
    }

    @Test
    void aCancelledRunHasTheCancelledOutcome() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        try (Engine e = engine().handler("wait", c -> {
            started.countDown();
            Thread.sleep(60_000);
            return TaskOutput.empty();
        }).build()) {
            WorkflowRun run = e.submit(oneTask(Template.builder("t").plugin("wait", Map.of())), Map.of());
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
            run.cancel();
            RunResult r = run.await(Duration.ofMinutes(1));
            assertThat(r.outcome()).isEqualTo(RunOutcome.CANCELLED);
            assertThat(r.cancelled()).isTrue();
            assertThat(r.phase()).isEqualTo(NodePhase.FAILED); // Argo's phase for a terminated workflow
        }
    }

    @Test
    void aRunPastItsDeadlineHasTheDeadlineOutcomeAndAFailedTaskTheFailedOne() throws Exception {
        try (Engine e = engine().handler("wait", c -> {
            Thread.sleep(60_000);
            return TaskOutput.empty();
        }).handler("fail", c -> {
            throw new IllegalArgumentException("bad");
        }).build()) {
            Workflow slow = new WorkflowReader().read("""
                    apiVersion: argoproj.io/v1alpha1
                    kind: Workflow
                    metadata: {generateName: deadline-}
                    spec:
                      entrypoint: t
                      activeDeadlineSeconds: 1
                      templates:
                      - name: t
                        plugin: {wait: {}}
                    """, "deadline.yaml");
            assertThat(run(e, slow).outcome()).isEqualTo(RunOutcome.DEADLINE_EXCEEDED);
            RunResult failed = run(e, oneTask(Template.builder("t").plugin("fail", Map.of())));
            assertThat(failed.outcome()).isEqualTo(RunOutcome.FAILED);
            assertThat(failed.cancelled()).isFalse();
        }
    }

    @Test
    void withoutAProcessSandboxTheErrorSaysHowToGetOne() throws Exception {
        try (Engine e = engine().build()) {
            RunResult r = run(e, oneTask(Template.builder("t").container("echo", "hi")));
            assertThat(r.node("only").orElseThrow().message())
                    .contains("no task runner for container templates").contains("probeSandbox()");
        }
    }

    @Test
    void aHandlerSeesItsAttemptLogsToTheNodeAndUsesArtifactsAsPaths() throws Exception {
        List<String> logLines = new CopyOnWriteArrayList<>();
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        RunListener listener = new RunListener() {
            @Override
            public void taskLog(String runName, String nodeId, String nodeName, String line) {
                logLines.add(nodeName + ": " + line);
            }
        };
        try (Engine e = engine().config(EngineConfig.defaults().withWorkRoot(dir.resolve("work"))
                        .withListener(listener))
                .handler("write", c -> {
                    Files.writeString(c.outputArtifact("report"), "total=" + c.parameters().get("n"));
                    return TaskOutput.empty();
                })
                .handler("read", c -> {
                    attempts.add(c.attempt());
                    c.log().info("attempt {} reading {}", c.attempt(), c.inputArtifact("report").getFileName());
                    if (c.attempt() == 0) {
                        throw new IllegalStateException("first try fails");
                    }
                    return TaskOutput.result(Files.readString(c.inputArtifact("report")));
                }).build()) {
            Workflow wf = new WorkflowReader().read("""
                    apiVersion: argoproj.io/v1alpha1
                    kind: Workflow
                    metadata: {generateName: handler-files-}
                    spec:
                      entrypoint: main
                      templates:
                      - name: main
                        dag:
                          tasks:
                          - {name: produce, template: produce}
                          - name: consume
                            template: consume
                            depends: produce
                            arguments:
                              artifacts: [{name: report, from: "{{tasks.produce.outputs.artifacts.report}}"}]
                      - name: produce
                        outputs: {artifacts: [{name: report, path: /out/report.txt, archive: {none: {}}}]}
                        plugin: {weft: {handler: write}}
                        inputs: {parameters: [{name: n, value: "42"}]}
                      - name: consume
                        retryStrategy: {limit: 2}
                        inputs: {artifacts: [{name: report, path: /in/report.txt}]}
                        plugin: {weft: {handler: read}}
                    """, "handler-files.yaml");
            RunResult r = run(e, wf);
            assertThat(r.succeeded()).as(r.message()).isTrue();
            assertThat(attempts).containsExactly(0, 1);
            assertThat(r.node(r.name() + ".consume(1)").orElseThrow().outputs().result()).contains("total=42");
            assertThat(logLines).contains(r.name() + ".consume(0): attempt 0 reading report.txt",
                    r.name() + ".consume(1): attempt 1 reading report.txt");
            assertThat(dir.resolve("work/handlers")).isEmptyDirectory(); // task directories are removed
        }
    }

    @Test
    void aHandlerAskingForAnUndeclaredArtifactGetsAnErrorNamingIt() throws Exception {
        try (Engine e = engine().handler("ask", c -> {
            c.outputArtifact("missing");
            return TaskOutput.empty();
        }).build()) {
            RunResult r = run(e, oneTask(Template.builder("t").plugin("ask", Map.of())));
            assertThat(r.node("only").orElseThrow().message())
                    .contains("declares no output artifact 'missing'");
        }
    }
}
