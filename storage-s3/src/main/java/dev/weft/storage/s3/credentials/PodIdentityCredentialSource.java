package dev.weft.storage.s3.credentials;

import dev.weft.storage.spi.StoreConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;

/**
 * EKS Pod Identity ({@code AWS_CONTAINER_CREDENTIALS_FULL_URI} + {@code AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE}) and
 * the ECS variant ({@code AWS_CONTAINER_CREDENTIALS_RELATIVE_URI} against 169.254.170.2, optional
 * {@code AWS_CONTAINER_AUTHORIZATION_TOKEN}). {@code credentials.podIdentity.uri} and
 * {@code credentials.podIdentity.tokenFile} override the variables. {@code credentials.podIdentity.maxAttempts},
 * {@code .baseDelay}, {@code .maxDelay} and {@code .retryBudget} set the retry rule ({@link AgentRetry}).
 */
public final class PodIdentityCredentialSource implements CredentialSource {

    /** The step's name. */
    public static final String NAME = PodIdentityCredentialsProvider.SOURCE;

    /** Where ECS relative URIs point. */
    public static final String ECS_ENDPOINT = "http://169.254.170.2";

    private final StoreConfig credentials;
    private final Environment env;
    private final SdkHttpClient http;
    private final Duration timeout;
    private final Clock clock;
    private PodIdentityCredentialsProvider provider;

    /**
     * A Pod Identity step.
     *
     * @param credentials the store config's {@code credentials.*} subset
     * @param env         the environment
     * @param http        the HTTP client for the agent (its timeouts are {@code timeout})
     * @param timeout     the agent request timeout, for messages
     * @param clock       the time source for the cache
     */
    public PodIdentityCredentialSource(StoreConfig credentials, Environment env, SdkHttpClient http, Duration timeout,
                                       Clock clock) {
        this.credentials = credentials;
        this.env = env;
        this.http = http;
        this.timeout = timeout;
        this.clock = clock;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<String> skipReason() {
        if (fullUri().isEmpty() && env.variable("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI").isEmpty()) {
            return Optional.of("AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_CREDENTIALS_RELATIVE_URI not set");
        }
        return Optional.empty();
    }

    @Override
    public synchronized AwsCredentialsProvider provider() {
        provider = new PodIdentityCredentialsProvider(settings(), http, clock);
        return provider;
    }

    /** The agent settings this step would use. */
    public PodIdentitySettings settings() {
        URI uri;
        String origin;
        Optional<String> full = fullUri();
        if (full.isPresent()) {
            origin = credentials.has("podIdentity.uri") ? "credentials.podIdentity.uri"
                    : "AWS_CONTAINER_CREDENTIALS_FULL_URI";
            uri = parse(full.get(), origin);
        } else {
            origin = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI";
            String relative = env.variable(origin).orElseThrow();
            String base = credentials.getString("podIdentity.ecsEndpoint").orElse(ECS_ENDPOINT);
            uri = parse(base + (relative.startsWith("/") ? "" : "/") + relative, origin);
        }
        Optional<Path> tokenFile = credentials.getPath("podIdentity.tokenFile")
                .or(() -> env.variable("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE").map(Path::of));
        Optional<String> inlineToken = env.variable("AWS_CONTAINER_AUTHORIZATION_TOKEN");
        return new PodIdentitySettings(uri, origin, tokenFile, inlineToken, timeout, intAtLeastOne(
                AgentRetry.Policy.MAX_ATTEMPTS, AgentRetry.Policy.DEFAULT_MAX_ATTEMPTS),
                notNegative(AgentRetry.Policy.BASE_DELAY, AgentRetry.Policy.DEFAULT_BASE_DELAY),
                notNegative(AgentRetry.Policy.MAX_DELAY, AgentRetry.Policy.DEFAULT_MAX_DELAY),
                notNegative(AgentRetry.Policy.BUDGET, AgentRetry.Policy.DEFAULT_BUDGET));
    }

    private int intAtLeastOne(String key, int defaultValue) {
        int value = credentials.getInt("podIdentity." + key, defaultValue);
        if (value < 1) {
            throw credentials.invalid("property 'credentials.podIdentity." + key + "' must be at least 1, was "
                    + value);
        }
        return value;
    }

    private Duration notNegative(String key, Duration defaultValue) {
        Duration value = credentials.getDuration("podIdentity." + key, defaultValue);
        if (value.isNegative()) {
            throw credentials.invalid("property 'credentials.podIdentity." + key + "' must not be negative");
        }
        return value;
    }

    /** "after 3 attempts (retried: 500; timeout)" when the last fetch needed retries. */
    @Override
    public synchronized Optional<String> resolutionNote() {
        return provider == null ? Optional.empty() : provider.lastFetchNote();
    }

    private Optional<String> fullUri() {
        return credentials.getString("podIdentity.uri").or(() -> env.variable("AWS_CONTAINER_CREDENTIALS_FULL_URI"));
    }

    private static URI parse(String value, String origin) {
        try {
            URI uri = new URI(value);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new CredentialSourceException(NAME, origin + " '" + value + "' is not an absolute http(s) URI");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new CredentialSourceException(NAME, origin + " '" + value + "' is not a valid URI: "
                    + e.getReason());
        }
    }

    @Override
    public synchronized Map<String, String> details() {
        if (provider != null) {
            return provider.details();
        }
        Map<String, String> details = new LinkedHashMap<>();
        fullUri().ifPresent(u -> details.put("uri", u));
        return details;
    }

    @Override
    public synchronized void close() {
        if (provider != null) {
            provider.close();
        }
    }
}
