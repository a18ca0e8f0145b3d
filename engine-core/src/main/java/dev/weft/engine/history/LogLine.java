package dev.weft.engine.history;

import java.util.Objects;

/**
 * One line of a node's log.
 *
 * @param stream where it came from
 * @param text   the line, without a line break
 */
public record LogLine(LogStream stream, String text) {

    /** Checks. */
    public LogLine {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(text, "text");
    }
}
