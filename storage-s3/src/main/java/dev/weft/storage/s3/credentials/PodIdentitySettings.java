package dev.weft.storage.s3.credentials;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how to reach a Pod Identity agent or ECS container-credentials endpoint.
 *
 * @param uri          the credentials URI (FULL_URI, or the ECS base plus RELATIVE_URI)
 * @param uriOrigin    where the URI came from, for messages (e.g. "AWS_CONTAINER_CREDENTIALS_FULL_URI")
 * @param tokenFile    the authorization token file, re-read on every fetch; wins over {@code inlineToken}
 * @param inlineToken  a fixed authorization token (ECS {@code AWS_CONTAINER_AUTHORIZATION_TOKEN}); a secret
 * @param timeout      connect and read timeout of one request
 * @param maxAttempts  attempts in all for transient answers (5xx, 429, timeouts, unparsable bodies), at least 1
 * @param baseDelay    the backoff cap before the second attempt; doubles for each further one (full jitter)
 * @param maxDelay     the largest backoff cap; a 429's Retry-After may ask for longer
 * @param retryBudget  no attempt starts later than this after the first
 */
public record PodIdentitySettings(URI uri, String uriOrigin, Optional<Path> tokenFile, Optional<String> inlineToken,
                                  Duration timeout, int maxAttempts, Duration baseDelay, Duration maxDelay,
                                  Duration retryBudget) {

    /** The default retry rule (8 attempts, 100 ms doubling to 2 s, full jitter, 10 s budget) for this endpoint. */
    public PodIdentitySettings(URI uri, String uriOrigin, Optional<Path> tokenFile, Optional<String> inlineToken,
                               Duration timeout) {
        this(uri, uriOrigin, tokenFile, inlineToken, timeout, AgentRetry.Policy.DEFAULT_MAX_ATTEMPTS,
                AgentRetry.Policy.DEFAULT_BASE_DELAY, AgentRetry.Policy.DEFAULT_MAX_DELAY,
                AgentRetry.Policy.DEFAULT_BUDGET);
    }

    /** Checks the fields. */
    public PodIdentitySettings {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(uriOrigin, "uriOrigin");
        Objects.requireNonNull(tokenFile, "tokenFile");
        Objects.requireNonNull(inlineToken, "inlineToken");
        Objects.requireNonNull(timeout, "timeout");
        // Checks the retry fields too, with messages naming the config keys.
        retryPolicy(maxAttempts, baseDelay, maxDelay, retryBudget);
    }

    /** No token: the inline token is redacted. */
    @Override
    public String toString() {
        return "PodIdentitySettings[uri=" + uri + ", uriOrigin=" + uriOrigin + ", tokenFile=" + tokenFile.orElse(null)
                + ", inlineToken=" + (inlineToken.isPresent() ? "****" : "none") + ", timeout=" + timeout
                + ", maxAttempts=" + maxAttempts + ", baseDelay=" + baseDelay + ", maxDelay=" + maxDelay
                + ", retryBudget=" + retryBudget + "]";
    }

    AgentRetry.Policy retryPolicy() {
        return retryPolicy(maxAttempts, baseDelay, maxDelay, retryBudget);
    }

    private static AgentRetry.Policy retryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay,
                                                 Duration retryBudget) {
        return new AgentRetry.Policy(maxAttempts, baseDelay, maxDelay, retryBudget);
    }
}
