package dev.weft.storage.minio.credentials;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.LongUnaryOperator;

/**
 * The retry rule for calls to a Pod Identity (or ECS container-credentials) agent. The same class, rule, defaults and
 * config keys are in the s3 and the minio plugin (issue 12: a flaky agent must not fail a store operation):
 * <ul>
 *   <li>an attempt's answer is either credentials, a <em>transient</em> failure (5xx, 429, a connect or read
 *       timeout, a refused or broken connection, a 200 whose body cannot be parsed) or a permanent failure (any other
 *       4xx, a bad token file, expired credentials), which the attempt throws and which is never retried;</li>
 *   <li>transient failures are retried up to {@link Policy#maxAttempts()} attempts in all, waiting a uniformly random
 *       time between zero and {@code min(maxDelay, baseDelay * 2^(attempt-1))} (exponential backoff, full jitter),
 *       or exactly what a 429's {@code Retry-After} header (seconds) asks for;</li>
 *   <li>no attempt starts later than {@link Policy#budget()} after the first one: a wait that would pass the budget
 *       ends the retries at once (so a fetch takes at most the budget plus one request timeout).</li>
 * </ul>
 * Thread-safe: every {@link #run} keeps its own history.
 */
final class AgentRetry {

    /**
     * How hard to try.
     *
     * @param maxAttempts attempts in all, at least 1 (1 = no retries)
     * @param baseDelay   the backoff cap before the second attempt; doubles for each further one
     * @param maxDelay    the largest backoff cap (a {@code Retry-After} may ask for longer, within the budget)
     * @param budget      no attempt starts later than this after the first
     */
    record Policy(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration budget) {

        /** Config key suffixes under {@code credentials.podIdentity.}, the same in both plugins. */
        static final String MAX_ATTEMPTS = "maxAttempts";
        static final String BASE_DELAY = "baseDelay";
        static final String MAX_DELAY = "maxDelay";
        static final String BUDGET = "retryBudget";

        static final int DEFAULT_MAX_ATTEMPTS = 8;
        static final Duration DEFAULT_BASE_DELAY = Duration.ofMillis(100);
        static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(2);
        static final Duration DEFAULT_BUDGET = Duration.ofSeconds(10);

        /** Checks the fields; messages name the config key. */
        Policy {
            Objects.requireNonNull(baseDelay, "baseDelay");
            Objects.requireNonNull(maxDelay, "maxDelay");
            Objects.requireNonNull(budget, "budget");
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("credentials.podIdentity." + MAX_ATTEMPTS + " must be at least 1, was "
                        + maxAttempts);
            }
            if (baseDelay.isNegative() || maxDelay.isNegative()) {
                throw new IllegalArgumentException("credentials.podIdentity." + BASE_DELAY + " and ." + MAX_DELAY
                        + " must not be negative");
            }
            if (budget.isNegative()) {
                throw new IllegalArgumentException("credentials.podIdentity." + BUDGET + " must not be negative");
            }
        }

