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
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two tasks pass a 1 GiB artifact through the fs store and through the S3 plugin (S3Proxy on disk) while the engine's
 * heap is capped at 256 MiB; the consumer's digest must equal the producer's. Slow, so tagged: run it with
 * <pre>
 * mvn -B -ntp verify -pl integration-tests -am -Dweft.test.excludedGroups=none -DargLine=-Xmx256m \
 *     -Dtest=LargeArtifactWorkflowTest -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
@Tag("slow")
class LargeArtifactWorkflowTest {

    private static final long MAX_HEAP = 256L << 20;

    @RegisterExtension
    static final S3ProxyExtension S3 = S3ProxyExtension.builder().onDisk().build();

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"fs", "s3"})
    void aOneGibArtifactPassesBetweenTasksWithinABoundedHeap(String store) throws Exception {
        assertThat(Runtime.getRuntime().maxMemory()).as("run this test with -DargLine=-Xmx256m")
                .isLessThanOrEqualTo(MAX_HEAP + (MAX_HEAP / 20));
        StoreConfig config = store.equals("fs")
                ? StoreConfig.of("default", "fs", Map.of("root", dir.resolve("artifacts").toString()))
                : StoreConfig.of("default", "s3", Map.of("endpoint", S3.endpoint().toString(), "region", S3.region(),
                        "bucket", S3.createBucket("large"), "pathStyle", "true",
                        "credentials.accessKey", S3.accessKey(), "credentials.secretKey", S3.secretKey()));
        Path plugins = PluginJars.folderWith(dir, PluginJars.s3());
        resetPeaks();
        try (Engine engine = Engine.builder().config(EngineConfig.defaults().withWorkRoot(dir.resolve("work")))
                .storage(new StorageSettings(plugins, Map.of("default", config))).probeSandbox().build()) {
            RunResult result = engine.submit(new WorkflowReader().read("""
                    metadata: {generateName: large-}
                    spec:
                      entrypoint: main
                      templates:
                      - name: main
                        steps:
                        - - {name: produce, template: produce}
                        - - name: consume
                            template: consume
                            arguments:
                              artifacts: [{name: big, from: "{{steps.produce.outputs.artifacts.big}}"}]
                      - name: produce
                        container:
                          image: x
                          command: [sh, -c, "head -c 1073741824 /dev/urandom > /tmp/big && sha256sum /tmp/big | cut -d' ' -f1 > /tmp/sum"]
                        outputs:
                          parameters: [{name: sum, valueFrom: {path: /tmp/sum}}]
                          artifacts: [{name: big, path: /tmp/big, archive: {none: {}}}]
                      - name: consume
                        inputs:
                          artifacts: [{name: big, path: /in/big}]
                        container:
                          image: x
                          command: [sh, -c, "sha256sum /in/big | cut -d' ' -f1"]
                    """, "large.yaml"), Map.of(), "large.yaml", List.of()).await(Duration.ofMinutes(20));
            assertThat(result.phase()).as(result.message()).isEqualTo(NodePhase.SUCCEEDED);
            String produced = result.node("produce").orElseThrow().outputs().parameters().get("sum").trim();
            assertThat(result.node("consume").flatMap(n -> n.outputs().result()).map(String::trim))
                    .contains(produced);
            assertThat(result.node("produce").orElseThrow().outputs().artifacts().get("big").location()
                    .orElseThrow().size()).isEqualTo(1L << 30);
        }
        System.out.printf("1 GiB through %s: peak heap used %d MiB of max %d MiB%n", store, peakHeap() >> 20,
                Runtime.getRuntime().maxMemory() >> 20);
    }

    private static void resetPeaks() {
        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    private static long peakHeap() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }
}
