package dev.weft.engine.model;

import java.util.Optional;

/**
 * How an output artifact is packed (Argo {@code archive}). Argo's default is a gzipped tar.
 *
 * @param kind             none, tar or zip
 * @param compressionLevel gzip level for tar (Argo {@code tar.compressionLevel}); empty for the default
 */
public record ArchiveStrategy(Kind kind, Optional<Integer> compressionLevel) {

    /** The archive kinds Argo knows. */
    public enum Kind { NONE, TAR, ZIP }

    /** Argo's default: tar + gzip. */
    public static ArchiveStrategy defaultTar() {
        return new ArchiveStrategy(Kind.TAR, Optional.empty());
    }

    /** {@code archive: {none: {}}}. */
    public static ArchiveStrategy none() {
        return new ArchiveStrategy(Kind.NONE, Optional.empty());
    }
}