        /** 8 attempts, 100 ms doubling up to 2 s, full jitter, within 10 s. */
        static Policy defaults() {
            return new Policy(DEFAULT_MAX_ATTEMPTS, DEFAULT_BASE_DELAY, DEFAULT_MAX_DELAY, DEFAULT_BUDGET);
        }
    }

    /** What one attempt gave: credentials, or a failure worth another attempt. Permanent failures are thrown. */
    sealed interface Answer<T> permits Success, Transient {
    }

    /** The attempt produced a value. */
    record Success<T>(T value) implements Answer<T> {
    }

    /**
     * The attempt failed in a way another attempt may fix.
     *
     * @param what       a few words for the history: "500", "429", "timeout", "unparsable body"
     * @param retryAfter what the agent's {@code Retry-After} header asked for, if it sent one
     * @param message    the full, secret-free description, e.g. "agent at http://... answered 500: text"
     */
    record Transient<T>(String what, Optional<Duration> retryAfter, String message) implements Answer<T> {
    }

    /** One attempt at the agent. */
    @FunctionalInterface
    interface Attempt<T> {
        /** Calls the agent once; throws a permanent failure, returns a transient one. */
        Answer<T> call();
    }

    /** Waits between attempts (a test may record instead). */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /**
     * A successful run.
     *
     * @param value    what the last attempt produced
     * @param attempts how many attempts it took
     * @param retried  one entry per failed attempt, e.g. "500", "429 (waited 1000 ms as Retry-After asked)"
     */
    record Result<T>(T value, int attempts, List<String> retried) {

        /** "after 3 attempts (retried: 500; timeout)", or empty when the first attempt succeeded. */
        Optional<String> note() {
            return attempts == 1 ? Optional.empty()
                    : Optional.of("after " + attempts + " attempts (retried: " + String.join("; ", retried) + ")");
        }
    }

    private final Policy policy;
    private final Sleeper sleeper;
    private final LongSupplier nanoTime;
    private final LongUnaryOperator jitter;

    /** The rule with real sleeps, the monotonic clock and random jitter. */
    AgentRetry(Policy policy) {
        this(policy, d -> Thread.sleep(d.toMillis()), System::nanoTime,
                bound -> bound <= 0 ? 0 : ThreadLocalRandom.current().nextLong(bound + 1));
    }

    /**
     * The rule with injected time (for tests).
     *
     * @param jitter given a cap in milliseconds, a value between 0 and the cap inclusive
     */
    AgentRetry(Policy policy, Sleeper sleeper, LongSupplier nanoTime, LongUnaryOperator jitter) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.jitter = Objects.requireNonNull(jitter, "jitter");
    }

    Policy policy() {
        return policy;
    }

    /**
     * Runs {@code attempt} until it succeeds, throws, or the attempts or the budget run out.
     *
     * @param giveUp makes the exception to throw from the last transient failure's message plus the history
     */
    <T> Result<T> run(Attempt<T> attempt, Function<String, RuntimeException> giveUp) {
        long start = nanoTime.getAsLong();
        List<String> history = new ArrayList<>();
        for (int n = 1; ; n++) {
            Answer<T> answer = attempt.call();
            if (answer instanceof Success<T> success) {
                return new Result<>(success.value(), n, List.copyOf(history));
            }
            Transient<T> failure = (Transient<T>) answer;
            if (n >= policy.maxAttempts()) {
                history.add(failure.what());
                throw giveUp.apply(failure.message() + summary(n, history, null));
            }
            Duration wait = delay(n, failure.retryAfter());
            Duration elapsed = Duration.ofNanos(nanoTime.getAsLong() - start);
            if (elapsed.plus(wait).compareTo(policy.budget()) > 0) {
                history.add(failure.what());
                throw giveUp.apply(failure.message() + summary(n, history, "the next attempt, in " + wait.toMillis()
                        + " ms" + (failure.retryAfter().isPresent() ? " as Retry-After asked" : "")
                        + ", would start after the " + human(policy.budget()) + " retry budget"));
            }
            history.add(failure.what() + (failure.retryAfter().isPresent()
                    ? " (waited " + wait.toMillis() + " ms as Retry-After asked)" : ""));
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw giveUp.apply(failure.message() + summary(n, history, "interrupted while waiting to retry"));
            }
        }
    }

    /** Retry-After when given, else full jitter under {@code min(maxDelay, baseDelay * 2^(n-1))}. */
    Duration delay(int attempt, Optional<Duration> retryAfter) {
        if (retryAfter.isPresent()) {
            return retryAfter.get().isNegative() ? Duration.ZERO : retryAfter.get();
        }
        long base = policy.baseDelay().toMillis();
        long cap = policy.maxDelay().toMillis();
        int shift = Math.min(attempt - 1, 30);
        long exponential = base > (Long.MAX_VALUE >> shift) ? cap : Math.min(cap, base << shift);
        return Duration.ofMillis(jitter.applyAsLong(exponential));
    }

    /**
     * Parses a {@code Retry-After} header as seconds. The HTTP-date form and anything else unparsable give empty:
     * the ordinary backoff applies then.
     */
    static Optional<Duration> retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        try {
            long seconds = Long.parseLong(header.trim());
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String summary(int attempts, List<String> history, String stopped) {
        if (attempts == 1 && stopped == null) {
            return "";
        }
        return " (" + (attempts == 1 ? "1 attempt" : "after " + attempts + " attempts: " + String.join("; ", history))
                + (stopped == null ? "" : "; stopped: " + stopped) + ")";
    }

    private static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
