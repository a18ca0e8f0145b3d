package dev.weft.engine;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A snapshot of one node of a run.
 *
 * @param id           unique in the run
 * @param name         Argo-style full name, e.g. {@code wf[0].step(1:b)} or {@code wf.task}
 * @param displayName  the short name ({@code step(1:b)}, {@code task})
 * @param type         what kind of node
 * @param templateName the template it ran (empty for groups)
 * @param phase        its phase
 * @param message      why it is in that phase (failure reason, skip reason), or empty
 * @param parentId     the parent's id, empty for the root
 * @param children     the children's ids, in creation order (complete once the node is done; while it runs,
 *                     use the children's {@code parentId})
 * @param outputs      what it produced
 * @param startedAt    when it started running
 * @param finishedAt   when it finished
 * @param failureCause what a Java handler threw when it failed (the whole cause chain), else empty
 */
public record NodeStatus(String id, String name, String displayName, NodeType type, String templateName,
                         NodePhase phase, String message, Optional<String> parentId, List<String> children,
                         NodeOutputs outputs, Optional<Instant> startedAt, Optional<Instant> finishedAt,
                         Optional<Throwable> failureCause) {

    /** Copies. */
    public NodeStatus {
        children = List.copyOf(children);
        java.util.Objects.requireNonNull(failureCause, "failureCause");
    }

    /** A node without a failure cause. */
    public NodeStatus(String id, String name, String displayName, NodeType type, String templateName,
                      NodePhase phase, String message, Optional<String> parentId, List<String> children,
                      NodeOutputs outputs, Optional<Instant> startedAt, Optional<Instant> finishedAt) {
        this(id, name, displayName, type, templateName, phase, message, parentId, children, outputs, startedAt,
                finishedAt, Optional.empty());
    }
}
