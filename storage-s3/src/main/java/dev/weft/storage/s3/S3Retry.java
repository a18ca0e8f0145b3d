package dev.weft.storage.s3;

import dev.weft.storage.s3.credentials.CredentialSourceException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The store's one retry rule, used by the SDK's retry strategy (for whole requests) and by the store's own loops
 * where the SDK cannot retry: a response body that breaks or stalls after the SDK has returned the stream (ranged
 * downloads, reads), and the multipart steps whose outcome must be checked rather than blindly repeated.
 *
 * <p>Transient: 429/5xx except 501, throttling codes, and any I/O failure (reset, read timeout on a stalled body, a
 * response cut off mid-XML); never TLS or credential failures. Backoff is exponential from {@code retry.baseDelay},
 * capped at {@code retry.maxDelay}, with full jitter (a uniform delay between zero and the cap of the attempt).
 */
final class S3Retry {

    private static final Logger LOG = LoggerFactory.getLogger(S3Retry.class);

    /** An operation that may fail with an I/O error. */
    interface Attempt<T> {
        T run() throws IOException;
    }

    private final int maxAttempts;
    private final Duration baseDelay;
    private final Duration maxDelay;

    S3Retry(S3StoreSettings settings) {
        this(settings.maxAttempts(), settings.retryBaseDelay(), settings.retryMaxDelay());
    }

    S3Retry(int maxAttempts, Duration baseDelay, Duration maxDelay) {
        this.maxAttempts = maxAttempts;
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
    }

    int maxAttempts() {
        return maxAttempts;
    }

    /** Whether a failure may go away when the same idempotent request is sent again. */
    static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SSLException || t instanceof CredentialSourceException
                    || t instanceof InterruptedIOException && !(t instanceof java.net.SocketTimeoutException)) {
                return false;
            }
        }
        if (failure instanceof AwsServiceException service) {
            int status = service.statusCode();
            return status == 429 || (status >= 500 && status != 501) || service.isThrottlingException()
                    || "RequestTimeout".equals(code(service)) || "SlowDown".equals(code(service));
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException || t instanceof UncheckedIOException) {
                return true;
            }
            if (t instanceof SdkClientException && t.getMessage() != null
                    && t.getMessage().startsWith("Could not parse XML response")) {
                return true; // the response was cut off: the request may be sent again
            }
            if (t.getClass().getName().equals("javax.xml.stream.XMLStreamException")) {
                return true;
            }
        }
        return false;
    }

    /** The delay before retry number {@code retry} (1 = the first retry): full jitter over a capped exponential. */
    Duration delay(int retry) {
        long cap = Math.min(maxDelay.toMillis(), baseDelay.toMillis() << Math.min(20, retry - 1));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(Math.max(1, cap) + 1));
    }

    /** Runs {@code attempt} up to {@code maxAttempts} times while it fails transiently; rethrows the last failure. */
    <T> T call(String what, Attempt<T> attempt) throws IOException {
        for (int n = 1; ; n++) {
            try {
                return attempt.run();
            } catch (IOException | RuntimeException e) {
                if (n >= maxAttempts || !isTransient(e)) {
                    throw e;
                }
                LOG.debug("{} failed (attempt {} of {}), retrying: {}", what, n, maxAttempts, e.toString());
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

    private static String code(AwsServiceException e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }
}
