package dev.weft.engine.expr;

import java.util.Optional;

/**
 * Looks up a variable by its dotted name, e.g. {@code inputs.parameters.message}, {@code tasks.A.outputs.result},
 * {@code item}, {@code item.key}, {@code workflow.name}.
 *
 * <p>Values are JSON-like: {@code String}, {@code Number}, {@code Boolean}, {@code List}, {@code Map}, or
 * {@code null}-free. Parameter values are strings.
 */
@FunctionalInterface
public interface VariableResolver {

    /** The value of the variable, or empty when there is no such variable in this scope. */
    Optional<Object> resolve(String name);
}
