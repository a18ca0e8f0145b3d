package dev.weft.storage.minio.credentials;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where the credential chain reads environment variables and JVM system properties. Production uses the real
 * process environment; tests pass maps, so no test has to change JVM-global state.
 *
 * @param env              environment variable lookup (returns null when unset)
 * @param systemProperties system property lookup (returns null when unset)
 */
public record CredentialEnvironment(Function<String, String> env, Function<String, String> systemProperties) {

    /** Checks the fields. */
    public CredentialEnvironment {
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(systemProperties, "systemProperties");
    }

    /** The real process environment and system properties. */
    public static CredentialEnvironment system() {
        return new CredentialEnvironment(System::getenv, System::getProperty);
    }

    /** A fixed environment with no system properties. */
    public static CredentialEnvironment of(Map<String, String> env) {
        return of(env, Map.of());
    }

    /** A fixed environment and fixed system properties. */
    public static CredentialEnvironment of(Map<String, String> env, Map<String, String> systemProperties) {
        Map<String, String> e = Map.copyOf(env);
        Map<String, String> p = Map.copyOf(systemProperties);
        return new CredentialEnvironment(e::get, p::get);
    }

    /** The variable's value, trimmed; empty when unset or blank. */
    public Optional<String> get(String name) {
        String value = env.apply(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    /** Whether the variable is set to a non-blank value. */
    public boolean has(String name) {
        return get(name).isPresent();
    }

    /** The system property, trimmed; empty when unset or blank. */
    public Optional<String> property(String name) {
        String value = systemProperties.apply(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    /**
     * Whether the instance metadata service is switched off, the AWS way: {@code AWS_EC2_METADATA_DISABLED=true} or
     * {@code -Daws.disableEc2Metadata=true}. minio-java itself checks neither.
     */
    public boolean imdsDisabled() {
        return get("AWS_EC2_METADATA_DISABLED").map(v -> v.toLowerCase(Locale.ROOT).equals("true")).orElse(false)
                || property("aws.disableEc2Metadata").map(v -> v.toLowerCase(Locale.ROOT).equals("true")).orElse(false);
    }
}
