package dev.weft.benchmarks.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The repeated measurements of one figure: median, min and max. Immutable.
 *
 * @param values the measurements in the order taken; at least one
 */
public record Samples(List<Double> values) {

    /** Copies and checks the list. */
    public Samples {
        values = List.copyOf(values);
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no measurements");
        }
    }

    /** One measurement. */
    public static Samples of(double... values) {
        List<Double> list = new ArrayList<>();
        for (double v : values) {
            list.add(v);
        }
        return new Samples(list);
    }

    /** The middle value (the mean of the two middle values for an even count). */
    public double median() {
        List<Double> sorted = sorted();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** The smallest value. */
    public double min() {
        return sorted().get(0);
    }

    /** The largest value. */
    public double max() {
        return sorted().get(values.size() - 1);
    }

    private List<Double> sorted() {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted;
    }
}
