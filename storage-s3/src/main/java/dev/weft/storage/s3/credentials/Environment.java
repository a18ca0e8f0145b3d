package dev.weft.storage.s3.credentials;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where the credential chain reads environment variables, system properties and the home directory from. Injected so
 * that tests describe a pod's environment with a map instead of touching JVM-global state.
 *
 * @param variables  environment variables by name (null when unset)
 * @param properties JVM system properties by name (null when unset)
 * @param home       the user's home directory, for {@code ~/.aws}; may be null when unknown
 */
public record Environment(Function<String, String> variables, Function<String, String> properties, Path home) {

    /** Checks the fields. */
    public Environment {
        Objects.requireNonNull(variables, "variables");
        Objects.requireNonNull(properties, "properties");
    }

    /** The real process environment, system properties and home directory. */
    public static Environment system() {
        String home = System.getProperty("user.home");
        return new Environment(System::getenv, System::getProperty, home == null ? null : Path.of(home));
    }

    /**
     * An environment made only of the given variables: no system properties, and the home directory taken from
     * {@code HOME} if the map has it.
     */
    public static Environment of(Map<String, String> variables) {
        Map<String, String> copy = Map.copyOf(variables);
        String home = copy.get("HOME");
        return new Environment(copy::get, name -> null, home == null ? null : Path.of(home));
    }

    /** The variable's value, trimmed; empty when unset or blank. */
    public Optional<String> variable(String name) {
        String value = variables.apply(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    /** The system property's value, trimmed; empty when unset or blank. */
    public Optional<String> property(String name) {
        String value = properties.apply(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    /** Whether the variable is set to {@code true} (case-insensitive). */
    public boolean isTrue(String variable) {
        return variable(variable).map(v -> v.toLowerCase(Locale.ROOT).equals("true")).orElse(false);
    }

    /** The home directory, if known. */
    public Optional<Path> homeDirectory() {
        return Optional.ofNullable(home);
    }
}
