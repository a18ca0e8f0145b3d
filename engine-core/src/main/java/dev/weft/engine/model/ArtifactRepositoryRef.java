package dev.weft.engine.model;

import java.util.Optional;

/**
 * Argo {@code artifactRepositoryRef}: names a configured artifact repository.
 *
 * @param configMap the config map name (Argo), used as the repository group
 * @param key       the repository key
 */
public record ArtifactRepositoryRef(Optional<String> configMap, Optional<String> key) {
}
