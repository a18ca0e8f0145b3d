package dev.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.engine.Engine;
import dev.weft.engine.EngineConfig;
import dev.weft.engine.NodePhase;
import dev.weft.engine.RunResult;
import dev.weft.engine.spec.WorkflowReader;
import dev.weft.engine.store.StorageSettings;
import dev.weft.storage.spi.StoreConfig;
import dev.weft.storage.testkit.S3ProxyExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Workflows whose artifacts go through the store plugins, loaded from a plugins folder, against S3Proxy. */
class StoreWorkflowsTest {

    @RegisterExtension
    static final S3ProxyExtension S3 = S3ProxyExtension.builder().build();

    @TempDir
    static Path dir;

    private static Engine engine;

    private static StoreConfig store(String name, String type, String bucket) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("endpoint", S3.endpoint().toString());
        properties.put("region", S3.region());
        properties.put("bucket", bucket);
        properties.put("pathStyle", "true");
        properties.put("credentials.chain", "static");
        properties.put("credentials.accessKey", S3.accessKey());
        properties.put("credentials.secretKey", S3.secretKey());
        return StoreConfig.of(name, type, properties);
    }

    @BeforeAll
    static void start() {
        Path plugins = PluginJars.folderWith(dir, PluginJars.s3(), PluginJars.minio());
        S3.createBucket("s3-default");
        S3.createBucket("s3-ref");
        S3.createBucket("minio-side");
        StorageSettings storage = new StorageSettings(plugins, Map.of(
                "default", store("default", "s3", "s3-default"),
                "my-key", store("my-key", "s3", "s3-ref"),
                "minio-side", store("minio-side", "minio", "minio-side")));
        engine = Engine.builder().config(EngineConfig.defaults().withWorkRoot(dir.resolve("work")))
                .storage(storage).probeSandbox().build();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    private static RunResult run(Path file) throws Exception {
        return engine.submit(new WorkflowReader().read(file), Map.of(), file.getFileName().toString(), List.of())
                .await(Duration.ofMinutes(3));
    }

    @ParameterizedTest
    @ValueSource(strings = {"artifact-passing.yaml", "artifact-passing-subpath.yaml", "conditional-artifacts.yaml",
            "global-outputs.yaml", "handle-large-output-results.yaml", "artifact-repository-ref.yaml"})
    void argoArtifactExamplesPassThroughTheS3Plugin(String example) throws Exception {
        RunResult result = run(ProjectFiles.argoExample(example));
        assertThat(result.phase()).as(result.message()).isEqualTo(NodePhase.SUCCEEDED);
        String bucket = example.equals("artifact-repository-ref.yaml") ? "s3-ref" : "s3-default";
        assertThat(S3.objectKeys(bucket)).anyMatch(k -> k.startsWith(result.name() + "/"));
    }

    @Test
    void oneWorkflowUsesTheS3PluginForOneArtifactAndTheMinioPluginForAnother() throws Exception {
        RunResult result = engine.submit(new WorkflowReader().read("""
                metadata: {name: two-stores}
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
                          - {name: a, from: "{{tasks.produce.outputs.artifacts.via-s3}}"}
                          - {name: b, from: "{{tasks.produce.outputs.artifacts.via-minio}}"}
                  - name: produce
                    container: {image: x, command: [sh, -c, "echo through s3 > /tmp/a; echo through minio > /tmp/b"]}
                    outputs:
                      artifacts:
                      - {name: via-s3, path: /tmp/a}
                      - {name: via-minio, path: /tmp/b, artifactRepositoryRef: {key: minio-side}}
                  - name: consume
                    inputs:
                      artifacts:
                      - {name: a, path: /in/a}
                      - {name: b, path: /in/b}
                    container: {image: x, command: [sh, -c, "cat /in/a /in/b"]}
                """, "two-stores.yaml"), Map.of(), "two-stores.yaml", List.of()).await(Duration.ofMinutes(2));

        assertThat(result.phase()).as(result.message()).isEqualTo(NodePhase.SUCCEEDED);
        assertThat(result.node("consume").flatMap(n -> n.outputs().result())).contains("through s3\nthrough minio");
        assertThat(S3.objectKeys("s3-default")).anyMatch(k -> k.startsWith("two-stores/") && k.endsWith("/via-s3.tgz"));
        assertThat(S3.objectKeys("minio-side")).anyMatch(k -> k.startsWith("two-stores/") && k.endsWith("/via-minio.tgz"));
        assertThat(result.node("produce").orElseThrow().outputs().artifacts().get("via-minio").location()
                .orElseThrow().repository()).isEqualTo("minio-side");
    }
}
