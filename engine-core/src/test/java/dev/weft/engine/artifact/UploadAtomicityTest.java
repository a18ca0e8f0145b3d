package dev.weft.engine.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.engine.artifact.ArtifactException.Reason;
import dev.weft.storage.spi.ArtifactKey;
import dev.weft.storage.spi.ArtifactStoreException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A packing failure halfway through, or a failing store, leaves nothing behind and no packer thread running. */
class UploadAtomicityTest {

    @TempDir
    Path tmp;

    DirectoryTestStore store;
    final ArtifactUploader uploader = new ArtifactUploader();
    final ArtifactKey key = ArtifactKey.of("wf/pod/out.tgz");

    @BeforeEach
    void setUp() throws IOException {
        store = new DirectoryTestStore(Files.createDirectories(tmp.resolve("store")));
    }

    static Stream<Arguments> archiving() {
        return Stream.of(Arguments.of(ArchiveStrategy.defaultStrategy()), Arguments.of(new ArchiveStrategy.Zip()));
    }

    /** 4 MiB of incompressible bytes first, so the store has received plenty before the failure. */
    private Path treeWithBigFileThen(Path dir) throws IOException {
        Path root = dir.resolve("out");
        Files.createDirectories(root);
        byte[] noise = new byte[4 << 20];
        new Random(42).nextBytes(noise);
        Files.write(root.resolve("a-big.bin"), noise);
        return root;
    }

    @ParameterizedTest
    @MethodSource("archiving")
    void sourceFailingHalfwayLeavesNoObject(ArchiveStrategy strategy) throws Exception {
        Path root = treeWithBigFileThen(tmp.resolve("producer"));
        Process mkfifo = new ProcessBuilder("mkfifo", root.resolve("z-fifo").toString()).inheritIO().start();
        assertThat(mkfifo.waitFor()).isZero();

        assertThatThrownBy(() -> uploader.upload("out", root, strategy, store, key))
                .isInstanceOfSatisfying(ArtifactException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.SPECIAL_FILE))
                .hasMessageContaining("artifact 'out'").hasMessageContaining("entry 'out/z-fifo'");

        assertThat(store.bytesReceived()).as("the store was mid-upload").isGreaterThan(1 << 20);
        assertThat(store.keys()).isEmpty();
        assertThat(store.leftovers()).isEmpty();
        assertNoPackerThreadLeft();
    }

    @Test
    void symlinkLeavingTheOutputDirectoryFailsTheUploadNamingIt() throws IOException {
        Path root = treeWithBigFileThen(tmp.resolve("producer"));
        Files.createSymbolicLink(root.resolve("z-link"), Path.of("../../secret"));

        assertThatThrownBy(() -> uploader.upload("out", root, ArchiveStrategy.defaultStrategy(), store, key))
                .isInstanceOfSatisfying(ArtifactException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.SYMLINK_ESCAPES))
                .hasMessageContaining("entry 'out/z-link'");
        assertThat(store.keys()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("archiving")
    void storeFailingMidwayIsReportedAndStopsThePacker(ArchiveStrategy strategy) throws IOException {
        Path root = treeWithBigFileThen(tmp.resolve("producer"));
        ForwardingStore failing = new ForwardingStore(store) {
            @Override
            public void put(ArtifactKey k, InputStream data, long length) {
                try {
                    data.readNBytes(1 << 20);
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
                throw new ArtifactStoreException(ArtifactStoreException.Kind.TRANSIENT, "connection reset on " + k);
            }
        };

        assertThatThrownBy(() -> uploader.upload("out", root, strategy, failing, key))
                .isInstanceOfSatisfying(ArtifactStoreException.class, e -> assertThat(e.isRetryable()).isTrue())
                .hasMessageContaining("connection reset on wf/pod/out.tgz");
        assertThat(store.keys()).isEmpty();
        assertNoPackerThreadLeft();
    }

    @Test
    void storeThatKeepsAFailedStreamHasTheObjectRemoved() throws Exception {
        Path root = treeWithBigFileThen(tmp.resolve("producer"));
        Process mkfifo = new ProcessBuilder("mkfifo", root.resolve("z-fifo").toString()).inheritIO().start();
        assertThat(mkfifo.waitFor()).isZero();
        ForwardingStore sloppy = new ForwardingStore(store) {
            @Override
            public void put(ArtifactKey k, InputStream data, long length) {
                // Breaks the SPI promise: stores what it got before the stream threw, and returns normally.
                ByteArrayOutputStream partial = new ByteArrayOutputStream();
                try {
                    data.transferTo(partial);
                } catch (IOException expected) {
                    delegate.put(k, new java.io.ByteArrayInputStream(partial.toByteArray()), partial.size());
                }
            }
        };

        assertThatThrownBy(() -> uploader.upload("out", root, ArchiveStrategy.defaultStrategy(), sloppy, key))
                .isInstanceOf(ArtifactException.class).hasMessageContaining("entry 'out/z-fifo'");
        assertThat(store.keys()).isEmpty();
    }

    @Test
    void missingSourceIsReportedWithoutTouchingTheStore() {
        assertThatThrownBy(() -> uploader.upload("out", tmp.resolve("nope"), ArchiveStrategy.defaultStrategy(),
                store, key))
                .isInstanceOfSatisfying(ArtifactException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.SOURCE_NOT_FOUND))
                .hasMessageContaining("nope");
        assertThat(store.bytesReceived()).isZero();
    }

    private static void assertNoPackerThreadLeft() {
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.getName().startsWith("weft-artifact-packer") && t.isAlive());
    }
}
