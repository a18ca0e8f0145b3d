package dev.weft.storage.spi;

import java.io.InputStream;

/**
 * Optional ability of an {@link ArtifactStore}: reading part of an object without fetching the rest. Callers test for
 * it with {@code instanceof}.
 */
public interface RangedReads {

    /**
     * Opens {@code length} bytes of the object starting at {@code offset} (fewer if the object ends first).
     *
     * @throws ArtifactStoreException with kind NOT_FOUND when there is no such key
     */
    InputStream open(ArtifactKey key, long offset, long length);
}
