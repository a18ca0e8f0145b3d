package dev.weft.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.storage.s3.credentials.MutableClock;
import dev.weft.storage.spi.ArtifactKey;
import dev.weft.storage.spi.ArtifactStore;
import dev.weft.storage.spi.ArtifactStoreException;
import dev.weft.storage.spi.ArtifactStoreException.Kind;
import dev.weft.storage.spi.StoreConfig;
import dev.weft.storage.testkit.PodIdentityAgent;
import dev.weft.storage.testkit.S3ProxyExtension;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The S3 store with NO keys in its config or environment: a loopback Pod Identity agent hands out the key pair
 * S3Proxy accepts (plus a session token). S3Proxy checks SigV4 signatures, so a successful request proves the
 * agent's credentials were used, and a wrong pair must be refused.
 */
class PodIdentityStoreTest {

    private static final String ACCESS_KEY = "AKIDPODIDENTITY";
    private static final String SECRET_KEY = "pod-identity-secret-key-0123456789";
    private static final String SESSION_TOKEN = "pod-identity-session-token-abcdef";
    private static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.eks-pod-identity.sig";

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
        bucket = S3.createBucket("pod-" + UUID.randomUUID().toString().substring(0, 8));
    }

    @AfterEach
    void stop() {
        agent.close();
    }

    private Map<String, String> podEnv() {
        return Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI", agent.uri().toString(),
                "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", tokenFile.toString());
    }

    private ArtifactStore store(Clock clock) {
        S3ArtifactStoreProvider provider = new S3ArtifactStoreProvider(TestStores.env(podEnv()), clock);
        return provider.create(StoreConfig.of("pod", "s3", TestStores.properties(S3, bucket)));
    }

    private static InputStream text(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anArtifactPassesThroughS3WithPodIdentityCredentialsAndTheFilesToken() throws Exception {
        try (ArtifactStore store = store(Clock.systemUTC())) {
            store.put(ArtifactKey.of("wf/pod/main.txt"), text("from a pod"), -1);
            try (InputStream in = store.open(ArtifactKey.of("wf/pod/main.txt"))) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("from a pod");
            }
            assertThat(S3.objectKeys(bucket)).containsExactly("wf/pod/main.txt");
            assertThat(agent.tokensSeen()).isNotEmpty().allMatch(TOKEN::equals);
            assertThat(agent.calls()).isEqualTo(1);
            assertThat(store.describe().credentials().chosenSource()).isEqualTo("pod-identity");
            assertThat(store.describe().credentials().chosen().orElseThrow().details())
                    .containsEntry("uri", agent.uri().toString())
                    .containsEntry("tokenFile", tokenFile.toString());
            assertThat(store.describe().toString()).doesNotContain(SECRET_KEY, SESSION_TOKEN, TOKEN);
        }
    }

    @Test
    void aWrongPairFromTheAgentFailsWithAccessDeniedNamingPodIdentity() {
        agent.credentials(ACCESS_KEY, "not-the-secret-s3proxy-expects");
        try (ArtifactStore store = store(Clock.systemUTC())) {
            assertThatThrownBy(() -> store.put(ArtifactKey.of("denied.txt"), text("x"), -1))
                    .isInstanceOf(ArtifactStoreException.class)
                    .hasMessageContaining("cannot put 'denied.txt'")
                    .hasMessageContaining("access denied (403")
                    .hasMessageContaining("with credentials from pod-identity")
                    .hasMessageNotContaining("not-the-secret-s3proxy-expects")
                    .extracting(e -> ((ArtifactStoreException) e).kind()).isEqualTo(Kind.ACCESS_DENIED);
        }
    }

    @Test
    void theNextRefreshSendsTheRotatedToken() throws Exception {
        MutableClock clock = new MutableClock();
        agent.lifetime(Duration.ofHours(1));
        try (ArtifactStore store = store(clock)) {
            store.put(ArtifactKey.of("before.txt"), text("before"), -1);
            Files.writeString(tokenFile, "eyJhbGciOiJSUzI1NiJ9.rotated.sig\n");
            clock.advance(Duration.ofMinutes(59));
            store.put(ArtifactKey.of("after.txt"), text("after"), -1);
            assertThat(agent.tokensSeen()).containsExactly(TOKEN, "eyJhbGciOiJSUzI1NiJ9.rotated.sig");
            assertThat(S3.objectKeys(bucket)).containsExactly("after.txt", "before.txt");
        }
    }

    @Test
    void aThousandOperationsAcrossSeveralExpiriesAllSucceedAndTheAgentIsCalledPerLifetimeNotPerRequest()
            throws Exception {
        Duration lifetime = Duration.ofSeconds(1);
        agent.lifetime(lifetime).fractionalDigits(9);
        AtomicInteger operations = new AtomicInteger();
        long started = System.nanoTime();
        AtomicLong elapsedNanos = new AtomicLong();
        try (ArtifactStore store = store(Clock.systemUTC())) {
            ArtifactKey key = ArtifactKey.of("expiry/object.txt");
            store.put(key, text("0"), -1);
            operations.incrementAndGet();
            // Four callers at once, so refreshes also happen while other requests are in flight.
            ExecutorService callers = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> running = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    running.add(callers.submit(() -> {
                        while (true) {
                            long elapsed = System.nanoTime() - started;
                            int done = operations.get();
                            if (done >= 1000 && elapsed >= 3 * lifetime.toNanos()) {
                                elapsedNanos.accumulateAndGet(elapsed, Math::max);
                                return null;
                            }
                            assertThat(store.stat(key)).isPresent();
                            operations.incrementAndGet();
                        }
                    }));
                }
                for (Future<?> f : running) {
                    f.get(); // rethrows the first failed operation
                }
            } finally {
                callers.shutdownNow();
            }
        }
        double lifetimes = (double) elapsedNanos.get() / lifetime.toNanos();
        int calls = agent.calls();
        // Every operation ran with unexpired credentials, so fetches had to cover the whole run...
        assertThat(calls).isGreaterThanOrEqualTo((int) Math.floor(lifetimes));
        // ...and about once per lifetime, never per request: refreshes come when a quarter of these one-second
        // lifetimes is left (the floor of the stale margin), so at most 4/3 per lifetime, plus a little slack.
        assertThat(calls).isLessThanOrEqualTo((int) Math.ceil(4 * lifetimes / 3) + 3)
                .isLessThan(operations.get() / 10);
        System.out.printf("expiry run: %d operations over %.1f credential lifetimes, %d agent calls%n",
                operations.get(), lifetimes, calls);
    }

    @Test
    void aMissingTokenFileFailsWithCredentialsUnavailableNamingThePath() throws Exception {
        Files.delete(tokenFile);
        try (ArtifactStore store = store(Clock.systemUTC())) {
            assertThatThrownBy(() -> store.stat(ArtifactKey.of("any")))
                    .isInstanceOf(ArtifactStoreException.class)
                    .hasMessageContaining("pod-identity: FAILED (token file " + tokenFile + " does not exist)")
                    .extracting(e -> ((ArtifactStoreException) e).kind()).isEqualTo(Kind.CREDENTIALS_UNAVAILABLE);
            assertThat(agent.calls()).isZero();
        }
    }

    @Test
    void noSecretReachesDescribeExceptionsOrLogs() {
        try (LogCapture logs = new LogCapture()) {
            StringWriter failures = new StringWriter();
            try (ArtifactStore store = store(Clock.systemUTC())) {
                store.put(ArtifactKey.of("ok.txt"), text("ok"), -1);
                failures.append(store.describe().toString());
                try {
                    store.open(ArtifactKey.of("missing.txt"));
                } catch (ArtifactStoreException e) {
                    e.printStackTrace(new PrintWriter(failures));
                }
            }
            agent.credentials(ACCESS_KEY, "wrong-" + SECRET_KEY);
            try (ArtifactStore store = store(Clock.systemUTC())) {
                store.put(ArtifactKey.of("denied.txt"), text("x"), -1);
            } catch (ArtifactStoreException e) {
                e.printStackTrace(new PrintWriter(failures));
            }
            assertThat(failures.toString()).contains("not found", "access denied");
            assertThat(logs.size()).isPositive();
            for (String secret : new String[] {SECRET_KEY, SESSION_TOKEN, TOKEN}) {
                assertThat(failures.toString()).doesNotContain(secret);
                assertThat(logs.text()).doesNotContain(secret);
            }
        }
    }
}
