package dev.weft.storage.s3.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.storage.testkit.PodIdentityAgent;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;

/** Weft's Pod Identity provider against the loopback agent: protocol, token handling, faults and caching. */
class PodIdentityCredentialsProviderTest {

    private static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.pod-token-one.sig";

    @TempDir
    Path dir;

    private static final Duration NORMAL_TIMEOUT = Duration.ofSeconds(5);

    private Path tokenFile;
    private PodIdentityAgent agent;
    private SdkHttpClient http;

    @BeforeEach
    void start() throws Exception {
        tokenFile = Files.writeString(dir.resolve("eks-pod-identity-token"), TOKEN);
        agent = PodIdentityAgent.start(tokenFile, "AKIDPOD", "pod-secret-0123456789");
        // Generous: a loaded CI machine must not turn an ordinary answer into a timeout. Only the slow-agent test
        // uses a short timeout, against an agent that delays far longer.
        http = ApacheHttpClient.builder().socketTimeout(NORMAL_TIMEOUT).connectionTimeout(NORMAL_TIMEOUT).build();
    }

    @AfterEach
    void stop() {
        agent.close();
        http.close();
    }

    private PodIdentitySettings settings(int maxAttempts) {
        return new PodIdentitySettings(agent.uri(), "AWS_CONTAINER_CREDENTIALS_FULL_URI", Optional.of(tokenFile),
                Optional.empty(), NORMAL_TIMEOUT, maxAttempts, Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofSeconds(10));
    }

    private PodIdentityCredentialsProvider provider(int maxAttempts, Clock clock) {
        return new PodIdentityCredentialsProvider(settings(maxAttempts), http, clock);
    }

    @Test
    void fetchesSessionCredentialsWithTheTokenFromTheFile() {
        agent.sessionToken("pod-session-token").fractionalDigits(9);
        try (var provider = provider(3, Clock.systemUTC())) {
            AwsCredentials credentials = provider.resolveCredentials();
            assertThat(credentials.accessKeyId()).isEqualTo("AKIDPOD");
            assertThat(credentials.secretAccessKey()).isEqualTo("pod-secret-0123456789");
            assertThat(((AwsSessionCredentials) credentials).sessionToken()).isEqualTo("pod-session-token");
            assertThat(credentials.expirationTime()).isPresent();
            assertThat(agent.tokensSeen()).containsExactly(TOKEN);
        }
    }

    @Test
    void aTrailingNewlineInTheTokenFileIsTrimmed() throws Exception {
        Files.writeString(tokenFile, TOKEN + "\n");
        try (var provider = provider(1, Clock.systemUTC())) {
            assertThat(provider.resolveCredentials().accessKeyId()).isEqualTo("AKIDPOD");
            assertThat(agent.tokensSeen()).containsExactly(TOKEN);
        }
    }

    @Test
    void theRotatedTokenIsSentOnTheNextRefresh() throws Exception {
        MutableClock clock = new MutableClock();
        agent.lifetime(Duration.ofHours(1));
        try (var provider = provider(1, clock)) {
            provider.resolveCredentials();
            Files.writeString(tokenFile, "eyJhbGciOiJSUzI1NiJ9.pod-token-two.sig\n");
            provider.resolveCredentials(); // still cached: the agent is not called again
            assertThat(agent.calls()).isEqualTo(1);

            clock.advance(Duration.ofMinutes(59)); // past the stale point: the next call must refresh
            provider.resolveCredentials();
            assertThat(agent.tokensSeen()).containsExactly(TOKEN, "eyJhbGciOiJSUzI1NiJ9.pod-token-two.sig");
        }
    }

    @Test
    void serverErrorsAreRetriedThenReportedWithTheAgentsText() {
        agent.failAlways(500, "upstream credentials service unavailable");
        try (var provider = provider(3, Clock.systemUTC())) {
            assertThatThrownBy(provider::resolveCredentials)
                    .isInstanceOf(CredentialSourceException.class)
                    .hasMessageContaining("agent at " + agent.uri())
                    .hasMessageContaining("answered 500: upstream credentials service unavailable "
                            + "(after 3 attempts: 500; 500; 500)");
            assertThat(agent.calls()).isEqualTo(3);
        }
    }

    @Test
    void throttlingIsRetriedAndThenSucceeds() {
        agent.failNext(2, 429, "Too Many Requests");
        try (var provider = provider(3, Clock.systemUTC())) {
            assertThat(provider.resolveCredentials().accessKeyId()).isEqualTo("AKIDPOD");
            assertThat(agent.calls()).isEqualTo(3);
        }
    }

    /** A provider whose retry rule records its waits instead of sleeping, so no test waits for a Retry-After. */
    private PodIdentityCredentialsProvider recordingProvider(List<Duration> waits, AgentRetry.Policy policy) {
        PodIdentitySettings settings = new PodIdentitySettings(agent.uri(), "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                Optional.of(tokenFile), Optional.empty(), NORMAL_TIMEOUT, policy.maxAttempts(), policy.baseDelay(),
                policy.maxDelay(), policy.budget());
        AgentRetry retry = new AgentRetry(settings.retryPolicy(), waits::add, System::nanoTime, cap -> cap);
        return new PodIdentityCredentialsProvider(settings, http, Clock.systemUTC(), retry);
    }

