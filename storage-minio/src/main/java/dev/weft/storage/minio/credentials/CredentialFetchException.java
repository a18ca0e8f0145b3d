package dev.weft.storage.minio.credentials;

/**
 * A credential source applied but could not produce credentials. The message names the source and what to fix (the
 * agent's address and answer, the token file's path, the missing variable) and never holds a secret.
 */
public final class CredentialFetchException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final boolean transientFailure;

    /**
     * @param message          what went wrong, without secrets
     * @param transientFailure whether trying again may succeed (5xx, 429, timeouts, refused connections)
     * @param cause            the underlying failure, or null; its message must be free of secrets too
     */
    public CredentialFetchException(String message, boolean transientFailure, Throwable cause) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    /** A failure that retrying will not fix. */
    public static CredentialFetchException permanent(String message) {
        return new CredentialFetchException(message, false, null);
    }

    /** Whether trying again may succeed. */
    public boolean isTransient() {
        return transientFailure;
    }
}
