package dev.weft.engine.task;

import java.nio.file.Path;

/**
 * Where one task attempt's log goes: the lines a Java handler logs, and a process task's standard output and error.
 * The engine keeps them as the node's log (see {@code dev.weft.engine.history.NodeLogs}) and passes handler lines on
 * to the run's listeners.
 */
public interface NodeLogSink {

    /** A sink that drops everything (tests and tools that run a task on its own). */
    NodeLogSink NONE = new NodeLogSink() {
        @Override
        public void handlerLine(String line) {
        }

        @Override
        public void processOutput(Path stdout, Path stderr) {
        }
    };

    /** A line a Java handler logged through {@link TaskContext#log()}, without a line break. */
    void handlerLine(String line);

    /**
     * A process task's captured output, once the process has ended and before its directory is removed. The sink
     * copies what it keeps; the files may be missing when the process never started.
     */
    void processOutput(Path stdout, Path stderr);
}
