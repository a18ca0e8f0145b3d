package dev.weft.engine.expr;

import dev.weft.engine.NodePhase;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** The tree of a parsed {@code depends} expression. */
sealed interface DependsNode {

    boolean evaluate(Function<String, TaskOutcome> outcomeOf);

    void collectTasks(Set<String> into);

    /** The results a task can be tested for, spelled as in Argo. */
    enum Result {
        Succeeded, Failed, Errored, Skipped, Omitted, Daemoned, AnySucceeded, AllFailed;

        boolean holdsFor(TaskOutcome outcome) {
            NodePhase phase = outcome.phase();
            List<NodePhase> children = outcome.childPhases();
            return switch (this) {
                case Succeeded -> phase == NodePhase.SUCCEEDED;
                case Failed -> phase == NodePhase.FAILED;
                case Errored -> phase == NodePhase.ERROR;
                case Skipped -> phase == NodePhase.SKIPPED;
                case Omitted -> phase == NodePhase.OMITTED;
                // Argo: a daemon counts once it has started
                case Daemoned -> outcome.daemoned() && phase != NodePhase.PENDING;
                case AnySucceeded -> children.contains(NodePhase.SUCCEEDED);
                case AllFailed -> !children.isEmpty() && children.stream().allMatch(p -> p == NodePhase.FAILED);
            };
        }
    }

    /**
     * {@code task.Result}, or a bare {@code task} (result null), which means
     * {@code (task.Succeeded || task.Skipped || task.Daemoned)}.
     */
    record Check(String task, Result result, String source, int pos) implements DependsNode {

        @Override
        public boolean evaluate(Function<String, TaskOutcome> outcomeOf) {
            TaskOutcome outcome = outcomeOf.apply(task);
            if (outcome == null) {
                throw new ExpressionException(source, pos, "no outcome for task '" + task + "'");
            }
            if (result == null) {
                return Result.Succeeded.holdsFor(outcome) || Result.Skipped.holdsFor(outcome)
                        || Result.Daemoned.holdsFor(outcome);
            }
            return result.holdsFor(outcome);
        }

        @Override
        public void collectTasks(Set<String> into) {
            into.add(task);
        }
    }

    record Not(DependsNode operand) implements DependsNode {

        @Override
        public boolean evaluate(Function<String, TaskOutcome> outcomeOf) {
            return !operand.evaluate(outcomeOf);
        }

        @Override
        public void collectTasks(Set<String> into) {
            operand.collectTasks(into);
        }
    }

    /**
     * {@code a && b && ...} (and = true) or {@code a || b || ...}. Kept flat rather than as a binary tree so that a
     * task depending on thousands of others evaluates without deep recursion.
     */
    record Junction(boolean and, List<DependsNode> operands) implements DependsNode {

        public Junction {
            operands = List.copyOf(operands);
        }

        @Override
        public boolean evaluate(Function<String, TaskOutcome> outcomeOf) {
            for (DependsNode operand : operands) {
                if (operand.evaluate(outcomeOf) != and) {
                    return !and;
                }
            }
            return and;
        }

        @Override
        public void collectTasks(Set<String> into) {
            operands.forEach(operand -> operand.collectTasks(into));
        }
    }
}
