package dev.weft.storage.minio.credentials;

import dev.weft.storage.spi.CredentialReport;
import dev.weft.storage.spi.CredentialStep;
import dev.weft.storage.spi.CredentialStep.Outcome;
import io.minio.credentials.Provider;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.OkHttpClient;

/**
 * The minio store's credential chain: tries the configured steps in order, reports each one as chosen, skipped (and
 * why), failed (and why) or not tried, and hands back the first step's credentials wrapped in a
 * {@link RefreshingProvider}. With {@code roleArn}, the chosen credentials are then used to assume that role.
 *
 * <p>Nothing here reads JVM-global state directly: variables come from the {@link CredentialEnvironment}.
 */
public final class CredentialChain {

    private final CredentialSettings settings;
    private final StepContext context;
    private final Clock clock;

    /**
     * @param settings         the store's credential settings
     * @param env              where variables are read
     * @param credentialClient the HTTP client for agents and STS; its timeouts are set here from
     *                         {@code credentials.timeout}, and its connection pool and dispatcher are shared with it
     * @param clock            the time source for expiry
     */
    public CredentialChain(CredentialSettings settings, CredentialEnvironment env, OkHttpClient credentialClient,
                           Clock clock) {
        this.settings = settings;
        OkHttpClient client = credentialClient.newBuilder()
                .connectTimeout(settings.timeout())
                .readTimeout(settings.timeout())
                .writeTimeout(settings.timeout())
                .retryOnConnectionFailure(false)
                .build();
        this.context = new StepContext(settings, env, client);
        this.clock = clock;
    }

    /** Walks the chain once. Never throws for a failing step: the failure is in the report. */
    public ChainResolution resolve() {
        List<CredentialStep> report = new ArrayList<>();
        RefreshingProvider chosen = null;
        for (String name : settings.chain()) {
            if (chosen != null) {
                report.add(CredentialStep.of(name, Outcome.NOT_TRIED, "'" + chosen.source() + "' was chosen first"));
                continue;
            }
            ChainStep step = step(name);
            ChainStep.Attempt attempt = step.attempt();
            if (attempt instanceof ChainStep.Skipped skipped) {
                report.add(CredentialStep.of(name, Outcome.SKIPPED, skipped.reason()));
                continue;
            }
            ChainStep.Ready ready = (ChainStep.Ready) attempt;
            FreshCredentials fetcher = ready.retriesItself() ? ready.fetcher()
                    : new RetryingFetcher(ready.fetcher(), settings.maxRetries());
            RefreshingProvider provider = new RefreshingProvider(name, fetcher, clock);
            Map<String, String> details = new LinkedHashMap<>(ready.details());
            try {
                provider.fetch();
                if (provider.expiration() != null) {
                    details.put("expiration", provider.expiration().toString());
                }
                report.add(new CredentialStep(name, Outcome.CHOSEN, ready.note().get().orElse(""), details));
                chosen = provider;
            } catch (CredentialFetchException e) {
                report.add(new CredentialStep(name, Outcome.FAILED, e.getMessage(), details));
            }
        }
        if (chosen == null) {
            return new ChainResolution(new CredentialReport(report), Optional.empty(), "none");
        }
        if (settings.roleArn().isEmpty()) {
            return new ChainResolution(new CredentialReport(report), Optional.of(chosen), chosen.source());
        }
        return assumeRole(report, chosen, settings.roleArn().get());
    }

    private ChainResolution assumeRole(List<CredentialStep> report, RefreshingProvider base, String roleArn) {
        AssumeRoleFetcher fetcher = new AssumeRoleFetcher(context, base, roleArn);
        String source = "assume-role via " + base.source();
        RefreshingProvider provider = new RefreshingProvider(source,
                new RetryingFetcher(fetcher, settings.maxRetries()), clock);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("roleArn", roleArn);
        details.put("sts", fetcher.sts());
        details.put("base", base.source());
        try {
            provider.fetch();
            if (provider.expiration() != null) {
                details.put("expiration", provider.expiration().toString());
            }
            report.add(new CredentialStep("assume-role", Outcome.CHOSEN, "", details));
            return new ChainResolution(new CredentialReport(report), Optional.<Provider>of(provider), source);
        } catch (CredentialFetchException e) {
            report.add(new CredentialStep("assume-role", Outcome.FAILED, e.getMessage(), details));
            return new ChainResolution(new CredentialReport(report), Optional.empty(), "none");
        }
    }

    private ChainStep step(String name) {
        return switch (name) {
            case "static" -> new StaticStep(context);
            case "minio-env" -> new MinioEnvStep(context);
            case "environment" -> new EnvironmentStep(context);
            case "web-identity" -> new WebIdentityStep(context);
            case "pod-identity" -> new PodIdentityStep(context);
            case "profile" -> new ProfileStep(context);
            case "instance-profile" -> new InstanceProfileStep(context);
            default -> throw new IllegalArgumentException("unknown credential step '" + name + "'");
        };
    }
}
