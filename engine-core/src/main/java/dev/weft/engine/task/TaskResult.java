package dev.weft.engine.task;

import dev.weft.engine.NodePhase;
import dev.weft.engine.model.Artifact;
import java.util.Map;
import java.util.Optional;

/**
 * How a leaf task attempt ended.
 *
 * @param phase           Succeeded, Failed or Error
 * @param message         why it failed, or empty
 * @param result          {@code outputs.result}
 * @param exitCode        the process exit code
 * @param parameters      output parameters
 * @param artifacts       output artifacts
 * @param cause           what a Java handler threw, when that is why it failed
 */
public record TaskResult(NodePhase phase, String message, Optional<String> result, Optional<Integer> exitCode,
                         Map<String, String> parameters, Map<String, Artifact> artifacts,
                         Optional<Throwable> cause) {

    /** Copies. */
    public TaskResult {
        parameters = Map.copyOf(parameters);
        artifacts = Map.copyOf(artifacts);
        java.util.Objects.requireNonNull(cause, "cause");
    }

    /** A result without a cause. */
    public TaskResult(NodePhase phase, String message, Optional<String> result, Optional<Integer> exitCode,
                      Map<String, String> parameters, Map<String, Artifact> artifacts) {
        this(phase, message, result, exitCode, parameters, artifacts, Optional.empty());
    }

    /** An Error result (the task could not run properly). */
    public static TaskResult error(String message) {
        return new TaskResult(NodePhase.ERROR, message, Optional.empty(), Optional.empty(), Map.of(), Map.of());
    }

    /** A Failed result. */
    public static TaskResult failed(String message, Optional<Integer> exitCode, Optional<String> result) {
        return new TaskResult(NodePhase.FAILED, message, result, exitCode, Map.of(), Map.of());
    }

    /** A Failed result caused by an exception (a Java handler that threw). */
    public static TaskResult failedBy(String message, Throwable cause) {
        return new TaskResult(NodePhase.FAILED, message, Optional.empty(), Optional.empty(), Map.of(), Map.of(),
                Optional.of(cause));
    }
}
