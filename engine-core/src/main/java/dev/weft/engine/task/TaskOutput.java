package dev.weft.engine.task;

import java.util.Map;
import java.util.Optional;

/**
 * What a {@link TaskHandler} returns.
 *
 * @param parameters output parameters by name (the template's declared outputs are taken from here)
 * @param result     becomes {@code outputs.result}
 */
public record TaskOutput(Map<String, String> parameters, Optional<String> result) {

    /** Copies. */
    public TaskOutput {
        parameters = Map.copyOf(parameters);
    }

    /** Success with no outputs. */
    public static TaskOutput empty() {
        return new TaskOutput(Map.of(), Optional.empty());
    }

    /** Success with a result. */
    public static TaskOutput result(String result) {
        return new TaskOutput(Map.of(), Optional.of(result));
    }

    /** Success with output parameters. */
    public static TaskOutput parameters(Map<String, String> parameters) {
        return new TaskOutput(parameters, Optional.empty());
    }
}
