package dev.weft.engine.model;

/** One environment variable of a container or script. {@code valueFrom} (secrets, field refs) is not supported. */
public record EnvVar(String name, String value) {
}
