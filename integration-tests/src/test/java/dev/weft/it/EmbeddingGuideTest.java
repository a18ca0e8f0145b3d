package dev.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.engine.Engine;
import dev.weft.engine.NodePhase;
import dev.weft.engine.RunResult;
import dev.weft.engine.spec.WorkflowReader;
import dev.weft.examples.embedding.GuiceEmbedding;
import dev.weft.examples.embedding.JavaBuiltWorkflow;
import dev.weft.examples.embedding.RunYamlWorkflow;
import dev.weft.examples.embedding.S3WithPodIdentity;
import dev.weft.storage.testkit.S3ProxyExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps docs/embedding.md honest: every Java block in it is copied from an example class between
 * {@code // begin:x} and {@code // end:x} markers (checked here), and every example runs here.
 */
class EmbeddingGuideTest {

    @RegisterExtension
    static final S3ProxyExtension S3 = S3ProxyExtension.builder().build();

    @TempDir
    Path dir;

    @Test
    void everyJavaBlockInTheGuideIsCodeFromAnExampleThatCompiles() throws IOException {
        String guide = Files.readString(ProjectFiles.root().resolve("docs/embedding.md"));
        StringBuilder sources = new StringBuilder();
        try (var files = Files.walk(ProjectFiles.root().resolve("examples/src/main/java/dev/weft/examples/embedding"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                sources.append(normalize(Files.readString(f))).append('\n');
            }
        }
        List<String> blocks = new ArrayList<>();
        Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(guide);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        assertThat(blocks).hasSizeGreaterThanOrEqualTo(4);
        for (String block : blocks) {
            assertThat(sources.toString()).as("docs/embedding.md block:\n" + block).contains(normalize(block).trim());
        }
    }

    private static String normalize(String code) {
        return code.lines().map(String::strip).filter(l -> !l.isEmpty()).reduce("", (a, b) -> a + b + "\n");
    }

    @Test
    void aYamlWorkflowRunsInAFewLines() throws Exception {
        Path workflow = Files.writeString(dir.resolve("hello.yaml"), """
                apiVersion: argoproj.io/v1alpha1
                kind: Workflow
                metadata: {generateName: hello-}
                spec:
                  entrypoint: hello
                  templates:
                  - name: hello
                    container: {image: alpine, command: [echo, hello]}
                """);
        RunResult result = RunYamlWorkflow.run(workflow);
        assertThat(result.phase()).isEqualTo(NodePhase.SUCCEEDED);
        assertThat(result.nodes().get(0).outputs().result()).contains("hello");
    }

    @Test
    void aJavaBuiltWorkflowOfHandlersComputesItsResult() throws Exception {
        RunResult result = JavaBuiltWorkflow.run();
        assertThat(result.phase()).as(result.message()).isEqualTo(NodePhase.SUCCEEDED);
        assertThat(result.node("sum").orElseThrow().outputs().parameters()).containsEntry("sum", "84");
    }

    @Test
    void guiceWiresTheEngineWithTheHostsOwnBindings() throws Exception {
        RunResult result = GuiceEmbedding.run(dir.resolve("artifacts"));
        assertThat(result.phase()).as(result.message()).isEqualTo(NodePhase.SUCCEEDED);
        assertThat(result.nodes().get(0).outputs().result()).contains("hello, Weft");
    }

    @Test
    void theS3StoreConfiguredInJavaStoresArtifacts() throws Exception {
        // Pod Identity itself is proven in PodIdentityWorkflowTest (it needs a process environment); here the
        // same configuration code runs with the chain switched to static test keys.
        Path plugins = PluginJars.folderWith(dir, PluginJars.s3());
        S3.createBucket("embedded");
        try (Engine probe = S3WithPodIdentity.engine(plugins, S3.endpoint().toString(), "embedded", S3.region())) {
            assertThat(probe).isNotNull(); // builds with the pod-identity chain even off EKS: credentials are lazy
        }
        String source = Files.readString(ProjectFiles.root()
                .resolve("examples/src/main/java/dev/weft/examples/embedding/S3WithPodIdentity.java"));
        assertThat(source).contains("\"credentials.chain\", \"pod-identity\"");
        try (Engine engine = Engine.builder().storage(dev.weft.engine.store.StorageSettings.defaults()
                        .withPluginsDir(plugins).withDefaultRepository(dev.weft.storage.spi.StoreConfig.of("default", "s3",
                                Map.of("endpoint", S3.endpoint().toString(), "bucket", "embedded", "region", S3.region(),
                                        "pathStyle", "true", "credentials.accessKey", S3.accessKey(),
                                        "credentials.secretKey", S3.secretKey()))))
                .probeSandbox().build()) {
            RunResult result = engine.submit(new WorkflowReader().read("""
                    metadata: {name: embedded-s3}
                    spec:
                      entrypoint: w
                      templates:
                      - name: w
                        container: {image: x, command: [sh, -c, "echo data > /tmp/out"]}
                        outputs: {artifacts: [{name: out, path: /tmp/out}]}
                    """, "embedded.yaml"), Map.of()).await(Duration.ofMinutes(1));
            assertThat(result.phase()).as(result.message()).isEqualTo(NodePhase.SUCCEEDED);
            assertThat(S3.objectKeys("embedded")).singleElement().asString().startsWith("embedded-s3/");
        }
    }
}
