package dev.weft.benchmarks.stores;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * The baseline for the {@code s3} plugin: the AWS SDK v2 client used directly, with the plugin's settings (Apache
 * HTTP client, region, path-style addressing, static keys). Files go up as one PutObject and down with
 * {@code ResponseTransformer.toFile}, the SDK's own simplest calls.
 */
public final class RawS3Client implements ObjectClient {

    private final SdkHttpClient http;
    private final S3Client s3;
    private final String bucket;

    public RawS3Client(URI endpoint, String region, String bucket, String accessKey, String secretKey) {
        this.bucket = bucket;
        this.http = ApacheHttpClient.builder().maxConnections(50).build();
        this.s3 = S3Client.builder().httpClient(http).region(Region.of(region)).endpointOverride(endpoint)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey,
                        secretKey)))
                .build();
    }

    @Override
    public void putFile(String key, Path file) {
        s3.putObject(PutObjectRequest.builder().bucket(bucket).key(key).build(), RequestBody.fromFile(file));
    }

    @Override
    public void getFile(String key, Path target) throws Exception {
        Files.deleteIfExists(target);
        s3.getObject(GetObjectRequest.builder().bucket(bucket).key(key).build(), ResponseTransformer.toFile(target));
    }

    @Override
    public void putBytes(String key, byte[] data) {
        s3.putObject(PutObjectRequest.builder().bucket(bucket).key(key).build(), RequestBody.fromBytes(data));
    }

    @Override
    public byte[] getBytes(String key) {
        return s3.getObjectAsBytes(GetObjectRequest.builder().bucket(bucket).key(key).build()).asByteArray();
    }

    @Override
    public void close() {
        s3.close();
        http.close();
    }
}
