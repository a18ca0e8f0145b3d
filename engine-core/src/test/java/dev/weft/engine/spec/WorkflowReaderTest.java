package dev.weft.engine.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.engine.expr.DefaultExpressions;
import dev.weft.engine.model.ArchiveStrategy;
import dev.weft.engine.model.Artifact;
import dev.weft.engine.model.DagTask;
import dev.weft.engine.model.Template;
import dev.weft.engine.model.TemplateKind;
import dev.weft.engine.model.Workflow;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class WorkflowReaderTest {

    private final WorkflowReader reader = new WorkflowReader();
    private final WorkflowValidator validator = new WorkflowValidator(new DefaultExpressions());

    static Stream<Path> argoExamples() throws IOException, URISyntaxException {
        Path dir = Path.of(WorkflowReaderTest.class.getResource("/conformance/argo").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("argoExamples")
    void everyArgoExampleParsesAndValidates(Path file) throws IOException {
        Workflow wf = reader.read(file);
        assertThat(validator.validate(wf, file.getFileName().toString(), h -> false)).isEmpty();
        assertThat(wf.spec().templates()).isNotEmpty();
    }

    @Test
    void artifactDeclarationsAreKeptInTheModel() throws Exception {
        Workflow wf = reader.read(Path.of(getClass().getResource("/conformance/argo/artifact-passing-subpath.yaml")
                .toURI()));
        Template gen = wf.spec().template("hello-world-to-file").orElseThrow();
        Artifact out = gen.outputs().artifacts().get(0);
        assertThat(out.name()).isEqualTo("hello-art");
        assertThat(out.path()).contains("/tmp/");
        assertThat(out.archive()).contains(ArchiveStrategy.none());
        Artifact arg = wf.spec().template("artifact-example").orElseThrow().steps().orElseThrow().get(2).get(0)
                .arguments().artifacts().get(0);
        assertThat(arg.from()).contains("{{steps.generate-artifact.outputs.artifacts.hello-art}}");
        assertThat(arg.subPath()).contains("hello_world.txt");
    }

    @Test
    void artifactRepositoryRefTarArchiveAndS3AreRead() {
        Workflow wf = reader.read("""
                apiVersion: argoproj.io/v1alpha1
                kind: Workflow
                metadata: {generateName: a-}
                spec:
                  entrypoint: main
                  artifactRepositoryRef: {configMap: repos, key: my-key}
                  templates:
                  - name: main
                    container: {image: busybox, command: [sh, -c, "echo hi > /tmp/x"]}
                    outputs:
                      artifacts:
                      - name: x
                        path: /tmp/x
                        globalName: gx
                        archive: {tar: {compressionLevel: 9}}
                        s3: {key: some/key, bucket: b}
                """, "a.yaml");
        assertThat(wf.spec().artifactRepositoryRef().orElseThrow().key()).contains("my-key");
        Artifact x = wf.spec().templates().get(0).outputs().artifacts().get(0);
        assertThat(x.archive().orElseThrow().kind()).isEqualTo(ArchiveStrategy.Kind.TAR);
        assertThat(x.archive().orElseThrow().compressionLevel()).contains(9);
        assertThat(x.s3().orElseThrow().key()).isEqualTo("some/key");
        assertThat(x.globalName()).contains("gx");
    }

    @Test
    void kubernetesOnlyFieldsAreIgnored() {
        Workflow wf = reader.read("""
                apiVersion: argoproj.io/v1alpha1
                kind: Workflow
                metadata: {generateName: k-}
                spec:
                  entrypoint: main
                  podGC: {strategy: OnPodSuccess}
                  ttlStrategy: {secondsAfterCompletion: 10}
                  imagePullSecrets: [{name: s}]
                  nodeSelector: {disk: ssd}
                  metrics: {prometheus: []}
                  volumes: [{name: v, emptyDir: {}}]
                  templates:
                  - name: main
                    podMetadata: {labels: {a: b}}
                    nodeSelector: {x: y}
                    container:
                      image: busybox
                      command: [echo, hi]
                      resources: {limits: {cpu: "1"}}
                      volumeMounts: [{name: v, mountPath: /v}]
                """, "k.yaml");
        assertThat(wf.spec().templates().get(0).kind()).isEqualTo(TemplateKind.CONTAINER);
    }

    @Test
    void yamlSyntaxErrorIsOneErrorWithLineAndColumn() {
        assertThatThrownBy(() -> reader.read("""
                apiVersion: argoproj.io/v1alpha1
                kind: Workflow
                spec:
                  entrypoint: main
                  templates:
                  - name: main
                    container: {image: busybox, command: [echo, hi
                """, "broken.yaml"))
                .isInstanceOfSatisfying(WorkflowSpecException.class, e -> {
                    assertThat(e.errors()).hasSize(1);
                    assertThat(e.getMessage()).startsWith("broken.yaml: line ").contains("column")
                            .contains("syntax error");
                });
    }

    @Test
    void wrongTypesAreReportedWithTheirPaths() {
        assertThatThrownBy(() -> reader.read("""
                apiVersion: argoproj.io/v1alpha1
                kind: Workflow
                spec:
                  entrypoint: main
                  parallelism: lots
                  templates:
                  - name: main
                    failFast: maybe
                    dag:
                      tasks:
                      - name: a
                        template: main
                        withItems: notalist
                """, "types.yaml"))
                .isInstanceOfSatisfying(WorkflowSpecException.class, e -> assertThat(e.errors())
                        .extracting(SpecError::toString)
                        .containsExactlyInAnyOrder(
                                "types.yaml: spec.parallelism: expected an integer, got 'lots'",
                                "types.yaml: spec.templates[main].failFast: expected true or false, got 'maybe'",
                                "types.yaml: spec.templates[main].dag.tasks[a].withItems: expected a list, got "
                                        + "'notalist'"));
    }

    @Test
    void unsupportedTemplateKindsNameTheKindAndTemplate() {
        assertThatThrownBy(() -> reader.read("""
                apiVersion: argoproj.io/v1alpha1
                kind: Workflow
                spec:
                  entrypoint: main
                  templates:
                  - name: main
                    resource: {action: create, manifest: "x"}
                  - name: call
                    http: {url: "http://example"}
                """, "kinds.yaml"))
                .isInstanceOfSatisfying(WorkflowSpecException.class, e -> assertThat(e.errors())
                        .extracting(SpecError::toString)
                        .anySatisfy(s -> assertThat(s).startsWith("kinds.yaml: spec.templates[main].resource: "
                                + "template 'main' is of kind 'resource'"))
                        .anySatisfy(s -> assertThat(s).startsWith("kinds.yaml: spec.templates[call].http: "
                                + "template 'call' is of kind 'http'")));
    }

    @Test
    void jsonDocumentsAreReadToo() {
        Workflow wf = reader.read("""
                {"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow", "metadata": {"name": "j"},
                 "spec": {"entrypoint": "d", "templates": [
                   {"name": "d", "dag": {"tasks": [{"name": "a", "template": "t"},
                                                  {"name": "b", "template": "t", "depends": "a"}]}},
                   {"name": "t", "plugin": {"noop": {"x": 1}}}]}}
                """, "wf.json");
        DagTask b = wf.spec().templates().get(0).dag().orElseThrow().tasks().get(1);
        assertThat(b.depends()).contains("a");
        assertThat(wf.spec().templates().get(1).plugin().orElseThrow().handler()).isEqualTo("noop");
        assertThat(wf.spec().templates().get(1).plugin().orElseThrow().config()).containsEntry("x", 1L);
    }

    @Test
    void pluginWeftSpellingNamesTheHandler() {
        Workflow wf = reader.read("""
                spec:
                  entrypoint: t
                  templates:
                  - name: t
                    plugin: {weft: {handler: greeter, greeting: hello}}
                """, "p.yaml");
        assertThat(wf.spec().templates().get(0).plugin().orElseThrow().handler()).isEqualTo("greeter");
        assertThat(wf.spec().templates().get(0).plugin().orElseThrow().config()).containsOnlyKeys("greeting");
        assertThat(List.of(wf.metadata().name())).isNotNull();
    }
}
