package dev.weft.engine.artifact;

import dev.weft.engine.artifact.ArtifactException.Reason;
import dev.weft.storage.spi.ArtifactKey;
import dev.weft.storage.spi.ArtifactStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Packs an output artifact's path and streams it into a store, computing the stored bytes' size and sha256 on the
 * way.
 *
 * <p><b>Streaming.</b> An archive is written by a packer thread into a {@link BoundedPipe} (16 chunks of 64 KiB)
 * that the store's {@code put(key, stream, -1)} reads on the calling thread. Chosen over a temporary file because it
 * needs no scratch disk as large as the artifact, reads the source once, and overlaps compression with the upload;
 * the cost is an unknown length, which S3-like stores handle with a multipart upload. The store call stays on the
 * caller's thread, so the caller's context class loader (set around plugin calls) applies. A {@code none} file goes
 * straight from the file to the store, with its length.
 *
 * <p><b>All or nothing.</b> If packing fails halfway (a file vanishes, a special file, a link leading out), the
 * pipe's next read throws, so the store aborts its put and keeps nothing; the packer's error is what the caller sees.
 * If the store fails, the pipe is closed and the packer stops. Should a store wrongly accept a stream that threw, the
 * key is deleted.
 *
 * <p>Thread-safe: one uploader serves concurrent uploads (one packer thread each).
 */
public final class ArtifactUploader {

    private static final int PIPE_CHUNK = 64 * 1024;
    private static final int PIPE_CHUNKS = 16;

    /** What to do with a directory whose strategy is {@code none}. */
    public enum DirectoryWithNone {
        /** Fail with {@link Reason#DIRECTORY_NOT_ARCHIVED} naming the artifact. */
        REJECT,
        /**
         * Store it as tar+gzip anyway (the stored {@link StoredArtifact#archive()} says so). Argo uploads such a
         * directory as one object per file; Weft keeps one atomic object, and consumers sniff the format, so
         * {@code subPath} inputs still work (Argo's artifact-passing-subpath example).
         */
        ARCHIVE_AS_TAR
    }

    private final DirectoryWithNone directoryWithNone;
    private final ThreadFactory packerThreads;

    /** An uploader that rejects directories with {@code none} and packs on daemon threads. */
    public ArtifactUploader() {
        this(DirectoryWithNone.REJECT);
    }

