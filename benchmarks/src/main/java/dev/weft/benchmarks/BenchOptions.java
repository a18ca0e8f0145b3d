package dev.weft.benchmarks;

import java.nio.file.Path;
import java.util.List;

/**
 * The command line, parsed.
 *
 * @param scenarios the scenarios to run, in order (all when none were named)
 * @param quick     smaller sizes and fewer runs: a smoke run, not figures to quote
 * @param runs      measured runs per figure, or 0 for each scenario's default
 * @param output    the Markdown file to update
 * @param scratch   where large temporary files go (deleted at the end)
 */
public record BenchOptions(List<String> scenarios, boolean quick, int runs, Path output, Path scratch) {

    /** Copies the list. */
    public BenchOptions {
        scenarios = List.copyOf(scenarios);
    }

    /** The runs to measure: the explicit count, or {@code quickDefault}/{@code fullDefault}. */
    public int runs(int fullDefault, int quickDefault) {
        if (runs > 0) {
            return runs;
        }
        return quick ? quickDefault : fullDefault;
    }
}
