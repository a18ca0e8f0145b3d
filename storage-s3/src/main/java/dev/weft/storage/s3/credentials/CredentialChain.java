package dev.weft.storage.s3.credentials;

import dev.weft.storage.spi.CredentialReport;
import dev.weft.storage.spi.CredentialStep;
import dev.weft.storage.spi.CredentialStep.Outcome;
import dev.weft.storage.spi.StoreConfig;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * Weft's explicit, ordered credential chain for the S3 store. The order comes from {@code credentials.chain}
 * (default: static, environment, web-identity, pod-identity, profile, instance-profile). The chain is walked once,
 * on first use: each step is SKIPPED (its settings are absent), FAILED (it applied and could not produce credentials)
 * or CHOSEN; the steps after the chosen one are NOT_TRIED. The chosen step's provider then serves every request and
 * refreshes its own credentials. With {@code roleArn}, the chosen credentials assume that role, refreshed the same
 * way, and an {@code assume-role} step is added to the report.
 *
 * <p>When nothing works, the error lists every step's reason; the walk is retried on the next call, since an agent
 * may come up later. Reports and messages hold no secret.
 */
public final class CredentialChain implements AwsCredentialsProvider, SdkAutoCloseable {

    /** The default order, mirroring the AWS default chain with explicit settings first. */
    public static final List<String> DEFAULT_ORDER = List.of(StaticCredentialSource.NAME,
            EnvironmentCredentialSource.NAME, WebIdentityCredentialSource.NAME, PodIdentityCredentialSource.NAME,
            ProfileCredentialSource.NAME, InstanceProfileCredentialSource.NAME);

    /** The name of the role step in reports. */
    public static final String ASSUME_ROLE = "assume-role";

    private static final Logger LOG = LoggerFactory.getLogger(CredentialChain.class);

    private final String storeName;
    private final List<CredentialSource> sources;
    private final Optional<AssumeRoleSettings> role;
    private final StsSettings sts;
    private final SdkHttpClient ownedHttp;
    private final Clock clock;
    private final Object lock = new Object();
    private volatile Active active;
    private volatile CredentialReport lastReport;
    private StsClient roleClient;
    private RefreshingCredentialsProvider roleCache;

    CredentialChain(String storeName, List<CredentialSource> sources, Optional<AssumeRoleSettings> role,
                    StsSettings sts, SdkHttpClient ownedHttp, Clock clock) {
        this.storeName = storeName;
        this.sources = List.copyOf(sources);
        this.role = role;
        this.sts = sts;
        this.ownedHttp = ownedHttp;
        this.clock = clock;
        this.lastReport = new CredentialReport(sources.stream()
                .map(s -> CredentialStep.of(s.name(), Outcome.NOT_TRIED, "chain not resolved yet"))
                .toList());
    }

    /**
     * Builds the chain a store config asks for. The config must already have its aliases mapped (see the store's
     * settings); the chain reads {@code credentials.*}, {@code useSDKCreds}, {@code roleArn}, {@code roleSessionName},
     * {@code roleExternalId}, {@code roleDuration}, {@code sts.endpoint} and {@code sts.region}.
     *
     * @param config the store config
     * @param env    where environment variables and the home directory come from
     * @param region the store's region, the default for STS
     * @param clock  the time source for refreshes
     * @throws dev.weft.storage.spi.ArtifactStoreException INVALID_CONFIG for an unknown step name or bad value
     */
    public static CredentialChain fromConfig(StoreConfig config, Environment env, Region region, Clock clock) {
        StoreConfig credentials = config.subset("credentials");
        List<String> order = order(config);
        Duration timeout = credentials.getDuration("timeout", Duration.ofSeconds(5));
        if (timeout.isZero() || timeout.isNegative()) {
            throw config.invalid("property 'credentials.timeout' must be positive");
        }
        Optional<URI> stsEndpoint = config.getUri("sts.endpoint")
                .or(() -> env.variable("AWS_ENDPOINT_URL_STS").map(URI::create));
        Region stsRegion = config.getString("sts.region").map(Region::of).orElse(region);
        Optional<AssumeRoleSettings> role = config.getString("roleArn").map(arn -> new AssumeRoleSettings(arn,
                config.getString("roleSessionName").orElse("weft"),
                config.getString("roleExternalId"),
                config.getDuration("roleDuration", Duration.ofHours(1))));

        // One small client for every credential endpoint (STS, the agent): short timeouts, passed explicitly.
        SdkHttpClient http = ApacheHttpClient.builder()
                .connectionTimeout(timeout)
                .socketTimeout(timeout)
                .connectionAcquisitionTimeout(timeout)
                .maxConnections(8)
                .build();
        StsSettings sts = new StsSettings(stsRegion, stsEndpoint, http);
        List<CredentialSource> sources = new ArrayList<>();
        for (String name : order) {
            sources.add(switch (name) {
                case StaticCredentialSource.NAME -> new StaticCredentialSource(credentials, env);
                case EnvironmentCredentialSource.NAME -> new EnvironmentCredentialSource(env);
                case WebIdentityCredentialSource.NAME -> new WebIdentityCredentialSource(credentials, env, sts, clock);
                case PodIdentityCredentialSource.NAME ->
                        new PodIdentityCredentialSource(credentials, env, http, timeout, clock);
                case ProfileCredentialSource.NAME -> new ProfileCredentialSource(credentials, env);
                case InstanceProfileCredentialSource.NAME -> new InstanceProfileCredentialSource(env);
                default -> throw new IllegalStateException(name);
            });
        }
        return new CredentialChain(config.name(), sources, role, sts, http, clock);
    }

