package dev.weft.storage.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a store knows about one stored object, as returned by {@link ArtifactStore#stat} and
 * {@link ArtifactStore#list}.
 *
 * @param key          the object's key, as the caller named it (without any store-level key prefix)
 * @param size         the object's length in bytes
 * @param lastModified when the object was last written, as the store reports it
 * @param etag         the store's entity tag or version marker, if it has one (not necessarily a digest)
 */
public record ArtifactInfo(ArtifactKey key, long size, Instant lastModified, Optional<String> etag) {

    /** Checks the fields. */
    public ArtifactInfo {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(lastModified, "lastModified");
        Objects.requireNonNull(etag, "etag");
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, was " + size);
        }
    }

    /** An info without an entity tag. */
    public static ArtifactInfo of(ArtifactKey key, long size, Instant lastModified) {
        return new ArtifactInfo(key, size, lastModified, Optional.empty());
    }
}
