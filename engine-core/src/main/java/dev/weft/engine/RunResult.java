package dev.weft.engine;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The end of a run.
 *
 * @param name          the workflow's (generated) name
 * @param phase         Succeeded, Failed or Error, as Argo gives it
 * @param outcome       how it ended: tells a cancelled or timed-out run from a failed one
 * @param message       why, when it did not succeed
 * @param nodes         every node, parents before children
 * @param globalOutputs global output parameters ({@code globalName})
 */
public record RunResult(String name, NodePhase phase, RunOutcome outcome, String message, List<NodeStatus> nodes,
                        Map<String, String> globalOutputs) {

    /** Copies. */
    public RunResult {
        nodes = List.copyOf(nodes);
        globalOutputs = Map.copyOf(globalOutputs);
    }

    /**
     * The node with this full name (as {@link NodeStatus#name()} reports it, e.g. {@code wf.transform(2)}), else the
     * first node with this display name (a task or step name, e.g. {@code transform(2)}), if any.
     */
    public Optional<NodeStatus> node(String nameOrDisplayName) {
        return nodes.stream().filter(n -> n.name().equals(nameOrDisplayName)).findFirst()
                .or(() -> nodes.stream().filter(n -> n.displayName().equals(nameOrDisplayName)).findFirst());
    }

    /** Every node with this display name, in creation order (a template called twice, retry attempts' parent...). */
    public List<NodeStatus> nodesNamed(String displayName) {
        return nodes.stream().filter(n -> n.displayName().equals(displayName)).toList();
    }

    /** Whether {@link WorkflowRun#cancel()} ended the run. */
    public boolean cancelled() {
        return outcome == RunOutcome.CANCELLED;
    }

    /** Whether the run succeeded. */
    public boolean succeeded() {
        return phase == NodePhase.SUCCEEDED;
    }
}
