package dev.weft.engine.task.process;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The private file system view of one task attempt. The engine writes input artifacts and parameters to
 * {@link #hostPath} before {@link #start}, and reads outputs from there afterwards.
 */
public interface SandboxedTask extends AutoCloseable {

    /** The mode this task runs in. */
    IsolationMode mode();

    /**
     * Where the task's view of an absolute path lives on the host, e.g. {@code /tmp/out.txt} ->
     * {@code <taskdir>/root/tmp/out.txt}. Works for declared paths and for anything under the task's {@code /tmp}.
     *
     * @throws IllegalArgumentException for a relative path or one that is not the task's own
     */
    Path hostPath(String sandboxPath);

    /**
     * Where an output at {@code sandboxPath} lives on the host, checked so that reading it cannot leave the task's
     * own files: every component is examined without following links, and a symbolic link anywhere on the path is
     * an error (the task may have pointed it at a host file; its target's content is never read).
     *
     * @param what names the output in the error, e.g. "output parameter 'x'"
     * @throws IllegalArgumentException naming the output and the link (and the link's target path)
     */
    Path outputPath(String sandboxPath, String what);

    /**
     * Starts the command. Standard output and error go to files in the task's directory.
     *
     * @throws IOException when the process cannot be started at all
     */
    RunningProcess start(ProcessLaunch launch) throws IOException;

    /**
     * Rewrites the task's own paths ({@code /tmp} and the declared paths) in a text to where they live on the
     * host, for modes without a private file system view ({@link IsolationMode#PATH_REWRITE}, and the declared
     * paths outside {@code /tmp} in {@link IsolationMode#UNSHARE_TMP}). The engine applies it to a script
     * template's {@code source} before writing it to {@link #hostPath}; {@link #start} already rewrites argv and
     * env values. Only exact, whole occurrences are rewritten (longest path first), so paths a command assembles
     * itself are not. In the other modes the text comes back unchanged.
     */
    default String rewrite(String text) {
        return text;
    }

    /**
     * Deletes the task's directory (after outputs have been read). When this returns the directory is gone from
     * its path; its contents may still be being deleted in the background.
     */
    @Override
    void close();
}
