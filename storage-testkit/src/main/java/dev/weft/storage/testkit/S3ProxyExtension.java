package dev.weft.storage.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.Constants;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3 server in the test JVM: S3Proxy on 127.0.0.1 with a random port, checking AWS signatures (V2 or V4)
 * against one key pair. One server per test class:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final S3ProxyExtension S3 = S3ProxyExtension.builder().build();
 * }</pre>
 *
 * <p>Requests signed with any other key pair get 403 (SignatureDoesNotMatch or InvalidAccessKeyId): that is how
 * credential tests prove which credentials were used. Session tokens are accepted but not checked.
 */
public final class S3ProxyExtension implements BeforeAllCallback, AfterAllCallback {

    /** The region S3Proxy reports. */
    public static final String REGION = "us-east-1";

    private final String accessKey;
    private final String secretKey;
    private final boolean onDisk;
    private Path baseDir;
    private BlobStore blobStore;
    private S3Proxy proxy;

    private S3ProxyExtension(Builder builder) {
        this.accessKey = builder.accessKey;
        this.secretKey = builder.secretKey;
        this.onDisk = builder.onDisk;
    }

    /** A builder; defaults: in-memory backend, a fixed test key pair. */
    public static Builder builder() {
        return new Builder();
    }

    /** Options for the server. */
    public static final class Builder {
        private String accessKey = "weft-test-access-key";
        private String secretKey = "weft-test-secret-key-0123456789";
        private boolean onDisk;

        private Builder() {
        }

        /** The only key pair the server accepts. */
        public Builder credentials(String accessKey, String secretKey) {
            this.accessKey = accessKey;
            this.secretKey = secretKey;
            return this;
        }

        /**
         * Keeps objects in a temporary directory instead of on the heap: use for large objects (the in-memory
         * backend holds every byte on the heap).
         */
        public Builder onDisk() {
            this.onDisk = true;
            return this;
        }

        /** The extension; register it with {@code @RegisterExtension} on a static field. */
        public S3ProxyExtension build() {
            return new S3ProxyExtension(this);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stop();
    }

    /** Starts the server; the extension calls this, call it yourself only outside JUnit (benchmarks). */
    public void start() throws Exception {
        Properties properties = new Properties();
        properties.setProperty(Constants.PROPERTY_IDENTITY, accessKey);
        properties.setProperty(Constants.PROPERTY_CREDENTIAL, secretKey);
        String backend = "transient";
        if (onDisk) {
            baseDir = Files.createTempDirectory("weft-s3proxy-");
            properties.setProperty("jclouds.filesystem.basedir", baseDir.toString());
            backend = "filesystem";
        }
        blobStore = BlobStores.create(backend, properties);
        proxy = S3Proxy.builder()
                .blobStore(blobStore)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                // Without this, x-amz-security-token (every session-credential request) gets 501.
                .ignoreUnknownHeaders(true)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start: state " + proxy.getState());
            }
            Thread.sleep(10);
        }
    }

    /** Stops the server and deletes its on-disk data. */
    public void stop() throws Exception {
        if (proxy != null) {
            proxy.stop();
            proxy = null;
        }
        if (blobStore != null) {
            blobStore.close();
            blobStore = null;
        }
        if (baseDir != null) {
            deleteTree(baseDir);
            baseDir = null;
        }
    }

    /** {@code http://127.0.0.1:PORT}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    /** The access key id the server accepts. */
    public String accessKey() {
        return accessKey;
    }

    /** The secret key the server accepts. */
    public String secretKey() {
        return secretKey;
    }

    /** The region to sign for. */
    public String region() {
        return REGION;
    }

    /** Creates a bucket (no-op when it exists) and returns its name. */
    public String createBucket(String name) {
        if (!blobStore.containerExists(name)) {
            blobStore.createContainer(name);
        }
        return name;
    }

    /** Whether the bucket exists, as the server sees it. */
    public boolean bucketExists(String name) {
        return blobStore.containerExists(name);
    }

    /** Every object key in the bucket, read from the server side (not through the store under test). */
    public List<String> objectKeys(String bucket) {
        List<S3Object> objects = blobStore.list(ListObjectsV2Request.builder().bucket(bucket).build()).contents();
        return objects.stream().map(S3Object::key).sorted().toList();
    }

    /** How many multipart uploads are open (started and neither completed nor aborted) in the bucket. */
    public int openMultipartUploads(String bucket) {
        return blobStore.listMultipartUploads(bucket).size();
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
