package dev.weft.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The exact {@code {{= }}} expressions and {@code when} conditions of the Argo examples in
 * shared/conformance/argo, with the values Argo would substitute into them.
 */
class ArgoConformanceExpressionsTest {

    private final Expressions expressions = new DefaultExpressions();

    @Test
    void expressionDestructureJsonPicksEachField() {
        Vars vars = Vars.of("workflow.parameters.config", "{\"a\": \"1\", \"b\": \"2\", \"c\": \"3\"}");
        assertThat(expressions.substitute("{{=jsonpath(workflow.parameters.config, '$.a')}}", vars)).isEqualTo("1");
        assertThat(expressions.substitute("{{=jsonpath(workflow.parameters.config, '$.b')}}", vars)).isEqualTo("2");
        assertThat(expressions.substitute("{{=jsonpath(workflow.parameters.config, '$.c')}}", vars)).isEqualTo("3");
    }

    @Test
    void expressionDestructureJsonComplexFiltersSlicesAndWildcards() {
        Vars vars = Vars.of("workflow.parameters.config", "{\"employees\": [{\"name\": \"Baris\", \"age\":43},"
                + "{\"name\": \"Mo\", \"age\": 42}, {\"name\": \"Jai\", \"age\" :44}]}");
        assertThat(expressions.substitute(
                "{{=jsonpath(workflow.parameters.config, '$.employees[?(@.name==\"Baris\")].age')}}", vars))
                .isEqualTo("[43]");
        assertThat(expressions.substitute(
                "{{=jsonpath(workflow.parameters.config, '$.employees[?(@.age>42 && @.age<44)].age')}}", vars))
                .isEqualTo("[43]");
        assertThat(expressions.substitute("{{=jsonpath(workflow.parameters.config, '$.employees[0:1]')}}", vars))
                .isEqualTo("[{\"age\":43,\"name\":\"Baris\"}]");
        assertThat(expressions.substitute("{{=jsonpath(workflow.parameters.config, '$.employees[*].name')}}", vars))
                .isEqualTo("[\"Baris\",\"Mo\",\"Jai\"]");
    }

    /** The folded YAML scalar ({@code >-}) of expression-reusing-verbose-snippets.yaml, as YAML delivers it. */
    private static final String WEEK_TEMPS = "{{=\n"
            + "  map([\n"
            + "      jsonpath(sprig.b64dec(jsonpath(workflow.parameters.weather, '$.weekWeather')), '$.temps')\n"
            + "    ], {\n"
            + "      toJson({\n"
            + "        avg: sprig.add(#[0], #[1], #[2], #[3], #[4]) / 5,\n"
            + "        min: sprig.min(#[0], #[1], #[2], #[3], #[4]),\n"
            + "        max: sprig.max(#[0], #[1], #[2], #[3], #[4])\n"
            + "      })\n"
            + "  })[0]\n"
            + "}}";

    @Test
    void expressionReusingVerboseSnippetsComputesWeekStatistics() {
        Vars vars = Vars.of("workflow.parameters.weather",
                "{\"weekWeather\": \"eyJ0ZW1wcyI6IFszNCwgMjcsIDE1LCA1NywgNDZdfQo=\"}");
        String weekTemps = expressions.substitute(WEEK_TEMPS, vars);
        assertThat(weekTemps).isEqualTo("{\"avg\":35.8,\"max\":57,\"min\":15}");

        Vars inputs = Vars.of("inputs.parameters.week-temps", weekTemps);
        assertThat(expressions.substitute("{{=jsonpath(inputs.parameters['week-temps'], '$.avg')}}", inputs))
                .isEqualTo("35.8");
        assertThat(expressions.substitute("{{=jsonpath(inputs.parameters['week-temps'], '$.min')}}", inputs))
                .isEqualTo("15");
        assertThat(expressions.substitute("{{=jsonpath(inputs.parameters['week-temps'], '$.max')}}", inputs))
                .isEqualTo("57");
    }

    @Test
    void coinflipConditionsPickExactlyOneBranch() {
        for (String result : new String[] {"heads", "tails"}) {
            Vars vars = Vars.of("steps.flip-coin.outputs.result", result);
            assertThat(expressions.evaluateWhen("{{steps.flip-coin.outputs.result}} == heads", vars))
                    .isEqualTo(result.equals("heads"));
            assertThat(expressions.evaluateWhen("{{steps.flip-coin.outputs.result}} == tails", vars))
                    .isEqualTo(result.equals("tails"));
        }
    }

