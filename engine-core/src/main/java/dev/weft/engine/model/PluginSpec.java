package dev.weft.engine.model;

import java.util.Map;
import java.util.Objects;

/**
 * A JVM-native task: a {@code TaskHandler} registered under {@code handler}. YAML spelling (Argo's {@code plugin:}
 * template): either {@code plugin: {weft: {handler: name, <config...>}}} or, shorter, {@code plugin: {name: {config}}}
 * where the single key names the handler.
 *
 * @param handler the registered handler name
 * @param config  the handler's configuration (JSON-like values); strings may contain {@code {{...}}}
 */
public record PluginSpec(String handler, Map<String, Object> config) {

    /** Checks and copies. */
    public PluginSpec {
        Objects.requireNonNull(handler, "handler");
        config = Map.copyOf(config);
    }
}
