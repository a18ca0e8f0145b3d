package dev.weft.benchmarks;

import dev.weft.benchmarks.report.Row;
import java.util.List;

/** One benchmark scenario of the issue: measures Weft and its baseline side by side in the same run. */
public interface Scenario {

    /** The name that selects it on the command line, e.g. "stores". */
    String name();

    /** The heading of its section in the results, e.g. "3. Store throughput against S3Proxy". */
    String title();

    /** What one run of it measures, for {@code ./bench --list}. */
    String description();

    /** Measures everything and returns the table rows; large files live under {@link BenchContext#scratch()}. */
    List<Row> run(BenchContext context) throws Exception;
}
