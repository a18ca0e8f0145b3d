package dev.weft.storage.minio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.storage.minio.credentials.CredentialEnvironment;
import dev.weft.storage.spi.ArtifactKey;
import dev.weft.storage.spi.ArtifactStore;
import dev.weft.storage.spi.ArtifactStoreException;
import dev.weft.storage.spi.ArtifactStoreException.Kind;
import dev.weft.storage.spi.CredentialReport;
import dev.weft.storage.spi.CredentialStep;
import dev.weft.storage.spi.CredentialStep.Outcome;
import dev.weft.storage.spi.StoreConfig;
import dev.weft.storage.testkit.PodIdentityAgent;
import dev.weft.storage.testkit.S3ProxyExtension;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * EKS Pod Identity end to end through minio-java's IamAwsProvider: a loopback agent hands out S3Proxy's key pair and
 * a session token to callers presenting the token file's contents; S3Proxy checks every request's signature.
 */
class MinioPodIdentityTest {

    private static final String SESSION_TOKEN = "pod-identity-session-token-for-tests";

    @RegisterExtension
    static final S3ProxyExtension S3 = S3ProxyExtension.builder().build();

    @TempDir
    Path dir;

    private Path tokenFile;
    private PodIdentityAgent agent;
    private ArtifactStore store;

    @BeforeEach
    void startAgent() throws IOException {
        S3.createBucket("pods");
        tokenFile = Files.writeString(dir.resolve("eks-pod-identity-token"), "pod-token-1\n");
        agent = PodIdentityAgent.start(tokenFile, S3.accessKey(), S3.secretKey()).sessionToken(SESSION_TOKEN);
    }

    @AfterEach
    void stop() {
        if (store != null) {
            store.close();
        }
        agent.close();
    }

    @Test
    void anArtifactRoundTripsWithPodIdentityCredentialsAndNoKeysConfigured() throws IOException {
        store = store(Map.of());
        ArtifactKey key = ArtifactKey.of("wf/pod/out.txt");
        store.put(key, stream("written with pod identity"), -1);

        try (InputStream in = store.open(key)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("written with pod identity");
        }
        CredentialReport report = store.describe().credentials();
        assertThat(report.chosenSource()).isEqualTo("pod-identity");
        assertThat(report.chosen()).get().extracting(CredentialStep::details)
                .satisfies(d -> assertThat(d).containsEntry("uri", agent.uri().toString())
                        .containsEntry("tokenFile", tokenFile.toString()).containsKey("expiration"));
        // The agent saw the file's token, trimmed of its newline, once: not once per request.
        assertThat(agent.tokensSeen()).containsExactly("pod-token-1");
        String described = store.describe().toString();
        assertThat(described).doesNotContain(S3.secretKey()).doesNotContain(SESSION_TOKEN)
                .doesNotContain("pod-token-1");
    }

