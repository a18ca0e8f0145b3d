package dev.weft.engine.task;

/**
 * A Java handler's log: each line reaches the node's log (the run's listeners, {@code RunListener#taskLog}) and the
 * engine's SLF4J log (logger {@code dev.weft.task.<handler>}, with the node's name). Formats use SLF4J's
 * {@code {}} placeholders. Never log secrets: the lines are kept with the run.
 */
public interface TaskLog {

    /** A line at INFO. */
    void info(String format, Object... args);

    /** A line at WARN. */
    void warn(String format, Object... args);

    /** A line at ERROR. */
    void error(String format, Object... args);
}
