package dev.weft.engine.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.storage.spi.ArtifactKey;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RoundTripTest {

    @TempDir
    Path tmp;

    DirectoryTestStore store;
    final ArtifactUploader uploader = new ArtifactUploader();
    final ArtifactDownloader downloader = new ArtifactDownloader();

    @BeforeEach
    void setUp() throws IOException {
        store = new DirectoryTestStore(Files.createDirectories(tmp.resolve("store")));
    }

    static Stream<Arguments> archivingStrategies() {
        return Stream.of(
                Arguments.of(ArchiveStrategy.defaultStrategy(), ArchiveFormat.TAR_GZ),
                Arguments.of(new ArchiveStrategy.Tar(0), ArchiveFormat.TAR_GZ),
                Arguments.of(new ArchiveStrategy.Tar(9), ArchiveFormat.TAR_GZ),
                Arguments.of(new ArchiveStrategy.Zip(), ArchiveFormat.ZIP));
    }

    @ParameterizedTest
    @MethodSource("archivingStrategies")
    void directoryRoundTripKeepsTreeModesEmptyDirsUnicodeNamesAndInsideLinks(ArchiveStrategy strategy,
                                                                            ArchiveFormat format) throws IOException {
        Path source = Trees.sampleTree(tmp.resolve("producer"));
        ArtifactKey key = ArtifactKey.of("wf/pod/out." + format);

        StoredArtifact stored = uploader.upload("out", source, strategy, store, key);
        Path target = tmp.resolve("consumer/in/out");
        DownloadedArtifact placed = downloader.download(store, DownloadRequest.of("out", key, target));

        assertThat(placed.format()).isEqualTo(format);
        assertThat(placed.directory()).isTrue();
        assertThat(Trees.describe(target)).isEqualTo(Trees.describe(source));
        assertThat(Files.readString(target.resolve("dir-link/hello-link"))).isEqualTo("hello world\n");
        assertThat(stored.archive()).isEqualTo(strategy);
        assertThat(placed.sha256()).isEqualTo(stored.sha256());
        assertThat(placed.storedSize()).isEqualTo(stored.size());
    }

    @ParameterizedTest
    @MethodSource("archivingStrategies")
    void singleFileRoundTripKeepsContentAndMode(ArchiveStrategy strategy, ArchiveFormat format) throws IOException {
        Path source = Trees.write(tmp.resolve("producer/result.bin"), "payload ✓\n".repeat(1000), "rwxr-x---");
        ArtifactKey key = ArtifactKey.of("wf/pod/result");

        uploader.upload("result", source, strategy, store, key);
        Path target = tmp.resolve("consumer/result.bin");
        DownloadedArtifact placed = downloader.download(store, DownloadRequest.of("result", key, target));

        assertThat(placed.format()).isEqualTo(format);
        assertThat(placed.directory()).isFalse();
        assertThat(Trees.describeOne(target)).isEqualTo(Trees.describeOne(source));
    }

    @Test
    void noneStoresTheFileBytesAsTheyAreAndReportsTheirSizeAndSha256() throws IOException {
        Path source = Trees.write(tmp.resolve("producer/hello_world.txt"), "hello world\n", "rw-r--r--");
        ArtifactKey key = ArtifactKey.of("wf/pod/hello_world.txt");

        StoredArtifact stored = uploader.upload("hello", source, new ArchiveStrategy.None(), store, key);

        Path object = store.root().resolve(key.value());
        assertThat(Files.readString(object)).isEqualTo("hello world\n");
        assertThat(stored.size()).isEqualTo(12);
        assertThat(stored.sha256()).isEqualTo(Trees.sha256(object));
        assertThat(stored.repository().where()).contains("fs store 'test'");

        Path target = tmp.resolve("consumer/message");
        DownloadedArtifact placed = downloader.download(store, DownloadRequest.of("hello", key, target));
        assertThat(placed.format()).isEqualTo(ArchiveFormat.RAW);
        assertThat(Files.readString(target)).isEqualTo("hello world\n");
    }

    @ParameterizedTest
    @MethodSource("archivingStrategies")
    void storedSizeAndSha256AreThoseOfTheStoredObject(ArchiveStrategy strategy, ArchiveFormat format)
            throws IOException {
        Path source = Trees.sampleTree(tmp.resolve("producer"));
        ArtifactKey key = ArtifactKey.of("wf/pod/out");

        StoredArtifact stored = uploader.upload("out", source, strategy, store, key);

        Path object = store.root().resolve("wf/pod/out");
        assertThat(stored.size()).isEqualTo(Files.size(object));
        assertThat(stored.sha256()).isEqualTo(Trees.sha256(object)).hasSize(64);
        assertThat(store.keys()).containsExactly("wf/pod/out");
    }

    @ParameterizedTest
    @MethodSource("archivingStrategies")
    void subPathPlacesOnlyThatFileOrDirectory(ArchiveStrategy strategy, ArchiveFormat format) throws IOException {
        Path source = Trees.sampleTree(tmp.resolve("producer"));
        ArtifactKey key = ArtifactKey.of("wf/pod/out");
        uploader.upload("out", source, strategy, store, key);

        Path file = tmp.resolve("consumer/message");
        downloader.download(store, DownloadRequest.of("out", key, file).withSubPath("hello.txt"));
        assertThat(Files.readString(file)).isEqualTo("hello world\n");

        Path dir = tmp.resolve("consumer/data");
        downloader.download(store, DownloadRequest.of("out", key, dir).withSubPath("./données/"));
        assertThat(Trees.describe(dir)).isEqualTo(Trees.describe(source.resolve("données")));
    }

    @ParameterizedTest
    @MethodSource("archivingStrategies")
    void subPathWhoseLinksLeadOutOfItIsRefused(ArchiveStrategy strategy, ArchiveFormat format) throws IOException {
        // bin/hello-link -> ../hello.txt stays inside the artifact but would leave a placed 'bin'.
        Path source = Trees.sampleTree(tmp.resolve("producer"));
        ArtifactKey key = ArtifactKey.of("wf/pod/out");
        uploader.upload("out", source, strategy, store, key);

        Path dir = tmp.resolve("consumer/bin");
        assertThatThrownBy(() -> downloader.download(store, DownloadRequest.of("out", key, dir).withSubPath("bin")))
                .isInstanceOfSatisfying(ArtifactException.class,
                        e -> assertThat(e.reason()).isEqualTo(ArtifactException.Reason.SYMLINK_ESCAPES))
                .hasMessageContaining("hello-link");
        assertThat(tmp.resolve("consumer")).isEmptyDirectory();
    }

    @Test
    void missingSubPathIsAnErrorNamingIt() throws IOException {
        Path source = Trees.sampleTree(tmp.resolve("producer"));
        ArtifactKey key = ArtifactKey.of("wf/pod/out.tgz");
        uploader.upload("out", source, ArchiveStrategy.defaultStrategy(), store, key);

        Path target = tmp.resolve("consumer/message");
        assertThatThrownBy(() -> downloader.download(store,
                DownloadRequest.of("out", key, target).withSubPath("nope/x.txt")))
                .isInstanceOfSatisfying(ArtifactException.class,
                        e -> assertThat(e.reason()).isEqualTo(ArtifactException.Reason.SUBPATH_NOT_FOUND))
                .hasMessageContaining("artifact 'out'").hasMessageContaining("nope/x.txt")
                .hasMessageContaining("wf/pod/out.tgz");
        assertThat(target).doesNotExist();
        assertThat(tmp.resolve("consumer")).isEmptyDirectory();
    }

    @Test
    void modeIsAppliedToThePlacedPathAndRecursivelyWhenAsked() throws IOException {
        Path source = Trees.sampleTree(tmp.resolve("producer"));
        ArtifactKey key = ArtifactKey.of("wf/pod/out.tgz");
        uploader.upload("out", source, ArchiveStrategy.defaultStrategy(), store, key);

        Path file = tmp.resolve("consumer/script");
        downloader.download(store, DownloadRequest.of("out", key, file).withSubPath("hello.txt").withMode(0750, false));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rwxr-x---");

        Path dir = tmp.resolve("consumer/tree");
        downloader.download(store, DownloadRequest.of("out", key, dir).withMode(0700, true));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("données/日本語 😀.txt"))))
                .isEqualTo("rwx------");
    }

    @Test
    void contentSniffingTreatsGzipWithoutTarAsARawFile() throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write("just a compressed log line, not a tar\n".repeat(50).getBytes(StandardCharsets.UTF_8));
        }
        ArtifactKey key = ArtifactKey.of("wf/pod/app.log.gz");
        store.put(key, new ByteArrayInputStream(gz.toByteArray()), gz.size());

        Path target = tmp.resolve("consumer/app.log.gz");
        DownloadedArtifact placed = downloader.download(store, DownloadRequest.of("log", key, target));

        assertThat(placed.format()).isEqualTo(ArchiveFormat.RAW);
        assertThat(Files.readAllBytes(target)).isEqualTo(gz.toByteArray());
    }

    @Test
    void contentSniffingUnpacksATarballMadeBySystemTar() throws Exception {
        Path source = Trees.sampleTree(tmp.resolve("producer"));
        Path tarball = tmp.resolve("out.tgz");
        Process tar = new ProcessBuilder("tar", "czf", tarball.toString(), "-C", source.getParent().toString(), "out")
                .inheritIO().start();
        assertThat(tar.waitFor()).isZero();
        ArtifactKey key = ArtifactKey.of("argo/made/out.tgz");
        store.put(key, tarball);

        Path target = tmp.resolve("consumer/out");
        DownloadedArtifact placed = downloader.download(store, DownloadRequest.of("out", key, target));

        assertThat(placed.format()).isEqualTo(ArchiveFormat.TAR_GZ);
        assertThat(Trees.describe(target)).isEqualTo(Trees.describe(source));
    }

    @Test
    void knownNoneArchiveKeepsAFileThatLooksLikeAZipRaw() throws IOException {
        byte[] looksLikeZip = "PK\u0003\u0004 not really a zip".getBytes(StandardCharsets.ISO_8859_1);
        ArtifactKey key = ArtifactKey.of("wf/pod/data.bin");
        store.put(key, new ByteArrayInputStream(looksLikeZip), looksLikeZip.length);

        Path target = tmp.resolve("consumer/data.bin");
        DownloadedArtifact placed = downloader.download(store,
                DownloadRequest.of("data", key, target).withKnownArchive(new ArchiveStrategy.None()));

        assertThat(placed.format()).isEqualTo(ArchiveFormat.RAW);
        assertThat(Files.readAllBytes(target)).isEqualTo(looksLikeZip);
    }

    @Test
    void aDigestMismatchPlacesNothing() throws IOException {
        Path source = Trees.sampleTree(tmp.resolve("producer"));
        ArtifactKey key = ArtifactKey.of("wf/pod/out.tgz");
        uploader.upload("out", source, ArchiveStrategy.defaultStrategy(), store, key);

        Path target = tmp.resolve("consumer/out");
        assertThatThrownBy(() -> downloader.download(store,
                DownloadRequest.of("out", key, target).withExpectedSha256("00".repeat(32))))
                .isInstanceOfSatisfying(ArtifactException.class,
                        e -> assertThat(e.reason()).isEqualTo(ArtifactException.Reason.DIGEST_MISMATCH));
        assertThat(tmp.resolve("consumer")).isEmptyDirectory();
    }

    @Test
    void downloadReplacesAnExistingFileAtTheTarget() throws IOException {
        Path source = Trees.write(tmp.resolve("producer/a.txt"), "new", "rw-r--r--");
        ArtifactKey key = ArtifactKey.of("k/a.tgz");
        uploader.upload("a", source, ArchiveStrategy.defaultStrategy(), store, key);
        Path target = Trees.write(tmp.resolve("consumer/a.txt"), "old", "rw-r--r--");

        downloader.download(store, DownloadRequest.of("a", key, target));

        assertThat(Files.readString(target)).isEqualTo("new");
        assertThat(Files.list(tmp.resolve("consumer")).toList()).containsExactly(target);
    }

    @Test
    void aMissingKeyIsTheStoresNotFound() {
        assertThatThrownBy(() -> downloader.download(store,
                DownloadRequest.of("in", ArtifactKey.of("no/such.tgz"), tmp.resolve("consumer/in"))))
                .isInstanceOfSatisfying(dev.weft.storage.spi.ArtifactStoreException.class,
                        e -> assertThat(e.kind()).isEqualTo(dev.weft.storage.spi.ArtifactStoreException.Kind.NOT_FOUND))
                .hasMessageContaining("no/such.tgz");
        assertThat(tmp.resolve("consumer")).isEmptyDirectory();
    }

    @Test
    void directoryWithNoneIsRejectedNamingTheArtifact() throws IOException {
        Path source = Trees.sampleTree(tmp.resolve("producer"));
        ArtifactKey key = ArtifactKey.of("wf/pod/out");

        assertThatThrownBy(() -> uploader.upload("hello-art", source, new ArchiveStrategy.None(), store, key))
                .isInstanceOfSatisfying(ArtifactException.class,
                        e -> assertThat(e.reason()).isEqualTo(ArtifactException.Reason.DIRECTORY_NOT_ARCHIVED))
                .hasMessageContaining("artifact 'hello-art'").hasMessageContaining("directory");
        assertThat(store.keys()).isEmpty();
    }

    @Test
    void directoryWithNoneCanBeArchivedAsTarSoArgosSubPathExampleWorks() throws IOException {
        // artifact-passing-subpath: output path /tmp/ with archive none, consumed whole and with subPath.
        Path source = Trees.write(tmp.resolve("producer/tmp/hello_world.txt"), "hello world\n", "rw-r--r--")
                .getParent();
        ArtifactUploader lenient = new ArtifactUploader(ArtifactUploader.DirectoryWithNone.ARCHIVE_AS_TAR);
        ArchiveStrategy none = ArchiveStrategy.fromMap(Map.of("none", Map.of()));
        ArtifactKey key = KeyFormat.defaultFormat().outputKey(Map.of("workflow.name", "wf", "pod.name", "wf-gen-1"),
                "hello-art", lenient.effectiveStrategy(none, source), source);

        StoredArtifact stored = lenient.upload("hello-art", source, none, store, key);

        assertThat(stored.archive()).isEqualTo(ArchiveStrategy.defaultStrategy());
        assertThat(key.value()).isEqualTo("wf/wf-gen-1/hello-art.tgz");
        Path listing = tmp.resolve("list/message");
        downloader.download(store, DownloadRequest.of("message", key, listing));
        assertThat(Files.list(listing).map(p -> p.getFileName().toString()).toList())
                .isEqualTo(List.of("hello_world.txt"));
        Path file = tmp.resolve("consume/message");
        downloader.download(store, DownloadRequest.of("message", key, file).withSubPath("hello_world.txt"));
        assertThat(Files.readString(file)).isEqualTo("hello world\n");
    }

    @Test
    void oneUploaderAndDownloaderServeParallelArtifacts() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Map<String, String>>> placed = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                int n = i;
                placed.add(pool.submit(() -> {
                    Path source = Trees.write(tmp.resolve("p" + n + "/out/f.txt"), "task " + n, "rw-r--r--")
                            .getParent();
                    ArtifactKey key = ArtifactKey.of("wf/pod-" + n + "/out.tgz");
                    uploader.upload("out", source, ArchiveStrategy.defaultStrategy(), store, key);
                    Path target = tmp.resolve("c" + n + "/out");
                    downloader.download(store, DownloadRequest.of("out", key, target));
                    return Trees.describe(target);
                }));
            }
            for (int i = 0; i < 4; i++) {
                assertThat(placed.get(i).get()).isEqualTo(Trees.describe(tmp.resolve("p" + i + "/out")));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
