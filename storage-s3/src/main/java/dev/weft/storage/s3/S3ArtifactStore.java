package dev.weft.storage.s3;

import dev.weft.storage.s3.credentials.CredentialChain;
import dev.weft.storage.spi.ArtifactInfo;
import dev.weft.storage.spi.ArtifactKey;
import dev.weft.storage.spi.ArtifactStore;
import dev.weft.storage.spi.ArtifactStoreException;
import dev.weft.storage.spi.RangedReads;
import dev.weft.storage.spi.StoreDescription;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The {@code s3} store: objects in one bucket (under an optional key prefix) through the AWS SDK for Java v2's sync
 * client and an explicit Apache HTTP client.
 *
 * <p>Puts of up to one part size go up in a single request; larger files and streams (known or unknown length) use a
 * {@link MultipartUpload} with parallel parts, aborted on any failure. Streams are plain GetObject requests; downloads
 * to a file are parallel ranged GETs pinned to one ETag ({@link RangedDownload}), which every S3-compatible server
 * answers, unlike the SDK's multipart-download path. Transient failures
 * (throttling, 5xx, I/O) are retried by the SDK's standard retry strategy; 4xx are not.
 */
public final class S3ArtifactStore implements ArtifactStore, RangedReads {

    private static final Logger LOG = LoggerFactory.getLogger(S3ArtifactStore.class);

    private final S3StoreSettings settings;
    private final CredentialChain credentials;
    private final SdkHttpClient http;
    private final S3Client s3;
    private final ExecutorService partExecutor;
    private final S3Errors errors;
    private final String where;
    private final Object bucketLock = new Object();
    private final AtomicInteger partThreads = new AtomicInteger();
    private volatile boolean bucketReady;
    private volatile boolean closed;

    /**
     * A store over an S3 client it owns, together with the HTTP client and credential chain.
     *
     * @param settings    the parsed settings
     * @param credentials the credential chain the client signs with
     * @param http        the HTTP client the S3 client uses
     * @param s3          the S3 client
     */
    S3ArtifactStore(S3StoreSettings settings, CredentialChain credentials, SdkHttpClient http, S3Client s3) {
        this.settings = settings;
        this.credentials = credentials;
        this.http = http;
        this.s3 = s3;
        this.partExecutor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "weft-s3-part-" + settings.config().name() + "-" + partThreads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.where = "s3 store '" + settings.config().name() + "' (bucket '" + settings.bucket() + "' at "
                + settings.endpointText() + ")";
        this.errors = new S3Errors(where, credentials::chosenSource);
        this.bucketReady = !settings.createBucket();
    }

    @Override
    public void put(ArtifactKey key, Path source) {
        ensureBucket();
        String objectKey = objectKey(key);
        try {
            long size = Files.size(source);
            if (size <= settings.partSize()) {
                s3.putObject(putRequest(objectKey, size), RequestBody.fromFile(source));
            } else {
                new MultipartUpload(s3, settings, partExecutor, objectKey).uploadFile(source, size,
                        settings.partSize());
            }
        } catch (IOException e) {
            throw new ArtifactStoreException(ArtifactStoreException.Kind.FAILED, where + ": cannot put '" + key
                    + "': cannot read " + source + ": " + e.getMessage(), e);
        } catch (MultipartUpload.PartSourceException e) {
            throw sourceFailure(key, e.getCause());
        } catch (RuntimeException e) {
            throw errors.map("put", key, e);
        }
    }

    /** The largest part buffered in memory for stream uploads: 64 MiB parts still allow 640 GiB streams. */
    static final long MAX_BUFFERED_PART_SIZE = 64L * 1024 * 1024;

    @Override
    public void put(ArtifactKey key, InputStream data, long length) {
        ensureBucket();
        String objectKey = objectKey(key);
        InputStream in = new DeclaredLengthInputStream(data, length);
        // A stream's parts are buffered in memory (concurrency x part size), so they are capped whatever
        // multipart.partSize says; files upload parts straight from disk at the full configured size.
        long partSize = Math.min(settings.partSize(), MAX_BUFFERED_PART_SIZE);
        try {
            int firstSize = length >= 0 && length <= partSize ? (int) length : (int) partSize;
            byte[] first = new byte[firstSize];
            int n;
            try {
                n = in.readNBytes(first, 0, first.length);
                if (n < first.length || length == n) {
                    // The whole object fits in one request; make sure the stream really ended.
                    if (in.read() != -1) {
                        throw new IOException("the stream gave more than its declared length of " + length
                                + " bytes");
                    }
                    byte[] body = first;
                    int size = n;
                    s3.putObject(putRequest(objectKey, size), RequestBody.fromContentProvider(
                            () -> new ByteArrayInputStream(body, 0, size), size, "application/octet-stream"));
                    return;
                }
            } catch (IOException e) {
                throw sourceFailure(key, e);
            }
            new MultipartUpload(s3, settings, partExecutor, objectKey).uploadStream(first, n, in, partSize);
        } catch (MultipartUpload.PartSourceException e) {
            throw sourceFailure(key, e.getCause());
        } catch (ArtifactStoreException e) {
            throw e;
        } catch (RuntimeException e) {
            throw errors.map("put", key, e);
        }
    }

