package dev.weft.storage.minio.credentials;

import io.minio.credentials.Jwt;
import io.minio.credentials.WebIdentityProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.OkHttpClient;

/**
 * {@code web-identity}: IRSA, {@code AWS_WEB_IDENTITY_TOKEN_FILE} + {@code AWS_ROLE_ARN} through STS
 * AssumeRoleWithWebIdentity, with minio-java's {@link WebIdentityProvider}. Weft reads the token file itself (on every
 * fetch, trimmed: minio-java's own IRSA path does not trim) and chooses the STS endpoint: {@code stsEndpoint}, else
 * {@code AWS_ENDPOINT_URL_STS}, else the regional AWS endpoint.
 */
final class WebIdentityStep implements ChainStep {

    static final String TOKEN_FILE = "AWS_WEB_IDENTITY_TOKEN_FILE";
    static final String ROLE_ARN = "AWS_ROLE_ARN";

    private final StepContext context;

    WebIdentityStep(StepContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "web-identity";
    }

    @Override
    public Attempt attempt() {
        CredentialEnvironment env = context.env();
        CredentialSettings.Overrides o = context.settings().overrides();
        Optional<String> tokenFile = o.webIdentityTokenFile().or(() -> env.get(TOKEN_FILE));
        Optional<String> roleArn = o.webIdentityRoleArn().or(() -> env.get(ROLE_ARN));
        if (tokenFile.isEmpty() || roleArn.isEmpty()) {
            List<String> missing = new ArrayList<>();
            if (tokenFile.isEmpty()) {
                missing.add(TOKEN_FILE);
            }
            if (roleArn.isEmpty()) {
                missing.add(ROLE_ARN);
            }
            return new Skipped(String.join(" and ", missing) + " not set");
        }
        String sts = stsEndpoint(context);
        String sessionName = env.get("AWS_ROLE_SESSION_NAME")
                .or(context.settings()::roleSessionName)
                .orElse("weft-" + System.currentTimeMillis());
        Map<String, String> details = new LinkedHashMap<>();
        details.put("tokenFile", tokenFile.get());
        details.put("roleArn", roleArn.get());
        details.put("sts", sts);
        Path file = Path.of(tokenFile.get());
        return new Ready(() -> {
            String token = readToken(file);
            ResponseCapture capture = new ResponseCapture();
            OkHttpClient client = context.httpClient().newBuilder().addInterceptor(capture).build();
            try {
                return new WebIdentityProvider(() -> new Jwt(token, 0), sts, null, null, roleArn.get(),
                        sessionName, client).fetch();
            } catch (RuntimeException e) {
                throw FailureDescriber.describe("STS", capture, context.settings().timeout(), e);
            }
        }, details);
    }

    /** The STS endpoint for web identity and assume-role. */
    static String stsEndpoint(StepContext context) {
        return context.settings().stsEndpoint().map(Object::toString)
                .or(() -> context.env().get("AWS_ENDPOINT_URL_STS"))
                .orElse("https://sts." + context.settings().region() + ".amazonaws.com");
    }

    private static String readToken(Path file) {
        try {
            String token = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (token.isEmpty()) {
                throw CredentialFetchException.permanent("web identity token file " + file + " (" + TOKEN_FILE
                        + ") is empty");
            }
            return token;
        } catch (IOException e) {
            throw CredentialFetchException.permanent("web identity token file " + file + " (" + TOKEN_FILE
                    + ") does not exist or cannot be read");
        }
    }
}
