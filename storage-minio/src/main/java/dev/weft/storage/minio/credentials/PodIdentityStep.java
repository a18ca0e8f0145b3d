package dev.weft.storage.minio.credentials;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import okhttp3.OkHttpClient;

/**
 * {@code pod-identity}: EKS Pod Identity ({@code AWS_CONTAINER_CREDENTIALS_FULL_URI} +
 * {@code AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE}) and its ECS relatives ({@code ..._RELATIVE_URI},
 * {@code AWS_CONTAINER_AUTHORIZATION_TOKEN}), through minio-java 9.0.4's {@code IamAwsProvider}.
 *
 * <p>IamAwsProvider re-reads and trims the token file on every fetch and checks the agent host (loopback, the ECS/EKS
 * agent addresses, or https). Its variables come from the chain's environment; {@code AWS_WEB_IDENTITY_TOKEN_FILE} is
 * hidden from it so that this step never turns into web identity, and with a container URI set it never reaches
 * its IMDS branch. A new provider is made per fetch because IamAwsProvider caches until Expiration − 10 s and
 * {@link RefreshingProvider} wants to refresh earlier.
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
        return new Ready(() -> fetch(visible, tokenFile), details);
    }

    private io.minio.credentials.Credentials fetch(Map<String, String> visible, Optional<String> tokenFile) {
        if (tokenFile.isPresent() && !Files.isReadable(Path.of(tokenFile.get()))) {
            throw CredentialFetchException.permanent("token file " + tokenFile.get() + " (" + TOKEN_FILE
                    + ") does not exist or cannot be read");
        }
        ResponseCapture capture = new ResponseCapture();
        OkHttpClient client = context.httpClient().newBuilder().addInterceptor(capture).build();
        try {
            return new EnvironmentBoundIamAwsProvider(null, client, visible::get).fetch();
        } catch (RuntimeException e) {
            throw FailureDescriber.describe("Pod Identity agent", capture, context.settings().timeout(), e);
        }
    }
}