    private ArtifactStoreException sourceFailure(ArtifactKey key, Throwable cause) {
        return new ArtifactStoreException(ArtifactStoreException.Kind.FAILED, where + ": cannot put '" + key
                + "': reading the data failed, nothing was stored: " + cause.getMessage(), cause);
    }

    private PutObjectRequest putRequest(String objectKey, long size) {
        PutObjectRequest.Builder request = PutObjectRequest.builder().bucket(settings.bucket()).key(objectKey)
                .contentLength(size);
        settings.encryption().apply(request);
        settings.storageClass().ifPresent(request::storageClass);
        return request.build();
    }

    @Override
    public InputStream open(ArtifactKey key) {
        return getObject(key, null);
    }

    /**
     * Downloads the object as ranged GETs of one part size each, {@code multipart.concurrency} in flight (see
     * {@link RangedDownload}), into a hidden temporary file beside the target that is then moved into place, so the
     * file appears whole or not at all. An object of at most one part is one GET, as before.
     */
    @Override
    public void get(ArtifactKey key, Path target) {
        Path absolute = target.toAbsolutePath();
        Path temp = null;
        boolean moved = false;
        GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(settings.bucket()).key(objectKey(key));
        settings.encryption().apply(request);
        try {
            Files.createDirectories(absolute.getParent());
            temp = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".part");
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                new RangedDownload(s3, partExecutor, request.build(), settings.partSize(), settings.concurrency())
                        .into(out);
            }
            Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            moved = true;
        } catch (IOException e) {
            throw new ArtifactStoreException(ArtifactStoreException.Kind.FAILED, where + ": cannot copy '" + key
                    + "' to " + absolute + ": " + e.getMessage(), e);
        } catch (AwsServiceException e) {
            if (e.statusCode() == 412) {
                throw new ArtifactStoreException(ArtifactStoreException.Kind.TRANSIENT, where + ": cannot copy '"
                        + key + "' to " + absolute + ": the object was replaced during the download", e);
            }
            if (e.statusCode() == 416) {
                // An empty object has no byte 0 to ask for; a plain GET gives its (empty) body.
                copyWhole(key, absolute, temp);
                moved = true;
                return;
            }
            throw errors.map("get", key, e);
        } catch (RuntimeException e) {
            throw errors.map("get", key, e);
        } finally {
            if (!moved && temp != null) {
                deleteQuietly(temp);
            }
        }
    }

    private void copyWhole(ArtifactKey key, Path absolute, Path temp) {
        try (InputStream in = open(key)) {
            Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new ArtifactStoreException(ArtifactStoreException.Kind.FAILED, where + ": cannot copy '" + key
                    + "' to " + absolute + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteQuietly(temp);
            throw e;
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // A leftover hidden temporary file is harmless; the download's own outcome is what the caller needs.
        }
    }

    @Override
    public InputStream open(ArtifactKey key, long offset, long length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("offset and length must be >= 0, were " + offset + " and " + length);
        }
        if (length == 0) {
            if (stat(key).isEmpty()) {
                throw ArtifactStoreException.notFound(where, key);
            }
            return InputStream.nullInputStream();
        }
        long last = offset + length - 1 < 0 ? Long.MAX_VALUE : offset + length - 1;
        try {
            return getObject(key, "bytes=" + offset + "-" + last);
        } catch (ArtifactStoreException e) {
            if (e.getCause() instanceof AwsServiceException s && s.statusCode() == 416) {
                // The range starts at or after the end: there are no bytes to give.
                return InputStream.nullInputStream();
            }
            throw e;
        }
    }

    private InputStream getObject(ArtifactKey key, String range) {
        GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(settings.bucket()).key(objectKey(key));
        if (range != null) {
            request.range(range);
        }
        settings.encryption().apply(request);
        try {
            return new ObjectStream(s3.getObject(request.build()));
        } catch (RuntimeException e) {
            throw errors.map("open", key, e);
        }
    }

    @Override
    public Optional<ArtifactInfo> stat(ArtifactKey key) {
        HeadObjectRequest.Builder request = HeadObjectRequest.builder().bucket(settings.bucket()).key(objectKey(key));
        settings.encryption().apply(request);
        try {
            HeadObjectResponse head = s3.headObject(request.build());
            return Optional.of(new ArtifactInfo(key, head.contentLength() == null ? 0 : head.contentLength(),
                    head.lastModified() == null ? Instant.EPOCH : head.lastModified(),
                    Optional.ofNullable(head.eTag())));
        } catch (AwsServiceException e) {
            if (e.statusCode() == 404 && !"NoSuchBucket".equals(code(e))) {
                return Optional.empty();
            }
            throw errors.map("stat", key, e);
        } catch (RuntimeException e) {
            throw errors.map("stat", key, e);
        }
    }

    @Override
    public Stream<ArtifactInfo> list(String prefix) {
        String fullPrefix = settings.keyPrefix() + (prefix == null ? "" : prefix);
        Iterator<S3Object> objects;
        try {
            objects = s3.listObjectsV2Paginator(r -> r.bucket(settings.bucket()).prefix(fullPrefix)).contents()
                    .iterator();
        } catch (RuntimeException e) {
            throw errors.map("list", "prefix " + fullPrefix, e);
        }
        Iterator<ArtifactInfo> infos = new Iterator<>() {
            private ArtifactInfo next;

            @Override
            public boolean hasNext() {
                try {
                    while (next == null && objects.hasNext()) {
                        S3Object object = objects.next();
                        String relative = object.key().substring(settings.keyPrefix().length());
                        if (!ArtifactKey.isValid(relative)) {
                            LOG.debug("{}: skipping object '{}', not a valid artifact key", where, object.key());
                            continue;
                        }
                        next = new ArtifactInfo(ArtifactKey.of(relative), object.size() == null ? 0 : object.size(),
                                object.lastModified() == null ? Instant.EPOCH : object.lastModified(),
                                Optional.ofNullable(object.eTag()));
                    }
                    return next != null;
                } catch (RuntimeException e) {
                    throw errors.map("list", "prefix " + fullPrefix, e);
                }
            }

            @Override
            public ArtifactInfo next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ArtifactInfo result = next;
                next = null;
                return result;
            }
        };
        // S3 lists in UTF-8 binary order, which for keys of one prefix matches ArtifactKey's order except for
        // surrogate pairs; sorting would need the whole listing in memory, so the SDK's order is kept.
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(infos,
                Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    @Override
    public void delete(ArtifactKey key) {
        try {
            s3.deleteObject(r -> r.bucket(settings.bucket()).key(objectKey(key)));
        } catch (AwsServiceException e) {
            if (e.statusCode() == 404 && !"NoSuchBucket".equals(code(e))) {
                return;
            }
            throw errors.map("delete", key, e);
        } catch (RuntimeException e) {
            throw errors.map("delete", key, e);
        }
    }

    @Override
    public StoreDescription describe() {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("bucket", settings.bucket());
        attributes.put("endpoint", settings.endpointText());
        attributes.put("region", settings.region().id());
        if (!settings.keyPrefix().isEmpty()) {
            attributes.put("keyPrefix", settings.keyPrefix());
        }
        attributes.put("addressing", settings.pathStyle() ? "path" : "virtual");
        attributes.put("encryption", settings.encryption().toString());
        settings.storageClass().ifPresent(c -> attributes.put("storageClass", c.toString()));
        attributes.put("partSize", Long.toString(settings.partSize()));
        var report = credentials.report();
        attributes.put("credentials", credentials.chosenSource());
        return new StoreDescription("s3", settings.config().name(), attributes, report);
    }

    /** The object key for an artifact key: the key prefix plus the key. */
    String objectKey(ArtifactKey key) {
        return settings.keyPrefix() + key.value();
    }

    private void ensureBucket() {
        if (bucketReady) {
            return;
        }
        synchronized (bucketLock) {
            if (bucketReady) {
                return;
            }
            try {
                s3.headBucket(r -> r.bucket(settings.bucket()));
            } catch (AwsServiceException e) {
                if (e.statusCode() != 404) {
                    throw errors.map("check bucket", null, e);
                }
                try {
                    s3.createBucket(r -> {
                        r.bucket(settings.bucket());
                        if (!settings.region().id().equals("us-east-1")) {
                            r.createBucketConfiguration(c -> c.locationConstraint(settings.region().id()));
                        }
                    });
                    LOG.info("{}: created bucket '{}'", where, settings.bucket());
                } catch (AwsServiceException created) {
                    if (!"BucketAlreadyOwnedByYou".equals(code(created))) {
                        throw errors.map("create bucket", null, created);
                    }
                }
            } catch (RuntimeException e) {
                throw errors.map("check bucket", null, e);
            }
            bucketReady = true;
        }
    }

    private static String code(AwsServiceException e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        partExecutor.shutdownNow();
        s3.close();
        http.close();
        credentials.close();
    }

    @Override
    public String toString() {
        return where;
    }

    /**
     * The object's bytes. Closing before the end aborts the connection instead of draining a possibly huge rest.
     */
    private static final class ObjectStream extends FilterInputStream {
        private final ResponseInputStream<GetObjectResponse> response;
        private boolean ended;

        ObjectStream(ResponseInputStream<GetObjectResponse> response) {
            super(response);
            this.response = response;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            ended |= b < 0;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            ended |= n < 0;
            return n;
        }

        @Override
        public void close() throws IOException {
            if (!ended) {
                response.abort();
            }
            super.close();
        }
    }
}
