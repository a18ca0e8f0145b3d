package dev.weft.engine.artifact;

import static dev.weft.engine.artifact.Crafted.Entry.dir;
import static dev.weft.engine.artifact.Crafted.Entry.file;
import static dev.weft.engine.artifact.Crafted.Entry.hardlink;
import static dev.weft.engine.artifact.Crafted.Entry.special;
import static dev.weft.engine.artifact.Crafted.Entry.symlink;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.engine.artifact.ArtifactException.Reason;
import dev.weft.engine.artifact.Crafted.Entry;
import dev.weft.engine.artifact.Crafted.Kind;
import dev.weft.storage.spi.ArtifactKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every unpacking rule, with a crafted malicious tar.gz and zip each: refused, named, nothing placed or leaked. */
class UnpackSafetyTest {

    /** The two archive formats, as builders. */
    enum Format {
        TAR(Crafted::tarGz), ZIP(Crafted::zip);

        final Function<List<Entry>, byte[]> build;

        Format(Function<List<Entry>, byte[]> build) {
            this.build = build;
        }
    }

    @TempDir
    Path tmp;

    DirectoryTestStore store;
    Path consumer;
    final ArtifactKey key = ArtifactKey.of("wf/evil-pod/in.tgz");

    @BeforeEach
    void setUp() throws IOException {
        store = new DirectoryTestStore(Files.createDirectories(tmp.resolve("store")));
        consumer = Files.createDirectories(tmp.resolve("sandbox/consumer"));
    }

    private ArtifactException refused(Format format, List<Entry> entries, UnpackLimits limits) {
        byte[] archive = format.build.apply(entries);
        store.put(key, new ByteArrayInputStream(archive), archive.length);
        Path target = consumer.resolve("in");
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() ->
                new ArtifactDownloader(limits).download(store, DownloadRequest.of("in", key, target)));
        assertThat(thrown).isInstanceOf(ArtifactException.class)
                .hasMessageContaining("artifact 'in'").hasMessageContaining("wf/evil-pod/in.tgz");
        assertThat(target).doesNotExist();
        try (var left = Files.list(consumer)) {
            assertThat(left.toList()).as("nothing placed, no staging left behind").isEmpty();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertThat(tmp.resolve("sandbox/evil.txt")).doesNotExist();
        assertThat(tmp.resolve("evil.txt")).doesNotExist();
        return (ArtifactException) thrown;
    }