    @Test
    void conditionalsComplexMultiLineConditionAndRegexes() {
        String complex = "( {{steps.flip-coin.outputs.result}} == heads &&\n"
                + "  {{steps.flip-again.outputs.result}} == tails\n"
                + ") ||\n"
                + "( {{steps.flip-coin.outputs.result}} == tails &&\n"
                + "  {{steps.flip-again.outputs.result}} == tails )";
        String[] sides = {"heads", "tails"};
        for (String first : sides) {
            for (String second : sides) {
                Vars vars = Vars.of("steps.flip-coin.outputs.result", first, "steps.flip-again.outputs.result",
                        second);
                assertThat(expressions.evaluateWhen(complex, vars)).as(first + "/" + second)
                        .isEqualTo(second.equals("tails"));
                assertThat(expressions.evaluateWhen("{{steps.flip-again.outputs.result}} =~ hea", vars))
                        .isEqualTo(second.equals("heads"));
                assertThat(expressions.evaluateWhen("{{steps.flip-again.outputs.result}} =~ tai", vars))
                        .isEqualTo(second.equals("tails"));
            }
        }
    }

    @Test
    void parameterAggregationLoopItemField() {
        String when = "{{item.evenness}} == even";
        assertThat(expressions.evaluateWhen(when, Vars.of("item", "{\"num\":4,\"evenness\":\"even\"}"))).isTrue();
        assertThat(expressions.evaluateWhen(when, Vars.of("item",
                java.util.Map.of("num", 3, "evenness", "odd")))).isFalse();
    }

    @Test
    void recursiveForLoopComparesNumbersNumerically() {
        String when = "{{steps.iterate-counter.outputs.result}} < {{inputs.parameters.limit}}";
        assertThat(expressions.evaluateWhen(when, Vars.of("steps.iterate-counter.outputs.result", "9",
                "inputs.parameters.limit", "10"))).isTrue();
        assertThat(expressions.evaluateWhen(when, Vars.of("steps.iterate-counter.outputs.result", "10",
                "inputs.parameters.limit", "10"))).isFalse();
    }

    @Test
    void statusReferenceComparesPhaseNames() {
        Vars failed = Vars.of("steps.flakey-container.status", "Failed");
        assertThat(expressions.evaluateWhen("{{steps.flakey-container.status}} == Failed", failed)).isTrue();
        assertThat(expressions.evaluateWhen("{{steps.flakey-container.status}} == Succeeded", failed)).isFalse();
    }

    @Test
    void dependsExpressionsOfTheExamplesParse() {
        String[] all = {"A", "B && C", "A && (C.Succeeded || C.Failed)", "B || C",
            "should-execute-2.Succeeded || should-not-execute", "odd-or-even", "divide-by-2"};
        for (String depends : all) {
            assertThat(expressions.parseDepends(depends).source()).isEqualTo(depends);
        }
        assertThat(expressions.parseDepends("should-execute-2.Succeeded || should-not-execute").tasks())
                .containsExactly("should-execute-2", "should-not-execute");
    }

    @Test
    void retryConditionalExpressionAfterSubstitution() {
        // the expression of Argo's retry-conditional.yaml
        String expression = "asInt(lastRetry.exitCode) > 1 && {{inputs.parameters.safe-to-retry}} == true";
        Vars vars = Vars.of("inputs.parameters.safe-to-retry", "true", "lastRetry.exitCode", "2",
                "lastRetry.status", "Failed");
        assertThat(expressions.evaluate(expressions.substitute(expression, vars), vars)).isEqualTo(true);
        assertThat(expressions.evaluate(expression, vars)).as("tags substituted by evaluate itself").isEqualTo(true);
        Vars exitOne = Vars.of("inputs.parameters.safe-to-retry", "true", "lastRetry.exitCode", "1");
        assertThat(expressions.evaluate(expressions.substitute(expression, exitOne), exitOne)).isEqualTo(false);
        assertThat(expressions.evaluate(
                "lastRetry.status == 'Error' or (lastRetry.status == 'Failed'"
                        + " and asInt(lastRetry.exitCode) not in [1])",
                vars)).isEqualTo(true);
    }

    @Test
    void exitHandlerSeesWorkflowStatusAndFailures() {
        Vars vars = Vars.of("workflow.status", "Failed", "workflow.failures",
                "[{\"displayName\":\"B\",\"message\":\"exit code 1\",\"phase\":\"Failed\"}]");
        assertThat(expressions.evaluateWhen("{{workflow.status}} != Succeeded", vars)).isTrue();
        assertThat(expressions.substitute("{{workflow.status}}: {{workflow.failures}}", vars))
                .isEqualTo("Failed: [{\"displayName\":\"B\",\"message\":\"exit code 1\",\"phase\":\"Failed\"}]");
        assertThat(expressions.evaluate("jsonpath(workflow.failures, '$[0].displayName')", vars)).isEqualTo("B");
    }
}
