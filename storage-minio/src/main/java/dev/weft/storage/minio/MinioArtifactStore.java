package dev.weft.storage.minio;

import dev.weft.storage.minio.credentials.ChainResolution;
import dev.weft.storage.minio.credentials.CredentialChain;
import dev.weft.storage.minio.credentials.CredentialEnvironment;
import dev.weft.storage.spi.ArtifactInfo;
import dev.weft.storage.spi.ArtifactKey;
import dev.weft.storage.spi.ArtifactStore;
import dev.weft.storage.spi.ArtifactStoreException;
import dev.weft.storage.spi.ArtifactStoreException.Kind;
import dev.weft.storage.spi.CredentialReport;
import dev.weft.storage.spi.RangedReads;
import dev.weft.storage.spi.StoreDescription;
import io.minio.AbortMultipartUploadArgs;
import io.minio.BucketExistsArgs;
import io.minio.GetObjectResponse;
import io.minio.ListMultipartUploadsArgs;
import io.minio.ListMultipartUploadsResponse;
import io.minio.MinioAsyncClient;
import io.minio.messages.ListMultipartUploadsResult;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.UploadObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.MinioException;
import io.minio.messages.Item;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code minio} store: a bucket (and optional key prefix) on any S3-compatible server, through minio-java 9.0.4.
 *
 * <p>The MinioClient is built on first use (building one takes about a second) after the credential chain has chosen
 * a source; its requests are signed with that source's credentials, refreshed ahead of expiry. The store owns its
 * OkHttp client and releases it in {@link #close()}.
 */
public final class MinioArtifactStore implements ArtifactStore, RangedReads {

    private static final Logger LOG = LoggerFactory.getLogger(MinioArtifactStore.class);

    private final String name;
    private final MinioStoreSettings settings;
    private final OkHttpClient http;
    private final CredentialChain chain;
    private final Map<String, String> attributes;
    private final String where;
    private final MinioErrors errors;
    private final Object lock = new Object();
    private volatile ChainResolution resolution;
    private volatile MinioClient client;
    private volatile MinioAsyncClient uploads;
    private volatile boolean closed;
    private final MinioRetry retry;
    /** Puts that may have a multipart upload open: close() aborts their uploads. */
    private final Set<Pending> pending = ConcurrentHashMap.newKeySet();

    /** A put in progress: its object and when it began (uploads it created began after that). */
    private static final class Pending {
        final String objectName;
        final Instant since;

        Pending(String objectName, Instant since) {
            this.objectName = objectName;
            this.since = since;
        }
    }

    /** Clock difference tolerated between this machine and the server when matching uploads by start time. */
    private static final Duration STRAY_SLACK = Duration.ofSeconds(30);

    MinioArtifactStore(String name, MinioStoreSettings settings, CredentialEnvironment env, Clock clock) {
        this.name = name;
        this.settings = settings;
        this.http = HttpClients.base(settings);
        this.chain = new CredentialChain(settings.credentials(), env, http, clock);
        this.attributes = attributes(settings);
        this.where = new StoreDescription("minio", name, attributes, CredentialReport.none()).where();
        this.errors = new MinioErrors(where, settings.bucket(), this::credentialSource,
                "connectTimeout " + settings.connectTimeout().toMillis() + " ms, readTimeout "
                        + settings.readTimeout().toMillis() + " ms, maxRetries " + settings.maxRetries());
        this.retry = new MinioRetry(settings.maxRetries() + 1, settings.retryBaseDelay(), settings.retryMaxDelay(),
                errors);
        if (settings.insecureSkipVerify() && settings.endpoint().getScheme().equals("https")) {
            LOG.warn("{}: insecureSkipVerify=true, TLS certificates and host names are NOT verified", where);
        }
    }

    /**
     * Uploads the file, retried as a whole (the file can be read again). minio-java uploads large files in parts and
     * may leave an upload open when a part or the completion fails; every upload of this key begun by this put is
     * aborted before a retry and after a failure, so nothing partial stays behind.
     */
    @Override
    public void put(ArtifactKey key, Path source) {
        String objectName = settings.objectName(key.value());
        Pending put = new Pending(objectName, Instant.now());
        pending.add(put);
        boolean done = false;
        boolean multipart = true;
        try {
            multipart = java.nio.file.Files.size(source) > settings.partSize();
            retry.call("put of " + objectName, () -> {
                UploadObjectArgs.Builder args = UploadObjectArgs.builder()
                        .bucket(settings.bucket())
                        .object(objectName)
                        .filename(source.toString(), settings.partSize())
                        .parallelUploads(settings.uploadConcurrency());
                settings.sse().forWrites().ifPresent(args::sse);
                return client().uploadObject(args.build());
            }, multipart ? () -> abortUploads(put) : () -> { });
            done = true;
            if (multipart) {
                abortUploads(put); // an attempt whose answer was lost may have left an upload of its own
            }
        } catch (MinioException | IOException | RuntimeException e) {
            throw errors.map("put", key, e);
        } finally {
            if (!done && multipart) {
                abortUploads(put);
            }
            pending.remove(put);
        }
    }

    /**
     * Puts a stream. Up to one part is buffered in memory (parts are bounded by {@code partSize}), so an object of
     * at most one part is retried like a file; a longer stream cannot be read again and goes up in one attempt of
     * minio-java's multipart upload (with its per-request retries of 5xx), aborted on failure.
     */
    @Override
    public void put(ArtifactKey key, InputStream data, long length) {
        String objectName = settings.objectName(key.value());
        Pending put = new Pending(objectName, Instant.now());
        pending.add(put);
        boolean done = false;
        boolean sweep = true;
        try {
            int limit = (int) Math.min(settings.partSize(), Integer.MAX_VALUE - 16);
            byte[] head;
            try {
                head = length >= 0 && length <= limit ? data.readNBytes((int) length) : data.readNBytes(limit);
            } catch (java.io.IOException e) {
                throw new ArtifactStoreException(Kind.FAILED, where + ": cannot put '" + key
                        + "': reading the data failed, nothing was stored: " + e.getMessage(), e);
            }
            boolean whole = length >= 0 ? head.length == length && length <= limit : head.length < limit;
            if (length >= 0 && head.length < Math.min(length, limit)) {
                throw new ArtifactStoreException(Kind.FAILED, where + ": cannot put '" + key + "': the stream "
                        + "ended after " + head.length + " of its declared " + length + " bytes, nothing was stored");
            }
            if (whole) {
                byte[] body = head;
                // One part: a single PutObject, no multipart upload to clean up.
                sweep = false;
                pending.remove(put);
                retry.call("put of " + objectName, () -> client().putObject(putArgs(objectName,
                        new ByteArrayInputStream(body), body.length)), () -> { });
                done = true;
                return;
            } else {
                InputStream all = new java.io.SequenceInputStream(new ByteArrayInputStream(head),
                        new NonClosingInputStream(data));
                client().putObject(putArgs(objectName, all, length));
            }
            done = true;
            abortUploads(put); // an attempt whose answer was lost may have left an upload of its own
        } catch (MinioException | IOException | RuntimeException e) {
            throw errors.map("put", key, e);
        } finally {
            if (!done && sweep) {
                abortUploads(put);
            }
            pending.remove(put);
        }
    }

    private PutObjectArgs putArgs(String objectName, InputStream in, long length) {
        PutObjectArgs.Builder args = PutObjectArgs.builder()
                .bucket(settings.bucket())
                .object(objectName)
                .stream(in, length < 0 ? null : length, settings.partSize())
                .contentType("application/octet-stream")
                .parallelUploads(settings.uploadConcurrency());
        settings.sse().forWrites().ifPresent(args::sse);
        return args.build();
    }

    /**
     * Aborts the multipart uploads of the put's object begun since the put started: minio-java leaves one open when
     * a part or the completion fails, and a create whose answer was lost leaves one only the server knows of.
     * Best effort (retried by the store's rule); a bucket lifecycle rule is the backstop.
     */
    private void abortUploads(Pending put) {
        if (closed && client == null) {
            return;
        }
        Instant since = put.since.minus(STRAY_SLACK);
        try {
            MinioAsyncClient async = uploadsClient();
            ListMultipartUploadsResponse listed = retry.call("list of uploads of " + put.objectName,
                    () -> join(async.listMultipartUploads(ListMultipartUploadsArgs.builder()
                            .bucket(settings.bucket()).prefix(put.objectName).build())), () -> { });
            for (ListMultipartUploadsResult.Upload upload : listed.result().uploads()) {
                if (!put.objectName.equals(upload.objectName())
                        || upload.initiated() != null && upload.initiated().toInstant().isBefore(since)) {
                    continue;
                }
                retry.call("abort of upload " + upload.uploadId(), () -> {
                    try {
                        return join(async.abortMultipartUpload(AbortMultipartUploadArgs.builder()
                                .bucket(settings.bucket()).object(put.objectName).uploadId(upload.uploadId())
                                .build()));
                    } catch (ErrorResponseException e) {
                        if (e.errorResponse() != null && "NoSuchUpload".equals(e.errorResponse().code())) {
                            return null; // aborted already
                        }
                        throw e;
                    }
                }, () -> { });
                LOG.debug("{}: aborted multipart upload {} of {}", where, upload.uploadId(), put.objectName);
            }
        } catch (MinioException | IOException | RuntimeException e) {
            LOG.warn("{}: could not abort the multipart uploads of {}: {} (a bucket lifecycle rule for incomplete "
                    + "uploads cleans these up)", where, put.objectName, e.getMessage());
        }
    }

    /** The result of an async minio call, with its failure unwrapped. */
    private static <T> T join(java.util.concurrent.CompletableFuture<T> future) throws MinioException, IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof MinioException m) {
                throw m;
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(cause);
        }
    }

    @Override
    public InputStream open(ArtifactKey key) {
        try {
            GetObjectArgs.Builder args = GetObjectArgs.builder()
                    .bucket(settings.bucket())
                    .object(settings.objectName(key.value()));
            settings.sse().customerKey().ifPresent(args::ssec);
            GetObjectArgs built = args.build();
            return new ResumingStream(key, 0, null, retry.call("open of " + key,
                    () -> client().getObject(built), () -> { }));
        } catch (MinioException | IOException | RuntimeException e) {
            throw errors.map("open", key, e);
        }
    }

    /**
     * An object's bytes. When the body breaks or stalls (read timeout) mid-way, the rest is asked for again from the
     * position reached, pinned to the object's ETag, up to {@code retry.maxAttempts} times per break: minio-java
     * does not retry a body it has handed over.
     */
    private final class ResumingStream extends InputStream {
        private final ArtifactKey key;
        private final long start;
        private final Long end; // exclusive; null = to the end of the object
        private final String etag;
        private InputStream in;
        private long position;

        ResumingStream(ArtifactKey key, long start, Long length, GetObjectResponse first) {
            this.key = key;
            this.start = start;
            this.in = first;
            String tag = first.headers().get("ETag");
            this.etag = tag == null ? null : tag.replace("\"", "");
            String contentLength = first.headers().get("Content-Length");
            // The answer's own length first: a range may ask past the end of the object.
            this.end = contentLength != null ? Long.valueOf(start + Long.parseLong(contentLength))
                    : length != null ? Long.valueOf(start + length) : null;
        }

        @Override
        public int read() throws java.io.IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws java.io.IOException {
            for (int attempt = 1; ; attempt++) {
                try {
                    int n = in.read(b, off, len);
                    if (n < 0 && end != null && start + position < end) {
                        throw new java.io.EOFException("the body ended at byte " + (start + position) + " of " + end);
                    }
                    if (n > 0) {
                        position += n;
                    }
                    return n;
                } catch (java.io.IOException | RuntimeException e) {
                    closeQuietly(in);
                    if (attempt >= retry.maxAttempts() || !retry.isTransient(e) || end == null || etag == null) {
                        throw e instanceof java.io.IOException io ? io
                                : new java.io.IOException(where + ": reading '" + key + "' failed: " + e, e);
                    }
                    MinioRetry.pause(retry.delay(attempt));
                    try {
                        GetObjectArgs.Builder args = GetObjectArgs.builder().bucket(settings.bucket())
                                .object(settings.objectName(key.value())).offset(start + position)
                                .length(end - start - position).matchETag(etag);
                        settings.sse().customerKey().ifPresent(args::ssec);
                        in = client().getObject(args.build());
                    } catch (MinioException | RuntimeException again) {
                        throw new java.io.IOException(where + ": reading '" + key + "' broke at byte "
                                + (start + position) + " and resuming failed: " + again.getMessage(), again);
                    }
                }
            }
        }

        @Override
        public void close() throws java.io.IOException {
            in.close();
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (java.io.IOException | RuntimeException ignored) {
            // the connection is broken already; a new one is opened for the rest
        }
    }

    @Override
    public InputStream open(ArtifactKey key, long offset, long length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("offset and length must be >= 0, were " + offset + ", " + length);
        }
        if (length == 0) {
            requireExists(key);
            return new ByteArrayInputStream(new byte[0]);
        }
        try {
            GetObjectArgs.Builder args = GetObjectArgs.builder()
                    .bucket(settings.bucket())
                    .object(settings.objectName(key.value()))
                    .offset(offset)
                    .length(length);
            settings.sse().customerKey().ifPresent(args::ssec);
            GetObjectArgs built = args.build();
            return new ResumingStream(key, offset, length, retry.call("open of " + key,
                    () -> client().getObject(built), () -> { }));
        } catch (ErrorResponseException e) {
            if (e.errorResponse() != null && "InvalidRange".equals(e.errorResponse().code())) {
                requireExists(key); // the range starts at or after the end: nothing to read
                return new ByteArrayInputStream(new byte[0]);
            }
            throw errors.map("open", key, e);
        } catch (MinioException | IOException | RuntimeException e) {
            throw errors.map("open", key, e);
        }
    }

    @Override
    public Optional<ArtifactInfo> stat(ArtifactKey key) {
        try {
            StatObjectArgs.Builder args = StatObjectArgs.builder()
                    .bucket(settings.bucket())
                    .object(settings.objectName(key.value()));
            settings.sse().customerKey().ifPresent(args::ssec);
            StatObjectArgs built = args.build();
            StatObjectResponse r = retry.call("stat of " + key, () -> client().statObject(built), () -> { });
            Instant modified = r.lastModified() == null ? Instant.EPOCH : r.lastModified().toInstant();
            return Optional.of(new ArtifactInfo(key, r.size(), modified, Optional.ofNullable(r.etag())));
        } catch (MinioException | IOException | RuntimeException e) {
            ArtifactStoreException mapped = errors.map("stat", key, e);
            if (mapped.kind() == Kind.NOT_FOUND) {
                return Optional.empty();
            }
            throw mapped;
        }
    }

    /**
     * Lists lazily. When a page fails transiently the listing starts again after the last object already given
     * ({@code startAfter}), up to {@code retry.maxAttempts} times per break, so no object is given twice or missed.
     */
    @Override
    public Stream<ArtifactInfo> list(String prefix) {
        String objectPrefix = settings.keyPrefix().isEmpty() ? prefix : settings.keyPrefix() + "/" + prefix;
        String operation = "list prefix '" + prefix + "'";
        Iterator<ArtifactInfo> infos = new Iterator<>() {
            private ArtifactInfo next;
            private Iterator<Result<Item>> pages;
            private String lastName;
            private int failures;

            private Iterator<Result<Item>> pages() throws MinioException {
                if (pages == null) {
                    ListObjectsArgs.Builder args = ListObjectsArgs.builder()
                            .bucket(settings.bucket())
                            .prefix(objectPrefix)
                            .recursive(true);
                    if (lastName != null) {
                        args.startAfter(lastName);
                    }
                    pages = client().listObjects(args.build()).iterator();
                }
                return pages;
            }

            @Override
            public boolean hasNext() {
                while (next == null) {
                    Item item;
                    try {
                        if (!pages().hasNext()) {
                            return false;
                        }
                        item = pages.next().get();
                        failures = 0;
                    } catch (MinioException | RuntimeException e) {
                        if (++failures >= retry.maxAttempts() || !retry.isTransient(e)) {
                            throw errors.map(operation, null, e);
                        }
                        pages = null;
                        try {
                            MinioRetry.pause(retry.delay(failures));
                        } catch (java.io.InterruptedIOException interrupted) {
                            throw errors.map(operation, null, interrupted);
                        }
                        continue;
                    }
                    if (item.objectName() != null) {
                        lastName = item.objectName();
                    }
                    next = toInfo(item);
                }
                return true;
            }

            @Override
            public ArtifactInfo next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ArtifactInfo out = next;
                next = null;
                return out;
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(infos,
                Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    @Override
    public void delete(ArtifactKey key) {
        try {
            RemoveObjectArgs args = RemoveObjectArgs.builder()
                    .bucket(settings.bucket())
                    .object(settings.objectName(key.value()))
                    .build();
            retry.call("delete of " + key, () -> {
                client().removeObject(args);
                return null;
            }, () -> { });
        } catch (MinioException | IOException | RuntimeException e) {
            ArtifactStoreException mapped = errors.map("delete", key, e);
            if (mapped.kind() != Kind.NOT_FOUND) {
                throw mapped;
            }
        }
    }

    @Override
    public StoreDescription describe() {
        return new StoreDescription("minio", name, attributes, resolution().report());
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        // A put still running in another thread (the engine closing mid-run) must not leave its upload open.
        for (Pending put : List.copyOf(pending)) {
            abortUploads(put);
        }
        synchronized (lock) {
            HttpClients.release(http);
        }
    }

    @Override
    public String toString() {
        return where;
    }

    /** The chain's outcome, walked once on first need. */
    ChainResolution resolution() {
        ChainResolution r = resolution;
        if (r != null) {
            return r;
        }
        synchronized (lock) {
            if (resolution == null) {
                resolution = chain.resolve();
                LOG.info("{}: credentials from {}", where, resolution.source());
                LOG.debug("{}: credential chain:\n{}", where, resolution.report().explain());
            }
            return resolution;
        }
    }

    private String credentialSource() {
        ChainResolution r = resolution;
        return r == null ? "none (not resolved yet)" : r.source();
    }

    /** The async client for the multipart calls minio-java's sync client does not expose; built on first need. */
    private MinioAsyncClient uploadsClient() throws MinioException {
        MinioAsyncClient a = uploads;
        if (a != null) {
            return a;
        }
        client(); // resolves the credentials and checks the store is open
        synchronized (lock) {
            if (uploads == null) {
                io.minio.credentials.Provider provider = resolution().provider().orElseThrow();
                MinioAsyncClient built = MinioAsyncClient.builder()
                        .endpoint(settings.endpoint().toString())
                        .region(settings.region())
                        .credentialsProvider(provider)
                        .httpClient(HttpClients.forS3(http, settings), false)
                        .build();
                settings.pathStyle().ifPresent(pathStyle -> {
                    if (pathStyle) {
                        built.disableVirtualStyleEndpoint();
                    } else {
                        built.enableVirtualStyleEndpoint();
                    }
                });
                uploads = built;
            }
            return uploads;
        }
    }

    private MinioClient client() throws MinioException {
        if (closed) {
            throw new ArtifactStoreException(Kind.FAILED, where + ": the store is closed");
        }
        MinioClient c = client;
        if (c != null) {
            return c;
        }
        synchronized (lock) {
            if (closed) {
                throw new ArtifactStoreException(Kind.FAILED, where + ": the store is closed");
            }
            if (client == null) {
                ChainResolution r = resolution();
                io.minio.credentials.Provider provider = r.provider().orElseThrow(() -> new ArtifactStoreException(
                        Kind.CREDENTIALS_UNAVAILABLE, where + ": no credential source produced credentials:\n"
                        + r.report().explain()));
                MinioClient built = MinioClient.builder()
                        .endpoint(settings.endpoint().toString())
                        .region(settings.region())
                        .credentialsProvider(provider)
                        .httpClient(HttpClients.forS3(http, settings), false)
                        .build();
                settings.pathStyle().ifPresent(pathStyle -> {
                    if (pathStyle) {
                        built.disableVirtualStyleEndpoint();
                    } else {
                        built.enableVirtualStyleEndpoint();
                    }
                });
                if (settings.createBucketIfNotPresent()) {
                    ensureBucket(built);
                }
                client = built;
            }
            return client;
        }
    }

    private void ensureBucket(MinioClient c) throws MinioException {
        if (c.bucketExists(BucketExistsArgs.builder().bucket(settings.bucket()).build())) {
            return;
        }
        try {
            c.makeBucket(MakeBucketArgs.builder().bucket(settings.bucket()).region(settings.region()).build());
            LOG.info("{}: created bucket '{}'", where, settings.bucket());
        } catch (ErrorResponseException e) {
            String code = e.errorResponse() == null ? "" : e.errorResponse().code();
            if (!"BucketAlreadyOwnedByYou".equals(code) && !"BucketAlreadyExists".equals(code)) {
                throw errors.map("create bucket '" + settings.bucket() + "'", null, e);
            }
        }
    }

    private void requireExists(ArtifactKey key) {
        if (stat(key).isEmpty()) {
            throw ArtifactStoreException.notFound(where, key);
        }
    }

    private ArtifactInfo toInfo(Item item) {
        if (item.isDir() || item.isDeleteMarker()) {
            return null;
        }
        String keyName = settings.keyOf(item.objectName());
        if (keyName == null || !ArtifactKey.isValid(keyName)) {
            return null; // outside the prefix, or a name no ArtifactKey can have (e.g. "a//b"): not an artifact
        }
        Instant modified = item.lastModified() == null ? Instant.EPOCH : item.lastModified().toInstant();
        String etag = item.etag() == null ? null : item.etag().replace("\"", "");
        return new ArtifactInfo(ArtifactKey.of(keyName), item.size(), modified, Optional.ofNullable(etag));
    }

    private static Map<String, String> attributes(MinioStoreSettings s) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("endpoint", s.endpoint().toString());
        a.put("bucket", s.bucket());
        a.put("region", s.region());
        if (!s.keyPrefix().isEmpty()) {
            a.put("keyPrefix", s.keyPrefix());
        }
        a.put("addressing", s.pathStyle().map(p -> p ? "path-style" : "virtual-host").orElse("auto"));
        if (!s.sse().type().equals("none")) {
            a.put("sse", s.sse().type() + s.sse().kmsKeyId().map(k -> " (key " + k + ")").orElse(""));
        }
        if (s.insecureSkipVerify()) {
            a.put("insecureSkipVerify", "true");
        }
        a.put("partSize", Long.toString(s.partSize()));
        return a;
    }
}
