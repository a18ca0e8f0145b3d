package dev.weft.engine.artifact;

import dev.weft.storage.spi.ArtifactKey;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What to fetch and where to put it: an input artifact's key, the path it must appear at, and Argo's input options.
 * Build with {@link #of} and the {@code with...} methods; absent options are {@code null}.
 *
 * @param artifactName   the input artifact's name, for messages
 * @param key            the stored object's key
 * @param target         the path the artifact appears at (a file or a directory); its parent is created
 * @param subPath        Argo's {@code subPath}: a relative path inside the artifact to place instead of all of it,
 *                       or {@code null}
 * @param mode           Argo's {@code mode}: permission bits (e.g. {@code 0755}) for the placed path, or {@code null}
 * @param recurseMode    Argo's {@code recurseMode}: apply {@code mode} to everything under a directory too
 * @param knownArchive   the strategy the producer used, if the caller knows it (from {@link StoredArtifact}); then
 *                       no content sniffing happens, so a raw file that starts like a gzip stays raw. {@code null}
 *                       sniffs the content like Argo
 * @param expectedSha256 the stored bytes' sha256 (lowercase hex) to verify before placing, or {@code null}
 */
public record DownloadRequest(String artifactName, ArtifactKey key, Path target, String subPath, Integer mode,
                              boolean recurseMode, ArchiveStrategy knownArchive, String expectedSha256) {

    /** Checks the required fields and the subPath. */
    public DownloadRequest {
        Objects.requireNonNull(artifactName, "artifactName");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(target, "target");
        if (mode != null && (mode < 0 || mode > 07777)) {
            throw new IllegalArgumentException("artifact '" + artifactName + "': mode " + Integer.toOctalString(mode)
                    + " is not a permission mode");
        }
    }

    /** Fetches the whole artifact {@code key} to {@code target}, sniffing its format. */
    public static DownloadRequest of(String artifactName, ArtifactKey key, Path target) {
        return new DownloadRequest(artifactName, key, target, null, null, false, null, null);
    }

    /** The same request placing only {@code path} from inside the artifact. */
    public DownloadRequest withSubPath(String path) {
        return new DownloadRequest(artifactName, key, target, path, mode, recurseMode, knownArchive, expectedSha256);
    }

    /** The same request setting the placed path's permission bits (recursively if {@code recurse}). */
    public DownloadRequest withMode(int permissionBits, boolean recurse) {
        return new DownloadRequest(artifactName, key, target, subPath, permissionBits, recurse, knownArchive,
                expectedSha256);
    }

    /** The same request with the producer's strategy known, so no sniffing. */
    public DownloadRequest withKnownArchive(ArchiveStrategy archive) {
        return new DownloadRequest(artifactName, key, target, subPath, mode, recurseMode, archive, expectedSha256);
    }

    /** The same request verifying the stored bytes' digest. */
    public DownloadRequest withExpectedSha256(String sha256) {
        return new DownloadRequest(artifactName, key, target, subPath, mode, recurseMode, knownArchive, sha256);
    }
}
