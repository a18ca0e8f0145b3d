package dev.weft.benchmarks.archive;

import dev.weft.benchmarks.BenchContext;
import dev.weft.benchmarks.Scenario;
import dev.weft.benchmarks.Scratch;
import dev.weft.benchmarks.report.Goal;
import dev.weft.benchmarks.report.Row;
import dev.weft.benchmarks.report.Samples;
import dev.weft.engine.artifact.ArchiveStrategy;
import dev.weft.engine.artifact.ArtifactUploader;
import dev.weft.engine.artifact.StoredArtifact;
import dev.weft.engine.store.FileSystemArtifactStoreProvider;
import dev.weft.storage.spi.ArtifactKey;
import dev.weft.storage.spi.ArtifactStore;
import dev.weft.storage.spi.StoreConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Scenario 4: archiving a directory of mixed file sizes (1 GiB; 64 MiB with --quick) with Weft's
 * {@link ArtifactUploader} into the {@code fs} store (with {@code sync=false}, as neither baseline forces its
 * output to disk), against {@code tar czf} at the same gzip level into a file on the same disk; and a single 1 GiB file with archive {@code none} against {@link Files#copy}.
 */
public final class ArchiveScenario implements Scenario {

    private static final long GIB = 1L << 30;
    private static final long MIB = 1L << 20;
    /** Argo's default: deflate's default level, which gzip calls 6. */
    private static final int LEVEL = 6;

    @Override
    public String name() {
        return "archive";
    }

    @Override
    public String title() {
        return "4. Archiving (into the fs store on local disk)";
    }

    @Override
    public String description() {
        return "tar+gzip of a 1 GiB mixed directory vs tar czf at the same level; none vs Files.copy";
    }

    @Override
    public List<Row> run(BenchContext context) throws Exception {
        long size = context.size(GIB, 64 * MIB);
        int runs = context.runs(3, 2);
        Path scratch = context.scratch();
        Path tree = scratch.resolve("tree");
        long treeBytes = MixedTree.write(tree, size);
        Path single = Scratch.randomFile(scratch.resolve("single.bin"), size, 5);
        Path tarOut = scratch.resolve("system.tgz");
        Path copyOut = scratch.resolve("copy.bin");
        String label = size >= GIB ? (size / GIB) + " GiB" : (size / MIB) + " MiB";

        ArtifactUploader uploader = new ArtifactUploader();
        try (ArtifactStore store = new FileSystemArtifactStoreProvider().create(StoreConfig.of("bench-fs", "fs",
                // sync=false: neither tar nor Files.copy forces its output to disk; the store scenario reports the
                // fs store's default fsync separately.
                Map.of("root", Files.createDirectories(scratch.resolve("store")).toString(), "sync", "false")))) {
            ArchiveStrategy tar = new ArchiveStrategy.Tar(LEVEL);
            // Warm-up, untimed, on a small part of the tree (JIT, page cache of the tool binaries).
            uploader.upload("warm", tree.resolve("small"), tar, store, ArtifactKey.of("warm/tree.tgz"));
            systemTar(tree.resolve("small"), tarOut);

            List<Double> weftTar = new ArrayList<>();
            List<Double> sysTar = new ArrayList<>();
            List<Double> weftNone = new ArrayList<>();
            List<Double> copy = new ArrayList<>();
            long weftBytes = 0;
            for (int r = 0; r < runs; r++) {
                boolean weftFirst = r % 2 == 0;
                for (int side = 0; side < 2; side++) {
                    if ((side == 0) == weftFirst) {
                        long t0 = System.nanoTime();
                        StoredArtifact stored = uploader.upload("tree", tree, tar, store,
                                ArtifactKey.of("run/tree.tgz"));
                        weftTar.add(Scratch.secondsSince(t0));
                        weftBytes = stored.size();
                    } else {
                        long t0 = System.nanoTime();
                        systemTar(tree, tarOut);
                        sysTar.add(Scratch.secondsSince(t0));
                    }
                }
                for (int side = 0; side < 2; side++) {
                    if ((side == 0) == weftFirst) {
                        long t0 = System.nanoTime();
                        uploader.upload("single", single, new ArchiveStrategy.None(), store,
                                ArtifactKey.of("run/single.bin"));
                        weftNone.add(Scratch.secondsSince(t0));
                    } else {
                        long t0 = System.nanoTime();
                        Files.copy(single, copyOut, StandardCopyOption.REPLACE_EXISTING);
                        copy.add(Scratch.secondsSince(t0));
                    }
                }
            }
            List<Row> rows = new ArrayList<>();
            rows.add(Row.compared(name(), "tar+gzip -" + LEVEL + " of a " + label + " mixed directory", "s",
                    new Samples(weftTar), "tar czf (GNU tar, gzip -" + LEVEL + ")", new Samples(sysTar),
                    Goal.throughputAtLeast(0.8),
                    String.format("%d MiB in; archive %d MiB (Weft) vs %d MiB (tar)", treeBytes / MIB,
                            weftBytes / MIB, Files.size(tarOut) / MIB)));
            rows.add(Row.compared(name(), "none: one " + label + " file", "s", new Samples(weftNone), "Files.copy",
                    new Samples(copy), Goal.none(), "Weft also computes sha256 and writes atomically (temp file + rename)"));
            return rows;
        }
    }

    private static void systemTar(Path tree, Path out) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("tar", "-I", "gzip -" + LEVEL, "-cf", out.toString(), "-C",
                tree.getParent().toString(), tree.getFileName().toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        if (p.waitFor() != 0) {
            throw new IOException("tar failed with exit code " + p.exitValue());
        }
    }
}
