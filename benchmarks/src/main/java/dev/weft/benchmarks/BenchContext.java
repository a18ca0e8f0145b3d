package dev.weft.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * What every scenario gets: the options, a scratch directory of its own, and the storage plugin JARs the build
 * made (in {@code benchmarks/target/plugins}).
 *
 * @param options    the command line
 * @param scratch    a fresh directory for this scenario's files, deleted afterwards
 * @param pluginJars the folder holding the built plugin JARs
 */
public record BenchContext(BenchOptions options, Path scratch, Path pluginJars) {

    /** Sizes: {@code full} normally, {@code quick} with {@code --quick}. */
    public long size(long full, long quick) {
        return options.quick() ? quick : full;
    }

    /** Measured runs per figure: the scenario's default unless {@code --runs} says otherwise. */
    public int runs(int full, int quick) {
        return options.runs(full, quick);
    }

    /**
     * A new plugins folder under the scratch directory holding copies of the built plugin JARs, as an operator
     * would install them.
     */
    public Path pluginsFolder() {
        try {
            Path folder = Files.createDirectories(scratch.resolve("plugins"));
            List<Path> jars;
            try (Stream<Path> files = Files.list(pluginJars)) {
                jars = files.filter(p -> p.getFileName().toString().endsWith(".jar")).toList();
            }
            if (jars.size() < 2) {
                throw new IllegalStateException("expected the s3 and minio plugin JARs in " + pluginJars
                        + ", found " + jars + ": build with mvn -DskipTests package");
            }
            for (Path jar : jars) {
                Files.copy(jar, folder.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
