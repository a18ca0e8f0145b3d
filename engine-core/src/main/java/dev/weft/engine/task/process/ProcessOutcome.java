package dev.weft.engine.task.process;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How a sandboxed process ended.
 *
 * @param exitCode       the command's exit code; 128+n when a signal n ended it; {@link #NOT_RUN} when the sandbox
 *                       failed and the command never ran
 * @param stdout         the file holding everything the command wrote to standard output
 * @param stderr         the file holding everything the command wrote to standard error
 * @param stopped        whether {@link RunningProcess#stop} ended it (timeout, deadline or cancel)
 * @param sandboxFailure set when the sandbox itself failed to start the command (the command never ran), with the
 *                       sandbox's own message
 */
public record ProcessOutcome(int exitCode, Path stdout, Path stderr, boolean stopped,
                             Optional<String> sandboxFailure) {

    /** The exit code reported when the command never ran ({@link #sandboxFailure} says why). */
    public static final int NOT_RUN = -1;
}
