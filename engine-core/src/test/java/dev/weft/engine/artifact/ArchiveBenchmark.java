package dev.weft.engine.artifact;

import dev.weft.storage.spi.ArtifactKey;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Not a test: a harness timing Weft's tar+gzip upload of a ~200 MiB mixed directory against {@code tar czf} at the
 * same gzip level, and a {@code none} upload of a 200 MiB file against {@link Files#copy}. Both sides write a file on
 * the same disk. Run: {@code java -cp <test classpath> dev.weft.engine.artifact.ArchiveBenchmark [runs] [dir]}.
 */
public final class ArchiveBenchmark {

    private static final int MIB = 1 << 20;

    private ArchiveBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path work = Files.createTempDirectory(args.length > 1 ? Path.of(args[1]) : Path.of("/tmp"), "weft-bench-");
        try {
            Path tree = work.resolve("tree");
            long bytes = generateMixedTree(tree);
            Path single = work.resolve("single.bin");
            writeRandom(single, 200, new Random(3));
            System.out.printf("tree: %d MiB mixed; single file: 200 MiB; %d runs each; %d cores%n", bytes / MIB, runs,
                    Runtime.getRuntime().availableProcessors());

            DirectoryTestStore store = new DirectoryTestStore(Files.createDirectories(work.resolve("store")));
            ArtifactUploader uploader = new ArtifactUploader();
            Path systemOut = work.resolve("system.tgz");

            // One warm-up of each, untimed (JIT, page cache).
            uploader.upload("tree", tree, new ArchiveStrategy.Tar(6), store, ArtifactKey.of("warm/tree.tgz"));
            systemTar(tree, systemOut);

            List<Double> weftTar = new ArrayList<>();
            List<Double> sysTar = new ArrayList<>();
            List<Double> weftCpu = new ArrayList<>();
            List<Double> sysCpu = new ArrayList<>();
            long weftSize = 0;
            for (int i = 0; i < runs; i++) {
                long c0 = processCpuNanos();
                long t0 = System.nanoTime();
                weftSize = uploader.upload("tree", tree, new ArchiveStrategy.Tar(6), store,
                        ArtifactKey.of("run/tree.tgz")).size();
                weftTar.add((System.nanoTime() - t0) / 1e9);
                weftCpu.add((processCpuNanos() - c0) / 1e9);
                t0 = System.nanoTime();
                sysCpu.add(systemTar(tree, systemOut));
                sysTar.add((System.nanoTime() - t0) / 1e9);
            }
            report("tar+gzip -6, Weft upload (wall)", weftTar);
            report("tar czf (gzip -6) (wall)", sysTar);
            report("tar+gzip -6, Weft upload (CPU, JVM)", weftCpu);
            report("tar czf (gzip -6) (CPU, tar+gzip)", sysCpu);
            System.out.printf("  CPU ratio Weft/system (median) %.2f%n", median(weftCpu) / median(sysCpu));
            System.out.printf("  sizes: Weft %d bytes, system tar %d bytes; time ratio Weft/system (median) %.2f%n",
                    weftSize, Files.size(systemOut), median(weftTar) / median(sysTar));

            List<Double> weftNone = new ArrayList<>();
            List<Double> copy = new ArrayList<>();
            Path copyTarget = work.resolve("copy.bin");
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                uploader.upload("single", single, new ArchiveStrategy.None(), store, ArtifactKey.of("run/single.bin"));
                weftNone.add((System.nanoTime() - t0) / 1e9);
                t0 = System.nanoTime();
                Files.copy(single, copyTarget, StandardCopyOption.REPLACE_EXISTING);
                copy.add((System.nanoTime() - t0) / 1e9);
            }
            report("none, Weft upload (sha256 + store)", weftNone);
            report("Files.copy", copy);
            System.out.printf("  time ratio Weft/Files.copy (median) %.2f%n", median(weftNone) / median(copy));
        } finally {
            ArtifactDownloader.deleteTree(work);
        }
    }

    /** Runs tar under bash's {@code time}; returns user+system CPU seconds of tar and its gzip. */
    private static double systemTar(Path tree, Path out) throws IOException, InterruptedException {
        String command = "TIMEFORMAT='%U %S'; time tar -I 'gzip -6' -cf '" + out + "' -C '" + tree.getParent()
                + "' '" + tree.getFileName() + "'";
        Process p = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0) {
            throw new IOException("tar failed: " + output);
        }
        String[] lines = output.split("\n");
        String[] times = lines[lines.length - 1].trim().split("\\s+");
        return Double.parseDouble(times[0]) + Double.parseDouble(times[1]);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** ~200 MiB: 60 MiB incompressible in 12 files, 100 MiB text in 1000 files, 40 MiB in 4000 small files. */
    private static long generateMixedTree(Path root) throws IOException {
        Random random = new Random(1);
        for (int i = 0; i < 12; i++) {
            writeRandom(root.resolve("bin/blob" + i + ".bin"), 5, random);
        }
        String[] words = {"workflow", "artifact", "task", "node", "succeeded", "error", "retry", "2026-11-28",
            "INFO", "DEBUG", "pod", "key", "bucket", "stream", "gzip", "0x7f3a", "lorem", "ipsum"};
        for (int i = 0; i < 1000; i++) {
            Path file = root.resolve("logs/d" + (i % 20) + "/log" + i + ".txt");
            Files.createDirectories(file.getParent());
            try (OutputStream out = Files.newOutputStream(file)) {
                StringBuilder line = new StringBuilder();
                long written = 0;
                while (written < 100 * 1024) {
                    line.setLength(0);
                    for (int w = 0; w < 12; w++) {
                        line.append(words[random.nextInt(words.length)]).append(' ');
                    }
                    line.append(random.nextInt(1_000_000)).append('\n');
                    byte[] b = line.toString().getBytes(StandardCharsets.UTF_8);
                    out.write(b);
                    written += b.length;
                }
            }
        }
        byte[] small = new byte[10 * 1024];
        for (int i = 0; i < 4000; i++) {
            random.nextBytes(small);
            for (int j = 0; j < small.length / 2; j++) {
                small[j] = (byte) (j % 7);
            }
            Path file = root.resolve("small/s" + (i % 40) + "/f" + i);
            Files.createDirectories(file.getParent());
            Files.write(file, small);
        }
        long total = 0;
        try (var walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                total += Files.size(p);
            }
        }
        return total;
    }

    private static void writeRandom(Path file, int mib, Random random) throws IOException {
        Files.createDirectories(file.getParent());
        byte[] block = new byte[MIB];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < mib; i++) {
                random.nextBytes(block);
                out.write(block);
            }
        }
    }

    private static void report(String what, List<Double> seconds) {
        List<Double> sorted = new ArrayList<>(seconds);
        Collections.sort(sorted);
        System.out.printf("%-40s median %.2f s  min %.2f s  max %.2f s%n", what, median(sorted), sorted.get(0),
                sorted.get(sorted.size() - 1));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
