package dev.weft.storage.minio;

import dev.weft.storage.minio.credentials.CredentialSettings;
import dev.weft.storage.spi.StoreConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A minio store's configuration, checked once in {@link MinioArtifactStoreProvider#create}. Key names match the
 * {@code s3} store's where they mean the same thing.
 *
 * @param config                   the config with aliases applied (for error messages)
 * @param endpoint                 {@code endpoint}: {@code http(s)://host[:port]}; Argo's {@code host[:port]} means
 *                                 https, or http with {@code insecure=true}
 * @param region                   {@code region} (default us-east-1)
 * @param bucket                   {@code bucket} (required)
 * @param keyPrefix                {@code keyPrefix}: put before every key, without leading or trailing slash
 * @param pathStyle                {@code pathStyle}: true path-style, false virtual-host, empty minio-java's choice
 *                                 (virtual-host for AWS hosts, path style elsewhere)
 * @param insecureSkipVerify       {@code insecureSkipVerify} (alias {@code insecureSkipTLSVerify}): accept any TLS
 *                                 certificate and host name (https only)
 * @param caFile                   {@code caFile}: extra PEM certificates to trust
 * @param createBucketIfNotPresent {@code createBucketIfNotPresent} (default false)
 * @param sse                      {@code sse.*}
 * @param partSize                 {@code partSize} (default 16 MiB, 5 MiB to 5 GiB)
 * @param uploadConcurrency        {@code uploadConcurrency}: parts uploaded in parallel (default 4)
 * @param connectTimeout           {@code connectTimeout} (default 10 s)
 * @param readTimeout              {@code readTimeout}, also the write timeout (default 60 s)
 * @param maxRetries               {@code maxRetries}: retries of retryable statuses and credential faults (default 3)
 * @param retryBaseDelay           {@code retry.baseDelay}: backoff before the first retry, doubled per attempt, full
 *                                 jitter (default 100 ms)
 * @param retryMaxDelay            {@code retry.maxDelay}: cap on one backoff delay (default 5 s)
 * @param credentials              the credential settings
 */
record MinioStoreSettings(StoreConfig config, URI endpoint, String region, String bucket, String keyPrefix,
                          Optional<Boolean> pathStyle, boolean insecureSkipVerify, Optional<Path> caFile,
                          boolean createBucketIfNotPresent, SseSettings sse, long partSize, int uploadConcurrency,
                          Duration connectTimeout, Duration readTimeout, int maxRetries,
                          Duration retryBaseDelay, Duration retryMaxDelay,
                          CredentialSettings credentials) {

    static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    static final long MAX_PART_SIZE = 5L * 1024 * 1024 * 1024;
    static final long DEFAULT_PART_SIZE = 16L * 1024 * 1024;

    /** Argo's spellings and the {@code s3} store's names for the same settings, mapped to this store's. */
    static final Map<String, String> ALIASES = aliases();

    private static Map<String, String> aliases() {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("roleARN", "roleArn");
        a.put("credentials.roleArn", "roleArn");
        a.put("credentials.roleSessionName", "roleSessionName");
        a.put("stsEndpoint", "sts.endpoint");
        a.put("accessKey", "credentials.accessKey");
        a.put("secretKey", "credentials.secretKey");
        a.put("sessionToken", "credentials.sessionToken");
        a.put("forcePathStyle", "pathStyle");
        a.put("caCertFile", "caFile");
        a.put("insecureSkipTLSVerify", "insecureSkipVerify");
        a.put("serverSideEncryption", "sse");
        a.put("sse.type", "sse");
        a.put("encryptionOptions.kmsKeyId", "sse.kmsKeyId");
        a.put("encryptionOptions.kmsEncryptionContext", "sse.kmsContext");
        a.put("encryptionOptions.serverSideCustomerKeyFile", "sse.customerKeyFile");
        a.put("multipart.partSize", "partSize");
        a.put("multipart.concurrency", "uploadConcurrency");
        a.put("http.connectionTimeout", "connectTimeout");
        a.put("http.socketTimeout", "readTimeout");
        return Map.copyOf(a);
    }

    static MinioStoreSettings from(StoreConfig raw) {
        StoreConfig config = normalize(raw);
        URI endpoint = endpoint(config);
        boolean https = endpoint.getScheme().equals("https");
        String region = config.getString("region").orElse("us-east-1");
        String bucket = config.requireString("bucket");
        String keyPrefix = config.getString("keyPrefix").map(MinioStoreSettings::trimSlashes).orElse("");
        Optional<Boolean> pathStyle = pathStyle(config);
        boolean insecureSkipVerify = config.getBoolean("insecureSkipVerify", false);
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
        Duration baseDelay = positive(config, "retry.baseDelay", Duration.ofMillis(100));
        Duration maxDelay = positive(config, "retry.maxDelay", Duration.ofSeconds(5));
        if (maxDelay.compareTo(baseDelay) < 0) {
            throw config.invalid("property 'retry.maxDelay' = " + maxDelay + " must not be below 'retry.baseDelay' = "
                    + baseDelay);
        }
        CredentialSettings credentials = CredentialSettings.from(config, region);
        return new MinioStoreSettings(config, endpoint, region, bucket, keyPrefix, pathStyle, insecureSkipVerify,
                caFile,
                config.getBoolean("createBucketIfNotPresent",
                        config.properties().keySet().stream().anyMatch(k -> k.startsWith("createBucketIfNotPresent."))),
                SseSettings.from(config, https), partSize,
                concurrency, connect, read, credentials.maxRetries(), baseDelay, maxDelay, credentials);
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

    /**
     * Maps aliases, Argo's {@code encryptionOptions.enableEncryption} (SSE-C with a customer key file, SSE-KMS with a
     * key id, else SSE-S3) and the s3 store's {@code retry.maxAttempts} (attempts = retries + 1).
     */
    static StoreConfig normalize(StoreConfig raw) {
        StoreConfig config = raw.withAliases(ALIASES);
        if (!config.has("sse") && config.getBoolean("encryptionOptions.enableEncryption", false)) {
            config = config.with("sse", config.has("sse.customerKeyFile") ? "c"
                    : config.has("sse.kmsKeyId") ? "kms" : "s3");
        }
        if (!config.has("maxRetries") && config.has("retry.maxAttempts")) {
            int attempts = config.getInt("retry.maxAttempts", 1);
            if (attempts < 1) {
                throw config.invalid("property 'retry.maxAttempts' = " + attempts + " must be >= 1");
            }
            config = config.with("maxRetries", Integer.toString(attempts - 1));
        }
        return config;
    }

    /** {@code pathStyle} wins; else {@code addressingStyle} path|virtual|auto; auto leaves it to minio-java. */
    private static Optional<Boolean> pathStyle(StoreConfig config) {
        if (config.has("pathStyle")) {
            return Optional.of(config.getBoolean("pathStyle", true));
        }
        return switch (config.getChoice("addressingStyle", "auto", "auto", "path", "virtual")) {
            case "path" -> Optional.of(true);
            case "virtual" -> Optional.of(false);
            default -> Optional.empty();
        };
    }

    private static URI endpoint(StoreConfig config) {
        String raw = config.requireString("endpoint");
        // Argo style host[:port]: plain http when insecure=true, as in Argo and the s3 store.
        boolean insecure = config.getBoolean("insecure", false);
        String withScheme = raw.contains("://") ? raw : (insecure ? "http://" : "https://") + raw;
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
