package dev.weft.storage.minio.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.storage.minio.MinioArtifactStoreProvider;
import dev.weft.storage.spi.ArtifactStoreException;
import dev.weft.storage.spi.CredentialReport;
import dev.weft.storage.spi.CredentialStep;
import dev.weft.storage.spi.CredentialStep.Outcome;
import dev.weft.storage.spi.StoreConfig;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chain's order, skip reasons and sources, walked through {@code diagnoseCredentials} with injected variables. */
class CredentialChainTest {

    private static final Map<String, String> NO_IMDS = Map.of("AWS_EC2_METADATA_DISABLED", "true");

    @TempDir
    Path dir;

    @Test
    void everyStepSaysWhyItWasSkippedWhenNothingIsSet() {
        CredentialReport report = diagnose(Map.of(), Map.of("AWS_SHARED_CREDENTIALS_FILE",
                dir.resolve("absent").toString(), "AWS_EC2_METADATA_DISABLED", "true"));

        assertThat(report.steps()).extracting(CredentialStep::source).containsExactly(
                "static", "minio-env", "environment", "web-identity", "pod-identity", "profile", "instance-profile");
        assertThat(report.steps()).allSatisfy(s -> assertThat(s.outcome()).isEqualTo(Outcome.SKIPPED));
        assertThat(report.steps()).extracting(CredentialStep::reason).containsExactly(
                "credentials.accessKey/secretKey (or their Env/File forms) not set",
                "MINIO_ACCESS_KEY/MINIO_SECRET_KEY and MINIO_ROOT_USER/MINIO_ROOT_PASSWORD not set",
                "AWS_ACCESS_KEY_ID not set",
                "AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN not set",
                "AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_CREDENTIALS_RELATIVE_URI not set "
                        + "(nor credentials.podIdentity.uri)",
                "no shared credentials file at " + dir.resolve("absent"),
                "instance metadata disabled (AWS_EC2_METADATA_DISABLED=true)");
        assertThat(report.chosenSource()).isEqualTo("none");
    }

    @Test
    void theFirstApplicableStepIsChosenAndTheRestAreNotTried() {
        CredentialReport report = diagnose(Map.of("credentials.accessKey", "AKSTATIC",
                "credentials.secretKey", "static-secret-value"), env("AWS_ACCESS_KEY_ID", "AKENV",
                "AWS_SECRET_ACCESS_KEY", "env-secret-value"));

        assertThat(report.chosenSource()).isEqualTo("static");
        assertThat(report.steps().subList(1, report.steps().size())).allSatisfy(s -> assertThat(s.outcome()).isEqualTo(Outcome.NOT_TRIED));
        assertThat(report.toString()).doesNotContain("static-secret-value").doesNotContain("env-secret-value");
    }

    @Test
    void theOrderComesFromCredentialsChain() {
        CredentialReport report = diagnose(Map.of("credentials.chain", "environment, static",
                "credentials.accessKey", "AKSTATIC", "credentials.secretKey", "static-secret-value"),
                env("AWS_ACCESS_KEY_ID", "AKENV", "AWS_SECRET_ACCESS_KEY", "env-secret-value"));

        assertThat(report.steps()).extracting(CredentialStep::source).containsExactly("environment", "static");
        assertThat(report.steps()).extracting(CredentialStep::outcome)
                .containsExactly(Outcome.CHOSEN, Outcome.NOT_TRIED);
    }

    @Test
    void minioServerVariablesAreAcceptedAsWellAsMinioClientOnes() {
        CredentialReport report = diagnose(Map.of("credentials.chain", "minio-env"),
                env("MINIO_ROOT_USER", "root", "MINIO_ROOT_PASSWORD", "root-password"));
        assertThat(report.chosen()).get().satisfies(s -> assertThat(s.details())
                .containsEntry("variables", "MINIO_ROOT_USER, MINIO_ROOT_PASSWORD"));

        CredentialReport half = diagnose(Map.of("credentials.chain", "minio-env"), env("MINIO_ACCESS_KEY", "ak"));
        assertThat(half.steps().get(0).outcome()).isEqualTo(Outcome.FAILED);
        assertThat(half.steps().get(0).reason()).contains("MINIO_SECRET_KEY");
    }

