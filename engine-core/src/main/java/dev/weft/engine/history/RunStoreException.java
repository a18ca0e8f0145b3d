package dev.weft.engine.history;

/** A run store could not read or write. Messages never carry credentials. */
public final class RunStoreException extends RuntimeException {

    /** With a cause. */
    public RunStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
