package dev.weft.storage.minio;

import dev.weft.storage.minio.credentials.CredentialSettings;
import dev.weft.storage.spi.StoreConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A minio store's configuration, checked once in {@link MinioArtifactStoreProvider#create}. Key names match the
 * {@code s3} store's where they mean the same thing.
 *
 * @param config                   the config with aliases applied (for error messages)
 * @param endpoint                 {@code endpoint}: {@code http(s)://host[:port]}; without a scheme, https
 * @param region                   {@code region} (default us-east-1)
 * @param bucket                   {@code bucket} (required)
 * @param keyPrefix                {@code keyPrefix}: put before every key, without leading or trailing slash
 * @param pathStyle                {@code pathStyle}: true path-style, false virtual-host, empty minio-java's choice
 *                                 (virtual-host for AWS hosts, path style elsewhere)
 * @param insecure                 {@code insecure}: accept any TLS certificate and host name (https only)
 * @param caFile                   {@code caFile}: extra PEM certificates to trust
 * @param createBucketIfNotPresent {@code createBucketIfNotPresent} (default false)
 * @param sse                      {@code sse.*}
 * @param partSize                 {@code partSize} (default 16 MiB, 5 MiB to 5 GiB)
 * @param uploadConcurrency        {@code uploadConcurrency}: parts uploaded in parallel (default 4)
 * @param connectTimeout           {@code connectTimeout} (default 10 s)
 * @param readTimeout              {@code readTimeout}, also the write timeout (default 60 s)
 * @param maxRetries               {@code maxRetries}: retries of retryable statuses and credential faults (default 3)
 * @param credentials              the credential settings
 */
record MinioStoreSettings(StoreConfig config, URI endpoint, String region, String bucket, String keyPrefix,
                          Optional<Boolean> pathStyle, boolean insecure, Optional<Path> caFile,
                          boolean createBucketIfNotPresent, SseSettings sse, long partSize, int uploadConcurrency,
                          Duration connectTimeout, Duration readTimeout, int maxRetries,
                          CredentialSettings credentials) {

    static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    static final long MAX_PART_SIZE = 5L * 1024 * 1024 * 1024;
    static final long DEFAULT_PART_SIZE = 16L * 1024 * 1024;

    /** Argo's spellings, mapped to Weft's. */
    static final Map<String, String> ALIASES = Map.of("roleARN", "roleArn");

    static MinioStoreSettings from(StoreConfig raw) {
        StoreConfig config = raw.withAliases(ALIASES);
        URI endpoint = endpoint(config);
        boolean https = endpoint.getScheme().equals("https");
        String region = config.getString("region").orElse("us-east-1");
        String bucket = config.requireString("bucket");
        String keyPrefix = config.getString("keyPrefix").map(MinioStoreSettings::trimSlashes).orElse("");
        Optional<Boolean> pathStyle = config.has("pathStyle")
                ? Optional.of(config.getBoolean("pathStyle", true)) : Optional.empty();
        boolean insecure = config.getBoolean("insecure", false);
        Optional<Path> caFile = config.getPath("caFile");
        caFile.ifPresent(f -> {
            if (!Files.isReadable(f)) {
                throw config.invalid("caFile " + f + " does not exist or cannot be read");
            }
        });
        long partSize = config.getSize("partSize", DEFAULT_PART_SIZE);
        if (partSize < MIN_PART_SIZE || partSize > MAX_PART_SIZE) {
            throw config.invalid("property 'partSize' = " + partSize + " must be between 5 MiB and 5 GiB");
        }
        int concurrency = config.getInt("uploadConcurrency", 4);
        if (concurrency < 1 || concurrency > 64) {
            throw config.invalid("property 'uploadConcurrency' = " + concurrency + " must be between 1 and 64");
        }
        Duration connect = positive(config, "connectTimeout", Duration.ofSeconds(10));
        Duration read = positive(config, "readTimeout", Duration.ofSeconds(60));
        CredentialSettings credentials = CredentialSettings.from(config, region);
        return new MinioStoreSettings(config, endpoint, region, bucket, keyPrefix, pathStyle, insecure, caFile,
                config.getBoolean("createBucketIfNotPresent", false), SseSettings.from(config, https), partSize,
                concurrency, connect, read, credentials.maxRetries(), credentials);
    }

    /** The object name for a key: the prefix, a slash, the key. */
    String objectName(String key) {
        return keyPrefix.isEmpty() ? key : keyPrefix + "/" + key;
    }

    /** The key for an object name under the prefix, or null when the name is outside it. */
    String keyOf(String objectName) {
        if (keyPrefix.isEmpty()) {
            return objectName;
        }
        String head = keyPrefix + "/";
        return objectName.startsWith(head) ? objectName.substring(head.length()) : null;
    }

    private static URI endpoint(StoreConfig config) {
        String raw = config.requireString("endpoint");
        String withScheme = raw.contains("://") ? raw : "https://" + raw;
        try {
            URI uri = new URI(withScheme);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                throw config.invalid("property 'endpoint' = '" + raw + "' is not http(s)://host[:port]");
            }
            if (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/")) {
                throw config.invalid("property 'endpoint' = '" + raw + "' must not have a path; put the bucket "
                        + "in 'bucket' and a key prefix in 'keyPrefix'");
            }
            return new URI(scheme, null, uri.getHost(), uri.getPort(), null, null, null);
        } catch (URISyntaxException e) {
            throw config.invalid("property 'endpoint' = '" + raw + "' is not http(s)://host[:port]");
        }
    }

    private static Duration positive(StoreConfig config, String key, Duration defaultValue) {
        Duration d = config.getDuration(key, defaultValue);
        if (d.isNegative() || d.isZero()) {
            throw config.invalid("property '" + key + "' must be positive");
        }
        return d;
    }

    private static String trimSlashes(String s) {
        String t = s;
        while (t.startsWith("/")) {
            t = t.substring(1);
        }
        while (t.endsWith("/")) {
            t = t.substring(0, t.length() - 1);
        }
        return t;
    }
}
