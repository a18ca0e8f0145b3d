package dev.weft.engine.history;

import java.util.List;

/**
 * A node attempt's log as read.
 *
 * @param lines     the lines, in the order written (including Weft's own marker lines)
 * @param truncated whether the size cap cut it short (a marker line says where)
 */
public record NodeLog(List<LogLine> lines, boolean truncated) {

    /** Copies. */
    public NodeLog {
        lines = List.copyOf(lines);
    }

    /** The lines of one stream. */
    public List<String> of(LogStream stream) {
        return lines.stream().filter(l -> l.stream() == stream).map(LogLine::text).toList();
    }
}
