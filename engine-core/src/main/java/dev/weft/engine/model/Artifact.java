package dev.weft.engine.model;

import java.util.Objects;
import java.util.Optional;

/**
 * An input, output or argument artifact (Argo {@code Artifact}). Weft parses and validates these; the artifact
 * package moves the bytes.
 *
 * @param name           the artifact's name
 * @param path           where it lives in the task's file system
 * @param from           for arguments: a reference such as {@code {{steps.gen.outputs.artifacts.out}}}
 * @param fromExpression an expression choosing the artifact (composite outputs)
 * @param subPath        a path inside the referenced artifact
 * @param mode           file mode to set on the staged file
 * @param optional       a missing artifact is not an error
 * @param archive        how it is packed; empty means Argo's default (tar + gzip)
 * @param globalName     exports it as {@code workflow.outputs.artifacts.<globalName>}
 * @param s3             an explicit S3 location
 * @param raw            Argo {@code raw.data}: literal content
 * @param repositoryRef  Weft extension: the configured artifact repository for this artifact alone
 *                       ({@code artifactRepositoryRef: {key: name}} on the artifact); empty means the run's
 * @param location       for a produced artifact: where the engine stored it (empty in specs)
 */
public record Artifact(String name, Optional<String> path, Optional<String> from, Optional<String> fromExpression,
                       Optional<String> subPath, Optional<Integer> mode, boolean optional,
                       Optional<ArchiveStrategy> archive, Optional<String> globalName, Optional<S3Location> s3,
                       Optional<String> raw, Optional<String> repositoryRef, Optional<ArtifactLocation> location) {

    /** Checks. */
    public Artifact {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(repositoryRef, "repositoryRef");
        Objects.requireNonNull(location, "location");
    }

    /** This artifact, stored at {@code where}. */
    public Artifact withLocation(ArtifactLocation where) {
        return new Artifact(name, path, from, fromExpression, subPath, mode, optional, archive, globalName, s3, raw,
                repositoryRef, Optional.of(where));
    }

    /** This artifact with another sub-path (an argument that takes part of another artifact). */
    public Artifact withSubPath(Optional<String> newSubPath) {
        return new Artifact(name, path, from, fromExpression, newSubPath, mode, optional, archive, globalName, s3, raw,
                repositoryRef, location);
    }

    /** An artifact at a path (input or output). */
    public static Artifact atPath(String name, String path) {
        return new Artifact(name, Optional.of(path), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), false, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    /** An argument artifact taken from another node's output. */
    public static Artifact from(String name, String reference) {
        return new Artifact(name, Optional.empty(), Optional.of(reference), Optional.empty(), Optional.empty(),
                Optional.empty(), false, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());
    }
}
