package dev.weft.benchmarks.stores;

import io.minio.DownloadObjectArgs;
import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.UploadObjectArgs;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;

/**
 * The baseline for the {@code minio} plugin: minio-java used directly with the plugin's settings: 16 MiB parts, 4
 * parallel part uploads, its default OkHttp client and static keys.
 */
final class RawMinioClient implements ObjectClient {

    private static final long PART_SIZE = 16L * 1024 * 1024;
    private static final int PARALLEL_UPLOADS = 4;

    private final MinioClient minio;
    private final String bucket;

    RawMinioClient(URI endpoint, String region, String bucket, String accessKey, String secretKey) {
        this.bucket = bucket;
        this.minio = MinioClient.builder().endpoint(endpoint.toString()).region(region)
                .credentials(accessKey, secretKey).build();
    }

    @Override
    public void putFile(String key, Path file) throws Exception {
        minio.uploadObject(UploadObjectArgs.builder().bucket(bucket).object(key).filename(file.toString(), PART_SIZE)
                .parallelUploads(PARALLEL_UPLOADS).build());
    }

    @Override
    public void getFile(String key, Path target) throws Exception {
        minio.downloadObject(DownloadObjectArgs.builder().bucket(bucket).object(key).filename(target.toString())
                .overwrite(true).build());
    }

    @Override
    public void putBytes(String key, byte[] data) throws Exception {
        minio.putObject(PutObjectArgs.builder().bucket(bucket).object(key).data(data, data.length).build());
    }

    @Override
    public byte[] getBytes(String key) throws Exception {
        try (InputStream in = minio.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
            return in.readAllBytes();
        }
    }

    @Override
    public void close() throws Exception {
        minio.close();
    }
}
