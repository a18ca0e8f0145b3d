package dev.weft.storage.s3.credentials;

import dev.weft.storage.spi.StoreConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityResponse;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * IRSA: exchanges the projected service-account token ({@code AWS_WEB_IDENTITY_TOKEN_FILE}, re-read and trimmed on
 * every refresh) for role credentials ({@code AWS_ROLE_ARN}) through STS AssumeRoleWithWebIdentity. Settings under
 * {@code credentials.webIdentity.*} override the variables.
 */
public final class WebIdentityCredentialSource implements CredentialSource {

    /** The step's name. */
    public static final String NAME = "web-identity";

    private final Optional<Path> tokenFile;
    private final Optional<String> roleArn;
    private final String sessionName;
    private final StsSettings sts;
    private final Clock clock;
    private StsClient client;
    private RefreshingCredentialsProvider cache;

    /**
     * A web identity step.
     *
     * @param credentials the store config's {@code credentials.*} subset
     * @param env         the environment
     * @param sts         how to reach STS
     * @param clock       the time source for the cache
     */
    public WebIdentityCredentialSource(StoreConfig credentials, Environment env, StsSettings sts, Clock clock) {
        this.tokenFile = credentials.getPath("webIdentity.tokenFile")
                .or(() -> env.variable("AWS_WEB_IDENTITY_TOKEN_FILE").map(Path::of));
        this.roleArn = credentials.getString("webIdentity.roleArn").or(() -> env.variable("AWS_ROLE_ARN"));
        this.sessionName = credentials.getString("webIdentity.sessionName")
                .or(() -> env.variable("AWS_ROLE_SESSION_NAME"))
                .orElse("weft-" + System.currentTimeMillis());
        this.sts = sts;
        this.clock = clock;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<String> skipReason() {
        if (tokenFile.isEmpty()) {
            return Optional.of("AWS_WEB_IDENTITY_TOKEN_FILE not set");
        }
        return Optional.empty();
    }

    @Override
    public synchronized AwsCredentialsProvider provider() {
        if (roleArn.isEmpty()) {
            throw new CredentialSourceException(NAME, "AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not");
        }
        client = sts.client(AnonymousCredentialsProvider.create());
        cache = new RefreshingCredentialsProvider(NAME, this::fetch, clock);
        return cache;
    }

    private AwsCredentials fetch() {
        String token = readToken(tokenFile.get());
        try {
            AssumeRoleWithWebIdentityResponse response = client.assumeRoleWithWebIdentity(r -> r
                    .roleArn(roleArn.get()).roleSessionName(sessionName).webIdentityToken(token));
            return toCredentials(response.credentials(), NAME);
        } catch (SdkException e) {
            throw StsFailures.describe(NAME, "AssumeRoleWithWebIdentity", roleArn.get(), sts.where(), e);
        }
    }

    static AwsCredentials toCredentials(Credentials c, String source) {
        if (c == null) {
            throw new CredentialSourceException(source, "STS answered without credentials");
        }
        return AwsSessionCredentials.builder().accessKeyId(c.accessKeyId()).secretAccessKey(c.secretAccessKey())
                .sessionToken(c.sessionToken()).expirationTime(c.expiration()).providerName(source).build();
    }

    private static String readToken(Path file) {
        try {
            String token = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (token.isEmpty()) {
                throw new CredentialSourceException(NAME, "web identity token file " + file + " is empty");
            }
            return token;
        } catch (NoSuchFileException e) {
            throw new CredentialSourceException(NAME, "web identity token file " + file + " does not exist");
        } catch (IOException e) {
            throw new CredentialSourceException(NAME, "cannot read web identity token file " + file + ": "
                    + e.getClass().getSimpleName(), e);
        }
    }

    @Override
    public Map<String, String> details() {
        Map<String, String> details = new LinkedHashMap<>();
        tokenFile.ifPresent(f -> details.put("tokenFile", f.toString()));
        roleArn.ifPresent(r -> details.put("roleArn", r));
        details.put("sts", sts.where());
        return details;
    }

    @Override
    public synchronized void close() {
        if (cache != null) {
            cache.close();
        }
        if (client != null) {
            client.close();
        }
    }
}
