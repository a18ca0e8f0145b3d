package dev.weft.engine.model;

import java.util.Objects;

/**
 * Where a produced artifact was stored, so that later tasks and the embedder can fetch it through the same store.
 *
 * @param repository the artifact repository's name ({@code default}, or an {@code artifactRepositoryRef} key)
 * @param key        the object key in that repository
 * @param size       the stored object's size in bytes (after archiving)
 * @param sha256     hex SHA-256 of the stored bytes
 */
public record ArtifactLocation(String repository, String key, long size, String sha256) {

    /** Checks. */
    public ArtifactLocation {
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(sha256, "sha256");
    }
}
