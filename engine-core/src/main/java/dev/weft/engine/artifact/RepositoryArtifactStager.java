package dev.weft.engine.artifact;

import dev.weft.engine.exec.ArtifactStager;
import dev.weft.engine.model.Artifact;
import dev.weft.engine.model.ArtifactLocation;
import dev.weft.engine.model.ArtifactRepositoryRef;
import dev.weft.engine.model.S3Location;
import dev.weft.engine.model.Template;
import dev.weft.engine.model.Workflow;
import dev.weft.engine.store.ArtifactRepositories;
import dev.weft.storage.spi.ArtifactKey;
import dev.weft.storage.spi.ArtifactStore;
import dev.weft.storage.spi.ArtifactStoreException;
import dev.weft.storage.spi.StoreConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves artifacts between tasks and the artifact repositories: the engine's real {@link ArtifactStager}.
 *
 * <ul>
 *   <li>Outputs: after a task succeeds, each declared output path is packed ({@code archive}: tar+gzip by default,
 *       zip, or none) and streamed to the run's repository under {@code <keyFormat>/<file name>}, or under the
 *       artifact's own {@code s3.key}. The returned artifact carries an {@link ArtifactLocation} (repository, key,
 *       size, sha256) that consumers and the run result use.</li>
 *   <li>Inputs: before a task starts, each input is placed at its declared path: from an earlier output's location,
 *       from a key-only {@code s3:} artifact, or from {@code raw.data}; with {@code subPath} and {@code mode}. A missing
 *       non-optional input fails the node naming the key and repository; a missing optional one is skipped.</li>
 * </ul>
 * The run's repository is the workflow's {@code artifactRepositoryRef.key} when set (it must name a configured
 * repository), else {@code default}; an artifact's own {@code artifactRepositoryRef.key} (a Weft extension) picks
 * another configured repository for that artifact alone, so one workflow can use, say, an {@code s3} store and a
 * {@code minio} store side by side. A repository's {@code keyFormat} property overrides Argo's default
 * {@value KeyFormat#DEFAULT_TEMPLATE}.
 */
public final class RepositoryArtifactStager implements ArtifactStager {

    private static final Logger LOG = LoggerFactory.getLogger(RepositoryArtifactStager.class);

    private final ArtifactRepositories repositories;
    private final ArtifactUploader uploader;
    private final ArtifactDownloader downloader;
    private final String repository;
    private final String workflowName;
    private final Instant createdAt;

    /**
     * A stager over these repositories. Directories with {@code archive: none} are stored as one tar+gzip object
     * (atomic, keeps modes; consumers detect the format), where Argo would upload one object per file.
     */
    public RepositoryArtifactStager(ArtifactRepositories repositories) {
        this(repositories, new ArtifactUploader(ArtifactUploader.DirectoryWithNone.ARCHIVE_AS_TAR),
                new ArtifactDownloader(), ArtifactRepositories.DEFAULT, "", Instant.EPOCH);
    }

    private RepositoryArtifactStager(ArtifactRepositories repositories, ArtifactUploader uploader,
                                     ArtifactDownloader downloader, String repository, String workflowName,
                                     Instant createdAt) {
        this.repositories = repositories;
        this.uploader = uploader;
        this.downloader = downloader;
        this.repository = repository;
        this.workflowName = workflowName;
        this.createdAt = createdAt;
    }

    @Override
    public ArtifactStager forRun(Workflow workflow, String runName, Instant runCreatedAt) {
        String name = workflow.spec().artifactRepositoryRef().flatMap(ArtifactRepositoryRef::key)
                .orElse(ArtifactRepositories.DEFAULT);
        if (!repositories.names().contains(name)) {
            throw ArtifactStoreException.invalidConfig("spec.artifactRepositoryRef.key: no artifact repository named '"
                    + name + "' is configured (configured: " + String.join(", ", repositories.names()) + ")");
        }
        return new RepositoryArtifactStager(repositories, uploader, downloader, name, runName, runCreatedAt);
    }

    @Override
    public void stageInputs(Context context) throws IOException {
        Template template = context.template();
        for (Artifact declared : template.inputs().artifacts()) {
            Artifact source = context.inputSources().get(declared.name());
            if (source == null) {
                continue; // the executor already failed non-optional inputs without a source
            }
            String path = declared.path().orElseThrow(() -> new IllegalArgumentException("input artifact '"
                    + declared.name() + "' of template '" + template.name() + "' has no path"));
            Path target = context.hostPath().apply(path);
            if (source.raw().isPresent()) {
                writeRaw(target, source.raw().get(), declared);
                continue;
            }
            Optional<String> subPath = declared.subPath().or(source::subPath);
            if (source.location().isPresent()) {
                ArtifactLocation location = source.location().get();
                download(repositories.store(location.repository()), location.repository(), declared,
                        ArtifactKey.of(location.key()), target, subPath, Optional.of(location.sha256()));
            } else if (source.s3().isPresent()) {
                S3Location s3 = source.s3().get();
                StoreConfig config = repositoryFor(declared.repositoryRef().or(source::repositoryRef)
                        .orElse(repository), s3);
                download(repositories.store(config), config.name(), declared, keyOf(s3, declared), target, subPath,
                        Optional.empty());
            } else if (!declared.optional()) {
                throw new IllegalArgumentException("input artifact '" + declared.name() + "' of template '"
                        + template.name() + "' has no source (from, s3.key or raw.data)");
            }
        }
    }

    @Override
    public Map<String, Artifact> collectOutputs(Context context) {
        Template template = context.template();
        Map<String, Artifact> stored = new LinkedHashMap<>();
        for (Artifact declared : template.outputs().artifacts()) {
            String path = declared.path().orElseThrow(() -> new IllegalArgumentException("output artifact '"
                    + declared.name() + "' of template '" + template.name() + "' has no path"));
            Path source = context.hostPath().apply(path);
            if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
                if (declared.optional()) {
                    LOG.debug("Optional output artifact '{}' of {} not produced at {}", declared.name(),
                            context.nodeName(), path);
                    continue;
                }
                throw new IllegalArgumentException("output artifact '" + declared.name() + "': the task did not "
                        + "create " + path);
            }
            ArchiveStrategy strategy = uploader.effectiveStrategy(strategyOf(declared), source);
            String repositoryName = declared.repositoryRef().orElse(repository);
            StoreConfig config = declared.s3().map(s3 -> repositoryFor(repositoryName, s3))
                    .orElseGet(() -> repositories.config(repositoryName));
            ArtifactKey key = declared.s3().filter(s3 -> !s3.key().isBlank())
                    .map(s3 -> ArtifactKey.of(s3.key()))
                    .orElseGet(() -> keyFormat(config).outputKey(keyVariables(context), declared.name(), strategy,
                            source));
            StoredArtifact result = uploader.upload(declared.name(), source, strategy, repositories.store(config),
                    key);
            LOG.debug("Stored output artifact '{}' of {} as {} in {} ({} bytes)", declared.name(),
                    context.nodeName(), key, repositoryName, result.size());
            stored.put(declared.name(), declared.withLocation(
                    new ArtifactLocation(repositoryName, key.value(), result.size(), result.sha256())));
        }
        return stored;
    }

    private void download(ArtifactStore store, String repositoryName, Artifact declared, ArtifactKey key, Path target,
                          Optional<String> subPath, Optional<String> sha256) {
        DownloadRequest request = DownloadRequest.of(declared.name(), key, target);
        if (subPath.isPresent() && !subPath.get().isBlank()) {
            request = request.withSubPath(subPath.get());
        }
        if (declared.mode().isPresent()) {
            request = request.withMode(declared.mode().get(), true);
        }
        if (sha256.isPresent() && subPath.isEmpty()) {
            request = request.withExpectedSha256(sha256.get());
        }
        try {
            downloader.download(store, request);
        } catch (ArtifactStoreException e) {
            if (e.kind() == ArtifactStoreException.Kind.NOT_FOUND) {
                if (declared.optional()) {
                    LOG.debug("Optional input artifact '{}' not found at '{}'; skipped", declared.name(), key);
                    return;
                }
                throw new ArtifactStoreException(e.kind(), "input artifact '" + declared.name() + "': key '" + key
                        + "' not found in artifact repository '" + repositoryName + "' ("
                        + store.describe().where() + ")", e);
            }
            throw e;
        }
    }

    private static void writeRaw(Path target, String data, Artifact declared) throws IOException {
        Files.createDirectories(target.getParent());
        Files.writeString(target, data);
        if (declared.mode().isPresent()) {
            PosixModes.apply(target, declared.mode().get());
        }
    }

    /** A configured repository, with the artifact's own {@code s3:} bucket/endpoint/region overrides applied. */
    private StoreConfig repositoryFor(String repositoryName, S3Location s3) {
        StoreConfig config = repositories.config(repositoryName);
        if (s3.bucket().isPresent()) {
            config = config.with("bucket", s3.bucket().get());
        }
        if (s3.endpoint().isPresent()) {
            config = config.with("endpoint", s3.endpoint().get());
        }
        if (s3.region().isPresent()) {
            config = config.with("region", s3.region().get());
        }
        if (s3.insecure().isPresent()) {
            config = config.with("insecure", s3.insecure().get().toString());
        }
        return config;
    }

    private static ArtifactKey keyOf(S3Location s3, Artifact declared) {
        if (s3.key().isBlank()) {
            throw new IllegalArgumentException("input artifact '" + declared.name() + "': s3.key is empty");
        }
        return ArtifactKey.of(s3.key());
    }

    private static KeyFormat keyFormat(StoreConfig config) {
        return config.getString("keyFormat").map(KeyFormat::new).orElseGet(KeyFormat::defaultFormat);
    }

    private Map<String, String> keyVariables(Context context) {
        Map<String, String> vars = new LinkedHashMap<>(KeyFormat.timestampVariables(createdAt));
        String run = workflowName.isEmpty() ? context.workflowName() : workflowName;
        vars.put("workflow.name", run);
        vars.put("workflow.uid", run);
        vars.put("workflow.namespace", "weft");
        vars.put("pod.name", context.nodeId());
        vars.put("node.name", context.nodeName());
        vars.put("template.name", context.template().name());
        return vars;
    }

    private static ArchiveStrategy strategyOf(Artifact artifact) {
        if (artifact.archive().isEmpty()) {
            return ArchiveStrategy.defaultStrategy();
        }
        dev.weft.engine.model.ArchiveStrategy archive = artifact.archive().get();
        return switch (archive.kind()) {
            case NONE -> new ArchiveStrategy.None();
            case ZIP -> new ArchiveStrategy.Zip();
            case TAR -> new ArchiveStrategy.Tar(archive.compressionLevel().orElse(-1));
        };
    }
}
