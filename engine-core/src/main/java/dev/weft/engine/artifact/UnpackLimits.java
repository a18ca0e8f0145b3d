package dev.weft.engine.artifact;

/**
 * Bounds on what unpacking one archive may produce, against archive bombs.
 *
 * <p>The ratio is checked only once {@link #RATIO_GRACE_BYTES} have been inflated, so a small, very compressible file
 * (a page of zeros) does not trip it. Deflate tops out near 1032:1, so a ratio limit mostly catches near-empty
 * payloads and overlapping-entry zips; the total limit is the hard stop.
 *
 * @param maxTotalBytes most uncompressed bytes one archive may inflate to (all entries, skipped ones included)
 * @param maxRatio      most uncompressed bytes per stored byte
 * @param maxEntries    most entries one archive may have
 */
public record UnpackLimits(long maxTotalBytes, double maxRatio, long maxEntries) {

    /** Uncompressed bytes inflated before the ratio limit applies. */
    public static final long RATIO_GRACE_BYTES = 4L << 20;

    /** Checks the values. */
    public UnpackLimits {
        if (maxTotalBytes <= 0 || maxEntries <= 0 || !(maxRatio > 0)) {
            throw new IllegalArgumentException("unpack limits must be positive: maxTotalBytes=" + maxTotalBytes
                    + ", maxRatio=" + maxRatio + ", maxEntries=" + maxEntries);
        }
    }

    /**
     * 64 GiB, 500:1 and a million entries: far above real task outputs (a node_modules tree is a few hundred
     * thousand entries; text compresses 5-30:1), far below what fills a disk.
     */
    public static UnpackLimits defaults() {
        return new UnpackLimits(64L << 30, 500.0, 1_000_000);
    }
}
