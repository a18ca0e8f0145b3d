package dev.weft.storage.minio.credentials;

import java.util.Map;
import java.util.Optional;
import okhttp3.OkHttpClient;

/**
 * {@code instance-profile}: the EC2 instance metadata service (IMDSv2), through minio-java's {@code IamAwsProvider}
 * with every container and web-identity variable hidden so that it takes its IMDS branch.
 *
 * <p>minio-java does not honour {@code AWS_EC2_METADATA_DISABLED}; this step does, before any request. An endpoint
 * override ({@code AWS_EC2_METADATA_SERVICE_ENDPOINT}) is passed as IamAwsProvider's custom endpoint.
 */
final class InstanceProfileStep implements ChainStep {

    static final String ENDPOINT = "AWS_EC2_METADATA_SERVICE_ENDPOINT";

    private final StepContext context;

    InstanceProfileStep(StepContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "instance-profile";
    }

    @Override
    public Attempt attempt() {
        CredentialEnvironment env = context.env();
        if (env.imdsDisabled()) {
            return new Skipped("instance metadata disabled (AWS_EC2_METADATA_DISABLED=true)");
        }
        Optional<String> endpoint = env.get(ENDPOINT);
        String shown = endpoint.orElse("http://169.254.169.254");
        return new Ready(() -> {
            ResponseCapture capture = new ResponseCapture();
            OkHttpClient client = context.httpClient().newBuilder().addInterceptor(capture).build();
            try {
                return new EnvironmentBoundIamAwsProvider(endpoint.orElse(null), client, name -> null).fetch();
            } catch (RuntimeException e) {
                throw FailureDescriber.describe("instance metadata service", capture,
                        context.settings().timeout(), e);
            }
        }, Map.of("endpoint", shown));
    }
}
