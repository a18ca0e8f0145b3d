package dev.weft.storage.spi;

import java.util.Objects;

/**
 * The one exception family of the storage SPI. The {@link Kind} tells callers what to do: retry a
 * {@link Kind#TRANSIENT} failure, skip an optional artifact on {@link Kind#NOT_FOUND}, show the credential report on
 * {@link Kind#CREDENTIALS_UNAVAILABLE}, and so on.
 *
 * <p>Messages name the store, the bucket or root, the key and, for authorization failures, the credential source.
 * They never contain a secret: stores build messages from {@link StoreConfig} getters that redact, never from raw
 * credential values.
 */
public class ArtifactStoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What went wrong, coarse enough for callers to act on. */
    public enum Kind {
        /** The key does not exist. */
        NOT_FOUND,
        /** The store refused the request with the credentials it had (HTTP 403, permission denied). */
        ACCESS_DENIED,
        /** No credential source in the chain produced credentials. */
        CREDENTIALS_UNAVAILABLE,
        /** A failure that may go away on retry: throttling, 5xx, timeouts, connection resets. */
        TRANSIENT,
        /** The store's configuration is missing a value or has a malformed one. */
        INVALID_CONFIG,
        /** Any other failure: the request was understood and failed, and retrying will not help. */
        FAILED
    }

    private final Kind kind;

    /** An exception of the given kind. */
    public ArtifactStoreException(Kind kind, String message) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /** An exception of the given kind with a cause; the cause's message must not carry secrets either. */
    public ArtifactStoreException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /** What went wrong. */
    public Kind kind() {
        return kind;
    }

    /** Whether retrying the same operation may succeed. */
    public boolean isRetryable() {
        return kind == Kind.TRANSIENT;
    }

    /** A {@link Kind#NOT_FOUND} for {@code key} in the store described by {@code where} (e.g. "s3 bucket 'b'"). */
    public static ArtifactStoreException notFound(String where, ArtifactKey key) {
        return new ArtifactStoreException(Kind.NOT_FOUND, where + ": artifact '" + key + "' not found");
    }

    /** A {@link Kind#INVALID_CONFIG} with the given message. */
    public static ArtifactStoreException invalidConfig(String message) {
        return new ArtifactStoreException(Kind.INVALID_CONFIG, message);
    }

    @Override
    public String toString() {
        return getClass().getName() + "[" + kind + "]: " + getMessage();
    }
}
