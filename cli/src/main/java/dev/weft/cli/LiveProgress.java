package dev.weft.cli;

import dev.weft.engine.NodePhase;
import dev.weft.engine.NodeStatus;
import dev.weft.engine.NodeType;
import dev.weft.engine.RunListener;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The terminal display of {@code weft run}: one line per task node with its phase and duration, redrawn in place
 * (ANSI cursor movement) as phases change. Used only on an interactive terminal outside CI; logs get plain lines.
 */
final class LiveProgress implements RunListener {

    private static final String UP = "\u001b[%dA";
    private static final String CLEAR_LINE = "\u001b[2K";

    private final PrintWriter out;
    private final Map<String, NodeStatus> nodes = new LinkedHashMap<>();
    private int drawnLines;

    LiveProgress(PrintWriter out) {
        this.out = out;
    }

    @Override
    public synchronized void nodeChanged(String runName, NodeStatus node) {
        if (!node.type().isTask() && node.type() != NodeType.SKIPPED) {
            return;
        }
        nodes.put(node.id(), node);
        redraw();
    }

    private void redraw() {
        if (drawnLines > 0) {
            out.printf(UP, drawnLines);
        }
        Instant now = Instant.now();
        for (NodeStatus node : nodes.values()) {
            Duration took = node.startedAt().map(s -> Duration.between(s, node.finishedAt().orElse(now)))
                    .orElse(Duration.ZERO);
            out.print("\r" + CLEAR_LINE);
            out.printf("%s %-10s %-60s %s%n", symbol(node.phase()), node.phase().argoName(), node.name(),
                    node.phase() == NodePhase.PENDING ? "" : RunCommand.format(took));
        }
        drawnLines = nodes.size();
        out.flush();
    }

    private static String symbol(NodePhase phase) {
        return switch (phase) {
            case SUCCEEDED -> "\u2714";
            case FAILED, ERROR -> "\u2716";
            case SKIPPED, OMITTED -> "-";
            case RUNNING -> "\u25b6";
            case PENDING -> "\u2026";
        };
    }
}
