package dev.weft.benchmarks.report;

/**
 * The bound a figure's ratio (Weft / baseline) must respect, as the benchmark issue states it.
 *
 * @param text     how the goal reads in the table, e.g. "≤ 1.30"
 * @param maxRatio the largest ratio that meets it; {@link Double#NaN} for figures that are only reported
 */
public record Goal(String text, double maxRatio) {

    /** A figure that is reported, not judged. */
    public static Goal none() {
        return new Goal("", Double.NaN);
    }

    /** Weft may take at most {@code ratio} times the baseline. */
    public static Goal atMost(double ratio) {
        return new Goal(String.format("≤ %.2f", ratio), ratio);
    }

    /** Weft must reach at least {@code fraction} of the baseline's throughput: time ratio ≤ 1/fraction. */
    public static Goal throughputAtLeast(double fraction) {
        return new Goal(String.format("≥ %.1f× speed (≤ %.2f)", fraction, 1 / fraction), 1 / fraction);
    }

    /** Whether the goal is judged at all. */
    public boolean judged() {
        return !Double.isNaN(maxRatio);
    }
}
