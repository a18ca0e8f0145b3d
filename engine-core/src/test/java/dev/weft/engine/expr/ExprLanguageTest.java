package dev.weft.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExprLanguageTest {

    private final Expressions expressions = new DefaultExpressions();

    private Object eval(String expression) {
        return expressions.evaluate(expression, Vars.none());
    }

    private Object eval(String expression, Vars vars) {
        return expressions.evaluate(expression, vars);
    }

    private void assertError(String expression, int position, String message) {
        assertThatThrownBy(() -> eval(expression))
                .isInstanceOf(ExpressionException.class)
                .hasMessageContaining(message)
                .hasMessageContaining("'" + expression + "'")
                .satisfies(e -> assertThat(((ExpressionException) e).position()).isEqualTo(position));
    }

    @Test
    void literals() {
        assertThat(eval("42")).isEqualTo(42L);
        assertThat(eval("4.5")).isEqualTo(4.5);
        assertThat(eval("1e3")).isEqualTo(1000.0);
        assertThat(eval("0x1F")).isEqualTo(31L);
        assertThat(eval("1_000")).isEqualTo(1000L);
        assertThat(eval("'single'")).isEqualTo("single");
        assertThat(eval("\"dou\\\"ble\\n\"")).isEqualTo("dou\"ble\n");
        assertThat(eval("`raw\\n`")).isEqualTo("raw\\n");
        assertThat(eval("true")).isEqualTo(true);
        assertThat(eval("false")).isEqualTo(false);
        assertThat(eval("nil")).isNull();
        assertThat(eval("[1, 'a', [true]]")).isEqualTo(List.of(1L, "a", List.of(true)));
        assertThat(eval("{a: 1, 'b-c': 2, \"d\": 3}")).isEqualTo(Map.of("a", 1L, "b-c", 2L, "d", 3L));
    }

    @Test
    void arithmeticFollowsExprLangTyping() {
        assertThat(eval("1 + 2 * 3")).isEqualTo(7L);
        assertThat(eval("(1 + 2) * 3")).isEqualTo(9L);
        assertThat(eval("7 / 2")).isEqualTo(3.5);
        assertThat(eval("6 / 3")).isEqualTo(2.0);
        assertThat(eval("7 % 3")).isEqualTo(1L);
        assertThat(eval("1.5 + 1")).isEqualTo(2.5);
        assertThat(eval("10 - 2 - 3")).isEqualTo(5L);
        assertThat(eval("2 ** 3 ** 2")).isEqualTo(512.0);
        assertThat(eval("-3 + 1")).isEqualTo(-2L);
        assertThat(eval("'a' + 'b'")).isEqualTo("ab");
        assertThat(eval("[1] + [2]")).isEqualTo(List.of(1L, 2L));
        assertThat(eval("1..3")).isEqualTo(List.of(1L, 2L, 3L));
    }

    @Test
    void comparisonsAndLogic() {
        assertThat(eval("1 < 2 && 2 <= 2 && 3 > 2 && 3 >= 3")).isEqualTo(true);
        assertThat(eval("1 == 1.0")).isEqualTo(true);
        assertThat(eval("'a' < 'b'")).isEqualTo(true);
        assertThat(eval("'a' != 'a'")).isEqualTo(false);
        assertThat(eval("true and false or true")).isEqualTo(true);
        assertThat(eval("not true || !false")).isEqualTo(true);
        assertThat(eval("!(1 == 1)")).isEqualTo(false);
        assertThat(eval("false && (1 / 0 > 'x')")).isEqualTo(false);
        assertThat(eval("true || (1 > 'x')")).isEqualTo(true);
        assertThat(eval("nil == nil")).isEqualTo(true);
    }

    @Test
    void ternaryChoosesABranch() {
        assertThat(eval("1 > 2 ? 'yes' : 'no'")).isEqualTo("no");
        assertThat(eval("true ? false ? 1 : 2 : 3")).isEqualTo(2L);
        Vars vars = Vars.of("workflow.status", "Failed");
        assertThat(eval("workflow.status == 'Succeeded' ? 'ok' : 'bad'", vars)).isEqualTo("bad");
    }

    @Test
    void membershipAndStringOperators() {
        assertThat(eval("2 in [1, 2, 3]")).isEqualTo(true);
        assertThat(eval("'z' not in ['a']")).isEqualTo(true);
        assertThat(eval("'k' in {k: 1}")).isEqualTo(true);
        assertThat(eval("'hello' contains 'ell'")).isEqualTo(true);
        assertThat(eval("'hello' startsWith 'he' and 'hello' endsWith 'lo'")).isEqualTo(true);
        assertThat(eval("'abc123' matches '[0-9]+'")).isEqualTo(true);
        assertThat(eval("nil ?? 'fallback'")).isEqualTo("fallback");
        assertThat(eval("missing.var ?? 'fallback'")).isEqualTo("fallback");
    }

    @Test
    void variablePathsResolveWholeNamesAndIndexedHyphenatedNames() {
        Vars vars = Vars.of("inputs.parameters.x", "5", "inputs.parameters.x-y", "hyphen",
                "steps.my-step.outputs.result", "out", "tasks.A.outputs.result", "r");
        assertThat(eval("inputs.parameters.x", vars)).isEqualTo("5");
        assertThat(eval("inputs.parameters['x-y']", vars)).isEqualTo("hyphen");
        assertThat(eval("steps['my-step'].outputs.result", vars)).isEqualTo("out");
        assertThat(eval("tasks.A.outputs.result + '!'", vars)).isEqualTo("r!");
    }

    @Test
    void variablePathsWalkIntoMapValuesAndJsonText() {
        Vars vars = Vars.of("workflow.parameters", Map.of("a", "1"), "item", "{\"x\": {\"y\": [10, 20]}}");
        assertThat(eval("workflow.parameters.a", vars)).isEqualTo("1");
        assertThat(eval("item.x.y[1]", vars)).isEqualTo(20L);
        assertThat(eval("item.x.y[-1]", vars)).isEqualTo(20L);
        assertThat(eval("item.x.missing", vars)).isNull();
        assertThat(eval("item?.x?.nope?.deeper", vars)).isNull();
    }

    @Test
    void argoFunctions() {
        Vars vars = Vars.of("n", "12", "f", "2.5", "json", "{\"a\": {\"b\": [1, 2]}, \"s\": \"str\"}");
        assertThat(eval("asInt(n) + 1", vars)).isEqualTo(13L);
        assertThat(eval("asInt(2.9)")).isEqualTo(2L);
        assertThat(eval("asFloat(f) * 2", vars)).isEqualTo(5.0);
        assertThat(eval("string(1) + string(true) + string([1])")).isEqualTo("1true[1]");
        assertThat(eval("toJson({b: 1, a: [1, 'x']})")).isEqualTo("{\"a\":[1,\"x\"],\"b\":1}");
        assertThat(eval("jsonpath(json, '$.a.b[1]')", vars)).isEqualTo(2L);
        assertThat(eval("jsonpath(json, '$.s')", vars)).isEqualTo("str");
        assertThat(eval("jsonpath(json, '$.a.b[*]')", vars)).isEqualTo(List.of(1L, 2L));
        assertThat(eval("len('héllo') + len([1, 2]) + len({a: 1})")).isEqualTo(8L);
    }

    @Test
    void exprBuiltins() {
        assertThat(eval("map([1, 2, 3], # * 2)")).isEqualTo(List.of(2L, 4L, 6L));
        assertThat(eval("map([1, 2], {# + #index})")).isEqualTo(List.of(1L, 3L));
        assertThat(eval("filter([{n: 1}, {n: 2}], .n > 1)")).isEqualTo(List.of(Map.of("n", 2L)));
        assertThat(eval("all([1, 2], # > 0) && any([1, 2], # > 1) && none([1], # > 5) && one([1, 2], # == 2)"))
                .isEqualTo(true);
        assertThat(eval("count([1, 2, 3], # >= 2)")).isEqualTo(2L);
        assertThat(eval("find([1, 2, 3], # > 1)")).isEqualTo(2L);
        assertThat(eval("sum([1, 2, 3])")).isEqualTo(6L);
        assertThat(eval("upper('a') + lower('B') + trim('  c ')")).isEqualTo("Abc");
        assertThat(eval("split('a,b', ',')")).isEqualTo(List.of("a", "b"));
        assertThat(eval("join(['a', 'b'], '-')")).isEqualTo("a-b");
        assertThat(eval("max(1, 5, 3) + min([4, 2])")).isEqualTo(7L);
        assertThat(eval("[1, 2, 3, 4][1:3]")).isEqualTo(List.of(2L, 3L));
        assertThat(eval("'hello'[1:]")).isEqualTo("ello");
        assertThat(eval("int('7') + float('0.5')")).isEqualTo(7.5);
    }

    @Test
    void sprigFunctions() {
        assertThat(eval("sprig.trim('  x  ')")).isEqualTo("x");
        assertThat(eval("sprig.upper('abc') + sprig.lower('DEF')")).isEqualTo("ABCdef");
        assertThat(eval("sprig.int('42') + sprig.int('nope')")).isEqualTo(42L);
        assertThat(eval("sprig.replace('-', '_', 'a-b-c')")).isEqualTo("a_b_c");
        assertThat(eval("sprig.default('dflt', '')")).isEqualTo("dflt");
        assertThat(eval("sprig.default('dflt', 'given')")).isEqualTo("given");
        assertThat(eval("sprig.add(1, '2', 3.7)")).isEqualTo(6L);
        assertThat(eval("sprig.max(3, 9, 4) - sprig.min(3, 9, 4)")).isEqualTo(6L);
        assertThat(eval("sprig.b64dec(sprig.b64enc('hi there'))")).isEqualTo("hi there");
        assertThat(eval("sprig.contains('ell', 'hello') && sprig.hasPrefix('he', 'hello')")).isEqualTo(true);
        assertThat(eval("sprig.splitList(',', 'a,b')")).isEqualTo(List.of("a", "b"));
        assertThat(eval("sprig.join('+', [1, 2])")).isEqualTo("1+2");
        assertThat(eval("sprig.trimSuffix('.txt', 'a.txt') + sprig.trimPrefix('x', 'xy')")).isEqualTo("ay");
        assertThat(eval("sprig.substr(1, 3, 'hello') + sprig.trunc(2, 'world')")).isEqualTo("elwo");
        assertThat(eval("sprig.quote('a', 'b')")).isEqualTo("\"a\" \"b\"");
        assertThat(eval("sprig.sha256sum('hello world')"))
                .isEqualTo("b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9");
        assertThat(eval("sprig.regexMatch('^[a-z]+$', 'abc')")).isEqualTo(true);
        assertThat(eval("sprig.regexReplaceAll('a(x*)b', '-ab-axxb-', '${1}W')")).isEqualTo("-W-xxW-");
        assertThat(eval("sprig.addf(0.1, 0.2)")).isEqualTo(0.3);
        assertThat(eval("sprig.ternary('y', 'n', 1 > 0)")).isEqualTo("y");
        assertThat(eval("sprig.toJson(sprig.dict('b', 1, 'a', 2))")).isEqualTo("{\"a\":2,\"b\":1}");
    }

    @Test
    void parseErrorsNameTheExpressionAndPosition() {
        assertError("1 +", 3, "unexpected end of expression");
        assertError("(1 + 2", 6, "expected ')'");
        assertError("'open", 0, "unterminated string");
        assertError("1 @ 2", 2, "unexpected character '@'");
        assertError("1 2", 2, "unexpected '2'");
        assertError("a ? b", 5, "expected ':'");
        assertError("[1, 2", 5, "expected ','");
        assertError("", 0, "empty expression");
    }

    @Test
    void evaluationErrorsNameTheProblem() {
        assertError("1 + 'a'", 2, "invalid operation: int + string");
        assertError("1 < 'a'", 2, "invalid operation: int < string");
        assertError("!1", 0, "'!' needs a bool");
        assertError("1 && true", 2, "needs bools");
        assertError("nope(1)", 0, "nope: unknown function");
        assertError("sprig.nope(1)", 0, "unknown sprig function");
        assertError("asInt('x')", 0, "asInt: cannot convert 'x' to int");
        assertError("asInt(1, 2)", 0, "asInt: expects 1 argument, got 2");
        assertError("jsonpath('{', '$.a')", 0, "not valid JSON");
        assertError("jsonpath('{\"a\":1}', '$.b')", 0, "found nothing");
        assertError("[1][5]", 3, "index out of range");
        assertError("7 % 0", 2, "integer divide by zero");
        assertError("# > 1", 0, "only defined inside a predicate");
        assertError("a.b.c", 0, "unknown variable 'a.b.c'");
        assertError("1 ? 2 : 3", 2, "condition of '?:' must be a bool");
        assertError("repeat('ab', 2000000000)", 0, "would exceed");
        assertError("sprig.repeat(2000000000, 'ab')", 0, "would exceed");
        assertError("0..2000000", 1, "too large");
    }

    @Test
    void absurdNestingIsAnErrorNotAStackOverflow() {
        assertThatThrownBy(() -> eval("(".repeat(5000) + "1" + ")".repeat(5000)))
                .isInstanceOf(ExpressionException.class).hasMessageContaining("nested more than");
        assertThatThrownBy(() -> eval("[".repeat(5000) + "]".repeat(5000)))
                .isInstanceOf(ExpressionException.class).hasMessageContaining("nested more than");
        assertThatThrownBy(() -> eval("-".repeat(5000) + "1"))
                .isInstanceOf(ExpressionException.class).hasMessageContaining("nested more than");
    }

    @Test
    void longFlatOperatorChainsEvaluate() {
        assertThat(eval("1" + " + 1".repeat(2000))).isEqualTo(2001L);
    }
}
