package dev.weft.engine.store;

import dev.weft.storage.spi.ArtifactStoreException;
import dev.weft.storage.spi.StoreConfig;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads the storage part of a Weft configuration document (already parsed from YAML or JSON into maps):
 *
 * <pre>{@code
 * plugins:
 *   dir: ./plugins
 * artifactRepository:          # the default repository
 *   type: s3                   # fs (default), s3, minio
 *   bucket: my-bucket
 *   credentials:
 *     chain: [static, environment, web-identity, pod-identity, profile, instance-profile]
 * artifactRepositories:        # more, by name, for artifactRepositoryRef
 *   archive:
 *     s3:                      # Argo's shape: the store type as the single key
 *       bucket: archive
 *       endpoint: minio.local:9000
 * }</pre>
 *
 * Nested maps are flattened with dots ({@code credentials.chain}); lists become comma-separated values.
 */
public final class StorageConfigReader {

    private static final Set<String> ARGO_TYPE_KEYS = Set.of("s3", "minio", "fs", "gcs", "oss", "azure", "hdfs",
            "artifactory");

    private final String source;

    /** @param source where the document came from, for error messages (a file name) */
    public StorageConfigReader(String source) {
        this.source = source;
    }

    /**
     * The storage settings in the document; paths are resolved against {@code baseDir}.
     *
     * @param document the parsed configuration document (top-level map)
     * @param baseDir  the directory relative paths are relative to (the config file's folder)
     */
    public StorageSettings read(Map<String, ?> document, Path baseDir) {
        Path pluginsDir = Path.of(StorageSettings.DEFAULT_PLUGINS_DIR);
        Object plugins = document.get("plugins");
        if (plugins instanceof Map<?, ?> pluginsMap && pluginsMap.get("dir") != null) {
            pluginsDir = baseDir.resolve(String.valueOf(pluginsMap.get("dir")));
        } else if (plugins != null && !(plugins instanceof Map<?, ?>)) {
            throw invalid("plugins", "must be a map with a 'dir' key");
        }
        Map<String, StoreConfig> repositories = new LinkedHashMap<>();
        Object defaultRepository = document.get("artifactRepository");
        if (defaultRepository != null) {
            repositories.put(ArtifactRepositories.DEFAULT,
                    repository(ArtifactRepositories.DEFAULT, "artifactRepository", defaultRepository, baseDir));
        }
        Object named = document.get("artifactRepositories");
        if (named instanceof Map<?, ?> namedMap) {
            namedMap.forEach((name, value) -> repositories.put(String.valueOf(name), repository(String.valueOf(name),
                    "artifactRepositories." + name, value, baseDir)));
        } else if (named != null) {
            throw invalid("artifactRepositories", "must be a map from repository name to its settings");
        }
        return new StorageSettings(pluginsDir, repositories);
    }

    /** One repository's settings (either Weft's {@code type:} shape or Argo's {@code s3: {...}} shape). */
    public StoreConfig repository(String name, String field, Object value, Path baseDir) {
        if (!(value instanceof Map<?, ?> map)) {
            throw invalid(field, "must be a map of store settings");
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        map.forEach((k, v) -> settings.put(String.valueOf(k), v));
        String type;
        if (settings.containsKey("type")) {
            type = String.valueOf(settings.remove("type"));
        } else {
            List<String> typeKeys = settings.keySet().stream().filter(ARGO_TYPE_KEYS::contains).toList();
            if (typeKeys.size() != 1 || !(settings.get(typeKeys.get(0)) instanceof Map<?, ?>)) {
                throw invalid(field, "needs 'type: fs|s3|minio' or exactly one store section such as 's3: {...}'"
                        + (typeKeys.size() > 1 ? " (found " + typeKeys + ")" : ""));
            }
            type = typeKeys.get(0);
            Map<?, ?> section = (Map<?, ?>) settings.remove(type);
            section.forEach((k, v) -> settings.put(String.valueOf(k), v));
        }
        Map<String, String> flat = new LinkedHashMap<>();
        flatten("", settings, flat);
        if ("fs".equalsIgnoreCase(type) && flat.containsKey("root")) {
            flat.put("root", baseDir.resolve(flat.get("root")).toString());
        }
        return StoreConfig.of(name, type, flat);
    }

    private static void flatten(String prefix, Map<?, ?> map, Map<String, String> out) {
        map.forEach((k, v) -> {
            String key = prefix + k;
            if (v instanceof Map<?, ?> nested) {
                flatten(key + ".", nested, out);
            } else if (v instanceof Collection<?> list) {
                out.put(key, list.stream().map(String::valueOf).collect(Collectors.joining(",")));
            } else if (v != null) {
                out.put(key, String.valueOf(v));
            }
        });
    }

    private ArtifactStoreException invalid(String field, String problem) {
        return ArtifactStoreException.invalidConfig(source + ": " + field + ": " + problem);
    }
}
