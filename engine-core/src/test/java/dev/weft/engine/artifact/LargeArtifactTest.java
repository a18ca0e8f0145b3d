package dev.weft.engine.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.storage.spi.ArtifactKey;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1 GiB through upload and download, checked by digest. Slow (about a minute per strategy on two cores), so tagged;
 * run with {@code -Dweft.test.excludedGroups=none -Dtest=LargeArtifactTest}, ideally with {@code -DargLine=-Xmx256m}
 * to prove the bounded heap.
 */
@Tag("slow")
class LargeArtifactTest {

    private static final int MIB = 1 << 20;

    @TempDir
    Path tmp;

    @Test
    void oneGibDirectoryRoundTripsThroughTarGzipWithMatchingDigests() throws IOException {
        Path source = tmp.resolve("producer/big");
        Map<String, String> expected = generate(source, 768, 256);
        DirectoryTestStore store = new DirectoryTestStore(Files.createDirectories(tmp.resolve("store")));
        ArtifactKey key = ArtifactKey.of("wf/pod/big.tgz");

        StoredArtifact stored = new ArtifactUploader().upload("big", source, new ArchiveStrategy.Tar(1), store, key);
        assertThat(stored.sha256()).isEqualTo(Trees.sha256(store.root().resolve(key.value())));
        Files.delete(source.resolve("large.bin"));

        Path target = tmp.resolve("consumer/big");
        DownloadedArtifact placed = new ArtifactDownloader().download(store,
                DownloadRequest.of("big", key, target).withExpectedSha256(stored.sha256()));

        assertThat(placed.storedSize()).isEqualTo(stored.size());
        assertThat(fileDigests(target)).isEqualTo(expected);
        System.out.printf("1 GiB tar.gz round trip: stored %d bytes, max heap %d MiB, peak heap used %d MiB%n",
                stored.size(), Runtime.getRuntime().maxMemory() / MIB, peakHeapUsed() / MIB);
    }

    @Test
    void oneGibFileRoundTripsRawWithMatchingDigest() throws IOException {
        Path source = tmp.resolve("producer/big");
        Map<String, String> expected = generate(source, 1024, 0);
        DirectoryTestStore store = new DirectoryTestStore(Files.createDirectories(tmp.resolve("store")));
        ArtifactKey key = ArtifactKey.of("wf/pod/large.bin");

        StoredArtifact stored = new ArtifactUploader().upload("big", source.resolve("large.bin"),
                new ArchiveStrategy.None(), store, key);
        Path target = tmp.resolve("consumer/large.bin");
        new ArtifactDownloader().download(store,
                DownloadRequest.of("big", key, target).withExpectedSha256(stored.sha256()));

        assertThat(Trees.sha256(target)).isEqualTo(expected.get("large.bin")).isEqualTo(stored.sha256());
        System.out.printf("1 GiB raw round trip: max heap %d MiB, peak heap used %d MiB%n",
                Runtime.getRuntime().maxMemory() / MIB, peakHeapUsed() / MIB);
    }

    /** One large file of {@code largeMib} MiB plus {@code smallFiles} files of 1 MiB, all incompressible. */
    private static Map<String, String> generate(Path dir, int largeMib, int smallFiles) throws IOException {
        Files.createDirectories(dir.resolve("small"));
        Random random = new Random(7);
        byte[] block = new byte[MIB];
        try (OutputStream out = Files.newOutputStream(dir.resolve("large.bin"))) {
            for (int i = 0; i < largeMib; i++) {
                random.nextBytes(block);
                out.write(block);
            }
        }
        for (int i = 0; i < smallFiles; i++) {
            random.nextBytes(block);
            Files.write(dir.resolve("small/f" + i), block);
        }
        return fileDigests(dir);
    }

    private static Map<String, String> fileDigests(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p).toString(), Trees.sha256(p));
            }
        }
        return out;
    }

    private static long peakHeapUsed() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }
}