    private ArtifactException refused(Format format, List<Entry> entries) {
        return refused(format, entries, UnpackLimits.defaults());
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void entryClimbingOutWithDotDotIsRefused(Format format) {
        ArtifactException e = refused(format, List.of(dir("in/"), file("in/../../../evil.txt", "pwned")));
        assertThat(e.reason()).isEqualTo(Reason.ENTRY_ESCAPES);
        assertThat(e.entry()).contains("in/../../../evil.txt");
        assertThat(e).hasMessageContaining("entry 'in/../../../evil.txt'");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void absoluteEntryIsRefused(Format format) {
        String absolute = tmp.resolve("evil.txt").toString();
        ArtifactException e = refused(format, List.of(file(absolute, "pwned")));
        assertThat(e.reason()).isEqualTo(Reason.ENTRY_ESCAPES);
        assertThat(e).hasMessageContaining(absolute);
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void symlinkToAnAbsolutePathIsRefused(Format format) {
        ArtifactException e = refused(format, List.of(dir("in/"), symlink("in/passwd", "/etc/passwd")));
        assertThat(e.reason()).isEqualTo(Reason.SYMLINK_ESCAPES);
        assertThat(e).hasMessageContaining("entry 'in/passwd'").hasMessageContaining("/etc/passwd");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void symlinkClimbingOutIsRefused(Format format) {
        ArtifactException e = refused(format, List.of(dir("in/"), symlink("in/up", "../../../evil.txt")));
        assertThat(e.reason()).isEqualTo(Reason.SYMLINK_ESCAPES);
        assertThat(e).hasMessageContaining("entry 'in/up'");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void symlinkThatOnlyEscapesThroughAnotherLinkIsRefused(Format format) {
        // Lexically in/a/b/s/../../../x is in/x, but s -> ../.. makes it climb above the archive root.
        ArtifactException e = refused(format, List.of(dir("in/"), dir("in/a/"), dir("in/a/b/"),
                symlink("in/a/b/s", "../.."), symlink("in/a/b/l", "s/../../../evil.txt")));
        assertThat(e.reason()).isEqualTo(Reason.SYMLINK_ESCAPES);
        assertThat(e).hasMessageContaining("entry 'in/a/b/l'");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void fileWrittenThroughALinkEntryIsRefused(Format format) {
        // The classic: a link to a directory, then a file "inside" it. Links are made last, so the name clashes.
        ArtifactException e = refused(format, List.of(dir("in/"), dir("in/real/"), symlink("in/l", "real"),
                file("in/l/evil.txt", "pwned")));
        assertThat(e.reason()).isEqualTo(Reason.CONFLICT);
        assertThat(e).hasMessageContaining("entry 'in/l'");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void truncatedArchiveIsAnErrorNamingTheArtifactAndPlacesNothing(Format format) {
        byte[] whole = format.build.apply(List.of(dir("in/"), file("in/a", "x".repeat(100_000))));
        byte[] truncated = java.util.Arrays.copyOf(whole, whole.length / 2);
        store.put(key, new ByteArrayInputStream(truncated), truncated.length);
        Path target = consumer.resolve("in");

        assertThatThrownBy(() -> new ArtifactDownloader().download(store, DownloadRequest.of("in", key, target)
                .withKnownArchive(format == Format.TAR ? ArchiveStrategy.defaultStrategy() : new ArchiveStrategy.Zip())))
                .isInstanceOfSatisfying(ArtifactException.class, e -> assertThat(e.reason()).isEqualTo(Reason.IO))
                .hasMessageContaining("artifact 'in'").hasMessageContaining("wf/evil-pod/in.tgz");
        assertThat(consumer).isEmptyDirectory();
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void archiveWhoseOnlyEntryIsALinkToItsOwnDirectoryIsRefused(Format format) {
        // "in -> ." stays inside the archive, but placed as the target it would point at the consumer's directory.
        ArtifactException e = refused(format, List.of(symlink("in", ".")));
        assertThat(e.reason()).isEqualTo(Reason.SYMLINK_ESCAPES);
        assertThat(e).hasMessageContaining("entry 'in'");
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"CHAR_DEVICE", "FIFO"})
    void deviceAndFifoEntriesAreRefusedInTar(Kind kind) {
        ArtifactException e = refused(Format.TAR, List.of(dir("in/"), special("in/dev", kind)));
        assertThat(e.reason()).isEqualTo(Reason.SPECIAL_FILE);
        assertThat(e).hasMessageContaining("entry 'in/dev'");
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"CHAR_DEVICE", "FIFO"})
    void deviceAndFifoEntriesAreRefusedInZip(Kind kind) {
        ArtifactException e = refused(Format.ZIP, List.of(dir("in/"), special("in/dev", kind)));
        assertThat(e.reason()).isEqualTo(Reason.SPECIAL_FILE);
        assertThat(e).hasMessageContaining("entry 'in/dev'");
    }

    @org.junit.jupiter.api.Test
    void hardLinkClimbingOutIsRefused() {
        ArtifactException e = refused(Format.TAR, List.of(dir("in/"), hardlink("in/h", "../../../../etc/passwd")));
        assertThat(e.reason()).isEqualTo(Reason.HARDLINK_ESCAPES);
        assertThat(e).hasMessageContaining("entry 'in/h'");
    }

    @org.junit.jupiter.api.Test
    void hardLinkToAnAbsolutePathIsRefused() {
        ArtifactException e = refused(Format.TAR, List.of(dir("in/"), hardlink("in/h", "/etc/passwd")));
        assertThat(e.reason()).isEqualTo(Reason.HARDLINK_ESCAPES);
    }

    @org.junit.jupiter.api.Test
    void hardLinkToAFileOutsideTheArchiveButNamedRelativelyIsRefused() {
        // "in/x" was never in the archive: linking to it could only reach something else on disk.
        ArtifactException e = refused(Format.TAR, List.of(dir("in/"), hardlink("in/h", "in/x")));
        assertThat(e.reason()).isEqualTo(Reason.HARDLINK_ESCAPES);
    }

    @org.junit.jupiter.api.Test
    void hardLinkToAFileInTheArchiveIsUnpacked() throws IOException {
        byte[] archive = Crafted.tarGz(List.of(dir("in/"), file("in/a", "same"), hardlink("in/b", "in/a")));
        store.put(key, new ByteArrayInputStream(archive), archive.length);

        new ArtifactDownloader().download(store, DownloadRequest.of("in", key, consumer.resolve("in")));

        assertThat(Files.readString(consumer.resolve("in/b"))).isEqualTo("same");
        assertThat(Files.isSameFile(consumer.resolve("in/a"), consumer.resolve("in/b"))).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void archivePastTheTotalSizeLimitIsRefused(Format format) {
        ArtifactException e = refused(format, List.of(dir("in/"), file("in/big", new byte[2 << 20])),
                new UnpackLimits(1 << 20, 1e9, 100));
        assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE);
        assertThat(e).hasMessageContaining("entry 'in/big'").hasMessageContaining("maxTotalBytes");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void archivePastTheCompressionRatioLimitIsRefused(Format format) {
        ArtifactException e = refused(format, List.of(dir("in/"), file("in/zeros", new byte[16 << 20])),
                new UnpackLimits(1L << 40, 100, 100));
        assertThat(e.reason()).isEqualTo(Reason.RATIO_EXCEEDED);
        assertThat(e).hasMessageContaining("entry 'in/zeros'").hasMessageContaining("maxRatio");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void archiveWithTooManyEntriesIsRefused(Format format) {
        List<Entry> entries = new ArrayList<>(List.of(dir("in/")));
        for (int i = 0; i < 10; i++) {
            entries.add(file("in/f" + i, "x"));
        }
        ArtifactException e = refused(format, entries, new UnpackLimits(1L << 30, 500, 5));
        assertThat(e.reason()).isEqualTo(Reason.TOO_MANY_ENTRIES);
        assertThat(e).hasMessageContaining("entry 'in/f4'").hasMessageContaining("maxEntries");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void maximallyCompressibleButHonestArchiveUnpacksUnderDefaultLimits(Format format) throws IOException {
        // The control for the limit tests: the default limits let 16 MiB of zeros (deflate's best case) through.
        byte[] archive = format.build.apply(List.of(dir("in/"), file("in/zeros", new byte[16 << 20])));
        store.put(key, new ByteArrayInputStream(archive), archive.length);

        new ArtifactDownloader().download(store, DownloadRequest.of("in", key, consumer.resolve("in")));

        assertThat(Files.size(consumer.resolve("in/zeros"))).isEqualTo(16 << 20);
    }
}
