package dev.weft.engine;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The end of a run.
 *
 * @param name          the workflow's (generated) name
 * @param phase         Succeeded, Failed or Error
 * @param message       why, when it did not succeed
 * @param nodes         every node, parents before children
 * @param globalOutputs global output parameters ({@code globalName})
 */
public record RunResult(String name, NodePhase phase, String message, List<NodeStatus> nodes,
                        Map<String, String> globalOutputs) {

    /** Copies. */
    public RunResult {
        nodes = List.copyOf(nodes);
        globalOutputs = Map.copyOf(globalOutputs);
    }

    /** The first node with this display name (a task or step name), if any. */
    public Optional<NodeStatus> node(String displayName) {
        return nodes.stream().filter(n -> n.displayName().equals(displayName)).findFirst();
    }

    /** Whether the run succeeded. */
    public boolean succeeded() {
        return phase == NodePhase.SUCCEEDED;
    }
}
