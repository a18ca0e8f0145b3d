package dev.weft.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.engine.exec.NoArtifactStager;
import dev.weft.engine.model.Workflow;
import dev.weft.engine.spec.Limits;
import dev.weft.engine.spec.WorkflowReader;
import dev.weft.engine.spec.WorkflowSpecException;
import dev.weft.engine.task.TaskOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile documents and runs (issue 12, "hostile sizes"): each is refused while reading or validating, or stopped
 * at run time, with a message that names the file, the field or template, and the limit's key. Outcomes and
 * messages are asserted, never wall time; the await below is only a guard against a hang failing the build forever.
 */
class HostileInputTest {

    private static final Duration GUARD = Duration.ofMinutes(2);
    private static final String FILE = "hostile.yaml";

    private final AtomicInteger tasks = new AtomicInteger();
    private Engine engine = engine(Limits.defaults());

    @AfterEach
    void close() {
        engine.close();
    }

    private Engine engine(Limits limits) {
        return Engine.builder().config(EngineConfig.defaults().withLimits(limits))
                .artifactStager(new NoArtifactStager())
                .handler("noop", ctx -> {
                    tasks.incrementAndGet();
                    return TaskOutput.empty();
                })
                .handler("fail", ctx -> {
                    throw new IllegalStateException("fails on purpose");
                })
                .build();
    }

