package dev.weft.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The plugin JARs the reactor built, copied into a test's own plugins folder as an operator would. */
public final class PluginJars {

    private PluginJars() {
    }

    /** The S3 plugin JAR built by storage-s3. */
    public static Path s3() {
        return jar("weft.test.s3PluginJar");
    }

    /** The MinIO plugin JAR built by storage-minio. */
    public static Path minio() {
        return jar("weft.test.minioPluginJar");
    }

    /** A new plugins folder under {@code dir} holding copies of the given JARs. */
    public static Path folderWith(Path dir, Path... jars) {
        try {
            Path plugins = Files.createDirectories(dir.resolve("plugins"));
            for (Path jar : jars) {
                Files.copy(jar, plugins.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
            return plugins;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path jar(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("system property " + property + " is not set: run through Maven");
        }
        Path jar = Path.of(value);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: build the reactor (mvn verify) first");
        }
        return jar;
    }
}
