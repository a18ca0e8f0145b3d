package dev.weft.engine;

import dev.weft.engine.model.Artifact;
import java.util.Map;
import java.util.Optional;

/**
 * What a node produced.
 *
 * @param parameters output parameters by name
 * @param result     standard output of a container/script task (size-limited), or a Java handler's result
 * @param exitCode   a process task's exit code
 * @param artifacts  output artifacts by name, as the artifact stager reported them
 */
public record NodeOutputs(Map<String, String> parameters, Optional<String> result, Optional<Integer> exitCode,
                          Map<String, Artifact> artifacts) {

    /** Nothing. */
    public static final NodeOutputs EMPTY = new NodeOutputs(Map.of(), Optional.empty(), Optional.empty(), Map.of());

    /** Copies. */
    public NodeOutputs {
        parameters = Map.copyOf(parameters);
        artifacts = Map.copyOf(artifacts);
    }
}
