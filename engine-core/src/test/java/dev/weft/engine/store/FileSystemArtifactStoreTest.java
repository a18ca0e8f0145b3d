package dev.weft.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.storage.spi.ArtifactKey;
import dev.weft.storage.spi.ArtifactStoreException;
import dev.weft.storage.spi.ArtifactStoreException.Kind;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the fs store does beyond the shared contract: links, staging, directories and permissions. */
class FileSystemArtifactStoreTest {

    @TempDir
    Path temp;

    private FileSystemArtifactStore store(boolean sync) {
        return new FileSystemArtifactStore("test", temp.resolve("root"), sync);
    }

    private static ArtifactKey key(String value) {
        return ArtifactKey.of(value);
    }

    private static void put(FileSystemArtifactStore store, String key, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        store.put(key(key), new ByteArrayInputStream(bytes), bytes.length);
    }

    private static String read(FileSystemArtifactStore store, String key) throws IOException {
        try (InputStream in = store.open(key(key))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void filesAndStreamsLandInNewNestedDirectoriesAndLeaveNothingInStaging(boolean sync) throws IOException {
        FileSystemArtifactStore store = store(sync);
        Path source = Files.writeString(temp.resolve("source.txt"), "from a file");

        store.put(key("a/b/c/file.txt"), source);
        put(store, "a/b/d/stream.txt", "from a stream");

        assertThat(read(store, "a/b/c/file.txt")).isEqualTo("from a file");
        assertThat(read(store, "a/b/d/stream.txt")).isEqualTo("from a stream");
        try (Stream<Path> staged = Files.list(temp.resolve("root").resolve(FileSystemArtifactStore.STAGING_DIR))) {
            assertThat(staged).isEmpty();
        }
    }

    @Test
    void aKeyWhoseDirectoryIsALinkOutOfTheRootIsRefusedForWritesAndReads() throws IOException {
        FileSystemArtifactStore store = store(true);
        Path outside = Files.createDirectories(temp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "not yours");
        Files.createSymbolicLink(temp.resolve("root/escape"), outside);

        assertThatThrownBy(() -> put(store, "escape/new.txt", "x"))
                .isInstanceOf(ArtifactStoreException.class)
                .satisfies(e -> assertThat(((ArtifactStoreException) e).kind()).isEqualTo(Kind.ACCESS_DENIED));
        assertThatThrownBy(() -> store.open(key("escape/secret.txt")))
                .isInstanceOf(ArtifactStoreException.class)
                .satisfies(e -> assertThat(((ArtifactStoreException) e).kind()).isEqualTo(Kind.ACCESS_DENIED));
        assertThat(outside.resolve("new.txt")).doesNotExist();
    }

    @Test
    void aKeyThatIsItselfALinkOutOfTheRootCannotBeRead() throws IOException {
        FileSystemArtifactStore store = store(true);
        Path secret = Files.writeString(temp.resolve("secret.txt"), "not yours");
        Files.createSymbolicLink(temp.resolve("root/leak.txt"), secret);

        assertThatThrownBy(() -> store.open(key("leak.txt")))
                .isInstanceOf(ArtifactStoreException.class)
                .satisfies(e -> assertThat(((ArtifactStoreException) e).kind()).isEqualTo(Kind.ACCESS_DENIED));
        assertThatThrownBy(() -> store.get(key("leak.txt"), temp.resolve("copy.txt")))
                .isInstanceOf(ArtifactStoreException.class);
        assertThat(temp.resolve("copy.txt")).doesNotExist();
    }

    @Test
    void aLinkToADirectoryInsideTheRootIsFollowed() throws IOException {
        FileSystemArtifactStore store = store(true);
        put(store, "real/file.txt", "inside");
        Files.createSymbolicLink(temp.resolve("root/alias"), temp.resolve("root/real").toRealPath());

        put(store, "alias/other.txt", "also inside");

        assertThat(read(store, "alias/file.txt")).isEqualTo("inside");
        assertThat(read(store, "real/other.txt")).isEqualTo("also inside");
    }

    @Test
    void aFileWhereADirectoryIsNeededFailsNamingTheClash() {
        FileSystemArtifactStore store = store(true);
        put(store, "a", "a file");

        assertThatThrownBy(() -> put(store, "a/b", "below a file"))
                .isInstanceOf(ArtifactStoreException.class)
                .hasMessageContaining("a file and a directory would share the path");
        assertThatThrownBy(() -> store.open(key("a/b")))
                .isInstanceOf(ArtifactStoreException.class)
                .satisfies(e -> assertThat(((ArtifactStoreException) e).kind()).isEqualTo(Kind.NOT_FOUND));
    }

    @Test
    void getCreatesTheTargetDirectoryAndLeavesAnOwnerOnlyFileWithNoTemporaryBeside() throws IOException {
        FileSystemArtifactStore store = store(false);
        put(store, "k", "payload");
        Path target = temp.resolve("out/deeper/k.txt");

        store.get(key("k"), target);

        assertThat(target).hasContent("payload");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-------");
        try (Stream<Path> beside = Files.list(target.getParent())) {
            assertThat(beside).containsExactly(target);
        }
    }

    @Test
    void getOfAMissingKeyIsNotFoundAndCreatesNoFile() {
        FileSystemArtifactStore store = store(true);
        Path target = temp.resolve("out/missing.txt");

        assertThatThrownBy(() -> store.get(key("missing"), target))
                .isInstanceOf(ArtifactStoreException.class)
                .satisfies(e -> assertThat(((ArtifactStoreException) e).kind()).isEqualTo(Kind.NOT_FOUND));
        assertThat(target).doesNotExist();
    }

    @Test
    void aMissingSourceFileIsNotFound() {
        FileSystemArtifactStore store = store(true);

        assertThatThrownBy(() -> store.put(key("k"), temp.resolve("nope.bin")))
                .isInstanceOf(ArtifactStoreException.class)
                .satisfies(e -> assertThat(((ArtifactStoreException) e).kind()).isEqualTo(Kind.NOT_FOUND));
        assertThat(store.stat(key("k"))).isEmpty();
    }
}
