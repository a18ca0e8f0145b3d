package dev.weft.storage.s3.credentials;

import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.InstanceProfileCredentialsProvider;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The EC2 instance profile through IMDSv2. Skipped, without any network call, when {@code AWS_EC2_METADATA_DISABLED}
 * is {@code true} in the environment or {@code aws.disableEc2Metadata} is {@code true} as a system property.
 */
public final class InstanceProfileCredentialSource implements CredentialSource {

    /** The step's name. */
    public static final String NAME = "instance-profile";

    private final Environment env;
    private AwsCredentialsProvider provider;

    /** An instance profile step reading its switch from {@code env}. */
    public InstanceProfileCredentialSource(Environment env) {
        this.env = env;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<String> skipReason() {
        if (env.isTrue("AWS_EC2_METADATA_DISABLED")) {
            return Optional.of("AWS_EC2_METADATA_DISABLED=true");
        }
        if (env.property("aws.disableEc2Metadata").map("true"::equalsIgnoreCase).orElse(false)) {
            return Optional.of("aws.disableEc2Metadata=true");
        }
        return Optional.empty();
    }

    @Override
    public synchronized AwsCredentialsProvider provider() {
        provider = InstanceProfileCredentialsProvider.builder().asyncCredentialUpdateEnabled(false).build();
        return provider;
    }

    @Override
    public synchronized void close() {
        if (provider instanceof SdkAutoCloseable closeable) {
            closeable.close();
        }
    }
}
