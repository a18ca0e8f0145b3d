package dev.weft.engine.model;

import java.util.Objects;
import java.util.Optional;

/**
 * A task or workflow hook (Argo {@code hooks.exit} or the older {@code onExit}): a template run after the task.
 *
 * @param template   the template to run
 * @param arguments  its arguments, substituted in the scope of the finished task
 * @param expression for non-exit hooks: the condition (recorded; only {@code exit} hooks run)
 */
public record LifecycleHook(String template, Arguments arguments, Optional<String> expression) {

    /** Checks. */
    public LifecycleHook {
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(arguments, "arguments");
        Objects.requireNonNull(expression, "expression");
    }

    /** A hook running {@code template} with no arguments. */
    public static LifecycleHook of(String template) {
        return new LifecycleHook(template, Arguments.NONE, Optional.empty());
    }
}
