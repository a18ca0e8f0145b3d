package dev.weft.storage.minio.credentials;

import io.minio.credentials.Credentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code static}: keys from the store config, given inline ({@code credentials.accessKey}), through a named variable
 * ({@code credentials.accessKeyEnv}) or a file ({@code credentials.accessKeyFile}, re-read on every refresh).
 */
final class StaticStep implements ChainStep {

    private final StepContext context;

    StaticStep(StepContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "static";
    }

    @Override
    public Attempt attempt() {
        CredentialSettings s = context.settings();
        Optional<Source> access = source("accessKey", s.accessKey(), s.accessKeyEnv(), s.accessKeyFile());
        Optional<Source> secret = source("secretKey", s.secretKey(), s.secretKeyEnv(), s.secretKeyFile());
        if (access.isEmpty() && secret.isEmpty()) {
            return new Skipped("credentials.accessKey/secretKey (or their Env/File forms) not set");
        }
        if (access.isEmpty() || secret.isEmpty()) {
            String missing = access.isEmpty() ? "accessKey" : "secretKey";
            String present = access.isEmpty() ? "secretKey" : "accessKey";
            return new Ready(() -> {
                throw CredentialFetchException.permanent("credentials." + present + " is set but credentials."
                        + missing + " (or " + missing + "Env/" + missing + "File) is not");
            }, Map.of());
        }
        Map<String, String> details = new LinkedHashMap<>();
        details.put("accessKey", access.get().describe());
        details.put("secretKey", secret.get().describe());
        return new Ready(() -> new Credentials(access.get().read(), secret.get().read(),
                s.sessionToken().orElse(null), null), details);
    }

    private Optional<Source> source(String name, Optional<String> inline, Optional<String> env,
                                    Optional<String> file) {
        if (inline.isPresent()) {
            return Optional.of(new Source("credentials." + name, "from config", inline::get));
        }
        if (env.isPresent()) {
            String variable = env.get();
            return Optional.of(new Source("credentials." + name + "Env", "from env " + variable,
                    () -> context.env().get(variable).orElseThrow(() -> CredentialFetchException.permanent(
                            "credentials." + name + "Env names variable " + variable + ", which is not set"))));
        }
        if (file.isPresent()) {
            Path path = Path.of(file.get());
            return Optional.of(new Source("credentials." + name + "File", "from file " + path, () -> {
                try {
                    String value = Files.readString(path, StandardCharsets.UTF_8).trim();
                    if (value.isEmpty()) {
                        throw CredentialFetchException.permanent(
                                "credentials." + name + "File " + path + " is empty");
                    }
                    return value;
                } catch (IOException e) {
                    throw CredentialFetchException.permanent("credentials." + name + "File " + path
                            + " cannot be read (" + e.getClass().getSimpleName() + ")");
                }
            }));
        }
        return Optional.empty();
    }

    /** Where one key comes from; {@code describe()} never includes the value. */
    private record Source(String property, String description, java.util.function.Supplier<String> reader) {
        String read() {
            return reader.get();
        }

        String describe() {
            return description;
        }
    }
}
