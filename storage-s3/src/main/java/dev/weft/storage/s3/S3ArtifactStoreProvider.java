package dev.weft.storage.s3;

import dev.weft.storage.s3.credentials.CredentialChain;
import dev.weft.storage.s3.credentials.Environment;
import dev.weft.storage.spi.ArtifactStore;
import dev.weft.storage.spi.ArtifactStoreProvider;
import dev.weft.storage.spi.CredentialReport;
import dev.weft.storage.spi.StoreConfig;
import java.time.Clock;
import java.util.Objects;
import org.pf4j.Extension;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Makes {@code s3} stores: the PF4J extension this plugin contributes. See {@link S3StoreSettings} for the store's
 * properties and {@link CredentialChain} for the credential ones.
 */
@Extension
public final class S3ArtifactStoreProvider implements ArtifactStoreProvider {

    /** The store type. */
    public static final String TYPE = "s3";

    private final Environment env;
    private final Clock clock;

    /** A provider reading the real process environment; PF4J uses this one. */
    public S3ArtifactStoreProvider() {
        this(Environment.system(), Clock.systemUTC());
    }

    /**
     * A provider reading the given environment, so tests describe a pod without touching JVM-global state.
     *
     * @param env   environment variables, system properties and home directory for the credential chain and region
     * @param clock the time source for credential refreshes
     */
    public S3ArtifactStoreProvider(Environment env, Clock clock) {
        this.env = Objects.requireNonNull(env, "env");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public ArtifactStore create(StoreConfig config) {
        S3StoreSettings settings = S3StoreSettings.from(config, env);
        CredentialChain chain = CredentialChain.fromConfig(settings.config(), env, settings.region(), clock);
        SdkHttpClient http = null;
        try {
            http = S3HttpClients.build(settings);
            S3ClientBuilder builder = S3Client.builder()
                    .httpClient(http)
                    .region(settings.region())
                    .credentialsProvider(chain)
                    .forcePathStyle(settings.pathStyle())
                    .overrideConfiguration(o -> {
                        // Standard strategy plus the store's rule (S3Retry): throttling, 5xx, resets, read timeouts
                        // and responses cut off mid-XML are retried with full-jitter backoff; 4xx are not. No
                        // circuit breaker: under a burst of faults it would stop retrying exactly when needed.
                        BackoffStrategy backoff = BackoffStrategy.exponentialDelay(settings.retryBaseDelay(),
                                settings.retryMaxDelay());
                        o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(settings.maxAttempts())
                                .backoffStrategy(backoff)
                                .throttlingBackoffStrategy(backoff)
                                .circuitBreakerEnabled(false)
                                .retryOnException(S3Retry::isTransient)
                                .build());
                        settings.apiCallTimeout().ifPresent(o::apiCallTimeout);
                    });
            settings.endpoint().ifPresent(builder::endpointOverride);
            return new S3ArtifactStore(settings, chain, http, builder.build());
        } catch (RuntimeException e) {
            if (http != null) {
                http.close();
            }
            chain.close();
            throw e;
        }
    }

    @Override
    public CredentialReport diagnoseCredentials(StoreConfig config) {
        S3StoreSettings settings = S3StoreSettings.from(config, env);
        try (CredentialChain chain = CredentialChain.fromConfig(settings.config(), env, settings.region(), clock)) {
            return chain.report();
        }
    }
}