    @Test
    void keysCanComeFromNamedVariablesAndFilesWithoutShowingThem() throws IOException {
        Path secretFile = Files.writeString(dir.resolve("secret"), "file-secret-value\n");
        CredentialReport report = diagnose(Map.of("credentials.chain", "static",
                "credentials.accessKeyEnv", "MY_ACCESS", "credentials.secretKeyFile", secretFile.toString()),
                env("MY_ACCESS", "AKFROMENV"));

        assertThat(report.chosen()).get().satisfies(s -> assertThat(s.details())
                .containsEntry("accessKey", "from env MY_ACCESS")
                .containsEntry("secretKey", "from file " + secretFile));
        assertThat(report.toString()).doesNotContain("file-secret-value").doesNotContain("AKFROMENV");
    }

    @Test
    void aHalfConfiguredOrUnreadableStaticSourceFailsWithTheReasonAndTheChainMovesOn() {
        CredentialReport half = diagnose(Map.of("credentials.chain", "static, environment",
                "credentials.accessKey", "AKONLY"), env("AWS_ACCESS_KEY_ID", "AKENV", "AWS_SECRET_ACCESS_KEY", "s"));
        assertThat(half.steps().get(0)).satisfies(s -> {
            assertThat(s.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(s.reason()).isEqualTo("credentials.accessKey is set but credentials.secretKey "
                    + "(or secretKeyEnv/secretKeyFile) is not");
        });
        assertThat(half.chosenSource()).isEqualTo("environment");

        CredentialReport unset = diagnose(Map.of("credentials.chain", "static",
                "credentials.accessKeyEnv", "NOT_THERE", "credentials.secretKeyFile", dir.resolve("nope").toString()),
                NO_IMDS);
        assertThat(unset.steps().get(0).reason())
                .isEqualTo("credentials.accessKeyEnv names variable NOT_THERE, which is not set");
    }

    @Test
    void theSharedCredentialsFileAndProfileAreRead() throws IOException {
        Path file = Files.writeString(dir.resolve("credentials"), """
                [default]
                aws_access_key_id = AKDEFAULT
                aws_secret_access_key = default-secret
                [ci]
                aws_access_key_id = AKCI
                aws_secret_access_key = ci-secret
                """);
        CredentialReport report = diagnose(Map.of("credentials.chain", "profile"),
                env("AWS_SHARED_CREDENTIALS_FILE", file.toString(), "AWS_PROFILE", "ci"));
        assertThat(report.chosen()).get().satisfies(s -> assertThat(s.details())
                .containsEntry("file", file.toString()).containsEntry("profile", "ci"));

        CredentialReport missing = diagnose(Map.of("credentials.chain", "profile", "credentials.profile", "nope"),
                env("AWS_SHARED_CREDENTIALS_FILE", file.toString()));
        assertThat(missing.steps().get(0).outcome()).isEqualTo(Outcome.FAILED);
        assertThat(missing.steps().get(0).reason()).contains("nope");
    }

    @Test
    void useSdkCredsLeavesConfiguredKeysOutOfTheChain() {
        CredentialReport report = diagnose(Map.of("useSDKCreds", "true", "credentials.accessKey", "AK",
                "credentials.secretKey", "configured-secret"), env("AWS_ACCESS_KEY_ID", "AKENV",
                "AWS_SECRET_ACCESS_KEY", "env-secret"));
        assertThat(report.steps()).extracting(CredentialStep::source).doesNotContain("static");
        assertThat(report.chosenSource()).isEqualTo("environment");
    }

    @Test
    void anUnknownStepIsAConfigurationErrorListingTheKnownOnes() {
        assertThatThrownBy(() -> diagnose(Map.of("credentials.chain", "static, ec2"), NO_IMDS))
                .isInstanceOfSatisfying(ArtifactStoreException.class, e -> assertThat(e.kind())
                        .isEqualTo(ArtifactStoreException.Kind.INVALID_CONFIG))
                .hasMessageContaining("unknown step 'ec2'").hasMessageContaining("pod-identity");
    }

    @Test
    void instanceMetadataIsNeverContactedWhenDisabledByVariableOrProperty() throws IOException {
        try (LoopbackHttp imds = fakeImds()) {
            Map<String, String> config = Map.of("credentials.chain", "instance-profile");
            CredentialReport byVariable = diagnose(config, env("AWS_EC2_METADATA_DISABLED", "true",
                    "AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url()));
            CredentialReport byProperty = provider(CredentialEnvironment.of(
                    Map.of("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url()), Map.of("aws.disableEc2Metadata", "true")))
                    .diagnoseCredentials(config(config));

            assertThat(byVariable.steps().get(0).outcome()).isEqualTo(Outcome.SKIPPED);
            assertThat(byProperty.steps().get(0).outcome()).isEqualTo(Outcome.SKIPPED);
            assertThat(imds.requests()).isEmpty();

            // The same step with metadata enabled does call the (loopback) service: the skip above is real.
            CredentialReport enabled = diagnose(config, env("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url()));
            assertThat(enabled.chosenSource()).isEqualTo("instance-profile");
            assertThat(imds.requests()).contains("PUT /latest/api/token",
                    "GET /latest/meta-data/iam/security-credentials/weft-role");
        }
    }

    @Test
    void theDefaultChainNeverReachesInstanceMetadataWhenDisabled() throws IOException {
        try (LoopbackHttp imds = fakeImds()) {
            CredentialReport report = diagnose(Map.of(), env("AWS_EC2_METADATA_DISABLED", "true",
                    "AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url(),
                    "AWS_SHARED_CREDENTIALS_FILE", dir.resolve("absent").toString()));
            assertThat(report.chosenSource()).isEqualTo("none");
            assertThat(imds.requests()).isEmpty();
        }
    }

    @Test
    void webIdentityExchangesTheTrimmedTokenFileAtSts() throws IOException {
        Path token = Files.writeString(dir.resolve("irsa-token"), "irsa-jwt\n");
        try (LoopbackHttp sts = fakeSts(200)) {
            CredentialReport report = diagnose(Map.of("stsEndpoint", sts.url()), env(
                    "AWS_WEB_IDENTITY_TOKEN_FILE", token.toString(),
                    "AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/weft"));

            assertThat(report.chosenSource()).isEqualTo("web-identity");
            assertThat(report.chosen()).get().satisfies(s -> assertThat(s.details())
                    .containsEntry("roleArn", "arn:aws:iam::123456789012:role/weft")
                    .containsEntry("sts", sts.url()).containsKey("expiration"));
            String request = URLDecoder.decode(sts.requests().get(0), StandardCharsets.UTF_8);
            assertThat(request).startsWith("POST /").contains("Action=AssumeRoleWithWebIdentity")
                    .contains("RoleArn=arn:aws:iam::123456789012:role/weft").endsWith("WebIdentityToken=irsa-jwt");
            assertThat(report.toString()).doesNotContain("irsa-jwt").doesNotContain("sts-secret");
        }
    }

    @Test
    void anStsRefusalCarriesItsAnswer() throws IOException {
        Path token = Files.writeString(dir.resolve("irsa-token"), "irsa-jwt");
        try (LoopbackHttp sts = fakeSts(403)) {
            CredentialReport report = diagnose(Map.of("stsEndpoint", sts.url(), "credentials.chain", "web-identity"),
                    env("AWS_WEB_IDENTITY_TOKEN_FILE", token.toString(), "AWS_ROLE_ARN", "arn:aws:iam::1:role/r"));
            assertThat(report.steps().get(0).outcome()).isEqualTo(Outcome.FAILED);
            assertThat(report.steps().get(0).reason()).startsWith("STS at 127.0.0.1:")
                    .contains("answered 403").contains("AccessDenied");
        }
    }

    @Test
    void podIdentityNeverTurnsIntoWebIdentity() throws IOException {
        Path token = Files.writeString(dir.resolve("irsa-token"), "irsa-jwt");
        try (LoopbackHttp sts = fakeSts(200)) {
            CredentialReport report = diagnose(Map.of("credentials.chain", "pod-identity", "stsEndpoint", sts.url(),
                    "credentials.podIdentity.maxAttempts", "1"), env("AWS_WEB_IDENTITY_TOKEN_FILE", token.toString(),
                    "AWS_ROLE_ARN", "arn:aws:iam::1:role/r",
                    "AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9/v1/credentials"));
            assertThat(report.steps().get(0).outcome()).isEqualTo(Outcome.FAILED);
            assertThat(report.steps().get(0).reason()).contains("Pod Identity agent at http://127.0.0.1:9/v1/credentials");
            assertThat(sts.requests()).isEmpty();
        }
    }

    @Test
    void aNonLoopbackHttpAgentIsRefusedByMinioJavaBeforeAnyRequest() {
        CredentialReport report = diagnose(Map.of("credentials.chain", "pod-identity"),
                env("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://192.0.2.10/v1/credentials"));
        assertThat(report.steps().get(0).outcome()).isEqualTo(Outcome.FAILED);
        assertThat(report.steps().get(0).reason()).contains("192.0.2.10")
                .contains("neither loopback only host nor ECS/EKS credential endpoint");
    }

    private static LoopbackHttp fakeSts(int status) throws IOException {
        String expiration = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
        return new LoopbackHttp(exchange -> status == 200
                ? new LoopbackHttp.Answer(200, "text/xml", """
                <AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                  <AssumeRoleWithWebIdentityResult>
                    <Credentials>
                      <AccessKeyId>ASIASTS</AccessKeyId>
                      <SecretAccessKey>sts-secret</SecretAccessKey>
                      <SessionToken>sts-session</SessionToken>
                      <Expiration>%s</Expiration>
                    </Credentials>
                  </AssumeRoleWithWebIdentityResult>
                </AssumeRoleWithWebIdentityResponse>""".formatted(expiration))
                : new LoopbackHttp.Answer(status, "text/xml", "<ErrorResponse><Error><Code>AccessDenied</Code>"
                + "<Message>Not authorized to perform sts:AssumeRoleWithWebIdentity</Message></Error>"
                + "</ErrorResponse>"));
    }

    private static LoopbackHttp fakeImds() throws IOException {
        String expiration = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
        return new LoopbackHttp(exchange -> {
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/latest/api/token")) {
                return new LoopbackHttp.Answer(200, "text/plain", "imds-session");
            }
            if (path.equals("/latest/meta-data/iam/security-credentials/")) {
                return new LoopbackHttp.Answer(200, "text/plain", "weft-role");
            }
            return new LoopbackHttp.Answer(200, "application/json", "{\"Code\":\"Success\",\"AccessKeyId\":\"AKIMDS\","
                    + "\"SecretAccessKey\":\"imds-secret\",\"Token\":\"imds-token\",\"Expiration\":\"" + expiration
                    + "\"}");
        });
    }

    private CredentialReport diagnose(Map<String, String> config, Map<String, String> env) {
        return provider(CredentialEnvironment.of(env)).diagnoseCredentials(config(config));
    }

    private static MinioArtifactStoreProvider provider(CredentialEnvironment env) {
        return new MinioArtifactStoreProvider(env, Clock.systemUTC());
    }

    private static StoreConfig config(Map<String, String> extra) {
        Map<String, String> props = new HashMap<>(Map.of("endpoint", "http://127.0.0.1:9", "bucket", "unused"));
        props.putAll(extra);
        return StoreConfig.of("default", "minio", props);
    }

    /** Variables as name/value pairs, with instance metadata off unless a test sets otherwise. */
    private static Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        if (!List.of(pairs).contains("AWS_EC2_METADATA_SERVICE_ENDPOINT")) {
            env.putIfAbsent("AWS_EC2_METADATA_DISABLED", "true");
        }
        return env;
    }
}
