package dev.weft.storage.minio.credentials;

import io.minio.credentials.Credentials;
import java.time.Duration;

/** Retries transient credential failures (5xx, 429, timeouts, refused connections) with a short exponential backoff. */
final class RetryingFetcher implements FreshCredentials {

    private static final Duration FIRST_DELAY = Duration.ofMillis(100);
    private static final Duration MAX_DELAY = Duration.ofSeconds(2);

    private final FreshCredentials delegate;
    private final int maxRetries;

    RetryingFetcher(FreshCredentials delegate, int maxRetries) {
        this.delegate = delegate;
        this.maxRetries = maxRetries;
    }

    @Override
    public Credentials fetch() {
        long delay = FIRST_DELAY.toMillis();
        for (int attempt = 0; ; attempt++) {
            try {
                return delegate.fetch();
            } catch (CredentialFetchException e) {
                if (!e.isTransient() || attempt >= maxRetries) {
                    if (attempt == 0) {
                        throw e;
                    }
                    throw new CredentialFetchException(e.getMessage() + " (after " + (attempt + 1) + " attempts)",
                            e.isTransient(), null);
                }
            }
            try {
                Thread.sleep(delay);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new CredentialFetchException("interrupted while waiting to retry", false, interrupted);
            }
            delay = Math.min(delay * 2, MAX_DELAY.toMillis());
        }
    }
}
