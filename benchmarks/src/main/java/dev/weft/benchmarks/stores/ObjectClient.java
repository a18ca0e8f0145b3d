package dev.weft.benchmarks.stores;

import java.nio.file.Path;

/**
 * The operations the store scenario times, so that a Weft store and its raw SDK baseline run the very same loop.
 * Implementations throw on any failure: a benchmark that silently fails would be fast.
 */
public interface ObjectClient extends AutoCloseable {

    /** Uploads the file under {@code key}. */
    void putFile(String key, Path file) throws Exception;

    /** Downloads {@code key} to {@code target} (replacing it). */
    void getFile(String key, Path target) throws Exception;

    /** Uploads the bytes under {@code key}. */
    void putBytes(String key, byte[] data) throws Exception;

    /** Reads {@code key} whole. */
    byte[] getBytes(String key) throws Exception;

    @Override
    void close() throws Exception;
}
