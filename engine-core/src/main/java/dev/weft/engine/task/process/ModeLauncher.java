package dev.weft.engine.task.process;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What one isolation mode does around a task's command. One instance per task attempt. */
interface ModeLauncher {

    /** Exit codes from here on mean a signal ended the process (128+n), not a sandbox that refused to start. */
    int SIGNAL_EXIT = 128;

    /**
     * The host command line that runs {@code argv} (aliases already resolved) in the task's view.
     *
     * @throws IOException when the task's directory cannot be prepared
     * @throws SandboxSetupException when the mode can tell before starting that the command cannot run
     */
    LaunchSpec plan(List<String> argv, Map<String, String> env, Optional<String> workingDir)
            throws IOException, SandboxSetupException;

    /**
     * After the process ended on its own: the sandbox's message if the command never ran, read from what the
     * sandbox wrapper left in the task's directory.
     */
    Optional<String> sandboxFailure(int exitCode);

    /**
     * Whether a graceful stop signals the started process itself, not only its descendants. Not for bubblewrap:
     * SIGTERM to bwrap kills the whole sandbox at once and the command never sees its SIGTERM.
     */
    boolean signalStartedProcessOnStop();

    /**
     * Whether the started process leads its own session (started through {@code setsid}), so that processes it
     * leaves behind can be found by session id and ended with it. Not needed with a PID namespace.
     */
    boolean startsOwnSession();

    /**
     * Whether the started process is tied to the thread that starts it, so it must be started on a long-lived
     * thread: bubblewrap's {@code --die-with-parent} (PR_SET_PDEATHSIG) fires when that <em>thread</em> ends. Modes
     * without it start on the caller's thread and save a thread hand-off per task.
     */
    default boolean diesWithStartingThread() {
        return true;
    }

    /** Rewrites the task's own paths in text (identity in modes with a private view). */
    String rewrite(String text);

    /**
     * @param command   the host argv
     * @param env       environment entries to set on top of the host's
     * @param directory an existing host directory to start in
     */
    record LaunchSpec(List<String> command, Map<String, String> env, Path directory) {
        public LaunchSpec {
            command = List.copyOf(command);
            env = Map.copyOf(env);
        }
    }
}
