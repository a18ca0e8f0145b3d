package dev.weft.engine.artifact;

import java.nio.file.Path;
import java.util.Map;

/**
 * How an output artifact's path is packed before it goes to the store, as Argo's {@code archive:} field says.
 *
 * <ul>
 *   <li>{@link Tar}: a gzip-compressed tar ({@code .tgz}), the default; files and directories.</li>
 *   <li>{@link Zip}: a zip ({@code .zip}); files and directories.</li>
 *   <li>{@link None}: the single file stored raw. A directory cannot be stored raw (see
 *       {@link ArtifactUploader.DirectoryWithNone}).</li>
 * </ul>
 */
public sealed interface ArchiveStrategy permits ArchiveStrategy.Tar, ArchiveStrategy.Zip, ArchiveStrategy.None {

    /** Deflate's own default level (equivalent to 6), used when {@code compressionLevel} is absent, as in Argo. */
    int DEFAULT_COMPRESSION_LEVEL = -1;

    /** The default strategy: tar+gzip at the default level. */
    static ArchiveStrategy defaultStrategy() {
        return new Tar(DEFAULT_COMPRESSION_LEVEL);
    }

    /**
     * Reads Argo's {@code archive:} field as kept raw by the model: {@code null} or an empty map means the default,
     * {@code {none: {}}}, {@code {tar: {compressionLevel: N}}} (level optional, -1..9) or {@code {zip: {}}}.
     *
     * @throws IllegalArgumentException naming the unknown key or the malformed level
     */
    static ArchiveStrategy fromMap(Map<String, ?> archive) {
        if (archive == null || archive.isEmpty()) {
            return defaultStrategy();
        }
        if (archive.size() > 1) {
            throw new IllegalArgumentException("archive: exactly one of none, tar, zip may be set, found "
                    + archive.keySet());
        }
        Map.Entry<String, ?> only = archive.entrySet().iterator().next();
        Object body = only.getValue();
        if (body != null && !(body instanceof Map)) {
            throw new IllegalArgumentException("archive." + only.getKey() + ": expected an object, found " + body);
        }
        Map<?, ?> options = body == null ? Map.of() : (Map<?, ?>) body;
        switch (only.getKey()) {
            case "none":
                return new None();
            case "zip":
                return new Zip();
            case "tar":
                Object level = options.get("compressionLevel");
                if (level == null) {
                    return defaultStrategy();
                }
                try {
                    return new Tar(level instanceof Number n ? n.intValue() : Integer.parseInt(level.toString().trim()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("archive.tar.compressionLevel: not an integer: '" + level + "'");
                }
            default:
                throw new IllegalArgumentException("archive: unknown strategy '" + only.getKey()
                        + "' (expected none, tar or zip)");
        }
    }

    /**
     * The file name Argo appends to the rendered key format: {@code <artifact>.tgz}, {@code <artifact>.zip}, or for
     * {@code none} the source path's own file name.
     */
    String fileName(String artifactName, Path source);

    /**
     * Tar+gzip.
     *
     * @param compressionLevel gzip level 0 (stored) to 9 (best), or -1 for deflate's default
     */
    record Tar(int compressionLevel) implements ArchiveStrategy {
        /** Checks the level. */
        public Tar {
            if (compressionLevel < -1 || compressionLevel > 9) {
                throw new IllegalArgumentException("archive.tar.compressionLevel must be -1..9, was "
                        + compressionLevel);
            }
        }

        @Override
        public String fileName(String artifactName, Path source) {
            return artifactName + ".tgz";
        }
    }

    /** Zip (deflate at the default level). */
    record Zip() implements ArchiveStrategy {
        @Override
        public String fileName(String artifactName, Path source) {
            return artifactName + ".zip";
        }
    }

    /** No archive: a single file stored as it is. */
    record None() implements ArchiveStrategy {
        @Override
        public String fileName(String artifactName, Path source) {
            Path name = source.getFileName();
            return name == null ? artifactName : name.toString();
        }
    }
}
