package dev.weft.test;

import dev.weft.engine.NodePhase;
import dev.weft.engine.NodeStatus;
import dev.weft.engine.RunResult;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.assertj.core.api.AbstractAssert;

/** Assertions on one node of a finished run. */
public final class NodeAssert extends AbstractAssert<NodeAssert, NodeStatus> {

    private final RunResult run;

    NodeAssert(NodeStatus actual, RunResult run) {
        super(actual, NodeAssert.class);
        this.run = run;
    }

    /** The node succeeded. */
    public NodeAssert succeeded() {
        return hasPhase(NodePhase.SUCCEEDED);
    }

    /** The node's task failed. */
    public NodeAssert failed() {
        return hasPhase(NodePhase.FAILED);
    }

    /** The node ended in Error (it could not run or finish). */
    public NodeAssert errored() {
        return hasPhase(NodePhase.ERROR);
    }

    /** The node was skipped by its {@code when}, or omitted because what it depends on went another way. */
    public NodeAssert wasSkipped() {
        if (actual.phase() != NodePhase.SKIPPED && actual.phase() != NodePhase.OMITTED) {
            failWithMessage("expected node %s to be skipped but it is %s%n%s", actual.displayName(), actual.phase(),
                    RunResultAssert.tree(run));
        }
        return this;
    }

    /** The node is in this phase. */
    public NodeAssert hasPhase(NodePhase expected) {
        if (actual.phase() != expected) {
            failWithMessage("expected node %s to be %s but it is %s%s%n%s", actual.displayName(), expected,
                    actual.phase(), actual.message().isEmpty() ? "" : ": " + actual.message(),
                    RunResultAssert.tree(run));
        }
        return this;
    }

    /** The node produced this output parameter. */
    public NodeAssert hasOutputParameter(String name, String value) {
        String got = actual.outputs().parameters().get(name);
        if (!Objects.equals(got, value)) {
            failWithMessage("expected node %s to output %s = '%s' but it was %s (outputs: %s)",
                    actual.displayName(), name, value, got == null ? "not set" : "'" + got + "'",
                    actual.outputs().parameters());
        }
        return this;
    }

    /** The node's result ({@code outputs.result}: a script's stdout, a handler's result) is this text. */
    public NodeAssert hasResult(String expected) {
        Optional<String> got = actual.outputs().result();
        if (!got.equals(Optional.of(expected))) {
            failWithMessage("expected node %s to have result '%s' but it was %s", actual.displayName(), expected,
                    got.map(r -> "'" + r + "'").orElse("not set"));
        }
        return this;
    }

    /** The node's message contains this text. */
    public NodeAssert hasMessageContaining(String text) {
        if (!actual.message().contains(text)) {
            failWithMessage("expected the message of node %s to contain '%s' but it was '%s'", actual.displayName(),
                    text, actual.message());
        }
        return this;
    }

    /** This node finished before the other one started. */
    public NodeAssert ranBefore(String other) {
        NodeStatus later = run.node(other).orElse(null);
        if (later == null) {
            failWithMessage("expected node %s to run before %s, but the run has no node %s", actual.displayName(),
                    other, other);
            return this;
        }
        Optional<Instant> end = actual.finishedAt();
        Optional<Instant> start = later.startedAt();
        if (end.isEmpty() || start.isEmpty() || end.get().isAfter(start.get())) {
            failWithMessage("expected node %s (finished %s) to run before %s (started %s)", actual.displayName(),
                    end.map(Instant::toString).orElse("never"), later.displayName(),
                    start.map(Instant::toString).orElse("never"));
        }
        return this;
    }

    /** Back to the run, to check another node. */
    public RunResultAssert and() {
        return new RunResultAssert(run);
    }
}
