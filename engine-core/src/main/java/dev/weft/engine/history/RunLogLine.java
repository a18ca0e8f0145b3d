package dev.weft.engine.history;

import java.util.Objects;

/**
 * One line of a run's logs, with the node attempt it belongs to.
 *
 * @param node the node (its name, display name and attempt say whose line it is)
 * @param line the line
 */
public record RunLogLine(StoredNode node, LogLine line) {

    /** Checks. */
    public RunLogLine {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(line, "line");
    }
}
