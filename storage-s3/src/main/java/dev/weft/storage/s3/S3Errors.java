package dev.weft.storage.s3;

import dev.weft.storage.s3.credentials.CredentialSourceException;
import dev.weft.storage.spi.ArtifactStoreException;
import dev.weft.storage.spi.ArtifactStoreException.Kind;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Set;
import javax.net.ssl.SSLException;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Maps SDK failures to {@link ArtifactStoreException} kinds with messages that name the store, bucket, key and,
 * for authorization failures, the credential source; never a secret (S3 error messages and codes carry none).
 */
final class S3Errors {

    private static final Set<String> TOKEN_CODES = Set.of("ExpiredToken", "InvalidToken", "TokenRefreshRequired",
            "InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied");
    private static final Set<String> TRANSIENT_CODES = Set.of("SlowDown", "RequestTimeout", "Throttling",
            "ThrottlingException", "RequestTimeTooSkewed", "InternalError", "ServiceUnavailable");

    private final String where;
    private final Supplier<String> credentialSource;

    /**
     * @param where            the store's {@code describe().where()}
     * @param credentialSource the chosen credential source, asked lazily
     */
    S3Errors(String where, Supplier<String> credentialSource) {
        this.where = where;
        this.credentialSource = credentialSource;
    }

    /** The exception for a failed {@code operation} ("put", "open", ...) on {@code key} (may be null). */
    ArtifactStoreException map(String operation, Object key, Throwable failure) {
        String what = where + ": cannot " + operation + (key == null ? "" : " '" + key + "'");
        CredentialSourceException credentials = find(failure, CredentialSourceException.class);
        if (credentials != null) {
            return new ArtifactStoreException(Kind.CREDENTIALS_UNAVAILABLE, what + ": no credentials ("
                    + credentials.source() + "): " + credentials.getMessage(), failure);
        }
        if (failure instanceof ArtifactStoreException already) {
            return already;
        }
        if (failure instanceof AwsServiceException service) {
            return service(what, key, service);
        }
        if (failure instanceof ApiCallTimeoutException || failure instanceof ApiCallAttemptTimeoutException) {
            return new ArtifactStoreException(Kind.TRANSIENT, what + ": timed out: " + failure.getMessage(), failure);
        }
        if (failure instanceof SdkClientException) {
            SSLException tls = find(failure, SSLException.class);
            if (tls != null) {
                // Not transient: a certificate problem does not go away on retry.
                return new ArtifactStoreException(Kind.FAILED, what + ": TLS with the endpoint failed ("
                        + tls.getMessage() + "); set caFile to trust a private CA, or insecureSkipVerify=true "
                        + "for a test server", failure);
            }
            if (find(failure, IOException.class) != null) {
                return new ArtifactStoreException(Kind.TRANSIENT, what + ": " + failure.getMessage(), failure);
            }
            return new ArtifactStoreException(Kind.FAILED, what + ": " + failure.getMessage(), failure);
        }
        if (failure instanceof InterruptedIOException || failure instanceof InterruptedException) {
            return new ArtifactStoreException(Kind.FAILED, what + ": interrupted", failure);
        }
        return new ArtifactStoreException(Kind.FAILED, what + ": " + failure, failure);
    }

    private ArtifactStoreException service(String what, Object key, AwsServiceException e) {
        int status = e.statusCode();
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        String text = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
        String detail = status + (code == null ? "" : " " + code) + (text == null ? "" : ": " + text);
        if ("NoSuchBucket".equals(code)) {
            return new ArtifactStoreException(Kind.FAILED, what + ": the bucket does not exist (" + detail
                    + "); create it or set createBucketIfNotPresent", e);
        }
        if (status == 404) {
            return new ArtifactStoreException(Kind.NOT_FOUND, what + ": artifact '" + key + "' not found ("
                    + detail + ")", e);
        }
        if (status == 403 || (status == 400 && code != null && TOKEN_CODES.contains(code))) {
            return new ArtifactStoreException(Kind.ACCESS_DENIED, what + ": access denied (" + detail
                    + ") with credentials from " + credentialSource.get(), e);
        }
        if (status == 429 || (status >= 500 && status != 501) || (code != null && TRANSIENT_CODES.contains(code))
                || e.isThrottlingException()) {
            return new ArtifactStoreException(Kind.TRANSIENT, what + ": the server answered " + detail
                    + " (retries exhausted)", e);
        }
        if (status == 501) {
            return new ArtifactStoreException(Kind.FAILED, what + ": the server does not implement this request ("
                    + detail + ")", e);
        }
        return new ArtifactStoreException(Kind.FAILED, what + ": the server answered " + detail, e);
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}
