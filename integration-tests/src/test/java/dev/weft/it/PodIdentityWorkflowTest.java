package dev.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.storage.testkit.PodIdentityAgent;
import dev.weft.storage.testkit.S3ProxyExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * EKS Pod Identity end to end, as on a pod: no keys anywhere, only {@code AWS_CONTAINER_CREDENTIALS_FULL_URI} and
 * {@code AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE} in the environment of a {@code weft} process, which loads the store
 * plugin from a plugins folder and runs a workflow passing an artifact. The loopback agent hands out the key pair
 * the in-process S3 server checks signatures against, so a success proves those credentials were used.
 */
class PodIdentityWorkflowTest {

    @RegisterExtension
    static final S3ProxyExtension S3 = S3ProxyExtension.builder()
            .credentials("ASIAPODIDENTITYKEY", "pod-identity-secret-value-0123456789").build();

    @TempDir
    Path dir;

    private PodIdentityAgent agent;
    private Path tokenFile;
    private Path plugins;

    @BeforeEach
    void startAgent() throws Exception {
        // The kubelet's token file ends with a newline: the chains must trim it.
        tokenFile = Files.writeString(dir.resolve("eks-pod-identity-token"), "eyJhbGciOiJSUzI1NiJ9.pod-token\n");
        agent = PodIdentityAgent.start(tokenFile, S3.accessKey(), S3.secretKey()).sessionToken("pod-session-token");
        plugins = PluginJars.folderWith(dir, PluginJars.s3(), PluginJars.minio());
    }

    @AfterEach
    void stopAgent() {
        agent.close();
    }

    private CliRun runExample(String store, String bucket) throws Exception {
        return CliRun.childProcess(dir, Map.of(
                        "AWS_CONTAINER_CREDENTIALS_FULL_URI", agent.uri().toString(),
                        "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", tokenFile.toString()),
                "run", ProjectFiles.exampleWorkflow("s3-artifacts.yaml").toString(),
                "--store", store, "--plugins-dir", plugins.toString(),
                "--set", "endpoint=" + S3.endpoint(), "--set", "bucket=" + S3.createBucket(bucket),
                "--set", "region=" + S3.region(), "--set", "pathStyle=true");
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3", "minio"})
    void aWorkflowPassesAnArtifactWithNoKeysUsingTheAgentsCredentials(String store) throws Exception {
        CliRun run = runExample(store, "pod-" + store);

        assertThat(run.exitCode()).as(run.all()).isZero();
        assertThat(run.out()).contains("Succeeded in").contains("Artifact write/data -> default:");
        assertThat(S3.objectKeys("pod-" + store)).singleElement().asString().endsWith("/data.tgz");
        assertThat(agent.calls()).isPositive();
        assertThat(agent.tokensSeen()).allMatch("eyJhbGciOiJSUzI1NiJ9.pod-token"::equals);
        assertThat(run.all()).doesNotContain(S3.secretKey()).doesNotContain("pod-session-token");
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3", "minio"})
    void aWrongKeyPairFromTheAgentFailsWithAccessDeniedNamingPodIdentity(String store) throws Exception {
        agent.credentials(S3.accessKey(), "not-the-secret-the-server-knows");
        CliRun run = runExample(store, "wrong-" + store);

        assertThat(run.exitCode()).as(run.all()).isEqualTo(1);
        // A store that refuses the upload is an Error of the node (as in Argo), and the workflow ends in Error.
        assertThat(run.out()).contains(" Error in ").contains("credentials from pod-identity");
        assertThat(run.out().toLowerCase()).containsAnyOf("access denied", "access_denied", "signaturedoesnotmatch");
        assertThat(S3.objectKeys("wrong-" + store)).isEmpty();
        assertThat(run.all()).doesNotContain("not-the-secret-the-server-knows");
    }
}
