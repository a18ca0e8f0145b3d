package dev.weft.storage.minio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.storage.minio.credentials.CredentialEnvironment;
import dev.weft.storage.spi.ArtifactKey;
import dev.weft.storage.spi.ArtifactStore;
import dev.weft.storage.spi.CredentialStep;
import dev.weft.storage.spi.StoreConfig;
import dev.weft.storage.testkit.S3ProxyExtension;
import dev.weft.storage.testkit.StsStandIn;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Web identity (IRSA) and roleArn end to end: the loopback STS hands out S3Proxy's key pair. */
class MinioStsTest {

    @RegisterExtension
    static final S3ProxyExtension S3 = S3ProxyExtension.builder().build();

    @TempDir
    Path dir;

    @Test
    void webIdentityCredentialsFromStsReachS3() throws IOException {
        S3.createBucket("irsa");
        Path token = Files.writeString(dir.resolve("irsa-token"), "irsa-jwt-for-tests\n");
        try (StsStandIn sts = StsStandIn.start().credentials(S3.accessKey(), S3.secretKey(), "irsa-session")) {
            Map<String, String> env = Map.of("AWS_WEB_IDENTITY_TOKEN_FILE", token.toString(),
                    "AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/weft-irsa", "AWS_EC2_METADATA_DISABLED", "true");
            try (ArtifactStore store = store(env, Map.of("bucket", "irsa", "sts.endpoint",
                    sts.endpoint().toString()))) {
                store.put(ArtifactKey.of("irsa.txt"), stream("irsa"), 4);
                try (InputStream in = store.open(ArtifactKey.of("irsa.txt"))) {
                    assertThat(in.readAllBytes()).asString(StandardCharsets.UTF_8).isEqualTo("irsa");
                }
                assertThat(store.describe().credentials().chosenSource()).isEqualTo("web-identity");
            }
            assertThat(sts.calls("AssumeRoleWithWebIdentity")).isEqualTo(1);
            assertThat(sts.requests().get(0)).containsEntry("WebIdentityToken", "irsa-jwt-for-tests")
                    .containsEntry("RoleArn", "arn:aws:iam::123456789012:role/weft-irsa");
        }
    }

    @Test
    void roleArnAssumesTheRoleWithTheChainsKeys() throws IOException {
        S3.createBucket("assumed");
        try (StsStandIn sts = StsStandIn.start().credentials(S3.accessKey(), S3.secretKey(), "assumed-session")) {
            Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", "AKBASEKEY", "AWS_SECRET_ACCESS_KEY",
                    "base-secret-value", "AWS_EC2_METADATA_DISABLED", "true");
            try (ArtifactStore store = store(env, Map.of("bucket", "assumed", "sts.endpoint",
                    sts.endpoint().toString(), "roleARN", "arn:aws:iam::123456789012:role/weft-target"))) {
                store.put(ArtifactKey.of("assumed.txt"), stream("assumed"), 7);
                assertThat(store.describe().credentials().chosenSource()).isEqualTo("environment");
                assertThat(store.describe().credentials().steps()).last().satisfies(step -> {
                    assertThat(step.source()).isEqualTo("assume-role");
                    assertThat(step.outcome()).isEqualTo(CredentialStep.Outcome.CHOSEN);
                    assertThat(step.details()).containsEntry("roleArn", "arn:aws:iam::123456789012:role/weft-target")
                            .containsEntry("base", "environment");
                });
                assertThat(store.describe().toString()).doesNotContain("base-secret-value");
            }
            assertThat(sts.calls("AssumeRole")).isEqualTo(1);
            assertThat(sts.requests().get(0)).containsEntry("RoleArn", "arn:aws:iam::123456789012:role/weft-target");
            assertThat(sts.authorizations().get(0)).contains("Credential=AKBASEKEY/");
        }
    }

    private static ArtifactStore store(Map<String, String> env, Map<String, String> extra) {
        Map<String, String> props = new HashMap<>(Map.of("endpoint", S3.endpoint().toString(),
                "region", S3.region(), "pathStyle", "true"));
        props.putAll(extra);
        return new MinioArtifactStoreProvider(CredentialEnvironment.of(env), Clock.systemUTC())
                .create(StoreConfig.of("default", "minio", props));
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
