package dev.weft.storage.minio;

import dev.weft.storage.spi.ArtifactStoreException;
import dev.weft.storage.spi.ArtifactStoreException.Kind;
import io.minio.errors.MinioException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's retry rule, the same as the s3 store's: a failure is retried when {@link MinioErrors} calls it
 * TRANSIENT (429/5xx except 501, throttling codes, resets, read timeouts on a stalled body, a response cut off),
 * up to {@code retry.maxAttempts} attempts in all, with exponential backoff from {@code retry.baseDelay} capped at
 * {@code retry.maxDelay} and full jitter. minio-java retries some statuses inside (its interceptor) but not I/O
 * failures, and not a body that breaks after the call returned; this loop wraps whole idempotent operations.
 */
final class MinioRetry {

    private static final Logger LOG = LoggerFactory.getLogger(MinioRetry.class);

    /** One attempt of an operation. */
    interface Attempt<T> {
        T run() throws MinioException, IOException;
    }

    private final int maxAttempts;
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final MinioErrors errors;

    MinioRetry(int maxAttempts, Duration baseDelay, Duration maxDelay, MinioErrors errors) {
        this.maxAttempts = maxAttempts;
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
        this.errors = errors;
    }

    int maxAttempts() {
        return maxAttempts;
    }

    /** Whether the failure may go away on a second identical request. */
    boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InterruptedIOException && !(t instanceof java.net.SocketTimeoutException)) {
                return false; // the thread was interrupted: stop, do not retry
            }
        }
        if (errors.map("retry", null, failure).kind() == Kind.TRANSIENT) {
            return true;
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException || t instanceof java.security.cert.CertificateException) {
                return false;
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException) {
                return true; // "unexpected end of stream" and the like: the connection broke mid-exchange
            }
        }
        return false;
    }

    /**
     * A status the server sent (5xx, SlowDown): minio-java's interceptor has retried it already, {@code maxRetries}
     * times with its own pause, so the loop does not multiply the attempts; it covers broken connections.
     */
    private static boolean answeredByServer(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof io.minio.errors.ErrorResponseException || t instanceof io.minio.errors.ServerException) {
                return true;
            }
        }
        return false;
    }

    /** Full jitter: uniform in [0, min(maxDelay, baseDelay * 2^(retry-1))]. */
    Duration delay(int retry) {
        long cap = Math.min(maxDelay.toMillis(), baseDelay.toMillis() << Math.min(20, retry - 1));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(Math.max(1, cap) + 1));
    }

    /**
     * Runs the attempt until it succeeds, fails for good, or {@code maxAttempts} are used; {@code beforeRetry} runs
     * between attempts (cleanup of what a failed attempt may have left). Rethrows the last failure.
     */
    <T> T call(String what, Attempt<T> attempt, Runnable beforeRetry) throws MinioException, IOException {
        for (int n = 1; ; n++) {
            try {
                return attempt.run();
            } catch (MinioException | IOException | RuntimeException e) {
                if (e instanceof ArtifactStoreException a && a.kind() != Kind.TRANSIENT) {
                    throw e;
                }
                if (n >= maxAttempts || !isTransient(e) || answeredByServer(e)) {
                    throw e;
                }
                LOG.debug("{} failed (attempt {} of {}), retrying: {}", what, n, maxAttempts, e.toString());
                beforeRetry.run();
                pause(delay(n));
            }
        }
    }

    static void pause(Duration d) throws InterruptedIOException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to retry");
        }
    }
}
