package dev.weft.storage.minio;

import java.io.FilterInputStream;
import java.io.InputStream;

/** Keeps the caller's stream open: {@code ArtifactStore.put} reads it to the end but does not close it. */
final class NonClosingInputStream extends FilterInputStream {

    NonClosingInputStream(InputStream in) {
        super(in);
    }

    @Override
    public void close() {
        // the caller owns the stream
    }
}
