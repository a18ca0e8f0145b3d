package dev.weft.benchmarks.credentials;

import dev.weft.benchmarks.BenchContext;
import dev.weft.benchmarks.Scenario;
import dev.weft.benchmarks.Scratch;
import dev.weft.benchmarks.report.Goal;
import dev.weft.benchmarks.report.Row;
import dev.weft.benchmarks.report.Samples;
import dev.weft.engine.WeftVersion;
import dev.weft.engine.plugin.PluginHost;
import dev.weft.engine.store.StoreProviders;
import dev.weft.storage.spi.ArtifactKey;
import dev.weft.storage.spi.ArtifactStore;
import dev.weft.storage.spi.StoreConfig;
import dev.weft.storage.testkit.PodIdentityAgent;
import dev.weft.storage.testkit.S3ProxyExtension;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Scenario 6: how often the {@code s3} plugin (loaded from its JAR, {@code credentials.chain=pod-identity}) calls the
 * Pod Identity agent (the loopback stand-in) during 1,000 store operations against S3Proxy, which checks every
 * signature against the agent's key pair. With 15-minute credentials the operations run flat out, inside one
 * lifetime; with 20-second credentials they are paced over three lifetimes (60 s) so that every operation after the
 * first expiry depends on a refresh. The baseline is the ideal: one agent call per credential lifetime spanned.
 * Failed operations are counted, not thrown: the goal is zero.
 */
public final class CredentialsScenario implements Scenario {

    private static final String ACCESS_KEY = "AKIDBENCHPODIDENTITY";
    private static final String SECRET_KEY = "bench-pod-identity-secret-0123456789";
    private static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.bench-pod-identity.sig";

    @Override
    public String name() {
        return "credentials";
    }

    @Override
    public String title() {
        return "6. Credentials: Pod Identity agent calls per 1,000 store operations (s3 plugin)";
    }

    @Override
    public String description() {
        return "Pod Identity agent calls per 1,000 s3 operations with 15-minute and 20-second lifetimes; failures";
    }

    @Override
    public List<Row> run(BenchContext context) throws Exception {
        int operations = (int) context.size(1000, 300);
        Duration shortLife = Duration.ofSeconds(context.size(20, 4));
        int lifetimesSpanned = 3;
        S3ProxyExtension server = S3ProxyExtension.builder().credentials(ACCESS_KEY, SECRET_KEY).build();
        server.start();
        Path tokenFile = Files.writeString(context.scratch().resolve("eks-pod-identity-token"), TOKEN + "\n");
        List<Row> rows = new ArrayList<>();
        try (PluginHost host = PluginHost.load(context.pluginsFolder(), WeftVersion.forPluginChecks());
             PodIdentityAgent agent = PodIdentityAgent.start(tokenFile, ACCESS_KEY, SECRET_KEY)
                     .sessionToken("bench-session-token")) {
            StoreProviders providers = StoreProviders.withBuiltIns(host);
            String bucket = server.createBucket("creds");
            StoreConfig config = StoreConfig.of("bench-pod", "s3", Map.of(
                    "endpoint", server.endpoint().toString(),
                    "region", server.region(),
                    "bucket", bucket,
                    "pathStyle", "true",
                    "credentials.chain", "pod-identity",
                    "credentials.podIdentity.uri", agent.uri().toString(),
                    "credentials.podIdentity.tokenFile", tokenFile.toString()));

            Outcome longLived = measure(providers, config, agent, Duration.ofMinutes(15), operations, Duration.ZERO);
            double longSpanned = Math.max(1, Math.ceil(longLived.seconds() / (15 * 60)));
            rows.add(new Row(name(), operations + " ops, 15-min credentials: agent calls", "calls",
                    Samples.of(longLived.calls()), "1 call per lifetime spanned",
                    Optional.of(Samples.of(longSpanned)), Goal.atMost(1.0),
                    String.format("%d failed operations; %.1f s", longLived.failures(), longLived.seconds())));

            Duration pace = shortLife.multipliedBy(lifetimesSpanned).dividedBy(operations);
            Outcome shortLived = measure(providers, config, agent, shortLife, operations, pace);
            double shortSpanned = Math.ceil(shortLived.seconds() / shortLife.toSeconds());
            rows.add(new Row(name(), operations + " ops, " + shortLife.toSeconds() + "-s credentials: agent calls",
                    "calls", Samples.of(shortLived.calls()), "1 call per lifetime spanned",
                    Optional.of(Samples.of(shortSpanned)), new Goal("≈ 1 per lifetime (≤ 1.5)", 1.5),
                    String.format("%d failed operations; paced over %.1f s (%.1f lifetimes); the plugin refreshes"
                            + " ahead when 15%% of a lifetime is left (at least 2 s, or a quarter of tiny ones), so"
                            + " about one call per lifetime", shortLived.failures(), shortLived.seconds(),
                            shortLived.seconds() / shortLife.toSeconds())));
            rows.add(new Row(name(), "failed operations across expiry (both runs)", "ops",
                    Samples.of(longLived.failures() + shortLived.failures()), "0", Optional.empty(), Goal.none(),
                    longLived.failures() + shortLived.failures() == 0 ? "goal (0) holds" : "goal (0) MISSED: "
                            + longLived.firstFailure().or(shortLived::firstFailure).orElse("")));
        } finally {
            server.stop();
        }
        rows.forEach(System.out::println);
        return rows;
    }

    /** Runs the operations on a fresh store (so it starts with no cached credentials). */
    private static Outcome measure(StoreProviders providers, StoreConfig config, PodIdentityAgent agent,
                                   Duration lifetime, int operations, Duration pace) {
        agent.lifetime(lifetime).fractionalDigits(3);
        agent.resetCounters();
        int failures = 0;
        String firstFailure = null;
        long t0 = System.nanoTime();
        try (ArtifactStore store = providers.create(config)) {
            ArtifactKey key = ArtifactKey.of("creds/object.txt");
            byte[] body = "pod identity".getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < operations; i++) {
                long due = t0 + pace.toNanos() * i;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    sleepNanos(wait);
                }
                try {
                    // A third puts, a third gets, a third stats: every kind of signed request.
                    switch (i % 3) {
                        case 0 -> store.put(key, new ByteArrayInputStream(body), body.length);
                        case 1 -> {
                            try (InputStream in = store.open(key)) {
                                in.readAllBytes();
                            }
                        }
                        default -> store.stat(key).orElseThrow();
                    }
                } catch (Exception e) {
                    failures++;
                    if (firstFailure == null) {
                        firstFailure = "op " + i + ": " + e.getMessage();
                    }
                }
            }
        }
        return new Outcome(agent.calls(), failures, Scratch.secondsSince(t0), Optional.ofNullable(firstFailure));
    }

    private static void sleepNanos(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private record Outcome(int calls, int failures, double seconds, Optional<String> firstFailure) {
    }
}
