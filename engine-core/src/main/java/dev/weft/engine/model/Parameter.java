package dev.weft.engine.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An input, output or argument parameter (Argo {@code Parameter}).
 *
 * @param name         the parameter's name
 * @param value        the literal value (may contain {@code {{...}}})
 * @param defaultValue Argo's {@code default}: used when no value is supplied
 * @param valueFrom    where an output parameter's value comes from
 * @param globalName   exports an output parameter as {@code workflow.outputs.parameters.<globalName>}
 * @param enumValues   Argo's {@code enum}: allowed values (informational)
 * @param description  free text
 */
public record Parameter(String name, Optional<String> value, Optional<String> defaultValue,
                        Optional<ValueFrom> valueFrom, Optional<String> globalName, List<String> enumValues,
                        Optional<String> description) {

    /** Checks and copies. */
    public Parameter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(valueFrom, "valueFrom");
        Objects.requireNonNull(globalName, "globalName");
        enumValues = List.copyOf(enumValues);
        Objects.requireNonNull(description, "description");
    }

    /** A parameter with a literal value. */
    public static Parameter of(String name, String value) {
        return new Parameter(name, Optional.of(value), Optional.empty(), Optional.empty(), Optional.empty(),
                List.of(), Optional.empty());
    }

    /** A parameter declared without a value (a required input). */
    public static Parameter required(String name) {
        return new Parameter(name, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                List.of(), Optional.empty());
    }

    /** An output parameter read from a file in the task's file system, with an optional default. */
    public static Parameter fromPath(String name, String path, Optional<String> defaultValue) {
        return new Parameter(name, Optional.empty(), Optional.empty(),
                Optional.of(new ValueFrom(Optional.of(path), defaultValue, Optional.empty(), Optional.empty(),
                        Optional.empty())),
                Optional.empty(), List.of(), Optional.empty());
    }

    /** A copy exported under a global name. */
    public Parameter withGlobalName(String global) {
        return new Parameter(name, value, defaultValue, valueFrom, Optional.of(global), enumValues, description);
    }

    /** Whether a caller must supply a value: neither a value, a default nor a source is declared. */
    public boolean isRequired() {
        return value.isEmpty() && defaultValue.isEmpty() && valueFrom.isEmpty();
    }
}
