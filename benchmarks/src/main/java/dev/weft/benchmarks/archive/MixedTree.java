package dev.weft.benchmarks.archive;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * A directory of mixed file sizes, like a real task's output: about 30% incompressible binaries of 16 MiB, 50% text
 * logs of 256 KiB, and 20% small files of 8 KiB (half random, half repetitive). Deterministic for a given size.
 */
final class MixedTree {

    private static final String[] WORDS = {"workflow", "artifact", "task", "node", "Succeeded", "error", "retry",
        "2026-11-28T16:50:01Z", "INFO", "DEBUG", "pod", "key", "bucket", "stream", "gzip", "0x7f3a", "lorem", "ipsum"};

    private MixedTree() {
    }

    /** Writes the tree under {@code root}; returns the number of bytes written. */
    static long write(Path root, long totalBytes) throws IOException {
        SplittableRandom random = new SplittableRandom(1);
        long written = 0;
        long binaryBudget = totalBytes * 3 / 10;
        long textBudget = totalBytes / 2;
        long smallBudget = totalBytes - binaryBudget - textBudget;
        int i = 0;
        for (long left = binaryBudget; left > 0; i++) {
            long size = Math.min(left, 16L << 20);
            written += randomFile(root.resolve("bin/blob" + i + ".bin"), size, random);
            left -= size;
        }
        i = 0;
        for (long left = textBudget; left > 0; i++) {
            long size = Math.min(left, 256L << 10);
            written += textFile(root.resolve("logs/d" + (i % 32) + "/log" + i + ".txt"), size, random);
            left -= size;
        }
        i = 0;
        byte[] small = new byte[8 << 10];
        for (long left = smallBudget; left > 0; i++) {
            int size = (int) Math.min(left, small.length);
            for (int j = 0; j < size; j++) {
                small[j] = j < size / 2 ? (byte) random.nextInt(256) : (byte) (j % 7);
            }
            Path file = root.resolve("small/s" + (i % 64) + "/f" + i);
            Files.createDirectories(file.getParent());
            try (OutputStream out = Files.newOutputStream(file)) {
                out.write(small, 0, size);
            }
            written += size;
            left -= size;
        }
        return written;
    }

    private static long randomFile(Path file, long size, SplittableRandom random) throws IOException {
        Files.createDirectories(file.getParent());
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; ) {
                int n = (int) Math.min(left, block.length);
                for (int j = 0; j < n; j += 8) {
                    long v = random.nextLong();
                    for (int k = 0; k < 8 && j + k < n; k++) {
                        block[j + k] = (byte) (v >>> (8 * k));
                    }
                }
                out.write(block, 0, n);
                left -= n;
            }
        }
        return size;
    }

    private static long textFile(Path file, long size, SplittableRandom random) throws IOException {
        Files.createDirectories(file.getParent());
        StringBuilder text = new StringBuilder((int) size + 200);
        while (text.length() < size) {
            for (int w = 0; w < 12; w++) {
                text.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
            }
            text.append(random.nextInt(1_000_000)).append('\n');
        }
        byte[] bytes = text.substring(0, (int) size).getBytes(StandardCharsets.US_ASCII);
        Files.write(file, bytes);
        return bytes.length;
    }
}
