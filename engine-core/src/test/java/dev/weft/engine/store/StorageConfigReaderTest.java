package dev.weft.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.storage.spi.StoreConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StorageConfigReaderTest {

    private final StorageConfigReader reader = new StorageConfigReader("weft.yaml");
    private final Path base = Path.of("/etc/weft");

    @Test
    void withoutRepositoriesTheDefaultIsAnFsStore() {
        StorageSettings settings = reader.read(Map.of(), base);
        assertThat(settings.pluginsDir()).isEqualTo(Path.of("plugins"));
        assertThat(settings.repositories().get("default").type()).isEqualTo("fs");
    }

    @Test
    void readsWeftShapeWithNestedCredentialsAndLists() {
        StorageSettings settings = reader.read(Map.of(
                "plugins", Map.of("dir", "plugins"),
                "artifactRepository", Map.of("type", "s3", "bucket", "b", "region", "eu-west-1",
                        "credentials", Map.of("chain", List.of("static", "pod-identity")))), base);
        assertThat(settings.pluginsDir()).isEqualTo(Path.of("/etc/weft/plugins"));
        StoreConfig config = settings.repositories().get("default");
        assertThat(config.type()).isEqualTo("s3");
        assertThat(config.properties()).containsEntry("bucket", "b")
                .containsEntry("credentials.chain", "static,pod-identity");
    }

    @Test
    void readsArgoShapeWhereTheTypeIsTheSectionName() {
        StorageSettings settings = reader.read(Map.of("artifactRepositories", Map.of(
                "archive", Map.of("s3", Map.of("bucket", "archive", "endpoint", "127.0.0.1:9000", "insecure", true)))),
                base);
        StoreConfig archive = settings.repositories().get("archive");
        assertThat(archive.name()).isEqualTo("archive");
        assertThat(archive.type()).isEqualTo("s3");
        assertThat(archive.properties()).containsEntry("insecure", "true").containsEntry("bucket", "archive");
        assertThat(settings.repositories()).containsKey("default");
    }

    @Test
    void fsRootsAreRelativeToTheConfigFile() {
        StoreConfig config = reader.read(Map.of("artifactRepository", Map.of("type", "fs", "root", "data")), base)
                .repositories().get("default");
        assertThat(config.properties()).containsEntry("root", "/etc/weft/data");
    }

    @Test
    void aRepositoryWithoutTypeNamesTheFileAndField() {
        assertThatThrownBy(() -> reader.read(Map.of("artifactRepository", Map.of("bucket", "b")), base))
                .hasMessageContaining("weft.yaml: artifactRepository: needs 'type: fs|s3|minio'");
        assertThatThrownBy(() -> reader.read(Map.of("artifactRepositories", List.of("x")), base))
                .hasMessageContaining("weft.yaml: artifactRepositories: must be a map");
    }
}
