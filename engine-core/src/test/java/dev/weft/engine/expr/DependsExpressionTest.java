package dev.weft.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.engine.NodePhase;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DependsExpressionTest {

    private final Expressions expressions = new DefaultExpressions();

    private static Map<String, TaskOutcome> outcomes(Object... namesAndOutcomes) {
        Map<String, TaskOutcome> map = new HashMap<>();
        for (int i = 0; i < namesAndOutcomes.length; i += 2) {
            Object o = namesAndOutcomes[i + 1];
            map.put((String) namesAndOutcomes[i], o instanceof NodePhase p ? TaskOutcome.of(p) : (TaskOutcome) o);
        }
        return map;
    }

    private boolean eval(String depends, Map<String, TaskOutcome> outcomes) {
        return expressions.parseDepends(depends).evaluate(outcomes::get);
    }

    private void assertError(String depends, int position, String message) {
        assertThatThrownBy(() -> expressions.parseDepends(depends))
                .isInstanceOf(ExpressionException.class)
                .hasMessageContaining(message)
                .hasMessageContaining("'" + depends + "'")
                .satisfies(e -> assertThat(((ExpressionException) e).position()).isEqualTo(position));
    }

    @ParameterizedTest
    @EnumSource(NodePhase.class)
    void bareTaskMeansSucceededOrSkippedOrDaemoned(NodePhase phase) {
        boolean expected = phase == NodePhase.SUCCEEDED || phase == NodePhase.SKIPPED;
        assertThat(eval("A", outcomes("A", phase))).isEqualTo(expected);
        assertThat(eval("A", outcomes("A", new TaskOutcome(phase, true, List.of()))))
                .isEqualTo(expected || phase != NodePhase.PENDING);
    }

    @Test
    void eachResultMatchesItsPhase() {
        assertThat(eval("A.Succeeded", outcomes("A", NodePhase.SUCCEEDED))).isTrue();
        assertThat(eval("A.Succeeded", outcomes("A", NodePhase.FAILED))).isFalse();
        assertThat(eval("A.Failed", outcomes("A", NodePhase.FAILED))).isTrue();
        assertThat(eval("A.Errored", outcomes("A", NodePhase.ERROR))).isTrue();
        assertThat(eval("A.Errored", outcomes("A", NodePhase.FAILED))).isFalse();
        assertThat(eval("A.Skipped", outcomes("A", NodePhase.SKIPPED))).isTrue();
        assertThat(eval("A.Omitted", outcomes("A", NodePhase.OMITTED))).isTrue();
        assertThat(eval("A.Daemoned", outcomes("A", new TaskOutcome(NodePhase.RUNNING, true, List.of())))).isTrue();
        assertThat(eval("A.Daemoned", outcomes("A", new TaskOutcome(NodePhase.PENDING, true, List.of()))))
                .isFalse();
        assertThat(eval("A.Daemoned", outcomes("A", NodePhase.SUCCEEDED))).isFalse();
    }

    @Test
    void anySucceededAndAllFailedLookAtLoopChildren() {
        TaskOutcome mixed = new TaskOutcome(NodePhase.FAILED, false,
                List.of(NodePhase.FAILED, NodePhase.SUCCEEDED, NodePhase.FAILED));
        TaskOutcome allFailed = new TaskOutcome(NodePhase.FAILED, false, List.of(NodePhase.FAILED, NodePhase.FAILED));
        TaskOutcome noChildren = TaskOutcome.of(NodePhase.FAILED);
        assertThat(eval("L.AnySucceeded", outcomes("L", mixed))).isTrue();
        assertThat(eval("L.AllFailed", outcomes("L", mixed))).isFalse();
        assertThat(eval("L.AnySucceeded", outcomes("L", allFailed))).isFalse();
        assertThat(eval("L.AllFailed", outcomes("L", allFailed))).isTrue();
        assertThat(eval("L.AllFailed", outcomes("L", noChildren))).isFalse();
        assertThat(eval("L.AnySucceeded", outcomes("L", noChildren))).isFalse();
    }

    @Test
    void operatorsAndPrecedence() {
        Map<String, TaskOutcome> o = outcomes("A", NodePhase.SUCCEEDED, "B", NodePhase.FAILED,
                "C", NodePhase.SUCCEEDED);
        assertThat(eval("A && B", o)).isFalse();
        assertThat(eval("A || B", o)).isTrue();
        assertThat(eval("!B", o)).isTrue();
        assertThat(eval("!B.Failed", o)).isFalse();
        assertThat(eval("B || A && C", o)).isTrue();
        assertThat(eval("(B || A) && !C", o)).isFalse();
        assertThat(eval("B.Failed && (C.Succeeded || C.Failed)", o)).isTrue();
        assertThat(eval("  ( ( A ) )  ", o)).isTrue();
        assertThat(eval("!!A", o)).isTrue();
    }

    @Test
    void enhancedDependsExampleRunsTheRightTasks() {
        // dag-enhanced-depends.yaml: A passes, B passes, C fails
        Map<String, TaskOutcome> o = outcomes("A", NodePhase.SUCCEEDED, "B", NodePhase.SUCCEEDED,
                "C", NodePhase.FAILED);
        assertThat(eval("A && (C.Succeeded || C.Failed)", o)).isTrue();
        assertThat(eval("B || C", o)).isTrue();
        assertThat(eval("B && C", o)).isFalse();
        Map<String, TaskOutcome> later = outcomes("should-execute-2", NodePhase.SUCCEEDED,
                "should-not-execute", NodePhase.OMITTED);
        assertThat(eval("should-execute-2.Succeeded || should-not-execute", later)).isTrue();
    }

    @Test
    void tasksListsEveryMentionedTaskOnceInOrder() {
        DependsExpression d = expressions.parseDepends("(a-1.Succeeded || b_2) && !a-1.Failed && task3x");
        assertThat(d.tasks()).containsExactly("a-1", "b_2", "task3x");
        assertThat(d.source()).isEqualTo("(a-1.Succeeded || b_2) && !a-1.Failed && task3x");
    }

    @Test
    void missingOutcomeIsAnErrorNamingTheTask() {
        DependsExpression d = expressions.parseDepends("A && B");
        assertThatThrownBy(() -> d.evaluate(outcomes("A", NodePhase.SUCCEEDED)::get))
                .isInstanceOf(ExpressionException.class).hasMessageContaining("task 'B'");
    }

    @Test
    void malformedExpressionsNameThePosition() {
        assertError("A.Succeded", 2, "unknown task result 'Succeded' for task 'A'");
        assertError("A.", 2, "unknown task result ''");
        assertError("A &&", 4, "expected a task name but the expression ended");
        assertError("A && || B", 5, "expected a task name but found '|'");
        assertError("(A || B", 7, "missing ')'");
        assertError("A B", 2, "unexpected 'B'");
        assertError("A & B", 2, "unexpected '&'");
        assertError("A) ", 1, "unexpected ')'");
        assertError("   ", 0, "empty depends expression");
        assertError("A.Succeeded.B", 11, "unexpected '.'");
    }

    @Test
    void taskDependingOnTenThousandOthersEvaluatesWithoutDeepRecursion() {
        StringBuilder depends = new StringBuilder();
        Map<String, TaskOutcome> o = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            if (i > 0) {
                depends.append(" && ");
            }
            depends.append("t-").append(i);
            o.put("t-" + i, TaskOutcome.of(NodePhase.SUCCEEDED));
        }
        DependsExpression d = expressions.parseDepends(depends.toString());
        assertThat(d.tasks()).hasSize(10_000);
        assertThat(d.evaluate(o::get)).isTrue();
        o.put("t-9999", TaskOutcome.of(NodePhase.FAILED));
        assertThat(d.evaluate(o::get)).isFalse();
    }

    @Test
    void absurdNestingIsAnErrorNotAStackOverflow() {
        String deep = "(".repeat(5000) + "A" + ")".repeat(5000);
        assertThatThrownBy(() -> expressions.parseDepends(deep))
                .isInstanceOf(ExpressionException.class).hasMessageContaining("nested more than");
        String nots = "!".repeat(5000) + "A";
        assertThatThrownBy(() -> expressions.parseDepends(nots))
                .isInstanceOf(ExpressionException.class).hasMessageContaining("nested more than");
    }
}
