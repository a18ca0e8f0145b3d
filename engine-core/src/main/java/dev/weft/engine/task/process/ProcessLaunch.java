package dev.weft.engine.task.process;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One command to run in a task's sandbox.
 *
 * @param argv       the command and its arguments, as written in the template (aliases such as {@code python} are
 *                   resolved by the sandbox)
 * @param env        environment variables added to the host's environment
 * @param workingDir the working directory inside the sandbox, or empty for the sandbox default: {@code /} in
 *                   the bubblewrap modes (the task's own root, as in a container), the private {@code /tmp} otherwise
 */
public record ProcessLaunch(List<String> argv, Map<String, String> env, Optional<String> workingDir) {

    /** Copies the collections and checks the fields. */
    public ProcessLaunch {
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("a process needs a command");
        }
        env = Map.copyOf(env);
        Objects.requireNonNull(workingDir, "workingDir");
    }
}
