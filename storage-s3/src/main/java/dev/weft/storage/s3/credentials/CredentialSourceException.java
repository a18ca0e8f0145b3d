package dev.weft.storage.s3.credentials;

/**
 * A credential source could not produce credentials. The message says which source and why (for instance the agent's
 * status and text), never a secret. Thrown from inside SDK calls, so the store finds it in the cause chain.
 */
public class CredentialSourceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String source;

    /** A failure of {@code source} ("pod-identity", "web-identity", ...). */
    public CredentialSourceException(String source, String message) {
        super(message);
        this.source = source;
    }

    /** A failure of {@code source} with a cause whose message holds no secret. */
    public CredentialSourceException(String source, String message, Throwable cause) {
        super(message, cause);
        this.source = source;
    }

    /** The failing source's name. */
    public String source() {
        return source;
    }
}
