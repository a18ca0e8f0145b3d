package dev.weft.storage.spi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A place where artifacts live: a directory, an S3 bucket, a MinIO bucket.
 *
 * <p>The promises every implementation keeps (the storage-testkit contract suite checks them):
 * <ul>
 *   <li><b>Streaming.</b> No method holds a whole artifact in memory.</li>
 *   <li><b>All or nothing.</b> A put either makes the complete object visible or leaves the key as it was; a reader
 *       never sees a partial object, and a failed multipart upload is aborted.</li>
 *   <li><b>Precise failures.</b> Every failure is an {@link ArtifactStoreException} whose message names the store,
 *       the bucket or root and the key; a missing key is {@link ArtifactStoreException.Kind#NOT_FOUND}.</li>
 *   <li><b>No secrets</b> in messages, logs or {@link #describe()}.</li>
 *   <li><b>Thread-safe.</b> One store serves concurrent operations on different keys.</li>
 * </ul>
 * Stores are {@link AutoCloseable}: the engine closes them (and their HTTP clients and threads) at shut-down.
 */
public interface ArtifactStore extends AutoCloseable {

    /**
     * Stores the file at {@code source} under {@code key}, replacing any object already there.
     *
     * @throws ArtifactStoreException on any failure; the key then holds its previous object, or none
     */
    void put(ArtifactKey key, Path source);

    /**
     * Stores the bytes read from {@code data} under {@code key}, replacing any object already there. The stream is
     * read to its end but not closed.
     *
     * @param length the number of bytes {@code data} will give, or {@code -1} when unknown
     * @throws ArtifactStoreException on any failure, including a stream that throws or ends early; the key then
     *                                holds its previous object, or none
     */
    void put(ArtifactKey key, InputStream data, long length);

    /**
     * Opens the object for reading. The caller closes the stream.
     *
     * @throws ArtifactStoreException with kind NOT_FOUND when there is no such key
     */
    InputStream open(ArtifactKey key);

    /**
     * Copies the object to the file {@code target}, replacing it. The file appears whole or not at all: the bytes go
     * to a temporary file beside it first.
     *
     * @throws ArtifactStoreException with kind NOT_FOUND when there is no such key
     */
    default void get(ArtifactKey key, Path target) {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Path temp = null;
        try {
            Files.createDirectories(dir);
            temp = Files.createTempFile(dir, "." + absolute.getFileName(), ".part");
            try (InputStream in = open(key)) {
                Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ArtifactStoreException(ArtifactStoreException.Kind.FAILED,
                    describe().where() + ": cannot copy '" + key + "' to " + absolute + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(temp);
        }
    }

    /** What the store knows about the object, or empty when there is no such key. */
    Optional<ArtifactInfo> stat(ArtifactKey key);

    /**
     * Lists the objects whose keys start with {@code prefix} (a plain string prefix, as in S3; {@code ""} lists
     * everything), in key order. The stream may fetch pages lazily: close it.
     */
    Stream<ArtifactInfo> list(String prefix);

    /** Deletes the object. Deleting a key that does not exist is not an error. */
    void delete(ArtifactKey key);

    /**
     * What this store is and where it points: type, bucket or root, endpoint, and which credential source was chosen
     * and why. Never a secret.
     */
    StoreDescription describe();

    /** Releases clients, connection pools and threads. Idempotent. */
    @Override
    void close();

    private static void deleteQuietly(Path temp) {
        if (temp == null) {
            return;
        }
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // A leftover hidden temp file is harmless; the copy's own outcome is what the caller needs.
        }
    }
}
