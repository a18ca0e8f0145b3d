package dev.weft.engine.spec;

import java.util.Objects;

/**
 * One problem in a workflow document, located precisely.
 *
 * @param source  the file name (or another label for where the document came from)
 * @param path    the field path, e.g. {@code spec.templates[diamond].dag.tasks[D].depends}, or a
 *                {@code line:column} for syntax errors
 * @param message what is wrong, naming the offending value
 */
public record SpecError(String source, String path, String message) {

    /** Checks. */
    public SpecError {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    /** {@code source: path: message}. */
    @Override
    public String toString() {
        return source + ": " + (path.isEmpty() ? "" : path + ": ") + message;
    }
}