    @Test
    void throttlingWithRetryAfterIsHonouredAndTheNoteSaysSo() {
        agent.throttleNext(2, "1");
        List<Duration> waits = new ArrayList<>();
        try (var provider = recordingProvider(waits, AgentRetry.Policy.defaults())) {
            assertThat(provider.resolveCredentials().accessKeyId()).isEqualTo("AKIDPOD");
            assertThat(agent.calls()).isEqualTo(3);
            assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1));
            assertThat(provider.lastFetchNote()).contains("after 3 attempts (retried: 429 (waited 1000 ms as "
                    + "Retry-After asked); 429 (waited 1000 ms as Retry-After asked))");
        }
    }

    @Test
    void aRetryAfterBeyondTheBudgetFailsAfterOneHit() {
        agent.throttleNext(1, "30");
        try (var provider = recordingProvider(new ArrayList<>(), AgentRetry.Policy.defaults())) {
            assertThatThrownBy(provider::resolveCredentials)
                    .hasMessageContaining("agent at " + agent.uri() + " answered 429: Too Many Requests (1 attempt; "
                            + "stopped: the next attempt, in 30000 ms as Retry-After asked, would start after the "
                            + "10 s retry budget)");
            assertThat(agent.calls()).isEqualTo(1);
        }
    }

    @Test
    void anUnparsableBodyIsRetriedWithoutShowingIt() {
        agent.failNext(2, 200, "{\"AccessKeyId\":\"AKIDPOD\",\"SecretAccessKey\":\"pod-secr");
        List<Duration> waits = new ArrayList<>();
        try (var provider = recordingProvider(waits, AgentRetry.Policy.defaults())) {
            assertThat(provider.resolveCredentials().accessKeyId()).isEqualTo("AKIDPOD");
            assertThat(agent.calls()).isEqualTo(3);
            assertThat(provider.lastFetchNote()).contains("after 3 attempts (retried: unparsable body; "
                    + "unparsable body)");
        }
        agent.failAlways(200, "{\"SecretAccessKey\":\"pod-secr");
        try (var provider = recordingProvider(waits, new AgentRetry.Policy(2, Duration.ZERO, Duration.ZERO,
                Duration.ofSeconds(10)))) {
            assertThatThrownBy(provider::resolveCredentials)
                    .hasMessage("agent at " + agent.uri() + " answered 200 with a body that is not a JSON object "
                            + "(after 2 attempts: unparsable body; unparsable body)")
                    .hasMessageNotContaining("pod-secr");
        }
    }

    @Test
    void clientErrorsOtherThan429AreNotRetriedAndNameTheAgentUriButNotTheToken() {
        for (int status : new int[] {400, 403, 404}) {
            agent.recover().resetCounters();
            agent.failAlways(status, "refused for " + TOKEN);
            try (var provider = recordingProvider(new ArrayList<>(), AgentRetry.Policy.defaults())) {
                assertThatThrownBy(provider::resolveCredentials)
                        .isInstanceOf(CredentialSourceException.class)
                        .hasMessage("agent at " + agent.uri() + " answered " + status + ": refused for ****");
                assertThat(agent.calls()).as("hits for %d", status).isEqualTo(1);
            }
        }
    }

    @Test
    void credentialsThatArriveAlreadyExpiredAreRefusedWithAClearError() {
        agent.expired(Duration.ofMinutes(5));
        try (var provider = provider(1, Clock.systemUTC())) {
            assertThatThrownBy(provider::resolveCredentials)
                    .hasMessageContaining("answered credentials that already expired at");
        }
    }

    @Test
    void accessDeniedIsNotRetriedAndCarriesTheAgentsText() {
        agent.failAlways(403, "Access Denied: pod is not associated with a role");
        try (var provider = provider(3, Clock.systemUTC())) {
            assertThatThrownBy(provider::resolveCredentials)
                    .hasMessageContaining("answered 403: Access Denied: pod is not associated with a role");
            assertThat(agent.calls()).isEqualTo(1);
        }
    }

    @Test
    void aRejectedTokenIsNotRetriedAndCarriesTheAgentsText() throws Exception {
        Files.writeString(tokenFile, "a-token-the-agent-does-not-expect");
        PodIdentitySettings other = new PodIdentitySettings(agent.uri(), "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                Optional.of(dir.resolve("other-token")), Optional.empty(), NORMAL_TIMEOUT, 3,
                Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofSeconds(10));
        Files.writeString(dir.resolve("other-token"), "wrong-token");
        try (var provider = new PodIdentityCredentialsProvider(other, http, Clock.systemUTC())) {
            assertThatThrownBy(provider::resolveCredentials)
                    .hasMessageContaining("answered 400: Invalid service account token");
            assertThat(agent.calls()).isEqualTo(1);
        }
    }

    @Test
    void aSlowAgentTimesOutWithAClearError() {
        agent.delay(Duration.ofSeconds(3));
        PodIdentitySettings impatient = new PodIdentitySettings(agent.uri(), "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                Optional.of(tokenFile), Optional.empty(), Duration.ofMillis(500), 1, Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofSeconds(10));
        try (SdkHttpClient shortHttp = ApacheHttpClient.builder().socketTimeout(Duration.ofMillis(500))
                     .connectionTimeout(Duration.ofMillis(500)).build();
             var provider = new PodIdentityCredentialsProvider(impatient, shortHttp, Clock.systemUTC())) {
            assertThatThrownBy(provider::resolveCredentials)
                    .isInstanceOf(CredentialSourceException.class)
                    .hasMessageContaining("agent at " + agent.uri() + " did not answer within 500 ms");
        }
    }

    @Test
    void aMissingTokenFileIsNamed() throws Exception {
        Files.delete(tokenFile);
        try (var provider = provider(3, Clock.systemUTC())) {
            assertThatThrownBy(provider::resolveCredentials)
                    .hasMessage("token file " + tokenFile + " does not exist");
            assertThat(agent.calls()).isZero();
        }
    }

    @Test
    void theTokenFileWinsOverTheInlineToken() {
        PodIdentitySettings both = new PodIdentitySettings(agent.uri(), "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                Optional.of(tokenFile), Optional.of("inline-token"), NORMAL_TIMEOUT, 1,
                Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofSeconds(10));
        try (var provider = new PodIdentityCredentialsProvider(both, http, Clock.systemUTC())) {
            provider.resolveCredentials();
            assertThat(agent.tokensSeen()).containsExactly(TOKEN);
        }
    }

    @Test
    void aFailedRefreshNeverFailsACallerWhileTheCredentialsAreStillValid() {
        MutableClock clock = new MutableClock();
        agent.lifetime(Duration.ofHours(1));
        try (var provider = provider(1, clock)) {
            AwsCredentials first = provider.resolveCredentials();
            agent.failAlways(500, "agent restarting");

            clock.advance(Duration.ofMinutes(59).plusSeconds(30)); // past prefetch and past stale, before expiry
            assertThat(provider.resolveCredentials()).isSameAs(first);

            clock.advance(Duration.ofMinutes(1)); // expired: now the failure surfaces
            assertThatThrownBy(provider::resolveCredentials).hasMessageContaining("answered 500");

            // The agent dates its answers by the real clock, the provider by the test's advanced one: hand out a
            // lifetime that is still valid by the latter, since already-expired answers are refused.
            agent.recover().lifetime(Duration.ofHours(2));
            assertThat(provider.resolveCredentials().accessKeyId()).isEqualTo("AKIDPOD");
        }
    }

    @Test
    void expirationIsParsedWithZeroToNineFractionalDigitsAndOffsets() {
        for (int digits = 0; digits <= 9; digits++) {
            String fraction = digits == 0 ? "" : "." + "123456789".substring(0, digits);
            Instant parsed = PodIdentityCredentialsProvider.parseExpiration("2026-11-28T15:04:05" + fraction + "Z",
                    "agent");
            assertThat(parsed.getEpochSecond()).isEqualTo(Instant.parse("2026-11-28T15:04:05Z").getEpochSecond());
        }
        assertThat(PodIdentityCredentialsProvider.parseExpiration("2026-11-28t17:04:05.5+02:00", "agent"))
                .isEqualTo(Instant.parse("2026-11-28T15:04:05.5Z"));
        assertThatThrownBy(() -> PodIdentityCredentialsProvider.parseExpiration("tomorrow", "agent at x"))
                .hasMessageContaining("not RFC 3339: 'tomorrow'");
    }

    @Test
    void plainHttpIsAllowedOnlyToLoopbackAndTheAgentAddresses() {
        for (String allowed : new String[] {"http://127.0.0.1:80/v1/credentials", "http://localhost/creds",
                "http://[::1]:9/x", "http://169.254.170.2/v2/credentials/id", "http://169.254.170.23/v1/credentials",
                "http://[fd00:ec2::23]/v1/credentials", "https://credentials.example.com/v1"}) {
            PodIdentityCredentialsProvider.checkAllowed(URI.create(allowed), "AWS_CONTAINER_CREDENTIALS_FULL_URI");
        }
        assertThatThrownBy(() -> PodIdentityCredentialsProvider.checkAllowed(URI.create("http://10.1.2.3/creds"),
                "AWS_CONTAINER_CREDENTIALS_FULL_URI"))
                .hasMessageContaining("AWS_CONTAINER_CREDENTIALS_FULL_URI 'http://10.1.2.3/creds'")
                .hasMessageContaining("use https for host 10.1.2.3");
        assertThatThrownBy(() -> PodIdentityCredentialsProvider.checkAllowed(URI.create("ftp://127.0.0.1/creds"),
                "credentials.podIdentity.uri"))
                .hasMessageContaining("must be an http or https URI");
    }
}
