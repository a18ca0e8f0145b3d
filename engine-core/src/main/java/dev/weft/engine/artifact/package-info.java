/**
 * Artifacts: packing task outputs into a store and placing stored artifacts at task inputs, streaming and safely.
 *
 * <p>The executor needs four things from here:
 * <pre>{@code
 * // 1. Argo's archive: field, kept raw by the model
 * ArchiveStrategy strategy = ArchiveStrategy.fromMap(artifact.archive());      // null -> tar+gzip
 *
 * // 2. The key, Argo style: <keyFormat>/<artifact>.tgz (or .zip, or the file's own name for none)
 * Map<String, String> vars = new HashMap<>(KeyFormat.timestampVariables(wf.creationTime()));
 * vars.put("workflow.name", ...); vars.put("workflow.uid", ...); vars.put("pod.name", ...); ...
 * ArtifactKey key = new KeyFormat(repoKeyFormat).outputKey(vars, artifact.name(),
 *         uploader.effectiveStrategy(strategy, path), path);
 *
 * // 3. Upload after the task succeeded (streams; the run result keeps the StoredArtifact)
 * StoredArtifact stored = uploader.upload(artifact.name(), path, strategy, store, key);
 *
 * // 4. Download before a consumer starts (streams; unpacks in a staging dir beside the target, then renames)
 * downloader.download(store, DownloadRequest.of(input.name(), stored.key(), inputPath)
 *         .withSubPath(input.subPath()).withMode(0755, false)
 *         .withKnownArchive(stored.archive()).withExpectedSha256(stored.sha256()));
 * }</pre>
 *
 * <ul>
 *   <li>{@link dev.weft.engine.artifact.ArchiveStrategy}: tar+gzip (default, with a level), zip, none.</li>
 *   <li>{@link dev.weft.engine.artifact.KeyFormat}: {@code {{var}}} templates rendered into validated keys.</li>
 *   <li>{@link dev.weft.engine.artifact.ArtifactUploader} -> {@link dev.weft.engine.artifact.StoredArtifact}
 *       (repository, key, size, sha256, strategy).</li>
 *   <li>{@link dev.weft.engine.artifact.ArtifactDownloader} with a
 *       {@link dev.weft.engine.artifact.DownloadRequest} -> {@link dev.weft.engine.artifact.DownloadedArtifact};
 *       bounded by {@link dev.weft.engine.artifact.UnpackLimits}.</li>
 *   <li>{@link dev.weft.engine.artifact.ArtifactException}: every packing/unpacking failure, naming the artifact,
 *       key and entry, with a {@link dev.weft.engine.artifact.ArtifactException.Reason}. Store failures (including
 *       NOT_FOUND for a missing input, which the executor turns into "skip" for optional inputs) stay
 *       {@link dev.weft.storage.spi.ArtifactStoreException}.</li>
 * </ul>
 *
 * <p>Archives have Argo's layout (one top-level entry named after the output path), so archives made by Argo and by
 * Weft unpack the same. Nothing here holds a whole artifact in memory: uploads go through a bounded pipe, tar+gzip
 * downloads unpack as they stream, zip downloads spool to a temporary file beside the target (zip's index is at the
 * end).
 */
package dev.weft.engine.artifact;
