package dev.weft.storage.s3;

import dev.weft.storage.s3.credentials.Environment;
import dev.weft.storage.spi.StoreConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.model.StorageClass;

/**
 * The S3 store's settings, parsed and checked from a {@link StoreConfig}. Argo's field names are mapped to Weft's
 * first (see {@link #ALIASES}). Every problem is an INVALID_CONFIG error naming the property.
 *
 * @param config           the config with aliases mapped (credential settings are read from it by the chain)
 * @param bucket           the bucket
 * @param endpoint         the endpoint override; empty for AWS S3 in {@code region}
 * @param region           the signing region
 * @param keyPrefix        prepended to every key: empty, or ending in '/'
 * @param pathStyle        path-style addressing ({@code endpoint/bucket/key}) rather than virtual-hosted
 * @param trustAllCertificates TLS without certificate or host name verification
 * @param caFile           PEM file of CA certificates to trust instead of the JVM's
 * @param createBucket     create the bucket on first use when it does not exist
 * @param encryption       server-side encryption of new objects
 * @param storageClass     storage class of new objects
 * @param partSize         multipart part size (and threshold), at least 5 MiB
 * @param concurrency      parts uploaded in parallel per put
 * @param maxAttempts      attempts per request, and per part or range of a transfer (1 = no retries)
 * @param retryBaseDelay   backoff before the first retry; doubled per attempt, full jitter
 * @param retryMaxDelay    cap on one backoff delay
 * @param maxConnections   HTTP connection pool size
 * @param connectionTimeout TCP connect timeout
 * @param socketTimeout    read timeout
 * @param acquisitionTimeout wait for a pooled connection
 * @param apiCallTimeout   overall deadline of one SDK call including retries; empty for none
 */
