package dev.weft.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WhenConditionTest {

    private final Expressions expressions = new DefaultExpressions();

    private boolean when(String condition) {
        return expressions.evaluateWhen(condition, Vars.none());
    }

    private void assertError(String condition, int position, String message) {
        assertThatThrownBy(() -> when(condition))
                .isInstanceOf(ExpressionException.class)
                .hasMessageContaining(message)
                .hasMessageContaining("'" + condition + "'")
                .satisfies(e -> assertThat(((ExpressionException) e).position()).isEqualTo(position));
    }

    @Test
    void bareWordsAreStrings() {
        assertThat(when("heads == heads")).isTrue();
        assertThat(when("heads == tails")).isFalse();
        assertThat(when("heads != tails")).isTrue();
        assertThat(when("Succeeded == 'Succeeded'")).isTrue();
        assertThat(when("\"Failed\" == Failed")).isTrue();
        assertThat(when("v1.2_x == 'v1.2_x'")).isTrue();
    }

    @Test
    void numbersCompareNumerically() {
        assertThat(when("9 < 10")).isTrue();
        assertThat(when("10 <= 10")).isTrue();
        assertThat(when("10 > 9.5")).isTrue();
        assertThat(when("2 >= 3")).isFalse();
        assertThat(when("5 == 5.0")).isTrue();
        assertThat(when("1 + 2 * 3 == 7")).isTrue();
        assertThat(when("-1 < 0")).isTrue();
        assertThat(when("10 % 4 == 2")).isTrue();
    }

    @Test
    void numberAndStringAreNeverEqual() {
        assertThat(when("1 == '1'")).isFalse();
        assertThat(when("1 != '1'")).isTrue();
    }

    @Test
    void quotedStringsCompareLexicographically() {
        assertThat(when("'apple' < 'banana'")).isTrue();
        assertThat(when("'10' < '9'")).isTrue();
    }

    @Test
    void logicOperatorsAndParentheses() {
        assertThat(when("true")).isTrue();
        assertThat(when("false")).isFalse();
        assertThat(when("!false")).isTrue();
        assertThat(when("a == a && b == b")).isTrue();
        assertThat(when("a == b || b == b")).isTrue();
        assertThat(when("a == b || b == c && c == c")).isFalse();
        assertThat(when("(a == a || b == c) && c == c")).isTrue();
        assertThat(when("!(a == b)")).isTrue();
        assertThat(when("true && !false")).isTrue();
    }

    @Test
    void regexOperatorsSearchTheText() {
        assertThat(when("heads =~ hea")).isTrue();
        assertThat(when("tails =~ hea")).isFalse();
        assertThat(when("tails !~ hea")).isTrue();
        assertThat(when("'build-42' =~ '^build-[0-9]+$'")).isTrue();
        assertThat(when("'build-4x' =~ '^build-[0-9]+$'")).isFalse();
    }

    @Test
    void inChecksAList() {
        assertThat(when("b in (a, b, c)")).isTrue();
        assertThat(when("2 in (1, 3)")).isFalse();
    }

    @Test
    void ternaryGivesTheChosenValue() {
        assertThat(when("1 < 2 ? true : false")).isTrue();
    }

    @Test
    void variablesAreSubstitutedFirst() {
        Vars vars = Vars.of("tasks.flip.outputs.result", "tails", "workflow.status", "Failed",
                "tasks.count.outputs.result", "12");
        assertThat(expressions.evaluateWhen("{{tasks.flip.outputs.result}} == tails", vars)).isTrue();
        assertThat(expressions.evaluateWhen("{{workflow.status}} != Succeeded", vars)).isTrue();
        assertThat(expressions.evaluateWhen("{{tasks.count.outputs.result}} > 9", vars)).isTrue();
        assertThat(expressions.evaluateWhen("{{= asInt(tasks.count.outputs.result) > 20 }}", vars)).isFalse();
    }

    @Test
    void unknownVariableInConditionIsNamed() {
        assertThatThrownBy(() -> expressions.evaluateWhen("{{tasks.X.outputs.result}} == a", Vars.none()))
                .isInstanceOf(ExpressionException.class).hasMessageContaining("tasks.X.outputs.result");
    }

    @Test
    void malformedConditionsNameThePosition() {
        assertError("== heads", 0, "unexpected '=='");
        assertError("heads ==", 8, "unexpected end of condition");
        assertError("(a == a", 7, "expected ')'");
        assertError("a == a b", 7, "unexpected 'b'");
        assertError("a == $", 5, "invalid token '$'");
        assertError("'open == a", 0, "unclosed quote");
        assertError("()", 1, "unexpected ')'");
        assertError("1.2.3 == 1", 0, "invalid number");
        assertError("a & b", 2, "not supported");
    }

    @Test
    void typeMismatchesAreErrors() {
        assertError("a < 1", 2, "both sides must be numbers or both strings");
        assertError("hello-world == x", 5, "'-' needs a number, not string 'hello' (hint: quote values that contain");
        assertError("a && true", 2, "'&&' needs a boolean");
        assertError("a =~ '('", 5, "invalid regular expression");
    }

    @Test
    void nonBooleanResultIsAnError() {
        assertThatThrownBy(() -> when("heads"))
                .isInstanceOf(ExpressionException.class).hasMessageContaining("expected a boolean result");
        assertThatThrownBy(() -> when("1 + 1"))
                .isInstanceOf(ExpressionException.class).hasMessageContaining("'2'");
    }

    @Test
    void absentOrBlankConditionIsTrue() {
        assertThat(expressions.evaluateWhen(null, Vars.none())).isTrue();
        assertThat(expressions.evaluateWhen("  ", Vars.none())).isTrue();
    }

    @Test
    void absurdNestingIsAnErrorNotAStackOverflow() {
        String deep = "(".repeat(5000) + "true" + ")".repeat(5000);
        assertThatThrownBy(() -> when(deep))
                .isInstanceOf(ExpressionException.class).hasMessageContaining("nested more than");
        assertThatThrownBy(() -> when("!".repeat(5000) + "true"))
                .isInstanceOf(ExpressionException.class).hasMessageContaining("nested more than");
    }
}