    @Test
    void aWrongKeyPairFromTheAgentFailsWithAccessDeniedNamingPodIdentity() {
        agent.credentials(S3.accessKey(), "not-the-secret-s3proxy-knows");
        store = store(Map.of());

        assertThatThrownBy(() -> store.put(ArtifactKey.of("denied.txt"), stream("x"), 1))
                .isInstanceOfSatisfying(ArtifactStoreException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.ACCESS_DENIED);
                    assertThat(e.getMessage()).contains("pod-identity").contains("denied.txt").contains("pods")
                            .contains("SignatureDoesNotMatch")
                            .doesNotContain("not-the-secret-s3proxy-knows").doesNotContain(SESSION_TOKEN);
                });
    }

    @Test
    void anUnknownAccessKeyFailsWithAccessDenied() {
        agent.credentials("unknown-access-key", S3.secretKey());
        store = store(Map.of());

        assertThatThrownBy(() -> store.put(ArtifactKey.of("any"), stream("x"), 1))
                .isInstanceOfSatisfying(ArtifactStoreException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.ACCESS_DENIED);
                    assertThat(e.getMessage()).contains("pod-identity").contains("InvalidAccessKeyId");
                });
    }

    @Test
    void aRotatedTokenFileIsReadAgainOnRefresh() throws Exception {
        agent.lifetime(Duration.ofSeconds(3)).fractionalDigits(9);
        store = store(Map.of());
        store.put(ArtifactKey.of("rotation/1"), stream("one"), 3);

        Files.writeString(tokenFile, "pod-token-2\n");
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int n = 2;
        while (!agent.tokensSeen().contains("pod-token-2") && System.nanoTime() < deadline) {
            store.put(ArtifactKey.of("rotation/" + n++), stream("more"), 4);
            Thread.sleep(50);
        }

        assertThat(agent.tokensSeen()).startsWith("pod-token-1").contains("pod-token-2")
                .allSatisfy(t -> assertThat(t).doesNotEndWith("\n"));
        assertThat(store.stat(ArtifactKey.of("rotation/1"))).isPresent();
    }

    @Test
    void aThousandOperationsAcrossSeveralShortExpiriesAllSucceedWithFewAgentCalls() throws Exception {
        Duration lifetime = Duration.ofSeconds(2);
        agent.lifetime(lifetime).fractionalDigits(9);
        store = store(Map.of());
        store.put(ArtifactKey.of("expiry/seed"), stream("seed"), 4);
        agent.resetCounters();

        int operations = 1000;
        int threads = 4;
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = thread; i < operations; i += threads) {
                        if (i % 10 == 0) {
                            store.put(ArtifactKey.of("expiry/" + i), stream("v" + i), -1);
                        } else {
                            assertThat(store.stat(ArtifactKey.of("expiry/seed"))).isPresent();
                        }
                        // Keep going until several lifetimes have passed, however fast the machine is.
                        while (i + threads >= operations
                                && System.nanoTime() - start < lifetime.multipliedBy(3).toNanos()) {
                            assertThat(store.stat(ArtifactKey.of("expiry/seed"))).isPresent();
                            Thread.sleep(20);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(); // any failed operation fails the test here
            }
        } finally {
            pool.shutdownNow();
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        // Refreshed as lifetimes passed, about once per lifetime, never per request: with two-second credentials
        // the refresh comes when a quarter is left (the floor of the stale margin), so every 1.5 s at the most.
        long refreshIntervals = elapsed.toMillis() / lifetime.multipliedBy(3).dividedBy(4).toMillis();
        assertThat(agent.calls()).isGreaterThanOrEqualTo(2).isLessThanOrEqualTo((int) refreshIntervals + 2);
    }

    @Test
    void whenTheAgentStartsRefusingTheNextRefreshFailsClearlyInsteadOfUsingExpiredCredentials() throws Exception {
        agent.lifetime(Duration.ofSeconds(3)).fractionalDigits(9);
        store = store(Map.of("maxRetries", "0"));
        store.put(ArtifactKey.of("before.txt"), stream("ok"), 2);

        agent.failAlways(403, "Access Denied: association removed");
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        ArtifactStoreException failure = null;
        while (failure == null && System.nanoTime() < deadline) {
            try {
                store.stat(ArtifactKey.of("before.txt"));
                Thread.sleep(50);
            } catch (ArtifactStoreException e) {
                failure = e;
            }
        }

        assertThat(failure).isNotNull();
        assertThat(failure.kind()).isEqualTo(Kind.CREDENTIALS_UNAVAILABLE);
        assertThat(failure.getMessage()).contains("credentials from pod-identity unavailable")
                .contains("answered 403: Access Denied: association removed").contains("before.txt");
    }

    @Test
    void theAgentUriAndTokenFileCanComeFromTheStoreConfigInstead() throws IOException {
        CredentialReport report = new MinioArtifactStoreProvider(
                CredentialEnvironment.of(Map.of("AWS_EC2_METADATA_DISABLED", "true")), Clock.systemUTC())
                .diagnoseCredentials(StoreConfig.of("default", "minio", Map.of(
                        "endpoint", S3.endpoint().toString(), "bucket", "pods",
                        "credentials.podIdentity.uri", agent.uri().toString(),
                        "credentials.podIdentity.tokenFile", tokenFile.toString())));
        assertThat(report.chosenSource()).isEqualTo("pod-identity");
        assertThat(agent.tokensSeen()).containsExactly("pod-token-1");
    }

    @Test
    void agentServerErrorsAreRetriedThenSucceed() {
        agent.failNext(2, 500, "agent hiccup");
        store = store(Map.of());
        store.put(ArtifactKey.of("retried.txt"), stream("ok"), 2);

        assertThat(agent.calls()).isEqualTo(3);
        assertThat(store.describe().credentials().chosenSource()).isEqualTo("pod-identity");
    }

    @Test
    void persistentAgentServerErrorsEndInAClearErrorAfterTheRetries() {
        agent.failAlways(500, "upstream credential service unavailable");
        store = store(Map.of("credentials.podIdentity.maxAttempts", "3", "credentials.podIdentity.baseDelay", "1ms"));

        assertThatThrownBy(() -> store.put(ArtifactKey.of("never.txt"), stream("x"), 1))
                .isInstanceOfSatisfying(ArtifactStoreException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.CREDENTIALS_UNAVAILABLE);
                    assertThat(e.getMessage()).contains("pod-identity")
                            .contains("Pod Identity agent at " + agent.uri() + " answered 500: "
                                    + "upstream credential service unavailable")
                            .contains("after 3 attempts");
                });
        assertThat(agent.calls()).isEqualTo(3);
    }

    @Test
    void agentRefusalsAreNotRetriedAndCarryTheAgentsText() {
        agent.failAlways(403, "Access Denied: pod not associated with a role");
        CredentialStep forbidden = podIdentityStep(Map.of());
        assertThat(forbidden.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(forbidden.reason()).isEqualTo("Pod Identity agent at " + agent.uri()
                + " answered 403: Access Denied: pod not associated with a role");
        assertThat(agent.calls()).isEqualTo(1);

        agent.recover();
        agent.resetCounters();
        CredentialStep badToken = podIdentityStep(Map.of("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
                Files.exists(tokenFile) ? writeToken("a-token-the-agent-does-not-know") : ""));
        assertThat(badToken.reason()).endsWith("answered 400: Invalid service account token");
        assertThat(agent.calls()).isEqualTo(1);
    }

    @Test
    void credentialsThatArriveAlreadyExpiredAreRefusedWithAClearError() {
        agent.expired(Duration.ofMinutes(5));
        CredentialStep step = podIdentityStep(Map.of());
        assertThat(step.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(step.reason()).startsWith("pod-identity returned credentials that already expired at ");
        assertThat(agent.calls()).isEqualTo(1);
    }

    @Test
    void anUnparsableBodyIsRetriedAndNeverShown() {
        agent.failNext(1, 200, "{\"AccessKeyId\":\"AKID\",\"SecretAccessKey\":\"half-a-secret");
        CredentialStep recovered = podIdentityStep(Map.of());
        assertThat(recovered.outcome()).isEqualTo(Outcome.CHOSEN);
        assertThat(recovered.reason()).isEqualTo("after 2 attempts (retried: unparsable body)");
        assertThat(agent.calls()).isEqualTo(2);

        agent.resetCounters();
        agent.failAlways(200, "{\"SecretAccessKey\":\"half-a-secret");
        CredentialStep failed = podIdentityStep(Map.of("credentials.podIdentity.maxAttempts", "2",
                "credentials.podIdentity.baseDelay", "1ms"));
        assertThat(failed.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(failed.reason()).isEqualTo("Pod Identity agent at " + agent.uri() + " answered 200 with a body "
                + "that is not valid credentials JSON (after 2 attempts: unparsable body; unparsable body)");
        assertThat(failed.toString()).doesNotContain("half-a-secret");
        assertThat(agent.calls()).isEqualTo(2);
    }

    @Test
    void aSlowAgentTimesOutWithAClearError() {
        agent.delay(Duration.ofSeconds(3));
        CredentialStep step = podIdentityStep(Map.of("credentials.timeout", "300ms",
                "credentials.podIdentity.maxAttempts", "1"));
        assertThat(step.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(step.reason()).isEqualTo("Pod Identity agent at " + agent.uri()
                + " did not answer within 300 ms");
    }

    @Test
    void aMissingTokenFileIsNamedInTheError() throws IOException {
        Files.delete(tokenFile);
        store = store(Map.of());
        assertThatThrownBy(() -> store.open(ArtifactKey.of("x")))
                .isInstanceOfSatisfying(ArtifactStoreException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.CREDENTIALS_UNAVAILABLE);
                    assertThat(e.getMessage()).contains("pod-identity: FAILED (token file " + tokenFile
                            + " (AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE) does not exist or cannot be read)");
                });
        assertThat(agent.calls()).isZero();
    }

    private String writeToken(String token) {
        try {
            Path other = Files.writeString(dir.resolve("other-token"), token);
            return other.toString();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private CredentialStep podIdentityStep(Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>(environment());
        Map<String, String> props = new HashMap<>(baseConfig());
        overrides.forEach((k, v) -> {
            if (k.startsWith("AWS_")) {
                env.put(k, v);
            } else {
                props.put(k, v);
            }
        });
        CredentialReport report = new MinioArtifactStoreProvider(CredentialEnvironment.of(env), Clock.systemUTC())
                .diagnoseCredentials(StoreConfig.of("default", "minio", props));
        return report.steps().stream().filter(s -> s.source().equals("pod-identity")).findFirst().orElseThrow();
    }

    private ArtifactStore store(Map<String, String> extra) {
        Map<String, String> props = new HashMap<>(baseConfig());
        props.putAll(extra);
        return new MinioArtifactStoreProvider(CredentialEnvironment.of(environment()), Clock.systemUTC())
                .create(StoreConfig.of("default", "minio", props));
    }

    private Map<String, String> baseConfig() {
        return Map.of("endpoint", S3.endpoint().toString(), "region", S3.region(), "bucket", "pods",
                "pathStyle", "true");
    }

    private Map<String, String> environment() {
        return Map.of(
                "AWS_CONTAINER_CREDENTIALS_FULL_URI", agent.uri().toString(),
                "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", tokenFile.toString(),
                "AWS_EC2_METADATA_DISABLED", "true");
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
