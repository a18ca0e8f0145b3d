package dev.weft.engine.exec;

import dev.weft.engine.NodeType;
import dev.weft.engine.model.DagTask;
import dev.weft.engine.model.Invocation;
import dev.weft.engine.spec.Limits;
import dev.weft.engine.spec.LoopLimit;
import java.util.ArrayList;
import java.util.List;

/**
 * The run-time limits of one run (loop items, nodes per run, template depth) and their messages, which name the
 * workflow file, the field or template, the limit and its key. Touched only from the run's serial executor.
 */
final class RunLimits {

    /** A loop that would expand beyond {@link Limits#loopItems()}; thrown before any item exists. */
    static final class LoopTooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;
        /** The field below the invocation's path, e.g. {@code withSequence.count}. */
        final String field;

        LoopTooLarge(String field, String message) {
            super(message, null, false, false);
            this.field = field;
        }
    }

    private final Limits limits;
    private final String source;

    RunLimits(Limits limits, String source) {
        this.limits = limits;
        this.source = source;
    }

    Limits limits() {
        return limits;
    }

    /** Throws when a loop of {@code size} items (as counted from its bounds) is too large. */
    void checkLoop(long size, String field, String what) {
        if (size > limits.loopItems()) {
            throw new LoopTooLarge(field, LoopLimit.message(what, limits));
        }
    }

    /** The message for a loop refused at expansion. */
    String loopMessage(NodeState parent, Invocation inv, LoopTooLarge e) {
        return source + ": " + invocationPath(parent, inv) + "." + e.field + ": " + e.getMessage();
    }

    /** A message when expanding {@code items} more nodes would take the run past its node limit, else null. */
    String expansionRefusal(long nodesSoFar, int items, NodeState parent, Invocation inv) {
        if (nodesSoFar + items <= limits.nodesPerRun()) {
            return null;
        }
        return source + ": " + invocationPath(parent, inv) + ": expanding " + items + " items would take the run"
                + " past the limit of " + limits.nodesPerRun() + " nodes per run (" + Limits.PREFIX
                + "nodesPerRun); " + nodesSoFar + " nodes exist already";
    }

    /** A message when the run has more nodes than allowed, else null. */
    String nodeRefusal(long nodes, String templateName) {
        if (nodes <= limits.nodesPerRun()) {
            return null;
        }
        return source + ": spec.templates[" + templateName + "]: calling it would take the run past the limit of "
                + limits.nodesPerRun() + " nodes per run (" + Limits.PREFIX + "nodesPerRun)";
    }

    /**
     * A message when a call of {@code templateName} below {@code parent} nests template calls too deeply, else null.
     * Depth counts the dag and steps templates the call sits in, plus the call itself (Argo's stack depth).
     */
    String depthRefusal(NodeState parent, String templateName) {
        int depth = 1;
        for (NodeState n = parent; n != null; n = n.parent) {
            if (isComposite(n)) {
                depth++;
            }
        }
        if (depth <= limits.templateDepth()) {
            return null;
        }
        return source + ": spec.templates[" + templateName + "]: template calls nested more than "
                + limits.templateDepth() + " deep (" + Limits.PREFIX + "templateDepth), through "
                + recentCalls(parent, templateName) + "; a recursion that never ends?";
    }

    private static boolean isComposite(NodeState n) {
        return n.type == NodeType.DAG || n.type == NodeType.STEPS;
    }

    /** The last few templates of the call chain, innermost last: shows the cycle of a recursion. */
    private static String recentCalls(NodeState parent, String templateName) {
        List<String> names = new ArrayList<>();
        names.add(templateName);
        for (NodeState n = parent; n != null && names.size() < 6; n = n.parent) {
            if (isComposite(n)) {
                names.add(0, n.templateName);
            }
        }
        return "... -> " + String.join(" -> ", names);
    }

    /**
     * The spec path of a DAG task or step, e.g. {@code spec.templates[main].dag.tasks[fan]} or
     * {@code spec.templates[main].steps[0][fan]}; the parent is the DAG node or the step group node.
     */
    static String invocationPath(NodeState parent, Invocation inv) {
        if (inv instanceof DagTask || parent.parent == null) {
            return "spec.templates[" + parent.templateName + "].dag.tasks[" + inv.name() + "]";
        }
        return "spec.templates[" + parent.parent.templateName + "].steps" + parent.displayName + "[" + inv.name()
                + "]";
    }
}
