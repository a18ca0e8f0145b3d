package dev.weft.engine.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.engine.expr.DefaultExpressions;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkflowValidatorTest {

    private final WorkflowReader reader = new WorkflowReader();
    private final WorkflowValidator validator = new WorkflowValidator(new DefaultExpressions());

    private List<String> problems(String yaml) {
        return validator.validate(reader.read(yaml, "hello.yaml"), "hello.yaml", h -> h.equals("known"))
                .stream().map(SpecError::toString).toList();
    }

    private static String diamond(String dDepends) {
        return """
                spec:
                  entrypoint: diamond
                  templates:
                  - name: diamond
                    dag:
                      tasks:
                      - {name: A, template: echo}
                      - {name: B, template: echo, depends: A}
                      - {name: C, template: echo, depends: A}
                      - {name: D, template: echo, depends: "%s"}
                  - name: echo
                    container: {image: busybox, command: [echo, hi]}
                """.formatted(dDepends);
    }

    @Test
    void aValidDiamondHasNoProblems() {
        assertThat(problems(diamond("B && C"))).isEmpty();
    }

    @Test
    void unknownTaskInDependsIsNamedWithItsPath() {
        assertThat(problems(diamond("B && E"))).containsExactly(
                "hello.yaml: spec.templates[diamond].dag.tasks[D].depends: unknown task 'E' in 'B && E'");
    }

    @Test
    void badDependsSyntaxNamesThePosition() {
        assertThat(problems(diamond("B && && C"))).singleElement().asString()
                .startsWith("hello.yaml: spec.templates[diamond].dag.tasks[D].depends: ")
                .contains("position");
    }

    @Test
    void cyclesAreReportedWithTheCycle() {
        List<String> p = problems("""
                spec:
                  entrypoint: d
                  templates:
                  - name: d
                    dag:
                      tasks:
                      - {name: A, template: t, depends: C}
                      - {name: B, template: t, depends: A}
                      - {name: C, template: t, depends: B}
                      - {name: X, template: t}
                  - {name: t, plugin: {known: {}}}
                """);
        assertThat(p).singleElement().asString().startsWith("hello.yaml: spec.templates[d].dag.tasks[")
                .contains("dependency cycle: ").contains("A -> B -> C -> A");
    }

    @Test
    void everyCycleIsReportedOnceAndTasksMerelyBehindOneAreNot() {
        List<String> p = problems("""
                spec:
                  entrypoint: d
                  templates:
                  - name: d
                    dag:
                      tasks:
                      - {name: A, template: t, dependencies: [B]}
                      - {name: B, template: t, dependencies: [A]}
                      - {name: Behind, template: t, dependencies: [A, X]}
                      - {name: X, template: t}
                      - {name: P, template: t, depends: Q && X}
                      - {name: Q, template: t, depends: P}
                  - {name: t, plugin: {known: {}}}
                """);
        assertThat(p).hasSize(2);
        assertThat(p).anySatisfy(e -> assertThat(e).contains("A -> B -> A").doesNotContain("Behind"));
        assertThat(p).anySatisfy(e -> assertThat(e).contains("dependency cycle: ").contains("P").contains("Q")
                .doesNotContain("X"));
    }

    @Test
    void severalProblemsAreReportedTogether() {
        List<String> p = problems("""
                spec:
                  entrypoint: missing
                  onExit: nothere
                  templates:
                  - name: main
                    timeout: 10 minutes
                    retryStrategy: {limit: "x", backoff: {duration: "1q"}}
                    steps:
                    - - {name: s, template: greet}
                      - {name: s, template: nope}
                  - name: greet
                    inputs: {parameters: [{name: who}]}
                    plugin: {unknownhandler: {}}
                  - name: greet
                    container: {image: busybox, command: [echo]}
                """);
        assertThat(p).contains(
                "hello.yaml: spec.templates[greet]: duplicate template name 'greet'",
                "hello.yaml: spec.entrypoint: unknown template 'missing' (templates: main, greet)",
                "hello.yaml: spec.onExit: unknown template 'nothere' (templates: main, greet)",
                "hello.yaml: spec.templates[main].timeout: malformed duration '10 minutes' (expected e.g. 30s, "
                        + "1m30s, 2h or a number of seconds)",
                "hello.yaml: spec.templates[main].retryStrategy.limit: expected an integer, got 'x'",
                "hello.yaml: spec.templates[main].retryStrategy.backoff.duration: malformed duration '1q' "
                        + "(expected e.g. 30s, 1m30s, 2h or a number of seconds)",
                "hello.yaml: spec.templates[main].steps[0][s].arguments: template 'greet' requires input "
                        + "parameter 'who' but the call does not supply it",
                "hello.yaml: spec.templates[main].steps[0][s]: duplicate step name 's'",
                "hello.yaml: spec.templates[main].steps[0][s].template: unknown template 'nope' (templates: main,"
                        + " greet)",
                "hello.yaml: spec.templates[greet].plugin: unknown Java handler 'unknownhandler' in template "
                        + "'greet' (register a TaskHandler under that name)");
    }

    @Test
    void missingEntrypointIsReported() {
        assertThat(problems("""
                spec:
                  templates:
                  - {name: t, plugin: {known: {}}}
                """)).containsExactly("hello.yaml: spec.entrypoint: missing: name the template the run starts with");
    }

    @Test
    void entrypointInputsMustComeFromWorkflowArguments() {
        assertThat(problems("""
                spec:
                  entrypoint: t
                  templates:
                  - {name: t, inputs: {parameters: [{name: msg}]}, plugin: {known: {}}}
                """)).containsExactly("hello.yaml: spec.arguments: template 't' requires input parameter 'msg' "
                + "but the workflow arguments do not supply it");
    }

    @Test
    void templatedDurationsAreLeftForRunTime() {
        assertThat(problems("""
                spec:
                  entrypoint: t
                  arguments: {parameters: [{name: to, value: 5s}]}
                  templates:
                  - {name: t, timeout: "{{workflow.parameters.to}}", plugin: {known: {}}}
                """)).isEmpty();
    }

    @Test
    void unclosedBracesAreReported() {
        assertThat(problems("""
                spec:
                  entrypoint: t
                  templates:
                  - name: t
                    container: {image: busybox, command: [echo, "{{inputs.parameters.x"]}
                """)).containsExactly("hello.yaml: spec.templates[t].container.command[1]: unclosed '{{' at "
                + "position 0 in '{{inputs.parameters.x'");
    }

    @Test
    void templateWithoutBodyIsReported() {
        assertThat(problems("""
                spec:
                  entrypoint: t
                  templates:
                  - {name: t}
                """)).containsExactly("hello.yaml: spec.templates[t]: template 't' has no body: set one of "
                + "container, script, dag, steps, plugin");
    }

    @Test
    void malformedExpressionsAreReportedBeforeAnythingRuns() {
        assertThat(problems("""
                spec:
                  entrypoint: t
                  arguments: {parameters: [{name: cfg, value: "{}"}]}
                  templates:
                  - name: t
                    inputs:
                      parameters:
                      - {name: a, value: "{{=jsonpath(workflow.parameters.cfg, '$.a'}}"}
                    container: {image: busybox, command: [echo, "{{inputs.parameters.a}}"]}
                """)).singleElement().asString()
                .startsWith("hello.yaml: spec.templates[t].inputs.parameters[a].value: ")
                .contains("jsonpath(workflow.parameters.cfg, '$.a'").contains("position");
    }
}
