package dev.weft.storage.s3.credentials;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * How to reach STS: region, optional endpoint override ({@code sts.endpoint}, or {@code AWS_ENDPOINT_URL_STS}) and
 * the HTTP client every STS client is given explicitly.
 *
 * @param region   the STS region
 * @param endpoint an endpoint override, e.g. a loopback stand-in in tests or a VPC endpoint
 * @param http     the HTTP client; owned by the chain, not by the STS clients
 */
public record StsSettings(Region region, Optional<URI> endpoint, SdkHttpClient http) {

    /** Checks the fields. */
    public StsSettings {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(http, "http");
    }

    /** An STS client signing with {@code credentials} (anonymous for AssumeRoleWithWebIdentity). */
    public StsClient client(AwsCredentialsProvider credentials) {
        var builder = StsClient.builder()
                .region(region)
                .httpClient(http)
                .credentialsProvider(credentials);
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /** Where STS is, for messages. */
    public String where() {
        return endpoint.map(URI::toString).orElse("STS in " + region.id());
    }
}
