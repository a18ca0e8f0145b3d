package dev.weft.storage.minio.credentials;

import dev.weft.storage.spi.StoreConfig;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The credential part of a minio store's configuration, checked once. Secret values are held only here and in the
 * providers built from them; {@link #toString()} shows none.
 *
 * @param chain           the step names in the order they are tried
 * @param accessKey       {@code credentials.accessKey}, inline
 * @param secretKey       {@code credentials.secretKey}, inline
 * @param sessionToken    {@code credentials.sessionToken}, inline
 * @param accessKeyEnv    {@code credentials.accessKeyEnv}: the name of a variable holding the access key
 * @param secretKeyEnv    {@code credentials.secretKeyEnv}
 * @param accessKeyFile   {@code credentials.accessKeyFile}: a file holding the access key
 * @param secretKeyFile   {@code credentials.secretKeyFile}
 * @param profile         {@code credentials.profile}: the shared-credentials profile (else AWS_PROFILE, else default)
 * @param roleArn         {@code roleArn} (Argo: {@code roleARN}): assume this role with the chain's credentials
 * @param roleSessionName {@code roleSessionName}
 * @param stsEndpoint     {@code sts.endpoint}: STS for web identity and assume-role (else AWS_ENDPOINT_URL_STS, else
 *                        the regional AWS endpoint)
 * @param region          the store's region, used for STS
 * @param timeout         {@code credentials.timeout}: connect and read timeout for agents and STS
 * @param maxRetries      {@code maxRetries}: retries of transient credential failures (5xx, 429, timeouts) of the
 *                        web-identity, instance-profile and assume-role steps; pod-identity has its own rule
 *                        ({@code credentials.podIdentity.maxAttempts} etc., see {@link Overrides})
 * @param overrides       per-step settings that take the place of variables: {@code credentials.podIdentity.uri}
 *                        (for AWS_CONTAINER_CREDENTIALS_FULL_URI), {@code credentials.podIdentity.tokenFile},
 *                        {@code credentials.webIdentity.tokenFile}, {@code credentials.webIdentity.roleArn},
 *                        and assume-role's {@code roleExternalId} and {@code roleDuration}
 */
public record CredentialSettings(List<String> chain, Optional<String> accessKey, Optional<String> secretKey,
                                 Optional<String> sessionToken, Optional<String> accessKeyEnv,
                                 Optional<String> secretKeyEnv, Optional<String> accessKeyFile,
                                 Optional<String> secretKeyFile, Optional<String> profile, Optional<String> roleArn,
                                 Optional<String> roleSessionName, Optional<URI> stsEndpoint, String region,
                                 Duration timeout, int maxRetries, Overrides overrides) {

    /**
     * Settings from the store config that replace environment variables for one step, as in the s3 store.
     *
     * @param podIdentityUri       {@code credentials.podIdentity.uri}
     * @param podIdentityTokenFile {@code credentials.podIdentity.tokenFile}
     * @param webIdentityTokenFile {@code credentials.webIdentity.tokenFile}
     * @param webIdentityRoleArn   {@code credentials.webIdentity.roleArn}
     * @param roleExternalId       {@code roleExternalId} for assume-role
     * @param roleDuration         {@code roleDuration} for assume-role
     * @param podIdentityRetry     {@code credentials.podIdentity.maxAttempts}, {@code .baseDelay}, {@code .maxDelay},
     *                             {@code .retryBudget}: the agent retry rule, the same keys and defaults as the s3
     *                             store
     */
    public record Overrides(Optional<String> podIdentityUri, Optional<String> podIdentityTokenFile,
                            Optional<String> webIdentityTokenFile, Optional<String> webIdentityRoleArn,
                            Optional<String> roleExternalId, Optional<Duration> roleDuration,
                            PodIdentityRetry podIdentityRetry) {
    }

    /**
     * How the pod-identity step retries transient agent answers (see {@code AgentRetry}): 8 attempts, backoff from
     * 100 ms doubling up to 2 s with full jitter, a 429's Retry-After honoured, no attempt later than 10 s after the
     * first, unless configured otherwise.
     *
     * @param maxAttempts {@code credentials.podIdentity.maxAttempts}, at least 1
     * @param baseDelay   {@code credentials.podIdentity.baseDelay}
     * @param maxDelay    {@code credentials.podIdentity.maxDelay}
     * @param retryBudget {@code credentials.podIdentity.retryBudget}
     */
    public record PodIdentityRetry(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration retryBudget) {

        /** The defaults, the same as the s3 store's. */
        public static PodIdentityRetry defaults() {
            AgentRetry.Policy p = AgentRetry.Policy.defaults();
            return new PodIdentityRetry(p.maxAttempts(), p.baseDelay(), p.maxDelay(), p.budget());
        }

        AgentRetry.Policy policy() {
            return new AgentRetry.Policy(maxAttempts, baseDelay, maxDelay, retryBudget);
        }

        static PodIdentityRetry from(StoreConfig config) {
            String prefix = "credentials.podIdentity.";
            int attempts = config.getInt(prefix + AgentRetry.Policy.MAX_ATTEMPTS,
                    AgentRetry.Policy.DEFAULT_MAX_ATTEMPTS);
            if (attempts < 1) {
                throw config.invalid("property '" + prefix + AgentRetry.Policy.MAX_ATTEMPTS
                        + "' must be at least 1, was " + attempts);
            }
            return new PodIdentityRetry(attempts,
                    notNegative(config, prefix + AgentRetry.Policy.BASE_DELAY, AgentRetry.Policy.DEFAULT_BASE_DELAY),
                    notNegative(config, prefix + AgentRetry.Policy.MAX_DELAY, AgentRetry.Policy.DEFAULT_MAX_DELAY),
                    notNegative(config, prefix + AgentRetry.Policy.BUDGET, AgentRetry.Policy.DEFAULT_BUDGET));
        }

        private static Duration notNegative(StoreConfig config, String key, Duration defaultValue) {
            Duration value = config.getDuration(key, defaultValue);
            if (value.isNegative()) {
                throw config.invalid("property '" + key + "' must not be negative");
            }
            return value;
        }
    }

    /** Step names known to the chain. */
    public static final List<String> KNOWN_STEPS = List.of(
            "static", "minio-env", "environment", "web-identity", "pod-identity", "profile", "instance-profile");

    /** The default order: explicit settings first, then the AWS default chain's order. */
    public static final List<String> DEFAULT_CHAIN = KNOWN_STEPS;

    /** Default timeout for one call to a credential agent or STS. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    /** Copies the chain. */
    public CredentialSettings {
        chain = List.copyOf(chain);
    }

    /**
     * Reads the settings from a store config whose aliases were already applied.
     *
     * @throws dev.weft.storage.spi.ArtifactStoreException INVALID_CONFIG naming the property
     */
    public static CredentialSettings from(StoreConfig config, String region) {
        List<String> chain;
        if (config.has("credentials.chain")) {
            chain = new ArrayList<>();
            for (String raw : config.getList("credentials.chain")) {
                String step = raw.toLowerCase(Locale.ROOT);
                if (!KNOWN_STEPS.contains(step)) {
                    throw config.invalid("credentials.chain: unknown step '" + raw + "'; known steps: "
                            + String.join(", ", KNOWN_STEPS));
                }
                if (chain.contains(step)) {
                    throw config.invalid("credentials.chain: step '" + step + "' is listed twice");
                }
                chain.add(step);
            }
            if (chain.isEmpty()) {
                throw config.invalid("credentials.chain is empty; known steps: " + String.join(", ", KNOWN_STEPS));
            }
        } else if (config.getBoolean("useSDKCreds", false)) {
            // Argo's useSDKCreds: ignore configured keys and use the SDK's own chain.
            chain = DEFAULT_CHAIN.stream().filter(s -> !s.equals("static")).toList();
        } else {
            chain = DEFAULT_CHAIN;
        }
        Optional<URI> sts = config.getUri("sts.endpoint");
        int maxRetries = config.getInt("maxRetries", 3);
        if (maxRetries < 0) {
            throw config.invalid("property 'maxRetries' = " + maxRetries + " must be >= 0");
        }
        Duration timeout = config.getDuration("credentials.timeout", DEFAULT_TIMEOUT);
        if (timeout.isZero() || timeout.isNegative()) {
            throw config.invalid("property 'credentials.timeout' must be positive");
        }
        return new CredentialSettings(chain,
                config.getString("credentials.accessKey"), config.getString("credentials.secretKey"),
                config.getString("credentials.sessionToken"),
                config.getString("credentials.accessKeyEnv"), config.getString("credentials.secretKeyEnv"),
                config.getString("credentials.accessKeyFile"), config.getString("credentials.secretKeyFile"),
                config.getString("credentials.profile"), config.getString("roleArn"),
                config.getString("roleSessionName"), sts, region, timeout, maxRetries, new Overrides(
                        config.getUri("credentials.podIdentity.uri").map(URI::toString),
                        config.getString("credentials.podIdentity.tokenFile"),
                        config.getString("credentials.webIdentity.tokenFile"),
                        config.getString("credentials.webIdentity.roleArn"),
                        config.getString("roleExternalId"),
                        config.has("roleDuration") ? Optional.of(config.getDuration("roleDuration", Duration.ZERO))
                                : Optional.empty(),
                        PodIdentityRetry.from(config)));
    }

    /** Names the chain and non-secret settings only. */
    @Override
    public String toString() {
        return "CredentialSettings[chain=" + chain + ", roleArn=" + roleArn.orElse("-") + ", stsEndpoint="
                + stsEndpoint.map(URI::toString).orElse("-") + ", timeout=" + timeout + ", maxRetries=" + maxRetries
                + "]";
    }
}
