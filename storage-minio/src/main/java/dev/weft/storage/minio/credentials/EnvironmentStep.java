package dev.weft.storage.minio.credentials;

import io.minio.credentials.AwsEnvironmentProvider;
import java.security.ProviderException;
import java.util.Map;

/**
 * {@code environment}: {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY} (or {@code AWS_ACCESS_KEY}/
 * {@code AWS_SECRET_KEY}) and optional {@code AWS_SESSION_TOKEN}, through minio-java's {@link AwsEnvironmentProvider}.
 */
final class EnvironmentStep implements ChainStep {

    private final StepContext context;

    EnvironmentStep(StepContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "environment";
    }

    @Override
    public Attempt attempt() {
        CredentialEnvironment env = context.env();
        if (!env.has("AWS_ACCESS_KEY_ID") && !env.has("AWS_ACCESS_KEY")
                && !env.has("AWS_SECRET_ACCESS_KEY") && !env.has("AWS_SECRET_KEY")) {
            return new Skipped("AWS_ACCESS_KEY_ID not set");
        }
        AwsEnvironmentProvider provider = new AwsEnvironmentProvider() {
            @Override
            protected String getProperty(String name) {
                return env.get(name).orElse(null);
            }
        };
        return new Ready(() -> {
            try {
                return provider.fetch();
            } catch (ProviderException e) {
                throw CredentialFetchException.permanent(e.getMessage());
            }
        }, Map.of("sessionToken", env.has("AWS_SESSION_TOKEN") ? "set" : "not set"));
    }
}
