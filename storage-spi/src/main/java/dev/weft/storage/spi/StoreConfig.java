package dev.weft.storage.spi;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The configuration of one artifact store: a name, a {@code type} ("fs", "s3", "minio", ...) and a flat map of
 * string properties such as {@code bucket}, {@code endpoint}, {@code region}, {@code pathStyle} or
 * {@code credentials.chain}. Nested configuration is flattened with dots.
 *
 * <p>Typed getters parse values and fail with an {@link ArtifactStoreException.Kind#INVALID_CONFIG} error naming the
 * store, the property and the offending value. Properties that hold secrets (keys, passwords, tokens) are redacted
 * in {@link #toString()} and in every error message: see {@link #isSecretProperty(String)}.
 *
 * <p>Immutable and thread-safe.
 */
public final class StoreConfig {

    private static final Pattern SECRET_NAME = Pattern.compile(
            ".*(secret|password|passwd|token|accesskey|customerkey|privatekey|sessionkey).*");
    private static final Pattern REFERENCE_SUFFIX = Pattern.compile(".*(file|env|path|uri|url|ref|arn)$");
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmgt]i?b?|b)?", Pattern.CASE_INSENSITIVE);

    private final String name;
    private final String type;
    private final Map<String, String> properties;

    private StoreConfig(String name, String type, Map<String, String> properties) {
        this.name = requireText(name, "store name");
        this.type = requireText(type, "store type").toLowerCase(Locale.ROOT);
        this.properties = Collections.unmodifiableMap(new TreeMap<>(properties));
    }

    /**
     * A config for a store called {@code name} of the given type.
     *
     * @param name       what the engine calls this store ("default", or an {@code artifactRepositoryRef} key)
     * @param type       the provider type, case-insensitive
     * @param properties flat properties; {@code null} values are dropped
     */
    public static StoreConfig of(String name, String type, Map<String, String> properties) {
        Map<String, String> copy = new LinkedHashMap<>();
        properties.forEach((k, v) -> {
            if (k != null && v != null) {
                copy.put(k, v);
            }
        });
        return new StoreConfig(name, type, copy);
    }

    /** A config with no properties. */
    public static StoreConfig of(String name, String type) {
        return of(name, type, Map.of());
    }

    /** What the engine calls this store. */
    public String name() {
        return name;
    }

    /** The provider type, lower case. */
    public String type() {
        return type;
    }

    /** All properties, sorted by name. Contains secrets: never log this map; log {@link #toString()}. */
    public Map<String, String> properties() {
        return properties;
    }

    /** This config with one property set (or removed when {@code value} is null). */
    public StoreConfig with(String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(properties);
        if (value == null) {
            copy.remove(key);
        } else {
            copy.put(key, value);
        }
        return new StoreConfig(name, type, copy);
    }

    /**
     * This config with alternative property names mapped to their canonical names, e.g. Argo's {@code roleARN} to
     * {@code roleArn}. Giving both spellings with different values is an error.
     *
     * @param aliasToCanonical alias name to canonical name
     */
    public StoreConfig withAliases(Map<String, String> aliasToCanonical) {
        Map<String, String> copy = new LinkedHashMap<>(properties);
        aliasToCanonical.forEach((alias, canonical) -> {
            String aliased = copy.remove(alias);
            if (aliased == null) {
                return;
            }
            String existing = copy.get(canonical);
            if (existing != null && !existing.equals(aliased)) {
                throw invalid("'" + alias + "' and '" + canonical + "' are the same setting with different values; "
                        + "give only '" + canonical + "'");
            }
            copy.put(canonical, aliased);
        });
        return new StoreConfig(name, type, copy);
    }

    /** The properties under {@code prefix + "."}, with the prefix removed, as a config of the same store. */
    public StoreConfig subset(String prefix) {
        String dotted = prefix.endsWith(".") ? prefix : prefix + ".";
        Map<String, String> sub = new LinkedHashMap<>();
        properties.forEach((k, v) -> {
            if (k.startsWith(dotted)) {
                sub.put(k.substring(dotted.length()), v);
            }
        });
        return new StoreConfig(name, type, sub);
    }

    /** Whether the property is set to a non-blank value. */
    public boolean has(String key) {
        return getString(key).isPresent();
    }

    /** The property's value, trimmed; empty when unset or blank. */
    public Optional<String> getString(String key) {
        String value = properties.get(key);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(value.trim());
    }

    /** The property's value, or an INVALID_CONFIG error saying that it is required. */
    public String requireString(String key) {
        return getString(key).orElseThrow(() -> invalid("missing required property '" + key + "'"));
    }

    /** The property as a boolean ({@code true/false/yes/no/1/0}), or the default when unset. */
    public boolean getBoolean(String key, boolean defaultValue) {
        return getString(key).map(v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw malformed(key, v, "a boolean (true or false)");
        }).orElse(defaultValue);
    }

    /** The property as an int, or the default when unset. */
    public int getInt(String key, int defaultValue) {
        return getString(key).map(v -> {
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw malformed(key, v, "a whole number");
            }
        }).orElse(defaultValue);
    }

    /** The property as a long, or the default when unset. */
    public long getLong(String key, long defaultValue) {
        return getString(key).map(v -> {
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw malformed(key, v, "a whole number");
            }
        }).orElse(defaultValue);
    }

    /**
     * The property as a byte size: a plain number of bytes or a number with a unit ({@code 64MiB}, {@code 8MB},
     * {@code 512k}; binary multiples either way), or the default when unset.
     */
    public long getSize(String key, long defaultValue) {
        return getString(key).map(v -> parseSize(key, v)).orElse(defaultValue);
    }

    /**
     * The property as a duration: Go style ({@code 30s}, {@code 1m30s}, {@code 500ms}, {@code 2h}), ISO-8601
     * ({@code PT30S}) or a plain number of seconds; or the default when unset.
     */
    public Duration getDuration(String key, Duration defaultValue) {
        return getString(key).map(v -> parseDuration(key, v)).orElse(defaultValue);
    }

    /** The property as an absolute URI with a scheme and host, or empty when unset. */
    public Optional<URI> getUri(String key) {
        return getString(key).map(v -> {
            try {
                URI uri = new URI(v);
                if (uri.getScheme() == null || uri.getHost() == null) {
                    throw malformed(key, v, "an absolute URI such as https://host:port");
                }
                return uri;
            } catch (URISyntaxException e) {
                throw malformed(key, v, "an absolute URI such as https://host:port");
            }
        });
    }

    /** The property as a file system path, or empty when unset. */
    public Optional<Path> getPath(String key) {
        return getString(key).map(Path::of);
    }

    /** The property as a list: comma-separated, or YAML-list style {@code [a, b]}; empty when unset. */
    public List<String> getList(String key) {
        return getString(key).map(v -> {
            String body = v.startsWith("[") && v.endsWith("]") ? v.substring(1, v.length() - 1) : v;
            return Arrays.stream(body.split(","))
                    .map(String::trim)
                    .filter(s -> !s.isEmpty())
                    .toList();
        }).orElse(List.of());
    }

    /** The property as one of the given choices (case-insensitive), returned in lower case; or the default. */
    public String getChoice(String key, String defaultValue, String... choices) {
        Optional<String> value = getString(key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        String lower = value.get().toLowerCase(Locale.ROOT);
        for (String choice : choices) {
            if (choice.equalsIgnoreCase(lower)) {
                return choice;
            }
        }
        throw malformed(key, value.get(), "one of " + String.join(", ", choices));
    }

    /**
     * Whether a property of this name holds a secret, and so is redacted. Names are matched case-insensitively on
     * their last dotted segment: anything with secret, password, token, accessKey, customerKey or privateKey in it,
     * unless it ends in File, Env, Path, Uri, Url, Ref or Arn (those hold a reference to a secret, not the secret).
     */
    public static boolean isSecretProperty(String key) {
        String last = key.substring(key.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
        return SECRET_NAME.matcher(last).matches() && !REFERENCE_SUFFIX.matcher(last).matches();
    }

    /** An INVALID_CONFIG error that names this store. */
    public ArtifactStoreException invalid(String problem) {
        return ArtifactStoreException.invalidConfig("store '" + name + "' (type " + type + "): " + problem);
    }

    private ArtifactStoreException malformed(String key, String value, String expected) {
        String shown = isSecretProperty(key) ? "****" : "'" + value + "'";
        return invalid("property '" + key + "' = " + shown + " is not " + expected);
    }

    private long parseSize(String key, String value) {
        Matcher m = SIZE.matcher(value.trim());
        if (!m.matches()) {
            throw malformed(key, value, "a size such as 8388608, 64MiB or 512k");
        }
        long number = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
        int shift = switch (unit.charAt(0)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            case 't' -> 40;
            default -> 0;
        };
        if (shift > 0 && number > (Long.MAX_VALUE >> shift)) {
            throw malformed(key, value, "a size that fits in 64 bits");
        }
        return number << shift;
    }

    private Duration parseDuration(String key, String value) {
        String v = value.trim();
        try {
            if (v.startsWith("P") || v.startsWith("p")) {
                return Duration.parse(v.toUpperCase(Locale.ROOT));
            }
            if (v.chars().allMatch(Character::isDigit)) {
                return Duration.ofSeconds(Long.parseLong(v));
            }
        } catch (RuntimeException e) {
            throw malformed(key, value, "a duration such as 30s, 1m30s, 500ms or PT30S");
        }
        Matcher m = DURATION_PART.matcher(v);
        long nanos = 0;
        int end = 0;
        while (m.find() && m.start() == end) {
            double amount = Double.parseDouble(m.group(1));
            long unitNanos = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                default -> 86_400_000_000_000L;
            };
            nanos += (long) (amount * unitNanos);
            end = m.end();
        }
        if (end == 0 || end != v.length()) {
            throw malformed(key, value, "a duration such as 30s, 1m30s, 500ms or PT30S");
        }
        return Duration.ofNanos(nanos);
    }

    private static String requireText(String value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        return value.trim();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoreConfig other
                && name.equals(other.name)
                && type.equals(other.type)
                && properties.equals(other.properties);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, properties);
    }

    /** Name, type and properties, with every secret property shown as {@code ****}. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("StoreConfig[name=").append(name).append(", type=").append(type);
        properties.forEach((k, v) -> out.append(", ").append(k).append('=')
                .append(isSecretProperty(k) ? "****" : v));
        return out.append(']').toString();
    }
}
