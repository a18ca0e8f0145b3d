package dev.weft.engine;

/**
 * Hears about a run's progress (the CLI's display and metrics hang on this). Calls come from the run's scheduling
 * context one at a time, in order; a listener must return quickly and must not block. A listener that throws is
 * logged and otherwise ignored.
 */
public interface RunListener {

    /** A node was created or changed phase. */
    default void nodeChanged(String runName, NodeStatus node) {
    }

    /**
     * A task wrote a line to its log (a Java handler through {@code TaskContext.log()}).
     *
     * @param runName  the run
     * @param nodeId   the attempt's node id
     * @param nodeName the attempt's full node name
     * @param line     the line, without a line break
     */
    default void taskLog(String runName, String nodeId, String nodeName, String line) {
    }

    /** The run finished. */
    default void runFinished(RunResult result) {
    }
}
