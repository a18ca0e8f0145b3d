package dev.weft.engine.model;

import java.util.Optional;

/**
 * Retry back-off (Argo {@code retryStrategy.backoff}). Durations are Argo strings: {@code "10"} (seconds) or Go
 * durations like {@code "1m30s"}.
 *
 * @param duration    the first wait
 * @param factor      multiplier per retry
 * @param cap         upper bound on one wait (Argo {@code cap}, also accepted as {@code maxDelay})
 * @param maxDuration give up retrying once this much time has passed since the first attempt
 */
public record Backoff(Optional<String> duration, Optional<String> factor, Optional<String> cap,
                      Optional<String> maxDuration) {
}
