package dev.weft.cli;

import dev.weft.engine.history.RunQuery;
import dev.weft.engine.history.RunStore;
import dev.weft.engine.history.StoredRun;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code weft list}: the recorded runs, newest first. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List recorded runs, newest first.")
final class ListCommand implements Callable<Integer> {

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "At most this many runs (default 50).")
    int limit;

    @Option(names = "--prefix", paramLabel = "TEXT", description = "Only runs whose name starts with this.")
    String prefix;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table (default) or json.")
    String output;

    @Mixin
    HistoryOptions history;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (RunStore store = history.open()) {
            RunQuery query = RunQuery.all().limit(limit);
            if (prefix != null) {
                query = query.namedWith(prefix);
            }
            List<StoredRun> runs = store.list(query);
            if (HistoryOptions.json(output)) {
                out.println(HistoryJson.write(HistoryJson.runs(runs)));
                out.flush();
                return ExitCodes.OK;
            }
            out.printf("%-40s %-10s %-26s %s%n", "NAME", "PHASE", "CREATED", "MESSAGE");
            for (StoredRun r : runs) {
                out.printf("%-40s %-10s %-26s %s%n", r.name(), r.phase().argoName(), r.createdAt(), r.message());
            }
            out.flush();
            return ExitCodes.OK;
        }
    }
}
