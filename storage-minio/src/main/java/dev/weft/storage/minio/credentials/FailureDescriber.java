package dev.weft.storage.minio.credentials;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;

/** Turns a failed credential request into a {@link CredentialFetchException} that says what the server answered. */
final class FailureDescriber {

    private FailureDescriber() {
    }

    /**
     * @param what    what was called, e.g. "Pod Identity agent" or "STS"
     * @param capture what the request saw
     * @param timeout the request timeout, for the timeout message
     * @param failure what the provider threw
     */
    static CredentialFetchException describe(String what, ResponseCapture capture, Duration timeout,
                                             RuntimeException failure) {
        if (failure instanceof CredentialFetchException already) {
            return already;
        }
        String where = capture.hostAndPort() == null ? "" : " at " + capture.hostAndPort();
        if (capture.status() != 0 && (capture.status() < 200 || capture.status() >= 300)) {
            int status = capture.status();
            String text = capture.body() == null || capture.body().isEmpty() ? "(empty body)" : capture.body();
            boolean retry = status == 429 || status >= 500;
            return new CredentialFetchException(what + where + " answered " + status + ": " + text, retry, null);
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException || t instanceof InterruptedIOException) {
                return new CredentialFetchException(what + where + " did not answer within " + human(timeout),
                        true, null);
            }
            if (t instanceof ConnectException) {
                return new CredentialFetchException("cannot connect to " + what + where + ": " + t.getMessage(),
                        true, null);
            }
            if (t instanceof UnknownHostException) {
                return new CredentialFetchException("cannot resolve the host of " + what + ": " + t.getMessage(),
                        true, null);
            }
        }
        return new CredentialFetchException(what + where + " failed: " + messages(failure), false, null);
    }

    /** The distinct messages of the cause chain, joined; the class name when none has one. */
    static String messages(Throwable failure) {
        StringBuilder out = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !out.toString().contains(t.getMessage())) {
                if (out.length() > 0) {
                    out.append(": ");
                }
                out.append(t.getMessage());
            }
        }
        return out.length() == 0 ? failure.getClass().getSimpleName() : out.toString();
    }

    private static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
