package dev.weft.engine.artifact;

import dev.weft.engine.artifact.ArtifactException.Reason;
import dev.weft.storage.spi.ArtifactKey;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongSupplier;

/**
 * Counts inflated bytes against a {@link Budget} and stops an archive bomb: past
 * {@link UnpackLimits#maxTotalBytes()}, or past {@link UnpackLimits#maxRatio()} inflated bytes per stored byte read
 * so far (once {@link UnpackLimits#RATIO_GRACE_BYTES} are passed).
 */
final class LimitedInputStream extends FilterInputStream {

    private final Budget budget;

    LimitedInputStream(InputStream in, Budget budget) {
        super(in);
        this.budget = budget;
    }

    /** The entry being read, for error messages. */
    void entry(String name) {
        budget.currentEntry = name;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            budget.count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            budget.count(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = in.skip(n);
        if (skipped > 0) {
            budget.count(skipped);
        }
        return skipped;
    }

    @Override
    public void close() {
        // The caller owns the underlying stream.
    }

    /** The inflated-byte allowance of one archive, shared by the streams of all its entries. */
    static final class Budget {
        private final UnpackLimits limits;
        private final LongSupplier storedBytes;
        private final String artifact;
        private final ArtifactKey key;
        private long inflated;
        private String currentEntry;

        /**
         * @param storedBytes how many stored (compressed) bytes have been consumed so far
         */
        Budget(UnpackLimits limits, LongSupplier storedBytes, String artifact, ArtifactKey key) {
            this.limits = limits;
            this.storedBytes = storedBytes;
            this.artifact = artifact;
            this.key = key;
        }

        private void count(long n) {
            inflated += n;
            if (inflated > limits.maxTotalBytes()) {
                throw new ArtifactException(Reason.TOO_LARGE, artifact, key, currentEntry,
                        "unpacks to more than " + limits.maxTotalBytes() + " bytes (limit maxTotalBytes)");
            }
            if (inflated > UnpackLimits.RATIO_GRACE_BYTES) {
                long stored = Math.max(1, storedBytes.getAsLong());
                double ratio = (double) inflated / stored;
                if (ratio > limits.maxRatio()) {
                    throw new ArtifactException(Reason.RATIO_EXCEEDED, artifact, key, currentEntry,
                            String.format("compression ratio %.0f:1 after %d bytes exceeds the limit %.0f:1"
                                    + " (maxRatio)", ratio, inflated, limits.maxRatio()));
                }
            }
        }
    }
}
