package dev.weft.test;

import dev.weft.engine.NodeStatus;
import dev.weft.engine.RunOutcome;
import dev.weft.engine.RunResult;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.assertj.core.api.AbstractAssert;

/** Assertions on a finished run; failures print the run's node tree. */
public final class RunResultAssert extends AbstractAssert<RunResultAssert, RunResult> {

    RunResultAssert(RunResult actual) {
        super(actual, RunResultAssert.class);
    }

    /** The run succeeded. */
    public RunResultAssert succeeded() {
        return hasOutcome(RunOutcome.SUCCEEDED);
    }

    /** The run failed (a task failed), as opposed to erroring, being cancelled or running out of time. */
    public RunResultAssert failed() {
        return hasOutcome(RunOutcome.FAILED);
    }

    /** The run ended this way. */
    public RunResultAssert hasOutcome(RunOutcome expected) {
        isNotNull();
        if (actual.outcome() != expected) {
            failWithMessage("expected run %s to end %s but it ended %s: %s%n%s", actual.name(), expected,
                    actual.outcome(), actual.message(), tree(actual));
        }
        return this;
    }

    /** The run's message contains this text. */
    public RunResultAssert hasMessageContaining(String text) {
        isNotNull();
        if (!actual.message().contains(text)) {
            failWithMessage("expected the message of run %s to contain '%s' but it was '%s'", actual.name(), text,
                    actual.message());
        }
        return this;
    }

    /** The run published this global output parameter. */
    public RunResultAssert hasGlobalOutput(String name, String value) {
        isNotNull();
        String got = actual.globalOutputs().get(name);
        if (!Objects.equals(got, value)) {
            failWithMessage("expected global output %s = '%s' but it was %s (all: %s)", name, value,
                    got == null ? "not set" : "'" + got + "'", actual.globalOutputs());
        }
        return this;
    }

    /** The run has no node of this name or display name (it was never reached). */
    public RunResultAssert hasNoNode(String nameOrDisplayName) {
        isNotNull();
        actual.node(nameOrDisplayName).ifPresent(n -> failWithMessage("expected no node %s but found one in phase %s"
                + "%n%s", nameOrDisplayName, n.phase(), tree(actual)));
        return this;
    }

    /** Nodes of the given names or display names started in this order, each after the one before it finished. */
    public RunResultAssert ranInOrder(String... nodes) {
        isNotNull();
        for (int i = 1; i < nodes.length; i++) {
            node(nodes[i - 1]).ranBefore(nodes[i]);
        }
        return this;
    }

    /** Assertions on one node, by its name ({@code run.task}) or display name ({@code task}, {@code step(2)}). */
    public NodeAssert node(String nameOrDisplayName) {
        isNotNull();
        Optional<NodeStatus> node = actual.node(nameOrDisplayName);
        if (node.isEmpty()) {
            failWithMessage("expected run %s to have a node %s but it has none of that name%n%s", actual.name(),
                    nameOrDisplayName, tree(actual));
        }
        return new NodeAssert(node.get(), actual);
    }

    /** The node tree as text, for failure messages. */
    static String tree(RunResult run) {
        StringBuilder sb = new StringBuilder("nodes of run ").append(run.name()).append(":");
        List<NodeStatus> nodes = run.nodes();
        for (NodeStatus n : nodes) {
            sb.append(System.lineSeparator()).append("  ").append(n.displayName()).append("  ").append(n.phase())
                    .append(n.message().isEmpty() ? "" : "  " + n.message());
        }
        return sb.toString();
    }
}
