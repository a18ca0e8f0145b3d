package dev.weft.engine.task.process;

import java.io.IOException;
import java.util.Collection;

/**
 * Makes private file system views for local process tasks, so parallel tasks writing the same absolute path
 * ({@code /tmp/out}) never collide. One instance per engine; it probes the machine once.
 */
public interface ProcessSandbox extends AutoCloseable {

    /** The isolation mode in use, chosen by the start-up probe. */
    IsolationMode mode();

    /** A sentence for the log and the CLI: the mode, and why better modes were not available. */
    String describe();

    /**
     * Prepares a fresh view for one task attempt.
     *
     * @param taskName   a name for the task's directory and for messages (the node's name)
     * @param ownedPaths absolute paths the task must own beyond {@code /tmp}: declared input/output artifact and
     *                   parameter paths, and the script file's path
     */
    SandboxedTask prepare(String taskName, Collection<String> ownedPaths) throws IOException;

    /** Finishes what the sandbox still does in the background (deleting finished tasks' directories). */
    @Override
    default void close() {
    }
}
