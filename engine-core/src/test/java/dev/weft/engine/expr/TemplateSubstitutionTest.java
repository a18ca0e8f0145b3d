package dev.weft.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateSubstitutionTest {

    private final Expressions expressions = new DefaultExpressions();

    @Test
    void replacesEveryCommonArgoVariable() {
        Vars vars = Vars.of(
                "inputs.parameters.x", "ex",
                "tasks.A.outputs.result", "res",
                "tasks.A.outputs.parameters.p", "pee",
                "steps.s.outputs.parameters.p", "step-p",
                "workflow.name", "wf-abc",
                "workflow.parameters.x", "wfx",
                "workflow.status", "Succeeded",
                "item", "one");
        String text = "{{inputs.parameters.x}}|{{tasks.A.outputs.result}}|{{tasks.A.outputs.parameters.p}}|"
                + "{{steps.s.outputs.parameters.p}}|{{workflow.name}}|{{workflow.parameters.x}}|"
                + "{{workflow.status}}|{{item}}";
        assertThat(expressions.substitute(text, vars))
                .isEqualTo("ex|res|pee|step-p|wf-abc|wfx|Succeeded|one");
    }

    @Test
    void whitespaceInsideBracesIsIgnored() {
        Vars vars = Vars.of("item", "apple");
        assertThat(expressions.substitute("[{{ item }}] [{{item }}] [{{\titem\n}}]", vars))
                .isEqualTo("[apple] [apple] [apple]");
    }

    @Test
    void textWithoutTagsIsReturnedUnchanged() {
        String text = "echo { not a tag } and } } and {single}";
        assertThat(expressions.substitute(text, Vars.none())).isSameAs(text);
    }

    @Test
    void nonStringValuesAreRenderedAsJson() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("b", 1);
        map.put("a", List.of("x", 2.5));
        Vars vars = Vars.of("i", 42, "l", 7L, "d", 3.0, "f", 0.5, "t", true, "list", List.of(1, "two", 3.25),
                "map", map);
        assertThat(expressions.substitute("{{i}} {{l}} {{d}} {{f}} {{t}}", vars)).isEqualTo("42 7 3 0.5 true");
        assertThat(expressions.substitute("{{list}}", vars)).isEqualTo("[1,\"two\",3.25]");
        assertThat(expressions.substitute("{{map}}", vars)).isEqualTo("{\"a\":[\"x\",2.5],\"b\":1}");
    }

    @Test
    void itemFieldIsResolvedDirectlyWhenTheResolverKnowsIt() {
        Vars vars = Vars.of("item.key", "direct", "item", Map.of("key", "walked"));
        assertThat(expressions.substitute("{{item.key}}", vars)).isEqualTo("direct");
    }

    @Test
    void itemFieldIsWalkedIntoAMapItem() {
        Vars vars = Vars.of("item", Map.of("image", "debian", "tag", 9.1, "nested", Map.of("deep", "yes")));
        assertThat(expressions.substitute("{{item.image}}:{{item.tag}} {{item.nested.deep}}", vars))
                .isEqualTo("debian:9.1 yes");
    }

    @Test
    void itemFieldIsWalkedIntoJsonObjectText() {
        Vars vars = Vars.of("item", "{\"os\": \"ubuntu\", \"version\": 18, \"tags\": [\"a\", \"b\"]}");
        assertThat(expressions.substitute("{{item.os}} {{item.version}} {{item.tags.1}} {{item.tags}}", vars))
                .isEqualTo("ubuntu 18 b [\"a\",\"b\"]");
    }

    @Test
    void unknownVariableIsAnErrorNamingItAndItsPosition() {
        assertThatThrownBy(() -> expressions.substitute("echo {{inputs.parameters.missing}}", Vars.none()))
                .isInstanceOf(ExpressionException.class)
                .hasMessageContaining("inputs.parameters.missing")
                .satisfies(e -> assertThat(((ExpressionException) e).position()).isEqualTo(5));
    }

    @Test
    void missingFieldOfAKnownItemIsAnUnknownVariable() {
        Vars vars = Vars.of("item", Map.of("a", "1"));
        assertThatThrownBy(() -> expressions.substitute("{{item.b}}", vars))
                .isInstanceOf(ExpressionException.class).hasMessageContaining("'item.b'");
    }

    @Test
    void partialSubstitutionLeavesUnknownVariablesExactlyAsWritten() {
        Vars vars = Vars.of("workflow.name", "wf");
        assertThat(expressions.substitutePartially(
                "{{workflow.name}} {{ tasks.A.outputs.result }} {{=asInt(tasks.A.outputs.result) + 1}}", vars))
                .isEqualTo("wf {{ tasks.A.outputs.result }} {{=asInt(tasks.A.outputs.result) + 1}}");
    }

    @Test
    void partialSubstitutionStillReportsMalformedExpressions() {
        assertThatThrownBy(() -> expressions.substitutePartially("{{= 1 + }}", Vars.none()))
                .isInstanceOf(ExpressionException.class).hasMessageContaining("1 + ");
    }

    @Test
    void unterminatedTagIsAnErrorButKeptByPartialSubstitution() {
        assertThatThrownBy(() -> expressions.substitute("a {{b", Vars.none()))
                .isInstanceOf(ExpressionException.class)
                .hasMessageContaining("'{{' without a closing '}}'")
                .satisfies(e -> assertThat(((ExpressionException) e).position()).isEqualTo(2));
        assertThat(expressions.substitutePartially("a {{b", Vars.none())).isEqualTo("a {{b");
    }

    @Test
    void expressionTagsAreEvaluatedAndRendered() {
        Vars vars = Vars.of("inputs.parameters.n", "4", "inputs.parameters.my-list", "[1,2,3]");
        assertThat(expressions.substitute("n+1={{=asInt(inputs.parameters.n) + 1}}", vars)).isEqualTo("n+1=5");
        assertThat(expressions.substitute("{{= asInt(inputs.parameters.n) > 3 ? 'big' : 'small' }}", vars))
                .isEqualTo("big");
        assertThat(expressions.substitute("{{=toJson(filter([1, 2, 3, 4], {# % 2 == 0}))}}", vars))
                .isEqualTo("[2,4]");
        assertThat(expressions.substitute("{{=asFloat(inputs.parameters.n) / 8}}", vars)).isEqualTo("0.5");
    }

    @Test
    void expressionTagMayContainMapLiteralsAndStringsWithBraces() {
        assertThat(expressions.substitute("{{=toJson({a: {b: 1}})}}", Vars.none())).isEqualTo("{\"a\":{\"b\":1}}");
        assertThat(expressions.substitute("x{{='}}' + \"{{\"}}y", Vars.none())).isEqualTo("x}}{{y");
    }

    @Test
    void expressionGivingNilIsAnError() {
        assertThatThrownBy(() -> expressions.substitute("{{=nil}}", Vars.none()))
                .isInstanceOf(ExpressionException.class).hasMessageContaining("nil");
    }

    @Test
    void unknownVariableInsideAnExpressionTagIsNamed() {
        assertThatThrownBy(() -> expressions.substitute("{{=inputs.parameters.nope == 'x'}}", Vars.none()))
                .isInstanceOf(ExpressionException.class)
                .hasMessageContaining("unknown variable 'inputs.parameters.nope'");
    }

    @Test
    void severalTagsInOneTextAreAllReplaced() {
        Vars vars = Vars.of("a", "1", "b", "2");
        assertThat(expressions.substitute("{{a}}{{b}}-{{a}} {{=a + b}}", vars)).isEqualTo("12-1 12");
    }

    @Test
    void nullTextStaysNull() {
        assertThat(expressions.substitute(null, Vars.none())).isNull();
        assertThat(expressions.substitutePartially(null, Vars.none())).isNull();
    }

    @Test
    void mapValuesAreRenderedWithSortedKeysAsArgoDoes() {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("os", "ubuntu");
        item.put("image", "debian");
        assertThat(expressions.substitute("{{item}}", Vars.of("item", item)))
                .isEqualTo("{\"image\":\"debian\",\"os\":\"ubuntu\"}");
    }

    @Test
    void errorInALongScriptQuotesOnlyThePartAroundTheProblem() {
        String script = "echo start\n".repeat(40) + "echo {{inputs.parameters.typo}}\n" + "echo end\n".repeat(40);
        assertThatThrownBy(() -> expressions.substitute(script, Vars.none()))
                .isInstanceOf(ExpressionException.class)
                .hasMessageContaining("unknown variable 'inputs.parameters.typo'")
                .hasMessageContaining(" in '...echo start\n")
                .hasMessageContaining("echo start\necho {{inputs.parameters.typo}}\necho end\n")
                .hasMessageContaining("...' at position 445")
                .satisfies(e -> {
                    ExpressionException ex = (ExpressionException) e;
                    assertThat(ex.expression()).isEqualTo(script);
                    assertThat(ex.getMessage().length()).isLessThan(300);
                });
    }
}
