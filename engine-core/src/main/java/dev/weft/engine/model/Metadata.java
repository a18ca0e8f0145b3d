package dev.weft.engine.model;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Workflow metadata.
 *
 * @param name         the fixed name
 * @param generateName a prefix to which the engine appends a random suffix
 * @param labels       labels (informational)
 * @param annotations  annotations (informational)
 */
public record Metadata(Optional<String> name, Optional<String> generateName, Map<String, String> labels,
                       Map<String, String> annotations) {

    /** Checks and copies. */
    public Metadata {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(generateName, "generateName");
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
    }
}
