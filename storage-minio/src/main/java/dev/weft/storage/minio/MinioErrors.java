package dev.weft.storage.minio;

import dev.weft.storage.minio.credentials.CredentialFetchException;
import dev.weft.storage.spi.ArtifactKey;
import dev.weft.storage.spi.ArtifactStoreException;
import dev.weft.storage.spi.ArtifactStoreException.Kind;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.InsufficientDataException;
import io.minio.errors.InvalidResponseException;
import io.minio.errors.ServerException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Maps minio-java failures to {@link ArtifactStoreException} kinds, with messages that name the store, bucket, key
 * and credential source. minio-java's exceptions are never attached as causes: {@code ErrorResponseException}'s
 * {@code toString()} prints the request headers, session token included. A {@link SafeCause} carrying the class
 * name, the server's error code and message, and the original stack trace is attached instead.
 */
final class MinioErrors {

    private static final Set<String> NOT_FOUND = Set.of("NoSuchKey", "NotFound", "ResourceNotFound", "NoSuchVersion");
    private static final Set<String> DENIED = Set.of("AccessDenied", "SignatureDoesNotMatch", "InvalidAccessKeyId",
            "InvalidToken", "ExpiredToken", "TokenRefreshRequired", "AllAccessDisabled", "AccountProblem",
            "InvalidSecurity");
    private static final Set<String> TRANSIENT = Set.of("SlowDown", "InternalError", "ServiceUnavailable",
            "RequestTimeout", "RequestTimeTooSkewed", "Throttling", "ThrottlingException", "RequestThrottled",
            "XMinioServerNotInitialized", "XMinioStorageFull");

    private final String where;
    private final String bucket;
    private final Supplier<String> credentialSource;
    private final String timeouts;

    /**
     * @param where            the store, e.g. {@code minio store 'default' (bucket 'b' at http://...)}
     * @param bucket           the bucket
     * @param credentialSource the chosen credential source, asked at failure time
     * @param timeouts         the transport timeouts in words, e.g. "connectTimeout 10s, readTimeout 60s": OkHttp
     *                         reports an expired read timeout as a bare "Socket closed"
     */
    MinioErrors(String where, String bucket, Supplier<String> credentialSource, String timeouts) {
        this.where = where;
        this.bucket = bucket;
        this.credentialSource = credentialSource;
        this.timeouts = timeouts;
    }

    /**
     * @param operation what was being done, e.g. "put", "open", "list prefix 'a/'"
     * @param key       the key, or null for bucket-level operations
     * @param failure   what minio-java (or a stream) threw
     */
    ArtifactStoreException map(String operation, ArtifactKey key, Throwable failure) {
        if (failure instanceof ArtifactStoreException already) {
            return already;
        }
        String subject = key == null ? operation : operation + " '" + key + "'";
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CredentialFetchException c) {
                return new ArtifactStoreException(Kind.CREDENTIALS_UNAVAILABLE, where + ": cannot " + subject
                        + ": credentials from " + credentialSource.get() + " unavailable: " + c.getMessage(),
                        SafeCause.of(c, c.getMessage()));
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ErrorResponseException e) {
                return fromErrorResponse(subject, key, e);
            }
            if (t instanceof ServerException s) {
                Kind kind = s.statusCode() >= 500 || s.statusCode() == 429 ? Kind.TRANSIENT : Kind.FAILED;
                return new ArtifactStoreException(kind, where + ": cannot " + subject + ": server answered "
                        + s.statusCode() + ": " + s.getMessage(), SafeCause.of(s, s.getMessage()));
            }
            if (t instanceof InvalidResponseException r) {
                return new ArtifactStoreException(Kind.FAILED, where + ": cannot " + subject
                        + ": unexpected (non-S3) response: " + r.getMessage(), SafeCause.of(r, r.getMessage()));
            }
            if (t instanceof InsufficientDataException d) {
                return new ArtifactStoreException(Kind.FAILED, where + ": cannot " + subject
                        + ": the data ended before its declared length (" + d.getMessage() + ")",
                        SafeCause.of(d, d.getMessage()));
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException || t instanceof java.security.cert.CertificateException) {
                Throwable tls = t;
                return new ArtifactStoreException(Kind.FAILED, where + ": cannot " + subject
                        + ": TLS with the endpoint failed (" + tls.getMessage() + "); set caFile to trust a private "
                        + "CA, or insecureSkipVerify=true to skip verification", SafeCause.of(tls, tls.getMessage()));
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InterruptedIOException || t instanceof java.net.ConnectException
                    || t instanceof java.net.UnknownHostException || t instanceof java.net.SocketException) {
                return new ArtifactStoreException(Kind.TRANSIENT, where + ": cannot " + subject + ": "
                        + t.getClass().getSimpleName() + ": " + t.getMessage() + " (" + timeouts + ")",
                        SafeCause.of(t, t.getMessage()));
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IOException io) {
                return new ArtifactStoreException(Kind.FAILED, where + ": cannot " + subject + ": "
                        + io.getClass().getSimpleName() + ": " + io.getMessage(), SafeCause.of(io, io.getMessage()));
            }
        }
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        return new ArtifactStoreException(Kind.FAILED, where + ": cannot " + subject + ": " + message,
                SafeCause.of(failure, message));
    }

    private ArtifactStoreException fromErrorResponse(String subject, ArtifactKey key, ErrorResponseException e) {
        String code = e.errorResponse() == null ? "" : nullToEmpty(e.errorResponse().code());
        String serverMessage = e.errorResponse() == null ? "" : nullToEmpty(e.errorResponse().message());
        int status = e.response() == null ? 0 : e.response().code();
        String answer = status + (code.isEmpty() ? "" : " " + code) + (serverMessage.isEmpty() ? "" : ": "
                + serverMessage);
        SafeCause cause = SafeCause.of(e, answer);
        if (key != null && (NOT_FOUND.contains(code) || (status == 404 && !code.equals("NoSuchBucket")))) {
            ArtifactStoreException notFound = ArtifactStoreException.notFound(where, key);
            notFound.initCause(cause);
            return notFound;
        }
        if (code.equals("NoSuchBucket")) {
            return new ArtifactStoreException(Kind.FAILED, where + ": cannot " + subject + ": bucket '" + bucket
                    + "' does not exist (create it, or set createBucketIfNotPresent=true)", cause);
        }
        if (DENIED.contains(code) || status == 401 || status == 403) {
            return new ArtifactStoreException(Kind.ACCESS_DENIED, where + ": cannot " + subject + ": access denied ("
                    + answer + ") using credentials from " + credentialSource.get(), cause);
        }
        if (TRANSIENT.contains(code) || status == 429 || status >= 500) {
            return new ArtifactStoreException(Kind.TRANSIENT, where + ": cannot " + subject + ": server answered "
                    + answer, cause);
        }
        return new ArtifactStoreException(Kind.FAILED, where + ": cannot " + subject + ": server answered "
                + answer, cause);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /**
     * Stands in for a library exception whose {@code toString()} may leak request headers: the original class name,
     * a message chosen by Weft, and the original stack trace.
     */
    static final class SafeCause extends Exception {
        private static final long serialVersionUID = 1L;

        private SafeCause(String message) {
            super(message, null, false, true);
        }

        static SafeCause of(Throwable original, String message) {
            SafeCause cause = new SafeCause(original.getClass().getName() + ": " + message);
            cause.setStackTrace(original.getStackTrace());
            return cause;
        }
    }
}