    private static List<String> order(StoreConfig config) {
        List<String> configured = config.getList("credentials.chain");
        if (configured.isEmpty()) {
            if (config.getBoolean("useSDKCreds", false)) {
                // Argo's useSDKCreds: the SDK's default chain, i.e. everything but keys in the store config.
                return DEFAULT_ORDER.stream().filter(n -> !n.equals(StaticCredentialSource.NAME)).toList();
            }
            return DEFAULT_ORDER;
        }
        Set<String> seen = new LinkedHashSet<>();
        for (String raw : configured) {
            String name = raw.trim().toLowerCase(java.util.Locale.ROOT);
            if (!DEFAULT_ORDER.contains(name)) {
                throw config.invalid("property 'credentials.chain' names unknown step '" + raw + "'; known steps: "
                        + String.join(", ", DEFAULT_ORDER));
            }
            if (!seen.add(name)) {
                throw config.invalid("property 'credentials.chain' names step '" + name + "' twice");
            }
        }
        return List.copyOf(seen);
    }

    @Override
    public AwsCredentials resolveCredentials() {
        return resolve().provider.resolveCredentials();
    }

    /**
     * The report of the last walk, walking the chain first if it has not been walked yet. Never throws for credential
     * failures: they are in the report.
     */
    public CredentialReport report() {
        try {
            resolve();
        } catch (CredentialSourceException e) {
            LOG.debug("store '{}': credential chain failed: {}", storeName, e.getMessage());
        }
        return lastReport;
    }

    /** The chosen source, e.g. {@code pod-identity} or {@code assume-role arn:... via pod-identity}, or "none". */
    public String chosenSource() {
        Active current = active;
        return current == null ? "none (" + lastReport.steps().stream()
                .map(CredentialStep::source).collect(Collectors.joining(", ")) + " not resolved)" : current.description;
    }

