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
 * @param maxAttempts  attempts for retryable answers (5xx, 429, I/O errors), at least 1
 * @param firstBackoff wait before the second attempt; doubles each time
 */
public record PodIdentitySettings(URI uri, String uriOrigin, Optional<Path> tokenFile, Optional<String> inlineToken,
                                  Duration timeout, int maxAttempts, Duration firstBackoff) {

    /** Checks the fields. */
    public PodIdentitySettings {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(uriOrigin, "uriOrigin");
        Objects.requireNonNull(tokenFile, "tokenFile");
        Objects.requireNonNull(inlineToken, "inlineToken");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(firstBackoff, "firstBackoff");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
        }
    }

    /** No token: the inline token is redacted. */
    @Override
    public String toString() {
        return "PodIdentitySettings[uri=" + uri + ", uriOrigin=" + uriOrigin + ", tokenFile=" + tokenFile.orElse(null)
                + ", inlineToken=" + (inlineToken.isPresent() ? "****" : "none") + ", timeout=" + timeout
                + ", maxAttempts=" + maxAttempts + "]";
    }
}
