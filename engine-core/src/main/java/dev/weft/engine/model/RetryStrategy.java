package dev.weft.engine.model;

import java.util.Objects;
import java.util.Optional;

/**
 * Argo {@code retryStrategy}.
 *
 * @param limit      how many retries after the first attempt (a number or {@code {{...}}}); empty = unlimited
 * @param policy     which failures are retried
 * @param backoff    waits between attempts
 * @param expression an expression (expr form, without braces) that must be true for another attempt; sees
 *                   {@code lastRetry.exitCode}, {@code lastRetry.status}, {@code lastRetry.duration},
 *                   {@code lastRetry.message}
 */
public record RetryStrategy(Optional<String> limit, RetryPolicy policy, Optional<Backoff> backoff,
                            Optional<String> expression) {

    /** Checks. */
    public RetryStrategy {
        Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(expression, "expression");
    }

    /** {@code limit} retries on failure, no back-off. */
    public static RetryStrategy limit(int limit) {
        return new RetryStrategy(Optional.of(Integer.toString(limit)), RetryPolicy.ON_FAILURE, Optional.empty(),
                Optional.empty());
    }

    /** Which failures Argo retries. */
    public enum RetryPolicy {
        /** Failed and Error nodes. */
        ALWAYS("Always"),
        /** Failed nodes only (Argo's default). */
        ON_FAILURE("OnFailure"),
        /** Error nodes only. */
        ON_ERROR("OnError"),
        /** Error nodes whose message looks transient. */
        ON_TRANSIENT_ERROR("OnTransientError");

        private final String argoName;

        RetryPolicy(String argoName) {
            this.argoName = argoName;
        }

        /** Argo's spelling. */
        public String argoName() {
            return argoName;
        }

        /** Parses Argo's spelling. */
        public static Optional<RetryPolicy> parse(String text) {
            for (RetryPolicy p : values()) {
                if (p.argoName.equals(text)) {
                    return Optional.of(p);
                }
            }
            return Optional.empty();
        }
    }
}
