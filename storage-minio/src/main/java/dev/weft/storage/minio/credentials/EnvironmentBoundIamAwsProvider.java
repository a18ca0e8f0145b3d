package dev.weft.storage.minio.credentials;

import io.minio.credentials.IamAwsProvider;
import java.util.function.Function;
import okhttp3.OkHttpClient;

/**
 * minio-java's {@link IamAwsProvider}, reading its variables from a given lookup instead of the JVM's system
 * properties and environment. {@code EnvironmentProvider.getProperty} is protected and non-final, so overriding it
 * is enough: no JVM-global state, and the chain decides which variables each step sees (the pod-identity step hides
 * {@code AWS_WEB_IDENTITY_TOKEN_FILE}; the instance-profile step hides every container variable).
 */
final class EnvironmentBoundIamAwsProvider extends IamAwsProvider {

    private final Function<String, String> variables;

    EnvironmentBoundIamAwsProvider(String customEndpoint, OkHttpClient httpClient,
                                   Function<String, String> variables) {
        super(customEndpoint, httpClient);
        this.variables = variables;
    }

    @Override
    protected String getProperty(String name) {
        return variables.apply(name);
    }
}
