package dev.weft.engine.artifact;

import dev.weft.storage.spi.ArtifactKey;
import dev.weft.storage.spi.StoreDescription;
import java.util.Objects;

/**
 * An artifact as written to a store: what the run result lists, and what a consumer needs to fetch it again.
 *
 * @param name       the artifact's name
 * @param repository the store it went to ({@link StoreDescription#where()} names it in messages)
 * @param key        its key in that store
 * @param size       the number of bytes stored (the archive, not the unpacked tree)
 * @param sha256     lowercase hex sha256 of the stored bytes
 * @param archive    how it was packed
 */
public record StoredArtifact(String name, StoreDescription repository, ArtifactKey key, long size, String sha256,
                             ArchiveStrategy archive) {

    /** Checks the fields. */
    public StoredArtifact {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(archive, "archive");
    }
}
