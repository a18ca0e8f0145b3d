package dev.weft.engine.exec;

import dev.weft.engine.NodeOutputs;
import dev.weft.engine.NodePhase;
import dev.weft.engine.NodeStatus;
import dev.weft.engine.NodeType;
import dev.weft.engine.task.RunningTask;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The mutable state of one node; touched only from the run's serial executor. */
final class NodeState {

    final long seq;
    final String id;
    final String name;
    final String displayName;
    final NodeType type;
    final String templateName;
    final NodeState parent;
    final List<NodeState> children = new ArrayList<>();
    final CompletableFuture<NodeState> done = new CompletableFuture<>();

    NodePhase phase = NodePhase.PENDING;
    String message = "";
    NodeOutputs outputs = NodeOutputs.EMPTY;
    Instant startedAt;
    Instant finishedAt;
    /** For loop groups: the children's outputs, aggregated Argo-style, by variable suffix. */
    java.util.Map<String, Object> aggregate = java.util.Map.of();
    /** Set when this node (and its subtree) was told to stop, with the reason. */
    String stopReason;
    RunningTask running;
    /** What a Java handler threw, kept for callers (cause chain intact). */
    Throwable failureCause;
    /** The retry attempt this node is (0 when it is none). */
    final int attempt;
    /** The store write of the node's latest change; the node is done for others once it completes. */
    java.util.concurrent.CompletableFuture<Void> lastWrite;

    NodeState(long seq, String id, String name, String displayName, NodeType type, String templateName,
              NodeState parent, int attempt) {
        this.seq = seq;
        this.attempt = attempt;
        this.id = id;
        this.name = name;
        this.displayName = displayName;
        this.type = type;
        this.templateName = templateName;
        this.parent = parent;
    }

    /** The stop reason of this node or the nearest stopped ancestor. */
    Optional<String> stopReason() {
        for (NodeState n = this; n != null; n = n.parent) {
            if (n.stopReason != null) {
                return Optional.of(n.stopReason);
            }
        }
        return Optional.empty();
    }

    private List<String> childIds() {
        if (children.isEmpty()) {
            return List.of();
        }
        String[] ids = new String[children.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = children.get(i).id;
        }
        return List.of(ids);
    }

    /** The state as of its last change, for readers on other threads; set by {@link #takeSnapshot()}. */
    volatile NodeStatus snapshot;

    /** Records (and returns) the current state as the node's published snapshot. */
    NodeStatus takeSnapshot() {
        return snapshot = new NodeStatus(id, name, displayName, type, templateName, phase, message,
                parent == null ? Optional.empty() : Optional.of(parent.id), childIds(), outputs,
                Optional.ofNullable(startedAt), Optional.ofNullable(finishedAt), Optional.ofNullable(failureCause));
    }
}
