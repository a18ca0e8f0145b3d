package dev.weft.benchmarks.stores;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.commons.io.input.BoundedInputStream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * The baseline for the {@code s3} plugin: the AWS SDK v2 client used directly, with the plugin's settings (Apache
 * HTTP client, region, path-style addressing, static keys). Files go up as one PutObject and down with
 * {@code ResponseTransformer.toFile}, the SDK's own simplest calls; or, for {@link #multipart}, as a multipart upload
 * with the plugin's default part size and concurrency, which separates what the protocol costs on the server (S3Proxy's
 * filesystem backend rewrites the whole object on CompleteMultipartUpload) from what the plugin costs.
 */
public final class RawS3Client implements ObjectClient {

    private final SdkHttpClient http;
    private final S3Client s3;
    private final String bucket;
    private final long partSize;
    private final ExecutorService parts;

    public RawS3Client(URI endpoint, String region, String bucket, String accessKey, String secretKey) {
        this(endpoint, region, bucket, accessKey, secretKey, 0, 1);
    }

    /**
     * A baseline that uploads files as multipart uploads, {@code concurrency} parts of {@code partSize} in flight,
     * with CRC32 part checksums, as the plugin does.
     */
    public static RawS3Client multipart(URI endpoint, String region, String bucket, String accessKey,
                                        String secretKey, long partSize, int concurrency) {
        return new RawS3Client(endpoint, region, bucket, accessKey, secretKey, partSize, concurrency);
    }

    private RawS3Client(URI endpoint, String region, String bucket, String accessKey, String secretKey,
                        long partSize, int concurrency) {
        this.bucket = bucket;
        this.partSize = partSize;
        this.parts = partSize > 0 ? Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "raw-s3-part");
            t.setDaemon(true);
            return t;
        }) : null;
        this.http = ApacheHttpClient.builder().maxConnections(50).build();
        this.s3 = S3Client.builder().httpClient(http).region(Region.of(region)).endpointOverride(endpoint)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey,
                        secretKey)))
                .build();
    }

    @Override
    public void putFile(String key, Path file) throws Exception {
        long size = Files.size(file);
        if (parts == null || size <= partSize) {
            s3.putObject(PutObjectRequest.builder().bucket(bucket).key(key).build(), RequestBody.fromFile(file));
            return;
        }
        String uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key(key)
                .checksumAlgorithm(ChecksumAlgorithm.CRC32)).uploadId();
        List<Future<CompletedPart>> futures = new ArrayList<>();
        for (int number = 1; (long) (number - 1) * partSize < size; number++) {
            int partNumber = number;
            long offset = (number - 1) * partSize;
            long length = Math.min(partSize, size - offset);
            // The pool's queue holds the pending parts (descriptors only): at most `concurrency` read at once.
            futures.add(parts.submit(() -> {
                UploadPartResponse response = s3.uploadPart(r -> r.bucket(bucket).key(key).uploadId(uploadId)
                        .partNumber(partNumber).contentLength(length).checksumAlgorithm(ChecksumAlgorithm.CRC32),
                        RequestBody.fromContentProvider(() -> slice(file, offset, length), length,
                                "application/octet-stream"));
                return CompletedPart.builder().partNumber(partNumber).eTag(response.eTag())
                        .checksumCRC32(response.checksumCRC32()).build();
            }));
        }
        List<CompletedPart> done = new ArrayList<>();
        for (Future<CompletedPart> future : futures) {
            done.add(future.get());
        }
        s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(done)));
    }

    private static InputStream slice(Path file, long offset, long length) {
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            channel.position(offset);
            return BoundedInputStream.builder()
                    .setInputStream(new BufferedInputStream(Channels.newInputStream(channel), 64 * 1024))
                    .setMaxCount(length).get();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        if (parts != null) {
            parts.shutdownNow();
        }
        s3.close();
        http.close();
    }
}
