package dev.weft.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.storage.spi.ArtifactKey;
import dev.weft.storage.spi.ArtifactStore;
import dev.weft.storage.spi.ArtifactStoreException;
import dev.weft.storage.spi.ArtifactStoreException.Kind;
import dev.weft.storage.spi.CredentialStep;
import dev.weft.storage.spi.StoreConfig;
import dev.weft.storage.testkit.PodIdentityAgent;
import dev.weft.storage.testkit.S3ProxyExtension;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: a Pod Identity agent that fails half its answers (500, 429 with Retry-After, a slow answer past the
 * timeout, a 200 with garbage JSON, drawn from a fixed seed) must not fail store operations. Real parts: the loopback
 * agent, S3Proxy checking the SigV4 signatures made with the agent's keys. The same test is in the minio plugin.
 */
class PodIdentityFlakyAgentTest {

    private static final String ACCESS_KEY = "AKIDFLAKYPOD";
    private static final String SECRET_KEY = "flaky-pod-identity-secret-0123456789";
    private static final String SESSION_TOKEN = "flaky-pod-identity-session-token";
    private static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.flaky-agent.sig";
    private static final long SEED = 12L;
    private static final int OPERATIONS = 40;

    @RegisterExtension
    static final S3ProxyExtension S3 = S3ProxyExtension.builder().credentials(ACCESS_KEY, SECRET_KEY).build();

    @TempDir
    Path dir;

    private Path tokenFile;
    private PodIdentityAgent agent;
    private String bucket;

    @BeforeEach
    void start() throws Exception {
        tokenFile = Files.writeString(dir.resolve("eks-pod-identity-token"), TOKEN + "\n");
        agent = PodIdentityAgent.start(tokenFile, ACCESS_KEY, SECRET_KEY).sessionToken(SESSION_TOKEN);
        bucket = S3.createBucket("flaky-" + UUID.randomUUID().toString().substring(0, 8));
    }

    @AfterEach
    void stop() {
        agent.close();
    }

    private ArtifactStore store(Map<String, String> extra) {
        Map<String, String> props = new HashMap<>(TestStores.properties(S3, bucket));
        // The slow answers (1 s) must time out; ordinary ones take a few ms.
        props.put("credentials.timeout", "300ms");
        props.putAll(extra);
        S3ArtifactStoreProvider provider = new S3ArtifactStoreProvider(TestStores.env(Map.of(
                "AWS_CONTAINER_CREDENTIALS_FULL_URI", agent.uri().toString(),
                "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", tokenFile.toString())), Clock.systemUTC());
        return provider.create(StoreConfig.of("flaky", "s3", props));
    }

