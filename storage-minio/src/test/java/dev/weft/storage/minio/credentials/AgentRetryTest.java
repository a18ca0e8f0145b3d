package dev.weft.storage.minio.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The agent retry rule on its own, with a fake clock whose time moves only when the rule sleeps. The same test is
 * in the minio plugin, for the same rule.
 */
class AgentRetryTest {

    private final AtomicLong now = new AtomicLong();
    private final List<Duration> waits = new ArrayList<>();

    private AgentRetry retry(AgentRetry.Policy policy, boolean jitterAtCap) {
        return new AgentRetry(policy, d -> {
            waits.add(d);
            now.addAndGet(d.toNanos());
        }, now::get, cap -> jitterAtCap ? cap : cap / 2);
    }

    private static AgentRetry.Transient<String> failure(String what) {
        return new AgentRetry.Transient<>(what, Optional.empty(), "agent at http://127.0.0.1:1/v1/credentials "
                + "answered " + what);
    }

    @Test
    void theBackoffCapDoublesFromTheBaseUpToTheMaximumAndTheWaitIsDrawnBelowIt() {
        AgentRetry rule = retry(new AgentRetry.Policy(8, Duration.ofMillis(100), Duration.ofSeconds(2),
                Duration.ofMinutes(1)), true);
        List<Long> caps = new ArrayList<>();
        for (int attempt = 1; attempt <= 7; attempt++) {
            caps.add(rule.delay(attempt, Optional.empty()).toMillis());
        }
        assertThat(caps).containsExactly(100L, 200L, 400L, 800L, 1600L, 2000L, 2000L);
        AgentRetry half = retry(AgentRetry.Policy.defaults(), false);
        assertThat(half.delay(3, Optional.empty())).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void aRetryAfterIsWaitedExactlyEvenBeyondTheMaximumDelay() {
        AgentRetry rule = retry(AgentRetry.Policy.defaults(), true);
        assertThat(rule.delay(1, Optional.of(Duration.ofSeconds(3)))).isEqualTo(Duration.ofSeconds(3));
        assertThat(AgentRetry.retryAfter("1")).contains(Duration.ofSeconds(1));
        assertThat(AgentRetry.retryAfter(" 7 ")).contains(Duration.ofSeconds(7));
        assertThat(AgentRetry.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isEmpty();
        assertThat(AgentRetry.retryAfter("-1")).isEmpty();
        assertThat(AgentRetry.retryAfter(null)).isEmpty();
    }

    @Test
    void transientFailuresAreRetriedUntilSuccessAndTheHistorySaysWhich() {
        AtomicInteger calls = new AtomicInteger();
        AgentRetry.Result<String> result = retry(AgentRetry.Policy.defaults(), true).run(() -> switch (calls
                .incrementAndGet()) {
            case 1 -> failure("500");
            case 2 -> new AgentRetry.Transient<>("429", Optional.of(Duration.ofSeconds(1)), "throttled");
            default -> new AgentRetry.Success<>("credentials");
        }, IllegalStateException::new);
        assertThat(result.value()).isEqualTo("credentials");
        assertThat(result.attempts()).isEqualTo(3);
        assertThat(result.note()).contains("after 3 attempts (retried: 500; 429 (waited 1000 ms as Retry-After "
                + "asked))");
        assertThat(waits).containsExactly(Duration.ofMillis(100), Duration.ofSeconds(1));
    }

    @Test
    void theAttemptsRunOutWithTheLastMessageAndTheHistory() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> retry(new AgentRetry.Policy(3, Duration.ofMillis(10), Duration.ofMillis(50),
                Duration.ofSeconds(10)), true).run(() -> {
                    calls.incrementAndGet();
                    return failure("503");
                }, IllegalStateException::new))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("agent at http://127.0.0.1:1/v1/credentials answered 503 (after 3 attempts: 503; 503; 503)");
        assertThat(calls).hasValue(3);
        assertThat(waits).hasSize(2);
    }

    @Test
    void noAttemptStartsAfterTheBudget() {
        AtomicInteger calls = new AtomicInteger();
        AgentRetry rule = retry(new AgentRetry.Policy(100, Duration.ofSeconds(1), Duration.ofSeconds(4),
                Duration.ofSeconds(10)), true);
        assertThatThrownBy(() -> rule.run(() -> {
            calls.incrementAndGet();
            return failure("500");
        }, IllegalStateException::new))
                .hasMessageContaining("stopped: the next attempt, in 4000 ms, would start after the 10 s retry budget");
        // Waits 1 + 2 + 4 s = 7 s; the next 4 s would end at 11 s: four attempts, not a hundred.
        assertThat(calls).hasValue(4);
        assertThat(Duration.ofNanos(now.get())).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void aRetryAfterBeyondTheBudgetEndsTheRetriesAtOnce() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> retry(AgentRetry.Policy.defaults(), true).run(() -> {
            calls.incrementAndGet();
            return new AgentRetry.Transient<String>("429", Optional.of(Duration.ofSeconds(30)), "throttled");
        }, IllegalStateException::new))
                .hasMessage("throttled (1 attempt; stopped: the next attempt, in 30000 ms as Retry-After asked, "
                        + "would start after the 10 s retry budget)");
        assertThat(calls).hasValue(1);
        assertThat(waits).isEmpty();
    }

    @Test
    void aPermanentFailureThrownByTheAttemptIsNotRetried() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> retry(AgentRetry.Policy.defaults(), true).run(() -> {
            calls.incrementAndGet();
            throw CredentialFetchException.permanent("answered 403: Access Denied");
        }, IllegalStateException::new)).isInstanceOf(CredentialFetchException.class);
        assertThat(calls).hasValue(1);
    }

    @Test
    void badSettingsNameTheirKeys() {
        assertThatThrownBy(() -> new AgentRetry.Policy(0, Duration.ZERO, Duration.ZERO, Duration.ZERO))
                .hasMessageContaining("credentials.podIdentity.maxAttempts must be at least 1");
        assertThatThrownBy(() -> new AgentRetry.Policy(1, Duration.ofMillis(-1), Duration.ZERO, Duration.ZERO))
                .hasMessageContaining("credentials.podIdentity.baseDelay");
    }
}
