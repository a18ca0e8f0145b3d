package dev.weft.engine.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.engine.Engine;
import dev.weft.engine.EngineConfig;
import dev.weft.engine.NodePhase;
import dev.weft.engine.NodeStatus;
import dev.weft.engine.NodeType;
import dev.weft.engine.RunResult;
import dev.weft.engine.expr.DefaultExpressions;
import dev.weft.engine.spec.WorkflowReader;
import dev.weft.engine.task.process.ProcessSandbox;
import dev.weft.engine.task.process.SandboxFactory;
import dev.weft.engine.task.process.SandboxSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Container and script templates run as real sandboxed processes through the engine. */
class ProcessTaskRunnerTest {

    private static Engine engine;
    private static Engine smallResults;
    private static EngineConfig config;
    private static ProcessSandbox sandbox;

    @BeforeAll
    static void start() {
        Path work = Path.of(System.getProperty("user.dir"), "target", "process-runner-work");
        config = EngineConfig.defaults().withWorkRoot(work);
        sandbox = new SandboxFactory(new SandboxSettings(work, SandboxSettings.DEFAULT_ALIASES,
                Optional.empty())).create();
        engine = Engine.builder().config(config).expressions(new DefaultExpressions()).processSandbox(sandbox)
                .build();
        smallResults = Engine.builder().config(new EngineConfig(work, 10, 4, Duration.ofSeconds(1), Map.of(),
                        Map.of(), Optional.empty(), Optional.empty(), List.of()))
                .expressions(new DefaultExpressions()).processSandbox(sandbox).build();
    }

    @AfterAll
    static void stop() {
        engine.close();
        smallResults.close();
    }

    private static RunResult run(Engine e, String yaml) throws Exception {
        return e.submit(new WorkflowReader().read(yaml, "p.yaml"), Map.of(), "p.yaml", List.of())
                .await(Duration.ofSeconds(120));
    }

    @Test
    void parallelTasksWritingTheSameTmpPathDoNotCollide() throws Exception {
        RunResult r = run(engine, """
                spec:
                  entrypoint: d
                  templates:
                  - name: d
                    dag:
                      tasks:
                      - {name: w, template: write, arguments: {parameters: [{name: v, value: "{{item}}"}]},
                         withItems: [a, b, c, d, e]}
                  - name: write
                    inputs: {parameters: [{name: v}]}
                    container:
                      image: busybox
                      command: [sh, -c]
                      args: ["echo {{inputs.parameters.v}} > /tmp/out; sleep 0.3; cat /tmp/out"]
                    outputs:
                      parameters: [{name: out, valueFrom: {path: /tmp/out}}]
                """);
        assertThat(r.phase()).isEqualTo(NodePhase.SUCCEEDED);
        List<NodeStatus> pods = r.nodes().stream().filter(n -> n.type() == NodeType.POD).toList();
        assertThat(pods).hasSize(5);
        for (NodeStatus p : pods) {
            String item = p.displayName().substring(p.displayName().indexOf(':') + 1, p.displayName().length() - 1);
            assertThat(p.outputs().result()).as(p.displayName()).contains(item);
            assertThat(p.outputs().parameters()).as(p.displayName()).containsEntry("out", item);
        }
    }

    @Test
    void scriptSourceRunsWithTheAliasAndStdoutIsTheResult() throws Exception {
        RunResult r = run(engine, """
                spec:
                  entrypoint: s
                  templates:
                  - name: s
                    script:
                      image: python:alpine
                      command: [python]
                      env: [{name: GREETING, value: hi}]
                      source: |
                        import os
                        print(os.environ["GREETING"], 6 * 7)
                """);
        assertThat(r.phase()).isEqualTo(NodePhase.SUCCEEDED);
        assertThat(r.nodes().get(0).outputs().result()).contains("hi 42");
        assertThat(r.nodes().get(0).outputs().exitCode()).contains(0);
    }

    @Test
    void nonZeroExitFailsTheNodeWithItsExitCode() throws Exception {
        RunResult r = run(engine, """
                spec:
                  entrypoint: s
                  templates:
                  - {name: s, container: {image: x, command: [sh, -c, "echo oops >&2; exit 3"]}}
                """);
        assertThat(r.phase()).isEqualTo(NodePhase.FAILED);
        assertThat(r.nodes().get(0).outputs().exitCode()).contains(3);
        assertThat(r.nodes().get(0).message()).isEqualTo("Error (exit code 3): oops");
    }

    @Test
    void outputParameterDefaultsApplyAndMissingFilesWithoutDefaultAreErrors() throws Exception {
        RunResult r = run(engine, """
                spec:
                  entrypoint: s
                  templates:
                  - name: s
                    steps:
                    - - {name: with-default, template: d, continueOn: {error: true}}
                      - {name: without, template: n, continueOn: {error: true}}
                  - name: d
                    container: {image: x, command: ["true"]}
                    outputs: {parameters: [{name: p, valueFrom: {path: /tmp/none, default: fallback}}]}
                  - name: n
                    container: {image: x, command: ["true"]}
                    outputs: {parameters: [{name: p, valueFrom: {path: /tmp/none}}]}
                """);
        assertThat(r.node("with-default").orElseThrow().outputs().parameters()).containsEntry("p", "fallback");
        NodeStatus without = r.node("without").orElseThrow();
        assertThat(without.phase()).isEqualTo(NodePhase.ERROR);
        assertThat(without.message()).contains("output parameter 'p'").contains("/tmp/none");
    }

    @Test
    void resultIsCutAtTheConfiguredSize() throws Exception {
        RunResult r = run(smallResults, """
                spec:
                  entrypoint: s
                  templates:
                  - {name: s, container: {image: x, command: [sh, -c, "echo 0123456789abcdef"]}}
                """);
        assertThat(r.nodes().get(0).outputs().result()).contains("0123456789");
    }

    @Test
    void activeDeadlineSecondsKillsTheProcess() throws Exception {
        RunResult r = run(engine, """
                spec:
                  entrypoint: s
                  templates:
                  - {name: s, activeDeadlineSeconds: 1, container: {image: x, command: [sh, -c, "sleep 60"]}}
                """);
        assertThat(r.phase()).isEqualTo(NodePhase.FAILED);
        assertThat(r.nodes().get(0).message()).contains("time limit of 1s").contains("killed");
    }

    @Test
    void anEngineWithoutArtifactSupportRefusesArtifactsClearly() throws Exception {
        try (Engine refusing = Engine.builder().config(config).processSandbox(sandbox)
                .artifactStager(new dev.weft.engine.exec.NoArtifactStager()).build()) {
            RunResult r = run(refusing, """
                    spec:
                      entrypoint: s
                      templates:
                      - name: s
                        container: {image: x, command: [sh, -c, "echo hi > /tmp/a"]}
                        outputs: {artifacts: [{name: a, path: /tmp/a}]}
                    """);
            assertThat(r.phase()).isEqualTo(NodePhase.ERROR);
            assertThat(r.nodes().get(0).message()).contains("declares artifacts (output 'a')")
                    .contains("not supported yet");
        }
    }
}
