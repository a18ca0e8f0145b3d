package dev.weft.cli;

import dev.weft.engine.EngineConfig;
import dev.weft.engine.history.LogLine;
import dev.weft.engine.history.NodeLog;
import dev.weft.engine.history.NodeLogs;
import dev.weft.engine.history.RunStore;
import dev.weft.engine.history.StoredNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code weft logs NAME [NODE]}: the logs of a recorded run's task attempts. */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = "Print the logs of a recorded run (every task attempt, or one node by name or display name).")
final class LogsCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "NAME", description = "The run's name (see weft list).")
    String name;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NODE", description = "Only this node (name or display name).")
    String node;

    @Mixin
    HistoryOptions history;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        NodeLogs logs = new NodeLogs(EngineConfig.defaults().workRoot(), NodeLogs.DEFAULT_CAP_BYTES);
        try (RunStore store = history.open()) {
            if (store.get(name).isEmpty()) {
                throw new CliException("no run named '" + name + "' in the run store (see weft list)");
            }
            List<StoredNode> nodes = store.nodes(name).stream()
                    .filter(n -> node == null || n.name().equals(node) || n.displayName().equals(node)).toList();
            if (node != null && nodes.isEmpty()) {
                throw new CliException("run '" + name + "' has no node named '" + node + "' (see weft get " + name
                        + ")");
            }
            for (StoredNode n : nodes) {
                if (!Files.isRegularFile(logs.file(name, n.id(), n.attempt()))) {
                    continue; // groups, skipped and restored nodes have no log of their own
                }
                NodeLog log = logs.read(name, n.id(), n.attempt());
                for (LogLine line : log.lines()) {
                    out.println(n.displayName() + ": " + line.text());
                }
            }
            out.flush();
            return ExitCodes.OK;
        }
    }
}
