package dev.weft.engine.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.engine.Engine;
import dev.weft.engine.EngineConfig;
import dev.weft.engine.NodePhase;
import dev.weft.engine.RunResult;
import dev.weft.engine.model.ArtifactLocation;
import dev.weft.engine.spec.WorkflowReader;
import dev.weft.engine.store.StorageSettings;
import dev.weft.engine.task.process.SandboxFactory;
import dev.weft.engine.task.process.SandboxSettings;
import dev.weft.storage.spi.StoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Artifacts moving between real process tasks through the engine's fs repository. */
class ArtifactPassingTest {

    @TempDir
    static Path dir;

    private static Engine engine;
    private static Path root;

    @BeforeAll
    static void start() {
        Path work = dir.resolve("work");
        root = dir.resolve("artifacts");
        EngineConfig config = EngineConfig.defaults().withWorkRoot(work);
        engine = Engine.builder().config(config)
                .processSandbox(new SandboxFactory(new SandboxSettings(work, SandboxSettings.DEFAULT_ALIASES,
                        Optional.empty())).create())
                .storage(StorageSettings.defaults().withPluginsDir(dir.resolve("no-plugins"))
                        .withDefaultRepository(StoreConfig.of("default", "fs", Map.of("root", root.toString(),
                                "keyFormat", "runs/{{workflow.name}}/{{pod.name}}"))))
                .build();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    private static RunResult run(String yaml) throws Exception {
        return engine.submit(new WorkflowReader().read(yaml, "test.yaml"), Map.of(), "test.yaml", List.of())
                .await(Duration.ofMinutes(2));
    }

    @Test
    void aDirectoryAndAFilePassFromProducerToConsumerWithModesAndEmptyDirectories() throws Exception {
        RunResult r = run("""
                metadata: {name: passing}
                spec:
                  entrypoint: main
                  templates:
                  - name: main
                    dag:
                      tasks:
                      - {name: produce, template: produce}
                      - name: consume
                        depends: produce
                        template: consume
                        arguments:
                          artifacts:
                          - {name: tree, from: "{{tasks.produce.outputs.artifacts.tree}}"}
                          - {name: note, from: "{{tasks.produce.outputs.artifacts.note}}"}
                  - name: produce
                    container:
                      image: x
                      command: [sh, -c, "mkdir -p /tmp/tree/sub /tmp/tree/empty && echo deep > /tmp/tree/sub/f && chmod 750 /tmp/tree/sub/f && echo note > /tmp/note.txt"]
                    outputs:
                      artifacts:
                      - {name: tree, path: /tmp/tree}
                      - {name: note, path: /tmp/note.txt, archive: {none: {}}}
                  - name: consume
                    inputs:
                      artifacts:
                      - {name: tree, path: /in/tree}
                      - {name: note, path: /in/note.txt}
                    container:
                      image: x
                      command: [sh, -c, "cat /in/tree/sub/f /in/note.txt; test -d /in/tree/empty && stat -c %a /in/tree/sub/f"]
                """);
        assertThat(r.phase()).as(r.message()).isEqualTo(NodePhase.SUCCEEDED);
        assertThat(r.node("consume").flatMap(n -> n.outputs().result())).contains("deep\nnote\n750");

        ArtifactLocation note = r.node("produce").orElseThrow().outputs().artifacts().get("note").location()
                .orElseThrow();
        assertThat(note.repository()).isEqualTo("default");
        assertThat(note.key()).startsWith("runs/passing/").endsWith("/note.txt");
        Path stored = root.resolve(note.key());
        assertThat(stored).hasContent("note");
        assertThat(note.size()).isEqualTo(Files.size(stored));
        assertThat(r.node("produce").orElseThrow().outputs().artifacts().get("tree").location().orElseThrow().key())
                .endsWith("/tree.tgz");
        try (Stream<Path> leftovers = Files.list(root.resolve(".weft-staging"))) {
            assertThat(leftovers).isEmpty();
        }
    }

    @Test
    void aMissingRequiredInputFailsTheNodeNamingKeyAndRepositoryWhileAnOptionalOneIsSkipped() throws Exception {
        RunResult r = run("""
                spec:
                  entrypoint: main
                  templates:
                  - name: main
                    steps:
                    - - {name: optional, template: optional}
                    - - {name: required, template: required}
                  - name: optional
                    inputs:
                      artifacts:
                      - {name: maybe, path: /in/maybe, optional: true, s3: {key: nowhere/maybe.txt}}
                    container: {image: x, command: [sh, -c, "test ! -e /in/maybe && echo skipped"]}
                  - name: required
                    inputs:
                      artifacts:
                      - {name: must, path: /in/must, s3: {key: nowhere/must.txt}}
                    container: {image: x, command: [sh, -c, "echo never"]}
                """);
        assertThat(r.node("optional").flatMap(n -> n.outputs().result())).contains("skipped");
        assertThat(r.phase()).isIn(NodePhase.FAILED, NodePhase.ERROR);
        assertThat(r.node("required").orElseThrow().message())
                .contains("must").contains("nowhere/must.txt").contains("'default'");
    }

    @Test
    void rawInputArtifactsAreWrittenWithTheirMode() throws Exception {
        RunResult r = run("""
                spec:
                  entrypoint: s
                  templates:
                  - name: s
                    inputs:
                      artifacts:
                      - {name: script, path: /bin2/hello.sh, mode: 0755, raw: {data: "echo from raw"}}
                    container: {image: x, command: [sh, -c, "/bin2/hello.sh && stat -c %a /bin2/hello.sh"]}
                """);
        assertThat(r.phase()).as(r.message()).isEqualTo(NodePhase.SUCCEEDED);
        assertThat(r.nodes().get(0).outputs().result()).contains("from raw\n755");
    }

    @Test
    void anOutputPathTheTaskNeverWroteFailsTheNodeButAnOptionalOneDoesNot() throws Exception {
        RunResult r = run("""
                spec:
                  entrypoint: main
                  templates:
                  - name: main
                    steps:
                    - - {name: lenient, template: lenient}
                    - - {name: strict, template: strict}
                  - name: lenient
                    container: {image: x, command: [sh, -c, "true"]}
                    outputs: {artifacts: [{name: o, path: /tmp/none, optional: true}]}
                  - name: strict
                    container: {image: x, command: [sh, -c, "true"]}
                    outputs: {artifacts: [{name: o, path: /tmp/none}]}
                """);
        assertThat(r.node("lenient").orElseThrow().phase()).isEqualTo(NodePhase.SUCCEEDED);
        assertThat(r.node("strict").orElseThrow().phase()).isIn(NodePhase.ERROR, NodePhase.FAILED);
        assertThat(r.node("strict").orElseThrow().message()).contains("output artifact 'o'").contains("/tmp/none");
    }
}