    private Active resolve() {
        Active current = active;
        if (current != null) {
            return current;
        }
        synchronized (lock) {
            if (active != null) {
                return active;
            }
            List<CredentialStep> steps = new ArrayList<>();
            Active chosen = null;
            for (CredentialSource source : sources) {
                if (chosen != null) {
                    steps.add(CredentialStep.of(source.name(), Outcome.NOT_TRIED, "an earlier step was chosen"));
                    continue;
                }
                Optional<String> skip;
                try {
                    skip = source.skipReason();
                } catch (RuntimeException e) {
                    steps.add(failed(source, e));
                    continue;
                }
                if (skip.isPresent()) {
                    steps.add(new CredentialStep(source.name(), Outcome.SKIPPED, skip.get(), Map.of()));
                    continue;
                }
                try {
                    AwsCredentialsProvider provider = source.provider();
                    provider.resolveCredentials();
                    String reason = role.map(r -> "used to assume role " + r.roleArn())
                            .orElse("credentials resolved");
                    Optional<String> note = source.resolutionNote();
                    steps.add(new CredentialStep(source.name(), Outcome.CHOSEN,
                            note.map(n -> reason + " " + n).orElse(reason), source.details()));
                    chosen = new Active(provider, source.name());
                } catch (RuntimeException e) {
                    steps.add(failed(source, e));
                    source.close();
                }
            }
            if (chosen == null) {
                lastReport = new CredentialReport(steps);
                throw new CredentialSourceException("chain", "no credential source produced credentials for store '"
                        + storeName + "':\n" + lastReport.explain());
            }
            if (role.isPresent()) {
                try {
                    chosen = assumeRole(role.get(), chosen);
                    steps.add(new CredentialStep(ASSUME_ROLE, Outcome.CHOSEN, "assumed with " + chosen.base
                            + " credentials", roleDetails(role.get())));
                } catch (RuntimeException e) {
                    steps.add(new CredentialStep(ASSUME_ROLE, Outcome.FAILED, message(e), roleDetails(role.get())));
                    lastReport = new CredentialReport(steps);
                    closeRole();
                    throw new CredentialSourceException(ASSUME_ROLE, "store '" + storeName + "': assuming role "
                            + role.get().roleArn() + " failed:\n" + lastReport.explain(), e);
                }
            }
            lastReport = new CredentialReport(steps);
            LOG.debug("store '{}': credentials from {}", storeName, chosen.description);
            active = chosen;
            return chosen;
        }
    }

    private Active assumeRole(AssumeRoleSettings settings, Active base) {
        roleClient = sts.client(base.provider);
        StsClient client = roleClient;
        roleCache = new RefreshingCredentialsProvider(ASSUME_ROLE, () -> {
            try {
                return WebIdentityCredentialSource.toCredentials(client.assumeRole(r -> {
                    r.roleArn(settings.roleArn()).roleSessionName(settings.sessionName())
                            .durationSeconds((int) settings.duration().toSeconds());
                    settings.externalId().ifPresent(r::externalId);
                }).credentials(), ASSUME_ROLE);
            } catch (SdkException e) {
                throw StsFailures.describe(ASSUME_ROLE, "AssumeRole", settings.roleArn(), sts.where(), e);
            }
        }, clock);
        roleCache.resolveCredentials();
        return new Active(roleCache, ASSUME_ROLE + " " + settings.roleArn() + " via " + base.description, base.base);
    }

    private Map<String, String> roleDetails(AssumeRoleSettings settings) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("roleArn", settings.roleArn());
        details.put("sts", sts.where());
        return details;
    }

    private static CredentialStep failed(CredentialSource source, RuntimeException e) {
        return new CredentialStep(source.name(), Outcome.FAILED, message(e), safeDetails(source));
    }

    private static Map<String, String> safeDetails(CredentialSource source) {
        try {
            return source.details();
        } catch (RuntimeException e) {
            return Map.of();
        }
    }

    private static String message(Throwable e) {
        if (e instanceof CredentialSourceException) {
            return e.getMessage();
        }
        // SDK providers' messages name the source and the problem; they do not carry key material.
        String text = e.getMessage();
        return e.getClass().getSimpleName() + (text == null ? "" : ": " + text);
    }

    private void closeRole() {
        if (roleCache != null) {
            roleCache.close();
        }
        if (roleClient != null) {
            roleClient.close();
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closeRole();
            for (CredentialSource source : sources) {
                try {
                    source.close();
                } catch (RuntimeException e) {
                    LOG.debug("closing credential step {} failed: {}", source.name(), e.toString());
                }
            }
            ownedHttp.close();
        }
    }

    @Override
    public String toString() {
        return "CredentialChain[" + sources.stream().map(CredentialSource::name).collect(Collectors.joining(", "))
                + (role.map(r -> " + assume-role " + r.roleArn()).orElse("")) + "]";
    }

    private static final class Active {
        final AwsCredentialsProvider provider;
        final String description;
        final String base;

        Active(AwsCredentialsProvider provider, String source) {
            this(provider, source, source);
        }

        Active(AwsCredentialsProvider provider, String description, String base) {
            this.provider = Objects.requireNonNull(provider);
            this.description = description;
            this.base = base;
        }
    }
}
