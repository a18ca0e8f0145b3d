package dev.weft.cli;

import dev.weft.engine.history.LogLine;
import dev.weft.engine.history.NodeLogs;
import dev.weft.engine.history.RunStore;
import dev.weft.engine.history.StoredNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code weft logs NAME [NODE] [--follow]}: the logs of a recorded run's task attempts. */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = "Print the logs of a recorded run (every task attempt, or one node by name or display name).")
final class LogsCommand implements Callable<Integer> {

    /** How often --follow looks for new lines and nodes. */
    private static final Duration POLL = Duration.ofMillis(200);

    @Parameters(index = "0", paramLabel = "NAME", description = "The run's name (see weft list).")
    String name;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NODE", description = "Only this node (name or display name).")
    String node;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new lines until the run ends.")
    boolean follow;

    @Mixin
    HistoryOptions history;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        // the cap only matters to writers; a reader reads what is there
        NodeLogs logs = new NodeLogs(history.workRoot(), NodeLogs.DEFAULT_CAP_BYTES);
        Map<String, NodeLogs.Tail> tails = new HashMap<>();
        try (RunStore store = history.open()) {
            if (store.get(name).isEmpty()) {
                throw new CliException("no run named '" + name + "' in the run store (see weft list)");
            }
            while (true) {
                boolean finished = store.get(name).map(r -> r.finished()).orElse(true);
                List<StoredNode> nodes = store.nodes(name).stream()
                        .filter(n -> node == null || n.name().equals(node) || n.displayName().equals(node)).toList();
                if (node != null && nodes.isEmpty() && (finished || !follow)) {
                    throw new CliException("run '" + name + "' has no node named '" + node + "' (see weft get "
                            + name + ")");
                }
                for (StoredNode n : nodes) {
                    NodeLogs.Tail tail = tails.computeIfAbsent(n.id() + "/" + n.attempt(),
                            k -> logs.tail(name, n.id(), n.attempt()));
                    for (LogLine line : tail.poll()) {
                        out.println(n.displayName() + ": " + line.text());
                    }
                }
                out.flush();
                // one more pass after the end: lines written just before it are read
                if (!follow || finished) {
                    return ExitCodes.OK;
                }
                Thread.sleep(POLL.toMillis());
            }
        }
    }
}
