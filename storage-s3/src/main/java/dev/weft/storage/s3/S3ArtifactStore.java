package dev.weft.storage.s3;

import dev.weft.storage.s3.credentials.CredentialChain;
import dev.weft.storage.spi.ArtifactInfo;
import dev.weft.storage.spi.ArtifactKey;
import dev.weft.storage.spi.ArtifactStore;
import dev.weft.storage.spi.ArtifactStoreException;
import dev.weft.storage.spi.RangedReads;
import dev.weft.storage.spi.StoreDescription;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
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
    private final S3Retry retry;
    private final String where;
    private final Object bucketLock = new Object();
    private final AtomicInteger partThreads = new AtomicInteger();
    /** Multipart uploads begun and not yet completed or aborted: close() aborts them. */
    private final Set<MultipartUpload> uploads = ConcurrentHashMap.newKeySet();
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
        this.retry = new S3Retry(settings);
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
                new MultipartUpload(s3, settings, partExecutor, objectKey, uploads).uploadFile(source, size,
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
            new MultipartUpload(s3, settings, partExecutor, objectKey, uploads).uploadStream(first, n, in, partSize);
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
                new RangedDownload(s3, partExecutor, request.build(), settings.partSize(), settings.concurrency(),
                        retry)
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
        GetObjectRequest built = request.build();
        try {
            return new ObjectStream(s3, built, s3.getObject(built), retry, where + ": reading '" + key + "'");
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
            objects = new ListedObjects(fullPrefix);
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

    /**
     * The objects under a prefix, one ListObjectsV2 page at a time. Each page is retried as a whole by the store's
     * rule: a listing cut off mid-XML surfaces as an UncheckedIOException the SDK's paginator does not retry.
     */
    private final class ListedObjects implements Iterator<S3Object> {
        private final String prefix;
        private Iterator<S3Object> page = java.util.Collections.emptyIterator();
        private String token;
        private boolean last;

        ListedObjects(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public boolean hasNext() {
            while (!page.hasNext() && !last) {
                ListObjectsV2Response response;
                try {
                    response = retry.call("list of prefix " + prefix, () -> s3.listObjectsV2(r -> r
                            .bucket(settings.bucket()).prefix(prefix).continuationToken(token)));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                page = response.contents().iterator();
                token = response.nextContinuationToken();
                last = !Boolean.TRUE.equals(response.isTruncated()) || token == null;
            }
            return page.hasNext();
        }

        @Override
        public S3Object next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return page.next();
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
        // A put still running in another thread (the engine closing mid-run) must not leave its upload open.
        for (MultipartUpload upload : List.copyOf(uploads)) {
            upload.abortIfOpen();
        }
        s3.close();
        http.close();
        credentials.close();
    }

    @Override
    public String toString() {
        return where;
    }

    /**
     * The object's bytes. When the body breaks or stalls (read timeout) mid-way, the rest is asked for again as a
     * range from the position reached, pinned to the object's ETag, up to {@code retry.maxAttempts} times per break.
     * Closing before the end aborts the connection instead of draining a possibly huge rest.
     */
    private static final class ObjectStream extends InputStream {
        private final S3Client s3;
        private final GetObjectRequest request;
        private final S3Retry retry;
        private final String what;
        private final String etag;
        private final long start;
        private final Long last;
        private ResponseInputStream<GetObjectResponse> response;
        private long position;
        private boolean ended;

        ObjectStream(S3Client s3, GetObjectRequest request, ResponseInputStream<GetObjectResponse> response,
                     S3Retry retry, String what) {
            this.s3 = s3;
            this.request = request;
            this.response = response;
            this.retry = retry;
            this.what = what;
            this.etag = response.response().eTag();
            Long total = RangedDownload.totalSize(response.response().contentRange());
            long from = 0;
            Long to = null;
            if (request.range() != null) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("bytes=(\\d+)-(\\d*)")
                        .matcher(request.range());
                if (m.matches()) {
                    from = Long.parseLong(m.group(1));
                    to = m.group(2).isEmpty() ? null : Long.parseLong(m.group(2));
                }
            }
            Long length = response.response().contentLength();
            this.start = from;
            this.last = length != null ? Long.valueOf(from + length - 1) : to != null ? to
                    : total == null ? null : total - 1;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (ended) {
                return -1;
            }
            for (int attempt = 1; ; attempt++) {
                try {
                    int n = response.read(b, off, len);
                    if (n < 0) {
                        if (last != null && start + position <= last) {
                            throw new IOException("the body ended at byte " + (start + position) + " of "
                                    + (last + 1));
                        }
                        ended = true;
                    } else {
                        position += n;
                    }
                    return n;
                } catch (IOException | RuntimeException e) {
                    response.abort();
                    if (attempt >= retry.maxAttempts() || !S3Retry.isTransient(e) || last == null || etag == null) {
                        throw e instanceof IOException io ? io : new IOException(what + " failed: " + e, e);
                    }
                    S3Retry.pause(retry.delay(attempt));
                    try {
                        response = s3.getObject(request.toBuilder().range("bytes=" + (start + position) + "-" + last)
                                .ifMatch(etag).build());
                    } catch (RuntimeException again) {
                        throw new IOException(what + " failed, and resuming at byte " + (start + position)
                                + " failed too: " + again.getMessage(), again);
                    }
                }
            }
        }

        @Override
        public void close() throws IOException {
            if (!ended) {
                response.abort();
            }
            response.close();
        }
    }
}
