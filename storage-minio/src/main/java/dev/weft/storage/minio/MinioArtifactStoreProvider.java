package dev.weft.storage.minio;

import dev.weft.storage.minio.credentials.CredentialChain;
import dev.weft.storage.minio.credentials.CredentialEnvironment;
import dev.weft.storage.spi.ArtifactStore;
import dev.weft.storage.spi.ArtifactStoreProvider;
import dev.weft.storage.spi.CredentialReport;
import dev.weft.storage.spi.StoreConfig;
import java.time.Clock;
import java.util.Objects;
import okhttp3.OkHttpClient;
import org.pf4j.Extension;

/**
 * Makes {@code minio} stores: S3-compatible buckets through minio-java 9.0.4, with Weft's credential chain (static
 * keys, MinIO and AWS variables, web identity, EKS Pod Identity, profile, instance metadata).
 */
@Extension
public final class MinioArtifactStoreProvider implements ArtifactStoreProvider {

    private final CredentialEnvironment environment;
    private final Clock clock;

    /** The provider PF4J instantiates: real environment variables and system clock. */
    public MinioArtifactStoreProvider() {
        this(CredentialEnvironment.system(), Clock.systemUTC());
    }

    /**
     * A provider reading variables from {@code environment} (tests pass a map here).
     *
     * @param environment where the credential chain reads variables
     * @param clock       the time source for credential expiry
     */
    public MinioArtifactStoreProvider(CredentialEnvironment environment, Clock clock) {
        this.environment = Objects.requireNonNull(environment, "environment");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String type() {
        return "minio";
    }

    @Override
    public ArtifactStore create(StoreConfig config) {
        return new MinioArtifactStore(config.name(), MinioStoreSettings.from(config), environment, clock);
    }

    @Override
    public CredentialReport diagnoseCredentials(StoreConfig config) {
        MinioStoreSettings settings = MinioStoreSettings.from(config);
        OkHttpClient http = HttpClients.base(settings);
        try {
            return new CredentialChain(settings.credentials(), environment, http, clock).resolve().report();
        } finally {
            HttpClients.release(http);
        }
    }
}
