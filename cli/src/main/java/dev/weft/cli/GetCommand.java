package dev.weft.cli;

import dev.weft.engine.history.RunStore;
import dev.weft.engine.history.StoredNode;
import dev.weft.engine.history.StoredRun;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code weft get NAME}: one recorded run with its node tree. */
@Command(name = "get", mixinStandardHelpOptions = true, description = "Show a recorded run and its nodes.")
final class GetCommand implements Callable<Integer> {

    @Parameters(paramLabel = "NAME", description = "The run's name (see weft list).")
    String name;

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
            StoredRun run = store.get(name).orElseThrow(() -> new CliException("no run named '" + name
                    + "' in the run store (see weft list)"));
            if (HistoryOptions.json(output)) {
                Map<String, Object> all = HistoryJson.run(run);
                all.put("nodes", store.nodes(name).stream().map(HistoryJson::node).toList());
                out.println(HistoryJson.write(all));
                out.flush();
                return ExitCodes.OK;
            }
            out.println("Name:      " + run.name());
            out.println("Phase:     " + run.phase().argoName() + run.outcome().map(o -> " (" + o.name()
                    .toLowerCase(java.util.Locale.ROOT) + ")").orElse(""));
            if (!run.message().isEmpty()) {
                out.println("Message:   " + run.message());
            }
            out.println("Created:   " + run.createdAt());
            run.startedAt().ifPresent(t -> out.println("Started:   " + t));
            run.finishedAt().ifPresent(t -> out.println("Finished:  " + t));
            run.arguments().forEach((k, v) -> out.println("Parameter: " + k + " = " + v));
            out.println();
            List<StoredNode> nodes = store.nodes(name);
            Map<String, Integer> depth = new HashMap<>();
            for (StoredNode n : nodes) {
                int d = n.parentId().map(p -> depth.getOrDefault(p, 0) + 1).orElse(0);
                depth.put(n.id(), d);
                String label = "  ".repeat(d) + n.displayName();
                out.printf("%-48s %-10s %-9s %s%n", label, n.phase().argoName(), n.type().name(),
                        n.message());
            }
            out.flush();
            return ExitCodes.OK;
        }
    }
}
