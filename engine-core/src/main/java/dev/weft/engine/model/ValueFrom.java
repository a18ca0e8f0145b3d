package dev.weft.engine.model;

import java.util.Objects;
import java.util.Optional;

/**
 * Where an output parameter's value comes from (Argo {@code ValueFrom}).
 *
 * @param path         a file in the task's file system whose content is the value
 * @param defaultValue used when the file (or expression) gives nothing; without it that is an error
 * @param parameter    for composite templates: a {@code {{steps.x.outputs.parameters.y}}} reference
 * @param expression   an expression evaluated after the task (Argo {@code expression})
 * @param supplied     Argo's {@code supplied}; recorded, not used (Weft has no suspend template)
 */
public record ValueFrom(Optional<String> path, Optional<String> defaultValue, Optional<String> parameter,
                        Optional<String> expression, Optional<String> supplied) {

    /** Checks. */
    public ValueFrom {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(parameter, "parameter");
        Objects.requireNonNull(expression, "expression");
        Objects.requireNonNull(supplied, "supplied");
    }
}