    /** An uploader with the given policy, packing on daemon threads. */
    public ArtifactUploader(DirectoryWithNone directoryWithNone) {
        this(directoryWithNone, runnable -> {
            Thread thread = new Thread(runnable, "weft-artifact-packer");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** An uploader with the given policy and packer threads. */
    public ArtifactUploader(DirectoryWithNone directoryWithNone, ThreadFactory packerThreads) {
        this.directoryWithNone = Objects.requireNonNull(directoryWithNone, "directoryWithNone");
        this.packerThreads = Objects.requireNonNull(packerThreads, "packerThreads");
    }

    /**
     * The strategy that will actually be used for {@code source}: the requested one, except a directory with
     * {@code none} under {@link DirectoryWithNone#ARCHIVE_AS_TAR}.
     */
    public ArchiveStrategy effectiveStrategy(ArchiveStrategy requested, Path source) {
        if (requested instanceof ArchiveStrategy.None && Files.isDirectory(source)
                && directoryWithNone == DirectoryWithNone.ARCHIVE_AS_TAR) {
            return ArchiveStrategy.defaultStrategy();
        }
        return requested;
    }

    /**
     * Packs {@code source} (a file or a directory) with {@code strategy} and stores it under {@code key}.
     *
     * @throws ArtifactException                           when the source is missing, cannot be packed, or is a
     *                                                     directory with {@code none} under the REJECT policy; the
     *                                                     store then holds nothing new under {@code key}
     * @throws dev.weft.storage.spi.ArtifactStoreException when the store fails
     */
    public StoredArtifact upload(String artifactName, Path source, ArchiveStrategy strategy, ArtifactStore store,
                                 ArtifactKey key) {
        Objects.requireNonNull(artifactName, "artifactName");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(key, "key");
        if (!Files.exists(source)) {
            throw new ArtifactException(Reason.SOURCE_NOT_FOUND, artifactName, key, null,
                    "path " + source.toAbsolutePath() + " does not exist");
        }
        ArchiveStrategy effective = effectiveStrategy(Objects.requireNonNull(strategy, "strategy"), source);
        if (effective instanceof ArchiveStrategy.None) {
            if (Files.isDirectory(source)) {
                throw new ArtifactException(Reason.DIRECTORY_NOT_ARCHIVED, artifactName, key, null,
                        "path " + source.toAbsolutePath() + " is a directory; archive 'none' stores a single file"
                                + " (use tar or zip)");
            }
            return uploadRaw(artifactName, source, store, key);
        }
        ArchiveWriter writer = new ArchiveWriter(artifactName, key);
        Packer packer = effective instanceof ArchiveStrategy.Tar tar
                ? out -> writer.writeTarGz(source, tar.compressionLevel(), out)
                : out -> writer.writeZip(source, out);
        return uploadPacked(artifactName, source, effective, store, key, packer);
    }

    /** Writes a whole archive onto a stream. */
    private interface Packer {
        void writeTo(java.io.OutputStream out) throws IOException;
    }

    private StoredArtifact uploadRaw(String artifactName, Path source, ArtifactStore store, ArtifactKey key) {
        try (InputStream file = Files.newInputStream(source)) {
            long length = Files.size(source);
            HashingInputStream hashed = new HashingInputStream(file);
            store.put(key, hashed, length);
            return new StoredArtifact(artifactName, store.describe(), key, hashed.count(), hashed.hex(),
                    new ArchiveStrategy.None());
        } catch (IOException e) {
            throw new ArtifactException(Reason.IO, artifactName, key, null,
                    "cannot read " + source.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    private StoredArtifact uploadPacked(String artifactName, Path source, ArchiveStrategy strategy,
                                        ArtifactStore store, ArtifactKey key, Packer packer) {
        BoundedPipe pipe = new BoundedPipe(PIPE_CHUNK, PIPE_CHUNKS);
        AtomicReference<Throwable> packFailure = new AtomicReference<>();
        Thread thread = packerThreads.newThread(() -> {
            try {
                packer.writeTo(pipe.sink());
                pipe.finish();
            } catch (Throwable t) {
                packFailure.set(t);
                pipe.fail(t);
            }
        });
        thread.start();
        HashingInputStream hashed = new HashingInputStream(pipe.source());
        RuntimeException storeFailure = null;
        try {
            store.put(key, hashed, -1);
        } catch (RuntimeException e) {
            storeFailure = e;
        } finally {
            // Wakes a packer blocked on a full pipe if the store stopped early; a no-op after a clean end.
            pipe.closeReader();
            joinUninterruptibly(thread);
        }
        Throwable packed = packFailure.get();
        if (packed instanceof BoundedPipe.ReaderClosedException && storeFailure != null) {
            // The packer only stopped because the store gave up: the store's failure is the story.
            packed = null;
        }
        if (packed != null) {
            if (storeFailure == null) {
                // The store took a stream that failed: it broke its all-or-nothing promise, so undo by hand.
                deleteQuietly(store, key, packed);
            }
            ArtifactException failure = packed instanceof ArtifactException known ? known
                    : new ArtifactException(Reason.IO, artifactName, key, null,
                    "packing " + source.toAbsolutePath() + " failed: " + packed.getMessage(), packed);
            if (storeFailure != null) {
                failure.addSuppressed(storeFailure);
            }
            throw failure;
        }
        if (storeFailure != null) {
            throw storeFailure;
        }
        return new StoredArtifact(artifactName, store.describe(), key, hashed.count(), hashed.hex(), strategy);
    }

    private static void deleteQuietly(ArtifactStore store, ArtifactKey key, Throwable cause) {
        try {
            store.delete(key);
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
