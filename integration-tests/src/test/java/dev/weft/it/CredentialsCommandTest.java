package dev.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.storage.testkit.PodIdentityAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code weft credentials}: what an operator runs inside a pod when artifact access fails. */
class CredentialsCommandTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"s3", "minio"})
    void podIdentityIsNamedAsTheChosenStepWithItsUriAndTokenFileButNoSecret(String store) throws Exception {
        Path tokenFile = Files.writeString(dir.resolve("token"), "pod-jwt-token\n");
        Path plugins = PluginJars.folderWith(dir, PluginJars.s3(), PluginJars.minio());
        try (PodIdentityAgent agent = PodIdentityAgent.start(tokenFile, "ASIAEXAMPLEKEYID", "agent-secret-value")
                .sessionToken("agent-session-token")) {
            CliRun run = CliRun.childProcess(dir, Map.of(
                            "AWS_CONTAINER_CREDENTIALS_FULL_URI", agent.uri().toString(),
                            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", tokenFile.toString()),
                    "credentials", "--store", store, "--plugins-dir", plugins.toString(),
                    "--set", "bucket=b", "--set", "endpoint=http://127.0.0.1:9", "--set", "region=us-east-1");
            assertThat(run.exitCode()).as(run.all()).isZero();
            assertThat(run.out()).containsPattern("pod-identity\\s+CHOSEN")
                    .contains(agent.uri().toString()).contains(tokenFile.toString())
                    .contains("Using credentials from: pod-identity")
                    .containsPattern("environment\\s+SKIPPED");
            assertThat(run.all()).doesNotContain("agent-secret-value").doesNotContain("agent-session-token")
                    .doesNotContain("pod-jwt-token");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3", "minio"})
    void withNothingConfiguredEveryStepSaysWhyAndTheExitCodeIsNonZero(String store) throws Exception {
        Path plugins = PluginJars.folderWith(dir, PluginJars.s3(), PluginJars.minio());
        CliRun run = CliRun.childProcess(dir, Map.of("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("none").toString(),
                        "AWS_CONFIG_FILE", dir.resolve("none-config").toString(), "HOME", dir.toString()),
                "credentials", "--store", store, "--plugins-dir", plugins.toString(),
                "--set", "bucket=b", "--set", "endpoint=http://127.0.0.1:9", "--set", "region=us-east-1");
        assertThat(run.exitCode()).as(run.all()).isEqualTo(3);
        assertThat(run.out()).containsPattern("static\\s+SKIPPED").containsPattern("pod-identity\\s+SKIPPED")
                .containsPattern("instance-profile\\s+SKIPPED").contains("AWS_EC2_METADATA_DISABLED")
                .contains("No credentials found");
    }

    @Test
    void theFsStoreNeedsNoCredentials() {
        CliRun run = CliRun.inProcess("credentials", "--store", "fs", "--plugins-dir", dir.resolve("none").toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("needs no credentials");
    }
}
