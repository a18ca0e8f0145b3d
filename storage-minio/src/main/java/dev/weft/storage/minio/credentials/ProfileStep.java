package dev.weft.storage.minio.credentials;

import io.minio.credentials.AwsConfigProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.ProviderException;
import java.util.Map;
import java.util.Optional;

/**
 * {@code profile}: static keys from the shared credentials file ({@code AWS_SHARED_CREDENTIALS_FILE}, else
 * {@code ~/.aws/credentials}), profile {@code credentials.profile}, else {@code AWS_PROFILE}, else {@code default};
 * through minio-java's {@link AwsConfigProvider}.
 */
final class ProfileStep implements ChainStep {

    private final StepContext context;

    ProfileStep(StepContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "profile";
    }

    @Override
    public Attempt attempt() {
        CredentialEnvironment env = context.env();
        Optional<Path> configured = env.get("AWS_SHARED_CREDENTIALS_FILE").map(Path::of)
                .or(() -> env.property("user.home").map(home -> Path.of(home, ".aws", "credentials")));
        if (configured.isEmpty()) {
            return new Skipped("AWS_SHARED_CREDENTIALS_FILE not set and no home directory (user.home) known");
        }
        Path file = configured.get();
        String profile = context.settings().profile().or(() -> env.get("AWS_PROFILE")).orElse("default");
        if (!Files.isRegularFile(file)) {
            return new Skipped("no shared credentials file at " + file);
        }
        AwsConfigProvider provider = new AwsConfigProvider(file.toString(), profile) {
            @Override
            protected String getProperty(String name) {
                return env.get(name).orElse(null);
            }
        };
        return new Ready(() -> {
            try {
                return provider.fetch();
            } catch (ProviderException e) {
                throw CredentialFetchException.permanent(file + ": " + e.getMessage());
            }
        }, Map.of("file", file.toString(), "profile", profile));
    }
}
