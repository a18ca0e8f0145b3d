package dev.weft.benchmarks.report;

import java.util.Objects;
import java.util.Optional;

/**
 * One line of the results table: a figure measured for Weft and for its baseline in the same run.
 *
 * @param scenario  the scenario's name ("scheduling", "stores", ...)
 * @param figure    what was measured, e.g. "wide 10,000: µs per task"
 * @param unit      the unit of both sample sets, e.g. "µs/task", "s", "MiB"
 * @param weft      Weft's measurements
 * @param baseline  what Weft is compared with, e.g. "CompletableFuture graph"
 * @param reference the baseline's measurements, measured in the same run; empty when there is none
 * @param goal      the bound on the ratio Weft / baseline (medians)
 * @param note      anything the reader needs to read the line right, or ""
 */
public record Row(String scenario, String figure, String unit, Samples weft, String baseline,
                  Optional<Samples> reference, Goal goal, String note) {

    /** Checks the fields. */
    public Row {
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(figure, "figure");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(weft, "weft");
        Objects.requireNonNull(baseline, "baseline");
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(goal, "goal");
        Objects.requireNonNull(note, "note");
    }

    /** A figure compared with a baseline. */
    public static Row compared(String scenario, String figure, String unit, Samples weft, String baseline,
                               Samples reference, Goal goal, String note) {
        return new Row(scenario, figure, unit, weft, baseline, Optional.of(reference), goal, note);
    }

    /** Weft's median divided by the baseline's median; empty without a baseline. */
    public Optional<Double> ratio() {
        return reference.filter(r -> r.median() != 0).map(r -> weft.median() / r.median());
    }

    /** "yes", "NO" or "" when the goal is not judged. */
    public String verdict() {
        if (!goal.judged() || ratio().isEmpty()) {
            return "";
        }
        return ratio().get() <= goal.maxRatio() ? "yes" : "NO";
    }
}
