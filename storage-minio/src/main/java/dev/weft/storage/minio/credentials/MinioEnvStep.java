package dev.weft.storage.minio.credentials;

import io.minio.credentials.MinioEnvironmentProvider;
import java.security.ProviderException;
import java.util.Map;

/**
 * {@code minio-env}: {@code MINIO_ACCESS_KEY}/{@code MINIO_SECRET_KEY} through minio-java's
 * {@link MinioEnvironmentProvider}, or else {@code MINIO_ROOT_USER}/{@code MINIO_ROOT_PASSWORD} (the names a MinIO
 * server itself uses, which minio-java does not read).
 */
final class MinioEnvStep implements ChainStep {

    private final StepContext context;

    MinioEnvStep(StepContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "minio-env";
    }

    @Override
    public Attempt attempt() {
        CredentialEnvironment env = context.env();
        String accessVar;
        String secretVar;
        if (env.has("MINIO_ACCESS_KEY") || env.has("MINIO_SECRET_KEY")) {
            accessVar = "MINIO_ACCESS_KEY";
            secretVar = "MINIO_SECRET_KEY";
        } else if (env.has("MINIO_ROOT_USER") || env.has("MINIO_ROOT_PASSWORD")) {
            accessVar = "MINIO_ROOT_USER";
            secretVar = "MINIO_ROOT_PASSWORD";
        } else {
            return new Skipped("MINIO_ACCESS_KEY/MINIO_SECRET_KEY and MINIO_ROOT_USER/MINIO_ROOT_PASSWORD not set");
        }
        MinioEnvironmentProvider provider = new MinioEnvironmentProvider() {
            @Override
            protected String getProperty(String name) {
                return switch (name) {
                    case "MINIO_ACCESS_KEY" -> env.get(accessVar).orElse(null);
                    case "MINIO_SECRET_KEY" -> env.get(secretVar).orElse(null);
                    default -> null;
                };
            }
        };
        return new Ready(() -> {
            try {
                return provider.fetch();
            } catch (ProviderException e) {
                throw CredentialFetchException.permanent(accessVar + "/" + secretVar + ": " + e.getMessage()
                        .replace("MINIO_ACCESS_KEY", accessVar).replace("MINIO_SECRET_KEY", secretVar));
            }
        }, Map.of("variables", accessVar + ", " + secretVar));
    }
}
