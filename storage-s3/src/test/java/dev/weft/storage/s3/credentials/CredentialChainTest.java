package dev.weft.storage.s3.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.storage.spi.ArtifactStoreException;
import dev.weft.storage.spi.CredentialReport;
import dev.weft.storage.spi.CredentialStep;
import dev.weft.storage.spi.CredentialStep.Outcome;
import dev.weft.storage.spi.StoreConfig;
import dev.weft.storage.testkit.PodIdentityAgent;
import dev.weft.storage.testkit.StsStandIn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.regions.Region;

/** The chain's order, each step's outcome and reason, web identity through STS, and a role on top. */
class CredentialChainTest {

    @TempDir
    Path home;

    private Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    private CredentialChain chain(Map<String, String> env, String... properties) {
        Map<String, String> p = new HashMap<>();
        p.put("bucket", "b");
        for (int i = 0; i < properties.length; i += 2) {
            p.put(properties[i], properties[i + 1]);
        }
        return CredentialChain.fromConfig(StoreConfig.of("test", "s3", p), Environment.of(env), Region.US_EAST_1,
                Clock.systemUTC());
    }

    private static List<String> lines(CredentialReport report) {
        return report.steps().stream().map(s -> s.source() + " " + s.outcome() + " " + s.reason()).toList();
    }

    @Test
    void withNothingConfiguredEveryStepIsSkippedWithItsReasonAndTheErrorListsThem() {
        try (CredentialChain chain = chain(env())) {
            CredentialReport report = chain.report();
            assertThat(lines(report)).containsExactly(
                    "static SKIPPED no credentials.accessKey, credentials.accessKeyEnv or credentials.accessKeyFile "
                            + "in the store config",
                    "environment SKIPPED AWS_ACCESS_KEY_ID not set",
                    "web-identity SKIPPED AWS_WEB_IDENTITY_TOKEN_FILE not set",
                    "pod-identity SKIPPED AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_CREDENTIALS_RELATIVE_URI "
                            + "not set",
                    "profile SKIPPED no file at " + home.resolve(".aws/credentials") + " or "
                            + home.resolve(".aws/config"),
                    "instance-profile SKIPPED AWS_EC2_METADATA_DISABLED=true");
            assertThatThrownBy(chain::resolveCredentials)
                    .isInstanceOf(CredentialSourceException.class)
                    .hasMessageContaining("no credential source produced credentials for store 'test'")
                    .hasMessageContaining("environment: SKIPPED (AWS_ACCESS_KEY_ID not set)")
                    .hasMessageContaining("instance-profile: SKIPPED (AWS_EC2_METADATA_DISABLED=true)");
        }
    }

