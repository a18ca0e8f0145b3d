package dev.weft.engine.artifact;

import java.nio.file.Path;

/**
 * An input artifact placed on disk.
 *
 * @param path       where it now is (the request's target)
 * @param directory  whether it is a directory
 * @param format     what the stored bytes were
 * @param storedSize how many bytes were read from the store
 * @param sha256     lowercase hex sha256 of those bytes
 */
public record DownloadedArtifact(Path path, boolean directory, ArchiveFormat format, long storedSize,
                                 String sha256) {
}
