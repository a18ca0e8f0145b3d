package dev.weft.storage.s3.credentials;

import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** Keys from {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY} and {@code AWS_SESSION_TOKEN}. */
public final class EnvironmentCredentialSource implements CredentialSource {

    /** The step's name. */
    public static final String NAME = "environment";

    private final Environment env;

    /** A step reading {@code env}. */
    public EnvironmentCredentialSource(Environment env) {
        this.env = env;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<String> skipReason() {
        if (env.variable("AWS_ACCESS_KEY_ID").isEmpty() && env.variable("AWS_SECRET_ACCESS_KEY").isEmpty()) {
            return Optional.of("AWS_ACCESS_KEY_ID not set");
        }
        return Optional.empty();
    }

    @Override
    public AwsCredentialsProvider provider() {
        String accessKey = env.variable("AWS_ACCESS_KEY_ID").orElseThrow(() -> new CredentialSourceException(NAME,
                "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not"));
        String secretKey = env.variable("AWS_SECRET_ACCESS_KEY").orElseThrow(() -> new CredentialSourceException(
                NAME, "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"));
        Optional<String> token = env.variable("AWS_SESSION_TOKEN");
        if (token.isPresent()) {
            return StaticCredentialsProvider.create(AwsSessionCredentials.builder().accessKeyId(accessKey)
                    .secretAccessKey(secretKey).sessionToken(token.get()).providerName(NAME).build());
        }
        return StaticCredentialsProvider.create(AwsBasicCredentials.builder().accessKeyId(accessKey)
                .secretAccessKey(secretKey).providerName(NAME).build());
    }
}
