package dev.weft.engine.artifact;

/**
 * Bounds on what unpacking one archive may produce, against archive bombs.
 *
 * <p>The ratio is checked only once {@link #RATIO_GRACE_BYTES} have been inflated, so a small, very compressible file
 * does not trip it. Honest deflate cannot exceed about 1032:1 (a file of zeros), so the default ratio of 2000 never
 * refuses a genuine tar.gz or zip, however compressible, yet stops what only a forged archive reaches (zip entries
 * overlapping on the same compressed bytes reach millions to one). The total limit is the hard stop for the rest.
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
     * 64 GiB, 2000:1 and a million entries: above real task outputs (a node_modules tree is a few hundred thousand
     * entries), below what fills a disk or a directory.
     */
    public static UnpackLimits defaults() {
        return new UnpackLimits(64L << 30, 2000.0, 1_000_000);
    }
}
