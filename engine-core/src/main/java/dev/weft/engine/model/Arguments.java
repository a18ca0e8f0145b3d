package dev.weft.engine.model;

import java.util.List;
import java.util.Optional;

/**
 * Parameters and artifacts passed to a template (also the shape of {@code inputs} and {@code outputs} lists).
 *
 * @param parameters the parameters, in order
 * @param artifacts  the artifacts, in order
 */
public record Arguments(List<Parameter> parameters, List<Artifact> artifacts) {

    /** No arguments. */
    public static final Arguments NONE = new Arguments(List.of(), List.of());

    /** Copies. */
    public Arguments {
        parameters = List.copyOf(parameters);
        artifacts = List.copyOf(artifacts);
    }

    /** The parameter with this name. */
    public Optional<Parameter> parameter(String name) {
        return parameters.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** The artifact with this name. */
    public Optional<Artifact> artifact(String name) {
        return artifacts.stream().filter(a -> a.name().equals(name)).findFirst();
    }

    /** Whether there is nothing. */
    public boolean isEmpty() {
        return parameters.isEmpty() && artifacts.isEmpty();
    }
}