    @Test
    void theFirstApplicableStepIsChosenAndLaterStepsAreNotTried() {
        try (CredentialChain chain = chain(env("AWS_ACCESS_KEY_ID", "AKIDENV", "AWS_SECRET_ACCESS_KEY", "env-secret",
                "AWS_SESSION_TOKEN", "env-token"))) {
            AwsCredentials credentials = chain.resolveCredentials();
            assertThat(credentials.accessKeyId()).isEqualTo("AKIDENV");
            assertThat(((AwsSessionCredentials) credentials).sessionToken()).isEqualTo("env-token");
            assertThat(chain.report().steps()).extracting(CredentialStep::source, CredentialStep::outcome)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("static", Outcome.SKIPPED),
                            org.assertj.core.groups.Tuple.tuple("environment", Outcome.CHOSEN),
                            org.assertj.core.groups.Tuple.tuple("web-identity", Outcome.NOT_TRIED),
                            org.assertj.core.groups.Tuple.tuple("pod-identity", Outcome.NOT_TRIED),
                            org.assertj.core.groups.Tuple.tuple("profile", Outcome.NOT_TRIED),
                            org.assertj.core.groups.Tuple.tuple("instance-profile", Outcome.NOT_TRIED));
            assertThat(chain.chosenSource()).isEqualTo("environment");
        }
    }

    @Test
    void theConfiguredOrderDecidesWhichSourceWins() {
        Map<String, String> env = env("AWS_ACCESS_KEY_ID", "AKIDENV", "AWS_SECRET_ACCESS_KEY", "env-secret");
        try (CredentialChain chain = chain(env, "credentials.chain", "[environment, static]",
                "credentials.accessKey", "AKIDSTATIC", "credentials.secretKey", "static-secret")) {
            assertThat(chain.resolveCredentials().accessKeyId()).isEqualTo("AKIDENV");
            assertThat(lines(chain.report())).containsExactly("environment CHOSEN credentials resolved",
                    "static NOT_TRIED an earlier step was chosen");
        }
        try (CredentialChain chain = chain(env, "credentials.accessKey", "AKIDSTATIC",
                "credentials.secretKey", "static-secret")) {
            assertThat(chain.resolveCredentials().accessKeyId()).isEqualTo("AKIDSTATIC");
        }
    }

    @Test
    void staticKeysCanComeFromNamedVariablesAndFiles() throws Exception {
        Path secretFile = Files.writeString(home.resolve("secret-key"), "file-secret\n");
        try (CredentialChain chain = chain(env("MY_ACCESS_KEY", "AKIDREF"), "credentials.accessKeyEnv",
                "MY_ACCESS_KEY", "credentials.secretKeyFile", secretFile.toString())) {
            AwsCredentials credentials = chain.resolveCredentials();
            assertThat(credentials.accessKeyId()).isEqualTo("AKIDREF");
            assertThat(credentials.secretAccessKey()).isEqualTo("file-secret");
            assertThat(chain.report().steps().get(0).details())
                    .containsEntry("accessKey", "env MY_ACCESS_KEY")
                    .containsEntry("secretKey", "file " + secretFile);
        }
    }

    @Test
    void aHalfConfiguredStepFailsWithItsReasonAndTheChainMovesOn() {
        try (CredentialChain chain = chain(env("AWS_ACCESS_KEY_ID", "AKIDENV", "AWS_SECRET_ACCESS_KEY", "s"),
                "credentials.accessKey", "AKIDSTATIC")) {
            assertThat(chain.resolveCredentials().accessKeyId()).isEqualTo("AKIDENV");
            assertThat(lines(chain.report()).get(0)).isEqualTo("static FAILED credentials.accessKey is configured "
                    + "but credentials.secretKey (or secretKeyEnv, secretKeyFile) is not");
        }
    }

    @Test
    void aFailingPodIdentityAgentIsReportedWithItsStatusAndTheProfileIsUsedNext() throws Exception {
        Path token = Files.writeString(home.resolve("token"), "pod-token");
        Files.createDirectories(home.resolve(".aws"));
        Files.writeString(home.resolve(".aws/credentials"),
                "[default]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = profile-secret\n");
        try (PodIdentityAgent agent = PodIdentityAgent.start(token, "AKIDPOD", "pod-secret")) {
            agent.failAlways(403, "Access Denied");
            try (CredentialChain chain = chain(env("AWS_CONTAINER_CREDENTIALS_FULL_URI", agent.uri().toString(),
                    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", token.toString()))) {
                assertThat(chain.resolveCredentials().accessKeyId()).isEqualTo("AKIDPROFILE");
                CredentialStep pod = chain.report().steps().get(3);
                assertThat(pod.outcome()).isEqualTo(Outcome.FAILED);
                assertThat(pod.reason()).isEqualTo("agent at " + agent.uri() + " answered 403: Access Denied");
                assertThat(pod.details()).containsEntry("tokenFile", token.toString());
                assertThat(chain.report().steps().get(4).outcome()).isEqualTo(Outcome.CHOSEN);
            }
        }
    }

    @Test
    void theEcsRelativeUriVariantUsesTheInlineToken() throws Exception {
        Path token = Files.writeString(home.resolve("token"), "ecs-token");
        try (PodIdentityAgent agent = PodIdentityAgent.start(token, "AKIDECS", "ecs-secret")) {
            String base = "http://127.0.0.1:" + agent.uri().getPort();
            try (CredentialChain chain = chain(env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v1/credentials",
                    "AWS_CONTAINER_AUTHORIZATION_TOKEN", "ecs-token"), "credentials.podIdentity.ecsEndpoint", base)) {
                assertThat(chain.resolveCredentials().accessKeyId()).isEqualTo("AKIDECS");
                assertThat(agent.tokensSeen()).containsExactly("ecs-token");
                assertThat(chain.report().chosen().orElseThrow().details())
                        .containsEntry("uri", base + "/v1/credentials");
            }
        }
    }

    @Test
    void aNamedProfileIsReadFromTheSharedCredentialsFile() throws Exception {
        Path file = Files.writeString(home.resolve("shared-credentials"),
                "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = d\n"
                        + "[ci]\naws_access_key_id = AKIDCI\naws_secret_access_key = c\n");
        try (CredentialChain chain = chain(env("AWS_SHARED_CREDENTIALS_FILE", file.toString(), "AWS_PROFILE", "ci"))) {
            assertThat(chain.resolveCredentials().accessKeyId()).isEqualTo("AKIDCI");
            assertThat(chain.report().chosen().orElseThrow().details()).containsEntry("profile", "ci");
        }
        try (CredentialChain chain = chain(env("AWS_SHARED_CREDENTIALS_FILE", file.toString()),
                "credentials.profile", "missing")) {
            assertThatThrownBy(chain::resolveCredentials).hasMessageContaining(
                    "profile: FAILED (credentials.profile 'missing' not found in [" + file + "])");
        }
    }

    @Test
    void webIdentityExchangesTheTokenFileThroughSts() throws Exception {
        Path token = Files.writeString(home.resolve("web-identity-token"), "irsa-jwt\n");
        try (StsStandIn sts = StsStandIn.start()) {
            sts.credentials("AKIDIRSA", "irsa-secret", "irsa-session");
            try (CredentialChain chain = chain(env("AWS_WEB_IDENTITY_TOKEN_FILE", token.toString(),
                    "AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/weft", "AWS_ROLE_SESSION_NAME", "weft-test"),
                    "sts.endpoint", sts.endpoint().toString())) {
                AwsCredentials credentials = chain.resolveCredentials();
                assertThat(credentials.accessKeyId()).isEqualTo("AKIDIRSA");
                assertThat(((AwsSessionCredentials) credentials).sessionToken()).isEqualTo("irsa-session");
                assertThat(sts.calls("AssumeRoleWithWebIdentity")).isEqualTo(1);
                Map<String, String> request = sts.requests().get(0);
                assertThat(request).containsEntry("WebIdentityToken", "irsa-jwt")
                        .containsEntry("RoleArn", "arn:aws:iam::123456789012:role/weft")
                        .containsEntry("RoleSessionName", "weft-test");
                assertThat(chain.report().chosen().orElseThrow().source()).isEqualTo("web-identity");
                // Cached: more calls do not go back to STS.
                chain.resolveCredentials();
                assertThat(sts.calls("AssumeRoleWithWebIdentity")).isEqualTo(1);
            }
        }
    }

    @Test
    void stsRefusingWebIdentityIsReportedWithItsCode() throws Exception {
        Path token = Files.writeString(home.resolve("web-identity-token"), "irsa-jwt");
        try (StsStandIn sts = StsStandIn.start()) {
            sts.failNext(5, 403, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity");
            try (CredentialChain chain = chain(env("AWS_WEB_IDENTITY_TOKEN_FILE", token.toString(),
                    "AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/weft"), "sts.endpoint", sts.endpoint().toString(),
                    "credentials.chain", "web-identity")) {
                assertThatThrownBy(chain::resolveCredentials).hasMessageContaining("web-identity: FAILED ("
                        + sts.endpoint() + " refused AssumeRoleWithWebIdentity for role "
                        + "arn:aws:iam::123456789012:role/weft: 403 AccessDenied: Not authorized");
            }
        }
    }

    @Test
    void aRoleIsAssumedOnTopWithTheChainsCredentials() throws Exception {
        try (StsStandIn sts = StsStandIn.start()) {
            sts.credentials("AKIDROLE", "role-secret", "role-session");
            try (CredentialChain chain = chain(env("AWS_ACCESS_KEY_ID", "AKIDBASE", "AWS_SECRET_ACCESS_KEY", "base"),
                    "roleArn", "arn:aws:iam::123456789012:role/artifacts", "roleExternalId", "ext-1",
                    "sts.endpoint", sts.endpoint().toString())) {
                assertThat(chain.resolveCredentials().accessKeyId()).isEqualTo("AKIDROLE");
                assertThat(sts.calls("AssumeRole")).isEqualTo(1);
                assertThat(sts.requests().get(0)).containsEntry("RoleArn", "arn:aws:iam::123456789012:role/artifacts")
                        .containsEntry("ExternalId", "ext-1");
                assertThat(sts.authorizations().get(0)).contains("Credential=AKIDBASE/");
                assertThat(lines(chain.report())).contains("environment CHOSEN used to assume role "
                        + "arn:aws:iam::123456789012:role/artifacts", "assume-role CHOSEN assumed with environment "
                        + "credentials");
                assertThat(chain.chosenSource()).isEqualTo("assume-role arn:aws:iam::123456789012:role/artifacts "
                        + "via environment");
            }
        }
    }

    @Test
    void useSdkCredsLeavesStaticKeysOutOfTheChain() {
        try (CredentialChain chain = chain(env(), "useSDKCreds", "true", "credentials.accessKey", "AKIDSTATIC",
                "credentials.secretKey", "static-secret")) {
            assertThat(chain.report().steps()).extracting(CredentialStep::source)
                    .containsExactly("environment", "web-identity", "pod-identity", "profile", "instance-profile");
        }
    }

    @Test
    void anUnknownStepNameIsAConfigError() {
        assertThatThrownBy(() -> chain(env(), "credentials.chain", "static, imds"))
                .isInstanceOf(ArtifactStoreException.class)
                .hasMessageContaining("'credentials.chain' names unknown step 'imds'; known steps: static, "
                        + "environment, web-identity, pod-identity, profile, instance-profile")
                .extracting(e -> ((ArtifactStoreException) e).kind())
                .isEqualTo(ArtifactStoreException.Kind.INVALID_CONFIG);
    }

    @Test
    void theReportHoldsNoSecret() throws Exception {
        Path token = Files.writeString(home.resolve("token"), "pod-token-secret");
        try (PodIdentityAgent agent = PodIdentityAgent.start(token, "AKIDPOD", "pod-secret-value")) {
            agent.sessionToken("pod-session-secret");
            try (CredentialChain chain = chain(env("AWS_CONTAINER_CREDENTIALS_FULL_URI", agent.uri().toString(),
                    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", token.toString()), "credentials.accessKey", "AKIDX")) {
                chain.resolveCredentials();
                String text = chain.report().toString() + chain.report().explain() + chain.chosenSource() + chain;
                assertThat(text).contains("pod-identity: CHOSEN")
                        .doesNotContain("pod-secret-value", "pod-session-secret", "pod-token-secret");
            }
        }
    }
}
