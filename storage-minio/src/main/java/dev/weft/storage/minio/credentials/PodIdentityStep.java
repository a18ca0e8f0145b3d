package dev.weft.storage.minio.credentials;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.OkHttpClient;

/**
 * {@code pod-identity}: EKS Pod Identity ({@code AWS_CONTAINER_CREDENTIALS_FULL_URI} +
 * {@code AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE}) and its ECS relatives ({@code ..._RELATIVE_URI},
 * {@code AWS_CONTAINER_AUTHORIZATION_TOKEN}), through minio-java 9.0.4's {@code IamAwsProvider}.
 *
 * <p>IamAwsProvider re-reads and trims the token file on every fetch and checks the agent host (loopback, the ECS/EKS
 * agent addresses, or https). Its variables come from the chain's environment; {@code AWS_WEB_IDENTITY_TOKEN_FILE} is
 * hidden from it so that this step never turns into web identity, and with a container URI set it never reaches
 * its IMDS branch. A new provider is made per attempt because IamAwsProvider caches until Expiration − 10 s and
 * {@link RefreshingProvider} wants to refresh earlier.
 *
 * <p>Transient agent answers are retried by {@link AgentRetry}, the same rule and keys as the s3 store
 * ({@code credentials.podIdentity.maxAttempts}, {@code .baseDelay}, {@code .maxDelay}, {@code .retryBudget}), not by
 * the chain's generic {@code maxRetries}; the report's CHOSEN reason says which retries were taken.
 */
final class PodIdentityStep implements ChainStep {

    static final String FULL_URI = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
    static final String RELATIVE_URI = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI";
    static final String TOKEN_FILE = "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE";
    static final String TOKEN = "AWS_CONTAINER_AUTHORIZATION_TOKEN";

    private final StepContext context;

    PodIdentityStep(StepContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "pod-identity";
    }

    @Override
    public Attempt attempt() {
        CredentialEnvironment env = context.env();
        CredentialSettings.Overrides o = context.settings().overrides();
        Optional<String> full = o.podIdentityUri().or(() -> env.get(FULL_URI));
        Optional<String> relative = o.podIdentityUri().isPresent() ? Optional.empty() : env.get(RELATIVE_URI);
        if (full.isEmpty() && relative.isEmpty()) {
            return new Skipped(FULL_URI + " and " + RELATIVE_URI + " not set (nor credentials.podIdentity.uri)");
        }
        Map<String, String> details = new LinkedHashMap<>();
        details.put("uri", relative.map(r -> "http://169.254.170.2" + (r.startsWith("/") ? r : "/" + r))
                .orElseGet(full::get));
        Optional<String> tokenFile = o.podIdentityTokenFile().or(() -> env.get(TOKEN_FILE));
        tokenFile.ifPresent(f -> details.put("tokenFile", f));
        if (tokenFile.isEmpty() && env.has(TOKEN)) {
            details.put("token", TOKEN + " (inline)");
        }
        Map<String, String> visible = new LinkedHashMap<>();
        full.ifPresent(v -> visible.put(FULL_URI, v));
        relative.ifPresent(v -> visible.put(RELATIVE_URI, v));
        tokenFile.ifPresent(v -> visible.put(TOKEN_FILE, v));
        env.get(TOKEN).ifPresent(v -> visible.put(TOKEN, v));
        String where = "Pod Identity agent at " + redacted(details.get("uri"));
        AgentRetry retry = new AgentRetry(context.settings().overrides().podIdentityRetry().policy());
        AtomicReference<String> note = new AtomicReference<>();
        FreshCredentials fetcher = () -> {
            AgentRetry.Result<io.minio.credentials.Credentials> result = retry.run(
                    () -> attempt(visible, tokenFile, where),
                    message -> new CredentialFetchException(message, true, null));
            note.set(result.note().orElse(null));
            return result.value();
        };
        return new Ready(fetcher, details, true, () -> Optional.ofNullable(note.get()));
    }

    /**
     * One call to the agent through IamAwsProvider, sorted by {@link AgentRetry}'s rule: 5xx, 429 (with its
     * Retry-After), timeouts, broken connections and a 200 whose body cannot be parsed are transient; other answers
     * (400, 403, 404...) and local problems (the token file, a disallowed host) are thrown as permanent.
     */
    private AgentRetry.Answer<io.minio.credentials.Credentials> attempt(Map<String, String> visible,
                                                                        Optional<String> tokenFile, String where) {
        String token = tokenFile.isPresent() ? readToken(tokenFile) : visible.get(TOKEN);
        ResponseCapture capture = new ResponseCapture();
        OkHttpClient client = context.httpClient().newBuilder().addInterceptor(capture).build();
        try {
            return new AgentRetry.Success<>(new EnvironmentBoundIamAwsProvider(null, client, visible::get).fetch());
        } catch (RuntimeException e) {
            int status = capture.status();
            if (status != 0 && status != 200) {
                String body = capture.body() == null || capture.body().isEmpty() ? "(empty body)" : capture.body();
                if (token != null && !token.isEmpty()) {
                    body = body.replace(token, "****");
                }
                String text = where + " answered " + status + ": " + body;
                if (status == 429 || status >= 500) {
                    return new AgentRetry.Transient<>(String.valueOf(status),
                            status == 429 ? AgentRetry.retryAfter(capture.retryAfter()) : Optional.empty(), text);
                }
                throw CredentialFetchException.permanent(text);
            }
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof InterruptedIOException) {
                    // Connect and read timeouts (SocketTimeoutException), also while reading a 200's body.
                    return new AgentRetry.Transient<>("timeout", Optional.empty(),
                            where + " did not answer within " + human(context.settings().timeout()));
                }
                if (t instanceof ConnectException) {
                    return new AgentRetry.Transient<>("connection refused", Optional.empty(),
                            "cannot connect to " + where + ": " + t.getMessage());
                }
            }
            if (status == 200 && hasCause(e, IOException.class)) {
                // Jackson's parse errors are IOExceptions. Not their text: it may quote the body, secrets included.
                return new AgentRetry.Transient<>("unparsable body", Optional.empty(),
                        where + " answered 200 with a body that is not valid credentials JSON");
            }
            if (status == 0 && hasCause(e, IOException.class) && !hasCause(e, UnknownHostException.class)) {
                // A reset or cut-off connection: the agent may answer next time.
                return new AgentRetry.Transient<>(rootCause(e).getClass().getSimpleName(), Optional.empty(),
                        where + " failed: " + rootCause(e).getClass().getSimpleName());
            }
            throw CredentialFetchException.permanent(where + " failed: " + FailureDescriber.messages(e));
        }
    }

    private static String readToken(Optional<String> tokenFile) {
        if (tokenFile.isEmpty()) {
            return null;
        }
        try {
            return Files.readString(Path.of(tokenFile.get()), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw CredentialFetchException.permanent("token file " + tokenFile.get() + " (" + TOKEN_FILE
                    + ") does not exist or cannot be read");
        }
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    /** The URI without user info or query, which could carry secrets. */
    static String redacted(String uri) {
        try {
            URI u = new URI(uri);
            String text = u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort())
                    + (u.getRawPath() == null ? "" : u.getRawPath());
            return u.getRawQuery() == null ? text : text + "?...";
        } catch (URISyntaxException | RuntimeException e) {
            return "(unparsable URI)";
        }
    }

    private static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