    /** A hostile input, the workflow parameters it is run with, and what its message must contain. */
    record Case(String name, String file, Supplier<String> document, Map<String, String> args,
                List<String> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** What happened: the message of the refusal or of the stopped run, and the run's result if there was one. */
    record Outcome(String message, RunResult result) {
    }

    private Outcome attempt(Case c) throws Exception {
        Workflow wf;
        try {
            wf = new WorkflowReader(engine.config().limits()).read(c.document().get(), c.file());
            return new Outcome("", engine.submit(wf, c.args(), c.file(), List.of()).await(GUARD));
        } catch (WorkflowSpecException e) {
            return new Outcome(e.getMessage(), null);
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("withSequence count 10^9 in steps, literal", FILE,
                        () -> steps("withSequence: {count: \"1000000000\"}"), Map.of(),
                        List.of(FILE, "spec.templates[main].steps[0][fan].withSequence.count",
                                "withSequence count 1000000000 exceeds the limit of 10000 items per loop",
                                "limits.loopItems")),
                new Case("withSequence count 10^9 in a dag, literal", FILE,
                        () -> dag("withSequence: {count: \"1000000000\"}"), Map.of(),
                        List.of(FILE, "spec.templates[main].dag.tasks[fan].withSequence.count",
                                "limits.loopItems")),
                new Case("withSequence count 10^9 in steps, from a parameter", FILE,
                        () -> withParameter("n", steps("withSequence: {count: \"{{workflow.parameters.n}}\"}")),
                        Map.of("n", "1000000000"),
                        List.of(FILE, "spec.templates[main].steps[0][fan].withSequence.count",
                                "withSequence count 1000000000 exceeds the limit of 10000 items per loop",
                                "limits.loopItems")),
                new Case("withSequence count 10^9 in a dag, from a parameter", FILE,
                        () -> withParameter("n", dag("withSequence: {count: \"{{workflow.parameters.n}}\"}")),
                        Map.of("n", "1000000000"),
                        List.of(FILE, "spec.templates[main].dag.tasks[fan].withSequence.count",
                                "withSequence count 1000000000", "limits.loopItems")),
                new Case("withSequence end 10^18 from a parameter", FILE,
                        () -> withParameter("n", dag("withSequence: {start: \"1\", end: \"{{workflow.parameters.n}}\"}")),
                        Map.of("n", "1000000000000000000"),
                        List.of(FILE, "spec.templates[main].dag.tasks[fan].withSequence.end", "limits.loopItems")),
                new Case("20,000 withItems", FILE, () -> steps("withItems: " + items(20_000)), Map.of(),
                        List.of(FILE, "spec.templates[main].steps[0][fan].withItems", "withItems of 20000 items",
                                "limits.loopItems")),
                new Case("withParam of 20,000 items", FILE,
                        () -> withParameter("items", dag("withParam: \"{{workflow.parameters.items}}\"")),
                        Map.of("items", items(20_000)),
                        List.of(FILE, "spec.templates[main].dag.tasks[fan].withParam", "withParam of 20000 items",
                                "limits.loopItems")),
                new Case("nested fan-out 1000 x 1000", FILE, HostileInputTest::nestedFanOut, Map.of(),
                        List.of(FILE, "spec.templates[inner].steps[0][leaf]", "100000 nodes per run",
                                "limits.nodesPerRun")),
                new Case("endless steps recursion", FILE, () -> """
                        apiVersion: argoproj.io/v1alpha1
                        kind: Workflow
                        metadata: {name: recurse}
                        spec:
                          entrypoint: again
                          templates:
                          - name: again
                            steps:
                            - - {name: deeper, template: again}
                        """, Map.of(),
                        List.of(FILE, "spec.templates[again]", "nested more than 100 deep", "limits.templateDepth",
                                "again -> again")),
                new Case("mutual dag recursion", FILE, () -> """
                        apiVersion: argoproj.io/v1alpha1
                        kind: Workflow
                        metadata: {name: ping-pong}
                        spec:
                          entrypoint: ping
                          templates:
                          - name: ping
                            dag:
                              tasks:
                              - {name: to-pong, template: pong}
                          - name: pong
                            dag:
                              tasks:
                              - {name: to-ping, template: ping}
                        """, Map.of(),
                        List.of(FILE, "nested more than 100 deep", "limits.templateDepth", "ping -> pong -> ping")),
                new Case("recursion whose when never turns false", FILE, () -> """
                        apiVersion: argoproj.io/v1alpha1
                        kind: Workflow
                        metadata: {name: coin}
                        spec:
                          entrypoint: flip
                          templates:
                          - name: flip
                            steps:
                            - - {name: toss, template: work}
                            - - {name: again, template: flip, when: "1 == 1"}
                          - name: work
                            plugin: {weft: {handler: noop}}
                        """, Map.of(),
                        List.of(FILE, "flip -> flip", "nested more than 100 deep", "limits.templateDepth")),
                new Case("a 50 MB scalar", FILE,
                        () -> steps("withItems: [a]") + "  x: \"" + "x".repeat(50 * 1024 * 1024) + "\"\n", Map.of(),
                        List.of(FILE, "the document is", "limits.documentSize")),
                new Case("a 2 MB scalar on one line", FILE,
                        () -> steps("withItems: [a]") + "  x: \"" + "x".repeat(2 * 1024 * 1024) + "\"\n", Map.of(),
                        List.of(FILE, "line 18", "limits.lineLength")),
                new Case("a 2 MB block scalar", FILE, () -> steps("withItems: [a]") + "  x: |\n"
                        + ("    " + "x".repeat(100) + "\n").repeat(21_000), Map.of(),
                        List.of(FILE, "spec.x", "a scalar of 2121000 characters", "limits.scalarSize")),
                new Case("a 1 MB mapping key (explicit)", FILE,
                        () -> steps("withItems: [a]") + "  ? " + "k".repeat(1024 * 1024) + "\n  : 1\n", Map.of(),
                        List.of(FILE, "line 18", "limits.lineLength")),
                new Case("a 100,000-character mapping key (explicit)", FILE,
                        () -> steps("withItems: [a]") + "  ? " + "k".repeat(100_000) + "\n  : 1\n", Map.of(),
                        List.of(FILE, "spec.kkkkkkkkkk", "a mapping key of 100000 characters", "limits.keySize")),
                new Case("a 100,000-character mapping key (plain, beyond YAML's own 1024)", FILE,
                        () -> steps("withItems: [a]") + "  " + "k".repeat(100_000) + ": 1\n", Map.of(),
                        List.of(FILE, "line ", "simple key")),
                new Case("a 100,000-character mapping key in JSON", "hostile.json",
                        () -> "{\"" + "k".repeat(100_000) + "\": 1}", Map.of(),
                        List.of("hostile.json", "line 1", "limits.keySize")),
                new Case("a 2 MB string in JSON", "hostile.json",
                        () -> "{\"kind\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}", Map.of(),
                        List.of("hostile.json", "limits.scalarSize")),
                new Case("billion laughs", FILE, HostileInputTest::billionLaughs, Map.of(),
                        List.of(FILE, "spec.lol.a5", "once its aliases are expanded", "limits.documentNodes")),
                new Case("many aliases", FILE, () -> steps("withItems: [a]") + "  base: &b x\n  refs: ["
                        + "*b, ".repeat(150) + "*b]\n", Map.of(),
                        List.of(FILE, "spec.refs[100]", "more than 100 YAML aliases", "limits.aliases")),
                new Case("an alias inside its own anchor", FILE, () -> steps("withItems: [a]")
                        + "  loop: &l [1, *l]\n", Map.of(),
                        List.of(FILE, "spec.loop[1]", "refers to no earlier anchor")),
                new Case("10,000 nested lists", FILE,
                        () -> steps("withItems: [a]") + "  x: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n",
                        Map.of(), List.of(FILE, "spec.x[0][0]", "nested more than 200 deep", "limits.nestingDepth")),
                new Case("10,000 nested maps", FILE,
                        () -> steps("withItems: [a]") + "  x: " + "{a: ".repeat(10_000) + "1" + "}".repeat(10_000)
                                + "\n", Map.of(),
                        List.of(FILE, "spec.x.a.a", "nested more than 200 deep", "limits.nestingDepth")),
                new Case("10,000 nested lists in JSON", "hostile.json",
                        () -> "{\"x\": " + "[".repeat(10_000) + "]".repeat(10_000) + "}", Map.of(),
                        List.of("hostile.json", "x[0][0]", "limits.nestingDepth")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void hostileInputIsRefusedOrStoppedWithAMessageNamingFileFieldAndLimit(Case c) throws Exception {
        Outcome o = attempt(c);
        String message = o.result() == null ? o.message() : o.result().message();
        assertThat(message).contains(c.expected());
        if (o.result() != null) {
            assertThat(o.result().outcome()).isIn(RunOutcome.FAILED, RunOutcome.ERROR);
            assertThat(o.result().phase()).isIn(NodePhase.FAILED, NodePhase.ERROR);
            // bounded: never more nodes than the limit plus the few the refusal itself needs
            assertThat(o.result().nodes().size()).isLessThanOrEqualTo(engine.config().limits().nodesPerRun() + 2_000);
        }
    }

    @Test
    void aLoopRefusedAtRunTimeStartsNoTask() throws Exception {
        Case c = cases().filter(x -> x.name().equals("withSequence count 10^9 in a dag, from a parameter"))
                .findFirst().orElseThrow();
        Outcome o = attempt(c);
        assertThat(o.result()).isNotNull();
        assertThat(tasks.get()).isZero();
        assertThat(o.result().nodes()).hasSizeLessThan(5);
    }

    @Test
    void raisingALimitLetsTheCasePass() throws Exception {
        Case c = cases().filter(x -> x.name().equals("20,000 withItems")).findFirst().orElseThrow();
        engine.close();
        engine = engine(Limits.defaults().with(Map.of("limits.loopItems", "20000")));
        Outcome o = attempt(c);
        assertThat(o.message()).isEmpty();
        assertThat(o.result().outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(tasks.get()).isEqualTo(20_000);
    }

    @Test
    void raisingTheTemplateDepthLetsADeepButFiniteRecursionFinish() throws Exception {
        // 150 levels: refused by the default (100), fine with 200
        String yaml = """
                apiVersion: argoproj.io/v1alpha1
                kind: Workflow
                metadata: {name: countdown}
                spec:
                  entrypoint: down
                  arguments: {parameters: [{name: n, value: "150"}]}
                  templates:
                  - name: down
                    inputs: {parameters: [{name: n}]}
                    steps:
                    - - {name: work, template: work}
                    - - name: again
                        template: down
                        when: "{{inputs.parameters.n}} > 1"
                        arguments: {parameters: [{name: n, value: "{{=asInt(inputs.parameters.n) - 1}}"}]}
                  - name: work
                    plugin: {weft: {handler: noop}}
                """;
        Case c = new Case("countdown", FILE, () -> yaml, Map.of(), List.of());
        Outcome refused = attempt(c);
        assertThat(refused.result().message()).contains("limits.templateDepth");
        engine.close();
        engine = engine(Limits.defaults().with(Map.of("limits.templateDepth", "200")));
        Outcome passed = attempt(c);
        assertThat(passed.result().message()).isEmpty();
        assertThat(passed.result().outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    }

    @Test
    void retriesWithoutEndStopAtTheNodeLimit() throws Exception {
        engine.close();
        engine = engine(Limits.defaults().with(Map.of("limits.nodesPerRun", "50")));
        Case c = new Case("retries", FILE, () -> """
                apiVersion: argoproj.io/v1alpha1
                kind: Workflow
                metadata: {name: retry}
                spec:
                  entrypoint: broken
                  templates:
                  - name: broken
                    retryStrategy: {limit: "1000000000", retryPolicy: Always}
                    plugin: {weft: {handler: fail}}
                """, Map.of(), List.of(FILE, "spec.templates[broken]", "50 nodes per run", "limits.nodesPerRun"));
        Outcome o = attempt(c);
        assertThat(o.result().message()).contains(c.expected());
        assertThat(o.result().outcome()).isEqualTo(RunOutcome.ERROR);
        assertThat(o.result().nodes()).hasSizeLessThanOrEqualTo(51);
    }

    @Test
    void aFileAboveTheDocumentLimitIsRefusedBeforeItIsRead(@TempDir Path dir) throws Exception {
        Path big = dir.resolve("big.yaml");
        Files.writeString(big, "x".repeat(64 * 1024));
        WorkflowReader reader = new WorkflowReader(Limits.defaults().with(Map.of("limits.documentSize", "1024")));
        assertThatThrownBy(() -> reader.read(big)).isInstanceOf(WorkflowSpecException.class)
                .hasMessageContaining("big.yaml").hasMessageContaining("65536 bytes")
                .hasMessageContaining("limits.documentSize");
    }

    @Test
    void anchorsAliasesAndMergeKeysReadAsArgoReadsThem() {
        String yaml = """
                apiVersion: argoproj.io/v1alpha1
                kind: Workflow
                metadata: {name: anchors}
                spec:
                  entrypoint: main
                  templates:
                  - name: main
                    steps:
                    - - name: a
                        template: work
                        withItems: &shared [x, y]
                      - name: b
                        template: work
                        withItems: *shared
                  - &work
                    name: work
                    plugin: {weft: {handler: &h noop}}
                  - <<: *work
                    name: work2
                  - name: work3
                    plugin: {weft: {handler: *h}}
                """;
        Workflow wf = new WorkflowReader().read(yaml, FILE);
        var steps = wf.spec().template("main").orElseThrow().steps().orElseThrow().get(0);
        assertThat(steps.get(1).withItems()).containsExactly("x", "y");
        assertThat(wf.spec().template("work2").orElseThrow().plugin().orElseThrow().handler()).isEqualTo("noop");
        assertThat(wf.spec().template("work3").orElseThrow().plugin().orElseThrow().handler()).isEqualTo("noop");
    }

    @Test
    void limitsAreReadFromConfigurationKeysAndCheckedByName() {
        Limits l = Limits.defaults().with(Map.of("limits.loopItems", "50_000", "limits.nodesPerRun", "7",
                "store.type", "ignored"));
        assertThat(l.loopItems()).isEqualTo(50_000);
        assertThat(l.nodesPerRun()).isEqualTo(7);
        assertThat(l.templateDepth()).isEqualTo(Limits.defaults().templateDepth());
        assertThatThrownBy(() -> Limits.defaults().with(Map.of("limits.loopitems", "5")))
                .hasMessageContaining("unknown limit 'limits.loopitems'").hasMessageContaining("limits.loopItems");
        assertThatThrownBy(() -> Limits.defaults().with(Map.of("limits.loopItems", "many")))
                .hasMessageContaining("limits.loopItems must be a whole number");
        assertThatThrownBy(() -> Limits.defaults().with(Map.of("limits.templateDepth", "0")))
                .hasMessageContaining("limits.templateDepth");
    }

    // ------------------------------------------------------------------------------------------ documents

    /** A steps workflow whose step {@code fan} loops as {@code loop} says. */
    private static String steps(String loop) {
        return """
                apiVersion: argoproj.io/v1alpha1
                kind: Workflow
                metadata: {name: fan}
                spec:
                  entrypoint: main
                  templates:
                  - name: main
                    steps:
                    - - name: fan
                        template: work
                        %s
                  - name: work
                    plugin: {weft: {handler: noop}}
                """.formatted(loop) + "  # end of templates\n"
                // four more lines so that a value appended by a case starts on line 18
                + "  # -\n  # -\n  # -\n";
    }

    /** A DAG workflow whose task {@code fan} loops as {@code loop} says. */
    private static String dag(String loop) {
        return """
                apiVersion: argoproj.io/v1alpha1
                kind: Workflow
                metadata: {name: fan}
                spec:
                  entrypoint: main
                  templates:
                  - name: main
                    dag:
                      tasks:
                      - name: fan
                        template: work
                        %s
                  - name: work
                    plugin: {weft: {handler: noop}}
                """.formatted(loop);
    }

    /** The workflow with a required workflow parameter {@code name}. */
    private static String withParameter(String name, String workflow) {
        return workflow.replace("  entrypoint: main\n",
                "  entrypoint: main\n  arguments: {parameters: [{name: " + name + "}]}\n");
    }

    private static String items(int n) {
        return IntStream.range(0, n).mapToObj(Integer::toString).collect(Collectors.joining(",", "[", "]"));
    }

    private static String nestedFanOut() {
        return """
                apiVersion: argoproj.io/v1alpha1
                kind: Workflow
                metadata: {name: million}
                spec:
                  entrypoint: outer
                  templates:
                  - name: outer
                    steps:
                    - - {name: row, template: inner, withSequence: {count: "1000"}}
                  - name: inner
                    steps:
                    - - {name: leaf, template: work, withSequence: {count: "1000"}}
                  - name: work
                    plugin: {weft: {handler: noop}}
                """;
    }

    private static String billionLaughs() {
        StringBuilder sb = new StringBuilder(steps("withItems: [a]"));
        sb.append("  lol:\n    a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < 10; i++) {
            sb.append("    a").append(i).append(": &a").append(i).append(" [")
                    .append(("*a" + (i - 1) + ", ").repeat(9)).append("*a").append(i - 1).append("]\n");
        }
        return sb.toString();
    }
}