public record S3StoreSettings(StoreConfig config, String bucket, Optional<URI> endpoint, Region region,
                              String keyPrefix, boolean pathStyle, boolean trustAllCertificates, Optional<Path> caFile,
                              boolean createBucket, Encryption encryption, Optional<StorageClass> storageClass,
                              long partSize, int concurrency, int maxAttempts, Duration retryBaseDelay,
                              Duration retryMaxDelay, int maxConnections,
                              Duration connectionTimeout, Duration socketTimeout, Duration acquisitionTimeout,
                              Optional<Duration> apiCallTimeout) {

    /** S3's smallest part (except the last). */
    public static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    /** Attempts per request by default: three retries. */
    public static final int DEFAULT_MAX_ATTEMPTS = 4;
    /** The default part size. */
    public static final long DEFAULT_PART_SIZE = 8L * 1024 * 1024;

    /** Alternative property names (Argo's and AWS's spellings) mapped to Weft's canonical names. */
    public static final Map<String, String> ALIASES = aliases();

    private static Map<String, String> aliases() {
        Map<String, String> aliases = new LinkedHashMap<>();
        aliases.put("roleARN", "roleArn");
        aliases.put("credentials.roleArn", "roleArn");
        aliases.put("forcePathStyle", "pathStyle");
        aliases.put("accessKey", "credentials.accessKey");
        aliases.put("secretKey", "credentials.secretKey");
        aliases.put("sessionToken", "credentials.sessionToken");
        aliases.put("encryptionOptions.kmsKeyId", "sse.kmsKeyId");
        aliases.put("encryptionOptions.kmsEncryptionContext", "sse.kmsContext");
        aliases.put("encryptionOptions.serverSideCustomerKeyFile", "sse.customerKeyFile");
        aliases.put("serverSideEncryption", "sse");
        aliases.put("caCertFile", "caFile");
        aliases.put("insecureSkipTLSVerify", "insecureSkipVerify");
        return Map.copyOf(aliases);
    }

    /**
     * Parses a config.
     *
     * @param raw the store config as given
     * @param env for the default region ({@code AWS_REGION}, {@code AWS_DEFAULT_REGION})
     */
    public static S3StoreSettings from(StoreConfig raw, Environment env) {
        StoreConfig config = normalize(raw);
        String bucket = config.requireString("bucket");
        boolean insecure = config.getBoolean("insecure", false);
        Optional<URI> endpoint = endpoint(config, insecure);
        Region region = Region.of(config.getString("region").or(() -> env.variable("AWS_REGION"))
                .or(() -> env.variable("AWS_DEFAULT_REGION")).orElse("us-east-1"));
        boolean pathStyle = pathStyle(config, endpoint);
        boolean trustAll = config.getBoolean("insecureSkipVerify", false);
        Optional<Path> caFile = config.getPath("caFile");
        caFile.ifPresent(f -> {
            if (!Files.isRegularFile(f)) {
                throw config.invalid("property 'caFile' = " + f + " is not a readable file");
            }
        });
        boolean createBucket = config.getBoolean("createBucketIfNotPresent",
                config.properties().keySet().stream().anyMatch(k -> k.startsWith("createBucketIfNotPresent.")));
        Encryption encryption = encryption(config, endpoint);
        Optional<StorageClass> storageClass = config.getString("storageClass").map(s -> {
            StorageClass parsed = StorageClass.fromValue(s.toUpperCase(Locale.ROOT));
            if (parsed == StorageClass.UNKNOWN_TO_SDK_VERSION) {
                throw config.invalid("property 'storageClass' = '" + s + "' is not one of "
                        + StorageClass.knownValues());
            }
            return parsed;
        });
        long partSize = config.getSize("multipart.partSize", DEFAULT_PART_SIZE);
        if (partSize < MIN_PART_SIZE || partSize > 5L * 1024 * 1024 * 1024) {
            throw config.invalid("property 'multipart.partSize' = " + partSize
                    + " must be between 5 MiB and 5 GiB (S3's limits for a part)");
        }
        int concurrency = positive(config, "multipart.concurrency", 4);
        int maxAttempts = positive(config, "retry.maxAttempts", DEFAULT_MAX_ATTEMPTS);
        Duration baseDelay = positive(config, "retry.baseDelay", Duration.ofMillis(100));
        Duration maxDelay = positive(config, "retry.maxDelay", Duration.ofSeconds(5));
        if (maxDelay.compareTo(baseDelay) < 0) {
            throw config.invalid("property 'retry.maxDelay' = " + maxDelay + " must not be below 'retry.baseDelay' = "
                    + baseDelay);
        }
        int maxConnections = positive(config, "http.maxConnections", 50);
        Duration connect = positive(config, "http.connectionTimeout", Duration.ofSeconds(10));
        Duration socket = positive(config, "http.socketTimeout", Duration.ofSeconds(60));
        Duration acquire = positive(config, "http.connectionAcquisitionTimeout", Duration.ofSeconds(60));
        Optional<Duration> apiCall = config.has("http.apiCallTimeout")
                ? Optional.of(positive(config, "http.apiCallTimeout", Duration.ZERO)) : Optional.empty();
        return new S3StoreSettings(config, bucket, endpoint, region, keyPrefix(config), pathStyle, trustAll, caFile,
                createBucket, encryption, storageClass, partSize, concurrency, maxAttempts, baseDelay, maxDelay,
                maxConnections, connect,
                socket, acquire, apiCall);
    }

    /** Maps aliases, including Argo's {@code encryptionOptions.enableEncryption} and {@code addressingStyle}. */
    static StoreConfig normalize(StoreConfig raw) {
        StoreConfig config = raw.withAliases(ALIASES);
        if (!config.has("sse") && config.getBoolean("encryptionOptions.enableEncryption", false)) {
            // Argo: a customer key means SSE-C, a KMS key id SSE-KMS, otherwise SSE-S3.
            String mode = config.has("sse.customerKeyFile") ? "c" : config.has("sse.kmsKeyId") ? "kms" : "s3";
            config = config.with("sse", mode);
        }
        return config;
    }

    private static Optional<URI> endpoint(StoreConfig config, boolean insecure) {
        Optional<String> value = config.getString("endpoint");
        if (value.isEmpty()) {
            return Optional.empty();
        }
        String text = value.get();
        if (!text.contains("://")) {
            // Argo style: host[:port], with insecure choosing plain http.
            text = (insecure ? "http://" : "https://") + text;
        }
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            if (uri.getHost() == null || !(scheme.equals("http") || scheme.equals("https"))) {
                throw config.invalid("property 'endpoint' = '" + value.get()
                        + "' is not an http(s) URL or host:port");
            }
            // An explicit http:// URL is an explicit choice; it is accepted as the SDKs accept it.
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            throw config.invalid("property 'endpoint' = '" + value.get() + "' is not a valid URL: " + e.getReason());
        }
    }

    private static boolean pathStyle(StoreConfig config, Optional<URI> endpoint) {
        if (config.has("pathStyle")) {
            return config.getBoolean("pathStyle", false);
        }
        String style = config.getChoice("addressingStyle", "auto", "auto", "path", "virtual");
        return switch (style) {
            case "path" -> true;
            case "virtual" -> false;
            // auto: S3-compatible servers (MinIO, S3Proxy, Ceph) expect path style; AWS prefers virtual hosts.
            default -> endpoint.map(u -> !u.getHost().toLowerCase(Locale.ROOT).endsWith(".amazonaws.com"))
                    .orElse(false);
        };
    }

    private static Encryption encryption(StoreConfig config, Optional<URI> endpoint) {
        String mode = config.getChoice("sse", "none", "none", "s3", "kms", "c", "aes256", "aws:kms", "sse-s3",
                "sse-kms", "sse-c");
        return switch (mode) {
            case "none" -> Encryption.none();
            case "s3", "aes256", "sse-s3" -> Encryption.s3();
            case "kms", "aws:kms", "sse-kms" -> Encryption.kms(config.getString("sse.kmsKeyId"),
                    config.getString("sse.kmsContext").map(c -> kmsContextJson(config, c)));
            default -> {
                if (endpoint.map(u -> u.getScheme().equalsIgnoreCase("http")).orElse(false)) {
                    throw config.invalid("property 'sse' = c (SSE-C) is refused over plain http: the key would "
                            + "travel unencrypted to " + endpoint.get() + "; use an https endpoint");
                }
                Path file = config.getPath("sse.customerKeyFile").orElseThrow(() -> config.invalid(
                        "property 'sse' = c (SSE-C) needs 'sse.customerKeyFile', a file holding the 32-byte key "
                                + "(raw or base64)"));
                yield Encryption.customer(customerKey(config, file));
            }
        };
    }

    private static byte[] customerKey(StoreConfig config, Path file) {
        byte[] raw;
        try {
            raw = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw config.invalid("property 'sse.customerKeyFile' = " + file + " does not exist");
        } catch (IOException e) {
            throw config.invalid("property 'sse.customerKeyFile' = " + file + " cannot be read: "
                    + e.getClass().getSimpleName());
        }
        if (raw.length == 32) {
            return raw;
        }
        String text = new String(raw, StandardCharsets.US_ASCII).strip();
        try {
            byte[] decoded = Base64.getDecoder().decode(text);
            if (decoded.length == 32) {
                return decoded;
            }
        } catch (IllegalArgumentException e) {
            // fall through to the error below, which does not echo the file's content
        }
        throw config.invalid("property 'sse.customerKeyFile' = " + file
                + " must hold a 32-byte AES-256 key, raw or base64-encoded");
    }

    /** Accepts a JSON object as is, or {@code k=v,k2=v2} pairs turned into one. */
    private static String kmsContextJson(StoreConfig config, String value) {
        String text = value.strip();
        if (text.startsWith("{")) {
            if (!text.endsWith("}")) {
                throw config.invalid("property 'sse.kmsContext' is not a JSON object");
            }
            return text;
        }
        StringBuilder json = new StringBuilder("{");
        for (String pair : text.split(",")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw config.invalid("property 'sse.kmsContext' must be a JSON object or key=value pairs "
                        + "separated by commas");
            }
            if (json.length() > 1) {
                json.append(',');
            }
            json.append(quote(pair.substring(0, eq).strip())).append(':').append(quote(pair.substring(eq + 1).strip()));
        }
        return json.append('}').toString();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String keyPrefix(StoreConfig config) {
        String prefix = config.getString("keyPrefix").orElse("");
        while (prefix.startsWith("/")) {
            prefix = prefix.substring(1);
        }
        while (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        return prefix.isEmpty() ? "" : prefix + "/";
    }

    private static int positive(StoreConfig config, String key, int defaultValue) {
        int value = config.getInt(key, defaultValue);
        if (value < 1) {
            throw config.invalid("property '" + key + "' = " + value + " must be at least 1");
        }
        return value;
    }

    private static Duration positive(StoreConfig config, String key, Duration defaultValue) {
        Duration value = config.getDuration(key, defaultValue);
        if (value.isNegative() || value.isZero()) {
            throw config.invalid("property '" + key + "' must be a positive duration");
        }
        return value;
    }

    /** Where the store points, for messages: the endpoint, or AWS S3 in the region. */
    public String endpointText() {
        return endpoint.map(URI::toString).orElse("https://s3." + region.id() + ".amazonaws.com");
    }
}
