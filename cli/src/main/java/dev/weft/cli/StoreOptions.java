package dev.weft.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.weft.engine.store.StorageConfigReader;
import dev.weft.engine.store.StorageSettings;
import dev.weft.storage.spi.StoreConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The storage options shared by commands: which store, its settings file, extra settings, and the plugins folder.
 * Precedence: {@code --set} over {@code --store-config} over defaults; {@code --plugins-dir} over the
 * {@code WEFT_PLUGINS_DIR} environment variable and the {@code weft.plugins.dir} system property over
 * {@code plugins.dir} in the config file over {@code ./plugins}.
 */
final class StoreOptions {

    @Option(names = "--store", paramLabel = "TYPE",
            description = "Default artifact store type: fs (built in), s3 or minio (plugins). Default: fs, or the "
                    + "type in --store-config.")
    String storeType;

    @Option(names = "--store-config", paramLabel = "FILE",
            description = "YAML file with the store's settings (type, bucket, endpoint, region, credentials...), "
                    + "or a full Weft config with plugins.dir and artifactRepository.")
    Path storeConfig;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "One store setting, e.g. --set bucket=my-bucket --set endpoint=http://127.0.0.1:9000. "
                    + "Repeatable.")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--plugins-dir", paramLabel = "DIR",
            description = "Folder of plugin JARs. Default: $WEFT_PLUGINS_DIR, -Dweft.plugins.dir, the config file's "
                    + "plugins.dir, or ./plugins.")
    Path pluginsDir;

    /** The storage settings these options describe. */
    StorageSettings storageSettings() {
        StorageSettings settingsFromFile = StorageSettings.defaults();
        StoreConfig base = StoreConfig.of("default", "fs");
        if (storeConfig != null) {
            Map<String, Object> document = readYaml(storeConfig);
            Path baseDir = Optional.ofNullable(storeConfig.toAbsolutePath().getParent()).orElse(Path.of("."));
            StorageConfigReader reader = new StorageConfigReader(storeConfig.toString());
            if (document.containsKey("artifactRepository") || document.containsKey("plugins")
                    || document.containsKey("artifactRepositories")) {
                settingsFromFile = reader.read(document, baseDir);
                base = settingsFromFile.repositories().get("default");
            } else {
                Map<String, Object> withType = new LinkedHashMap<>(document);
                if (storeType != null && !withType.containsKey("type")) {
                    withType.put("type", storeType);
                } else if (!withType.containsKey("type") && !hasArgoSection(withType)) {
                    withType.put("type", "fs");
                }
                base = reader.repository("default", storeConfig.getFileName().toString(), withType, baseDir);
            }
        }
        String type = storeType != null ? storeType : base.type();
        Map<String, String> properties = new LinkedHashMap<>(base.properties());
        properties.putAll(settings);
        StoreConfig config = StoreConfig.of("default", type, properties);
        return settingsFromFile.withDefaultRepository(config).withPluginsDir(resolvePluginsDir(settingsFromFile));
    }

    private Path resolvePluginsDir(StorageSettings fromFile) {
        if (pluginsDir != null) {
            return pluginsDir;
        }
        String env = System.getenv("WEFT_PLUGINS_DIR");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String property = System.getProperty("weft.plugins.dir");
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        return fromFile.pluginsDir();
    }

    private static boolean hasArgoSection(Map<String, Object> document) {
        return document.keySet().stream().anyMatch(k -> k.equals("s3") || k.equals("minio") || k.equals("fs"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> readYaml(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                throw new CliException(file + ": no such file");
            }
            Object value = new ObjectMapper(new YAMLFactory()).readValue(file.toFile(), Object.class);
            if (value == null) {
                return Map.of();
            }
            if (!(value instanceof Map<?, ?>)) {
                throw new CliException(file + ": expected a YAML map of settings");
            }
            return (Map<String, Object>) value;
        } catch (IOException e) {
            throw new CliException(file + ": " + e.getMessage().lines().findFirst().orElse("cannot read"));
        }
    }
}