    private static InputStream text(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Runs {@link #OPERATIONS} puts, each through a new store, so each one fetches credentials afresh. */
    private int putsWithFreshCredentials(Map<String, String> extra) {
        int succeeded = 0;
        for (int i = 0; i < OPERATIONS; i++) {
            try (ArtifactStore store = store(extra)) {
                store.put(ArtifactKey.of("flaky/" + i), text("op " + i), -1);
                succeeded++;
            } catch (ArtifactStoreException e) {
                assertThat(e.kind()).isEqualTo(Kind.CREDENTIALS_UNAVAILABLE);
                assertThat(e.getMessage()).doesNotContain(SECRET_KEY, SESSION_TOKEN, TOKEN);
            }
        }
        return succeeded;
    }

    @Test
    void withHalfTheAgentsAnswersFailingAtLeast95PercentOfOperationsSucceed() {
        agent.flaky(SEED, 0.5, Duration.ofSeconds(1));
        int succeeded;
        String logs;
        try (LogCapture capture = new LogCapture()) {
            succeeded = putsWithFreshCredentials(Map.of());
            logs = capture.text();
        }
        int hits = agent.calls();
        // The retries are logged (debug per failed attempt, info per fetch that needed them), never a secret.
        assertThat(logs).contains("pod-identity: agent at " + agent.uri()).contains("gave credentials after")
                .doesNotContain(SECRET_KEY, SESSION_TOKEN, TOKEN);
        System.out.printf("s3 plugin, flaky agent (50%% failures, seed %d): %d/%d operations succeeded (%.1f%%), "
                        + "%d agent hits (%d faults), %.2f hits per success%n", SEED, succeeded, OPERATIONS,
                100.0 * succeeded / OPERATIONS, hits, agent.faultsServed(), (double) hits / Math.max(1, succeeded));
        assertThat(succeeded).isGreaterThanOrEqualTo((int) Math.ceil(0.95 * OPERATIONS));
        assertThat(S3.objectKeys(bucket)).hasSize(succeeded);
        // Retries happened: more hits than operations.
        assertThat(hits).isGreaterThan(OPERATIONS);
    }

    @Test
    void withoutRetriesTheSameAgentFailsFarMoreOperations() {
        agent.flaky(SEED, 0.5, Duration.ofSeconds(1));
        int once = putsWithFreshCredentials(Map.of("credentials.podIdentity.maxAttempts", "1"));
        int hitsOnce = agent.calls();
        // For comparison only: five attempts (the figure first suggested for the default) on the same sequence.
        agent.recover().resetCounters();
        agent.flaky(SEED, 0.5, Duration.ofSeconds(1));
        int five = putsWithFreshCredentials(Map.of("credentials.podIdentity.maxAttempts", "5"));
        System.out.printf("s3 plugin, flaky agent (50%% failures, seed %d): maxAttempts=1: %d/%d succeeded (%.1f%%), "
                        + "%d agent hits; maxAttempts=5: %d/%d succeeded (%.1f%%), %d agent hits%n", SEED, once,
                OPERATIONS, 100.0 * once / OPERATIONS, hitsOnce, five, OPERATIONS, 100.0 * five / OPERATIONS,
                agent.calls());
        assertThat(hitsOnce).isEqualTo(OPERATIONS);
        assertThat(once).isLessThan((int) Math.ceil(0.95 * OPERATIONS));
    }

    @Test
    void oneStoreCachesItsCredentialsSoTheFlakyAgentIsNotHitPerRequest() {
        agent.flaky(SEED, 0.5, Duration.ofSeconds(1));
        try (ArtifactStore store = store(Map.of())) {
            for (int i = 0; i < OPERATIONS; i++) {
                store.put(ArtifactKey.of("cached/" + i), text("op " + i), -1);
            }
            // One fetch, however many attempts it took; the credentials live six hours.
            assertThat(agent.calls()).isLessThanOrEqualTo(5);
            assertThat(agent.calls() - agent.faultsServed()).isEqualTo(1);
        }
    }

    @Test
    void a429WithRetryAfterIsHonouredAndTheReportSaysSo() {
        agent.throttleNext(2, "1");
        try (ArtifactStore store = store(Map.of())) {
            store.put(ArtifactKey.of("throttled.txt"), text("x"), -1);
            assertThat(agent.calls()).isEqualTo(3);
            CredentialStep chosen = store.describe().credentials().chosen().orElseThrow();
            assertThat(chosen.source()).isEqualTo("pod-identity");
            assertThat(chosen.reason()).isEqualTo("credentials resolved after 3 attempts (retried: 429 (waited "
                    + "1000 ms as Retry-After asked); 429 (waited 1000 ms as Retry-After asked))");
        }
    }

    @Test
    void a403IsNotRetriedAndTheErrorNamesTheAgentUri() {
        agent.failAlways(403, "Access Denied");
        try (ArtifactStore store = store(Map.of())) {
            assertThatThrownBy(() -> store.put(ArtifactKey.of("denied.txt"), text("x"), -1))
                    .isInstanceOfSatisfying(ArtifactStoreException.class, e -> {
                        assertThat(e.kind()).isEqualTo(Kind.CREDENTIALS_UNAVAILABLE);
                        assertThat(e.getMessage()).contains("pod-identity: FAILED (agent at " + agent.uri()
                                + " answered 403: Access Denied)").doesNotContain(TOKEN);
                    });
            assertThat(agent.calls()).isEqualTo(1);
        }
    }

    @Test
    void whenEveryAnswerFailsTheErrorListsTheAttempts() {
        agent.failAlways(500, "agent down");
        try (ArtifactStore store = store(Map.of("credentials.podIdentity.maxAttempts", "3",
                "credentials.podIdentity.baseDelay", "1ms"))) {
            assertThatThrownBy(() -> store.put(ArtifactKey.of("never.txt"), text("x"), -1))
                    .isInstanceOf(ArtifactStoreException.class)
                    .hasMessageContaining("agent at " + agent.uri() + " answered 500: agent down "
                            + "(after 3 attempts: 500; 500; 500)");
            assertThat(agent.calls()).isEqualTo(3);
        }
    }
}
