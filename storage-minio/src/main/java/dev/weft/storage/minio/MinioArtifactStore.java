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
import io.minio.BucketExistsArgs;
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
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
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
    private volatile boolean closed;

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
        if (settings.insecureSkipVerify() && settings.endpoint().getScheme().equals("https")) {
            LOG.warn("{}: insecureSkipVerify=true, TLS certificates and host names are NOT verified", where);
        }
    }

    @Override
    public void put(ArtifactKey key, Path source) {
        try {
            UploadObjectArgs.Builder args = UploadObjectArgs.builder()
                    .bucket(settings.bucket())
                    .object(settings.objectName(key.value()))
                    .filename(source.toString(), settings.partSize())
                    .parallelUploads(settings.uploadConcurrency());
            settings.sse().forWrites().ifPresent(args::sse);
            client().uploadObject(args.build());
        } catch (MinioException | RuntimeException e) {
            throw errors.map("put", key, e);
        }
    }

    @Override
    public void put(ArtifactKey key, InputStream data, long length) {
        try {
            PutObjectArgs.Builder args = PutObjectArgs.builder()
                    .bucket(settings.bucket())
                    .object(settings.objectName(key.value()))
                    .stream(new NonClosingInputStream(data), length < 0 ? null : length, settings.partSize())
                    .contentType("application/octet-stream")
                    .parallelUploads(settings.uploadConcurrency());
            settings.sse().forWrites().ifPresent(args::sse);
            client().putObject(args.build());
        } catch (MinioException | RuntimeException e) {
            throw errors.map("put", key, e);
        }
    }

    @Override
    public InputStream open(ArtifactKey key) {
        try {
            GetObjectArgs.Builder args = GetObjectArgs.builder()
                    .bucket(settings.bucket())
                    .object(settings.objectName(key.value()));
            settings.sse().customerKey().ifPresent(args::ssec);
            return client().getObject(args.build());
        } catch (MinioException | RuntimeException e) {
            throw errors.map("open", key, e);
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
            return client().getObject(args.build());
        } catch (ErrorResponseException e) {
            if (e.errorResponse() != null && "InvalidRange".equals(e.errorResponse().code())) {
                requireExists(key); // the range starts at or after the end: nothing to read
                return new ByteArrayInputStream(new byte[0]);
            }
            throw errors.map("open", key, e);
        } catch (MinioException | RuntimeException e) {
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
            StatObjectResponse r = client().statObject(args.build());
            Instant modified = r.lastModified() == null ? Instant.EPOCH : r.lastModified().toInstant();
            return Optional.of(new ArtifactInfo(key, r.size(), modified, Optional.ofNullable(r.etag())));
        } catch (MinioException | RuntimeException e) {
            ArtifactStoreException mapped = errors.map("stat", key, e);
            if (mapped.kind() == Kind.NOT_FOUND) {
                return Optional.empty();
            }
            throw mapped;
        }
    }

    @Override
    public Stream<ArtifactInfo> list(String prefix) {
        String objectPrefix = settings.keyPrefix().isEmpty() ? prefix : settings.keyPrefix() + "/" + prefix;
        String operation = "list prefix '" + prefix + "'";
        Iterable<Result<Item>> results;
        try {
            results = client().listObjects(ListObjectsArgs.builder()
                    .bucket(settings.bucket())
                    .prefix(objectPrefix)
                    .recursive(true)
                    .build());
        } catch (MinioException | RuntimeException e) {
            throw errors.map(operation, null, e);
        }
        Iterator<Result<Item>> pages = results.iterator();
        Iterator<ArtifactInfo> infos = new Iterator<>() {
            private ArtifactInfo next;

            @Override
            public boolean hasNext() {
                while (next == null) {
                    boolean more;
                    Item item;
                    try {
                        more = pages.hasNext();
                        if (!more) {
                            return false;
                        }
                        item = pages.next().get();
                    } catch (MinioException | RuntimeException e) {
                        throw errors.map(operation, null, e);
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
            client().removeObject(RemoveObjectArgs.builder()
                    .bucket(settings.bucket())
                    .object(settings.objectName(key.value()))
                    .build());
        } catch (MinioException | RuntimeException e) {
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
