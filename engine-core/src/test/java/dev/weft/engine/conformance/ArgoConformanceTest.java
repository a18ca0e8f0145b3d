package dev.weft.engine.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.engine.Engine;
import dev.weft.engine.EngineConfig;
import dev.weft.engine.store.StorageSettings;
import dev.weft.storage.spi.StoreConfig;
import dev.weft.engine.NodePhase;
import dev.weft.engine.NodeStatus;
import dev.weft.engine.NodeType;
import dev.weft.engine.RunResult;
import dev.weft.engine.WorkflowRun;
import dev.weft.engine.expr.DefaultExpressions;
import dev.weft.engine.model.Workflow;
import dev.weft.engine.spec.WorkflowReader;
import dev.weft.engine.task.process.ProcessSandbox;
import dev.weft.engine.task.process.SandboxFactory;
import dev.weft.engine.task.process.SandboxSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs every Argo example in {@code conformance/argo} and prints a table (file, expected, got, reason). The 34
 * examples without artifacts must reach the phase Argo gives them (at least 31), with deterministic outputs checked;
 * the 6 artifact examples run on the fs store (integration-tests runs them again through the S3 plugin).
 *
 * <p>Two examples sleep for minutes by design (parallelism-*); they run with a {@code sleep} on the task's PATH that
 * sleeps a hundredth of the time, so ordering and limits are still exercised. {@code forever.yaml} runs under a
 * 3-second run deadline from the engine config.
 */
class ArgoConformanceTest {

    private static final Set<String> ARTIFACT_EXAMPLES = Set.of("artifact-passing.yaml",
            "artifact-passing-subpath.yaml", "conditional-artifacts.yaml", "global-outputs.yaml",
            "handle-large-output-results.yaml", "artifact-repository-ref.yaml");
    private static final Set<String> TIME_SCALED = Set.of("parallelism-nested-workflow.yaml",
            "parallelism-template-limit.yaml");

    private static ProcessSandbox sandbox;
    private static Engine engine;
    private static Engine scaledEngine;
    private static Engine deadlineEngine;
    private static Path bin;

    record Expectation(Set<NodePhase> phases, Function<RunResult, Optional<String>> check) {
    }

    record Row(String file, String expected, String got, boolean pass, String reason) {
    }

    @BeforeAll
    static void start() throws Exception {
        Path work = Path.of(System.getProperty("user.dir"), "target", "conformance-work");
        EngineConfig config = EngineConfig.defaults().withWorkRoot(work);
        // artifact-repository-ref.yaml names the repository "my-key": configure it beside the default one.
        Path artifacts = work.resolveSibling("conformance-artifacts");
        StorageSettings storage = new StorageSettings(work.resolveSibling("no-plugins"), Map.of(
                "default", StoreConfig.of("default", "fs", Map.of("root", artifacts.resolve("default").toString())),
                "my-key", StoreConfig.of("my-key", "fs", Map.of("root", artifacts.resolve("my-key").toString()))));
        sandbox = new SandboxFactory(new SandboxSettings(work, SandboxSettings.DEFAULT_ALIASES, Optional.empty()))
                .create();
        engine = Engine.builder().config(config).expressions(new DefaultExpressions()).processSandbox(sandbox)
                .storage(storage).build();
        // not under /tmp: every sandbox mode gives the task its own /tmp
        // Not under /tmp (every sandbox mode gives a task its own /tmp), and not under the project either: a clone
        // may itself live under /tmp. The default work root (/var/tmp/weft-<user>) is visible to every mode.
        bin = Files.createDirectories(SandboxSettings.defaultWorkRoot()
                .resolve("conformance-fastbin-" + ProcessHandle.current().pid()));
        Path sleep = bin.resolve("sleep");
        Files.writeString(sleep, "#!/bin/sh\n# a hundredth of the requested time\n"
                + "t=$(echo \"$1\" | sed 's/s$//')\nexec /bin/sleep $(awk \"BEGIN{print $t/100}\")\n");
        Files.setPosixFilePermissions(sleep, PosixFilePermissions.fromString("rwxr-xr-x"));
        scaledEngine = Engine.builder().config(config.withExtraEnv(Map.of("PATH", bin + ":" + System.getenv("PATH"))))
                .expressions(new DefaultExpressions()).processSandbox(sandbox).storage(storage).build();
        deadlineEngine = Engine.builder().config(config.withDefaultDeadline(Duration.ofSeconds(3)))
                .expressions(new DefaultExpressions()).processSandbox(sandbox).storage(storage).build();
        System.out.println("Conformance sandbox: " + sandbox.describe());
    }

    @AfterAll
    static void stop() throws java.io.IOException {
        Stream.of(engine, scaledEngine, deadlineEngine).forEach(Engine::close);
        // The shim lives outside target/: remove it rather than leave one folder per test run behind.
        Files.deleteIfExists(bin.resolve("sleep"));
        Files.deleteIfExists(bin);
    }

    // ------------------------------------------------------------------------------------------ expectations

    private static Map<String, Expectation> expectations() {
        Map<String, Expectation> e = new LinkedHashMap<>();
        e.put("artifact-passing.yaml", ok(r -> result(r, "consume-artifact", "hello world")));
        e.put("artifact-passing-subpath.yaml", ok(r -> all(resultContains(r, "list-artifact", "hello_world.txt"),
                result(r, "consume-artifact", "hello world"))));
        e.put("artifact-repository-ref.yaml", ok(r -> storedIn(r, "hello_world", "my-key")));
        e.put("conditional-artifacts.yaml", ok(r -> storedIn(r, "result", "default")));
        e.put("global-outputs.yaml", ok(r -> all(result(r, "consume-global-param", "hello world"),
                result(r, "consume-global-art", "hello world"))));
        e.put("handle-large-output-results.yaml", ok(r -> all(count(r, "sequence-param(", 3, 3),
                result(r, "sequence-param(0:0)", "\"a\""), result(r, "sequence-param(2:2)", "\"c\""))));
        e.put("coinflip.yaml", ok(r -> oneOf(r, "heads", "tails")));
        e.put("conditionals-complex.yaml", ok(r -> oneOf(r, "heads", "tails")));
        e.put("dag-coinflip.yaml", ok(r -> count(r, "flip-coin", 4, Integer.MAX_VALUE)));
        e.put("dag-enhanced-depends.yaml", ok(r -> all(
                phase(r, "C", NodePhase.FAILED), phase(r, "should-not-execute", NodePhase.OMITTED),
                phase(r, "should-execute-1", NodePhase.SUCCEEDED), phase(r, "should-execute-2", NodePhase.SUCCEEDED),
                phase(r, "should-execute-3", NodePhase.SUCCEEDED))));
        e.put("dag-nested.yaml", ok(r -> all(pods(r, 16), before(r, "AA", "AD"), before(r, "AD", "BA"),
                before(r, "CD", "DA"), before(r, "BD", "DA"))));
        e.put("exit-code-output-variable.yaml", ok(r -> result(r, "echo-container", "Exit code was: 123")));
        e.put("exit-handler-dag-level.yaml", ok(r -> count(r, ".onExit", 4, 4)));
        e.put("exit-handler-step-level.yaml", ok(r -> count(r, ".onExit", 3, 3)));
        e.put("exit-handler-with-param.yaml", ok(r -> result(r, "step-1.onExit", "hello world")));
        e.put("expression-destructure-json-complex.yaml", ok(r -> resultContains(r, null, "Baris")));
        e.put("expression-destructure-json.yaml", ok(r -> result(r, null, "123")));
        e.put("expression-reusing-verbose-snippets.yaml", ok(r -> result(r, null,
                "The week's average temperature was 35.8 with a minimum of 15 and a maximum of 57.")));
        e.put("forever.yaml", new Expectation(Set.of(NodePhase.FAILED), r -> r.message().toLowerCase().contains("deadline")
                && r.nodes().get(0).message().contains("killed")
                ? Optional.empty() : Optional.of("message does not mention the deadline: " + r.message())));
        e.put("gc-ttl.yaml", ok(r -> result(r, null, "hello world")));
        e.put("hello-world.yaml", ok(r -> result(r, null, "hello world")));
        e.put("image-pull-secrets.yaml", ok(r -> result(r, null, "hello world")));
        e.put("loops-arbitrary-sequential-steps.yaml", new Expectation(Set.of(NodePhase.FAILED), r -> all(
                count(r, "unit-step(", 4, 4), phase(r, "unit-step(3:exit_code:1,message:will fail and stop here)",
                        NodePhase.FAILED))));
        e.put("loops-maps.yaml", ok(r -> count(r, "test-linux(", 4, 4)));
        e.put("loops-param-argument.yaml", ok(r -> count(r, "test-linux(", 4, 4)));
        e.put("loops-sequence.yaml", ok(r -> all(count(r, "sequence-count(", 5, 5),
                count(r, "sequence-start-end(", 6, 6), count(r, "sequence-param(", 3, 3),
                count(r, "sequence-negative(", 6, 6), result(r, "sequence-format(4:testuser04)", "testuser04"),
                result(r, "sequence-param(2:202)", "202"))));
        e.put("loops.yaml", ok(r -> all(result(r, "print-message-loop(0:hello world)", "hello world"),
                result(r, "print-message-loop(1:goodbye world)", "goodbye world"))));
        e.put("output-parameter.yaml", ok(r -> result(r, "consume-parameter", "hello world")));
        e.put("parallelism-nested-workflow.yaml", ok(r -> all(pods(r, 8), maxOverlap(r, 2))));
        e.put("parallelism-template-limit.yaml", ok(r -> all(pods(r, 10), maxOverlap(r, 2))));
        e.put("parameter-aggregation-dag.yaml", ok(r -> all(count(r, "divide-by-2(", 4, 4),
                result(r, "print(0:1)", "1"), result(r, "print(1:2)", "2"), count(r, "print(", 2, 2))));
        e.put("pod-resources.yaml", ok(r -> result(r, null, "hello world")));
        e.put("recursive-for-loop.yaml", ok(r -> all(count(r, "iterate-counter", 10, 10),
                result(r, "iterate-counter", "1"))));
        e.put("resource-claims-template-override.yaml", ok(r -> result(r, "other-device",
                "using a different device")));
        e.put("resource-claims.yaml", ok(r -> result(r, null, "using the allocated device")));
        e.put("scripts-javascript.yaml", ok(r -> r.node("print").flatMap(n -> n.outputs().result())
                .filter(s -> s.matches("result was: \\d+")).isPresent() ? Optional.empty()
                : Optional.of("print did not echo a number")));
        e.put("status-reference.yaml", ok(r -> all(phase(r, "failed", NodePhase.SUCCEEDED),
                phase(r, "succeeded", NodePhase.SKIPPED))));
        e.put("step-level-timeout.yaml", new Expectation(Set.of(NodePhase.FAILED), r -> all(
                messageContains(r, "sleep1", "timeout"), messageContains(r, "sleep2", "timeout"))));
        // random by design: exit code random.choice([0, 1, 1]) with two retries
        e.put("template-defaults.yaml", new Expectation(Set.of(NodePhase.SUCCEEDED, NodePhase.FAILED), r ->
                r.phase() == NodePhase.SUCCEEDED ? result(r, "hello-world", "hello world")
                        : phase(r, "retry-backoff", NodePhase.FAILED)));
        e.put("title-and-description-with-markdown.yaml", ok(r -> result(r, null, "hello world")));
        return e;
    }

    // ------------------------------------------------------------------------------------------ the test

    @Test
    void argoExamplesReachTheirArgoPhase() throws Exception {
        Path dir = Path.of(getClass().getResource("/conformance/argo").toURI());
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        Map<String, Expectation> expected = expectations();
        WorkflowReader reader = new WorkflowReader();
        Map<String, CompletableFuture<Row>> running = new LinkedHashMap<>();
        for (Path f : files) {
            String file = f.getFileName().toString();
            Workflow wf;
            try {
                wf = reader.read(f);
                engine.validate(wf, file);
            } catch (RuntimeException ex) {
                running.put(file, CompletableFuture.completedFuture(new Row(file, "parse+validate", "rejected",
                        false, ex.getMessage())));
                continue;
            }
            Expectation exp = expected.get(file);
            if (exp == null) {
                running.put(file, CompletableFuture.completedFuture(new Row(file, "?", "-", false,
                        "no expectation written for this file")));
                continue;
            }
            Engine which = TIME_SCALED.contains(file) ? scaledEngine
                    : file.equals("forever.yaml") ? deadlineEngine : engine;
            WorkflowRun run = which.submit(wf, Map.of(), file, List.of());
            running.put(file, run.completion().orTimeout(3, TimeUnit.MINUTES).handle((r, ex) -> {
                String want = exp.phases().stream().map(NodePhase::argoName).sorted()
                        .reduce((a, b) -> a + "|" + b).orElse("");
                if (ex != null) {
                    return new Row(file, want, "no result", false, String.valueOf(ex));
                }
                if (!exp.phases().contains(r.phase())) {
                    return new Row(file, want, r.phase().argoName(), false, r.message());
                }
                Optional<String> problem;
                try {
                    problem = exp.check().apply(r);
                } catch (RuntimeException e2) {
                    problem = Optional.of("check failed: " + e2);
                }
                NodeStatus root = r.nodes().get(0);
                String took = root.startedAt().flatMap(s0 -> root.finishedAt().map(f0 -> Duration.between(s0, f0)))
                        .map(d -> " (" + d.toMillis() + " ms)").orElse("");
                return new Row(file, want, r.phase().argoName() + took, problem.isEmpty(),
                        problem.orElse(r.message().isEmpty() ? "outputs checked" : "outputs checked; " + r.message()));
            }));
        }
        List<Row> rows = new ArrayList<>();
        for (CompletableFuture<Row> f : running.values()) {
            rows.add(f.get());
        }
        StringBuilder table = new StringBuilder("\n| file | expected | got | pass | reason |\n|---|---|---|---|---|\n");
        for (Row r : rows) {
            table.append("| ").append(r.file()).append(" | ").append(r.expected()).append(" | ").append(r.got())
                    .append(" | ").append(r.pass() ? "yes" : "NO").append(" | ")
                    .append(r.reason().replace("\n", " ").replace("|", "/")).append(" |\n");
        }
        long runnable = rows.stream().filter(r -> !ARTIFACT_EXAMPLES.contains(r.file())).count();
        long passed = rows.stream().filter(r -> !ARTIFACT_EXAMPLES.contains(r.file()) && r.pass()).count();
        long artifactPassed = rows.stream().filter(r -> ARTIFACT_EXAMPLES.contains(r.file()) && r.pass()).count();
        table.append("\nexamples without artifacts passing: ").append(passed).append(" of ").append(runnable)
                .append("; artifact examples passing (fs store): ").append(artifactPassed).append(" of ")
                .append(ARTIFACT_EXAMPLES.size()).append('\n');
        System.out.println(table);
        Files.writeString(Path.of(System.getProperty("user.dir"), "target", "conformance-table.md"), table);
        assertThat(runnable).isEqualTo(34);
        assertThat(artifactPassed).as(table.toString()).isEqualTo(ARTIFACT_EXAMPLES.size());
        assertThat(passed).as(table.toString()).isGreaterThanOrEqualTo(31);
    }

    @Test
    void foreverIsStoppedByCancel() throws Exception {
        Workflow wf = new WorkflowReader().read(Path.of(getClass().getResource("/conformance/argo/forever.yaml")
                .toURI()));
        WorkflowRun run = engine.submit(wf, Map.of(), "forever.yaml", List.of());
        // wait until the process is running (not a timing assertion: just a bounded wait for a state)
        Instant until = Instant.now().plusSeconds(60);
        while (run.nodes().stream().noneMatch(n -> n.phase() == NodePhase.RUNNING && n.type() == NodeType.POD)
                && Instant.now().isBefore(until)) {
            Thread.sleep(20);
        }
        run.cancel();
        RunResult r = run.await(Duration.ofSeconds(60));
        assertThat(r.phase()).isEqualTo(NodePhase.FAILED);
        assertThat(r.message()).contains("cancelled");
        assertThat(r.nodes().get(0).outputs().exitCode()).isPresent();
    }

    // ------------------------------------------------------------------------------------------ checks

    private static Expectation ok(Function<RunResult, Optional<String>> check) {
        return new Expectation(Set.of(NodePhase.SUCCEEDED), check);
    }

    @SafeVarargs
    private static Optional<String> all(Optional<String>... checks) {
        return Stream.of(checks).flatMap(Optional::stream).reduce((a, b) -> a + "; " + b);
    }

    private static Optional<String> phase(RunResult r, String display, NodePhase p) {
        Optional<NodeStatus> n = r.node(display);
        if (n.isEmpty()) {
            return Optional.of("no node '" + display + "'");
        }
        return n.get().phase() == p ? Optional.empty()
                : Optional.of(display + " is " + n.get().phase().argoName() + ", expected " + p.argoName());
    }

    private static Optional<String> result(RunResult r, String display, String want) {
        Optional<NodeStatus> n = display == null ? Optional.of(r.nodes().get(0)) : r.node(display);
        if (n.isEmpty()) {
            return Optional.of("no node '" + display + "'");
        }
        Optional<String> got = n.get().outputs().result();
        return got.equals(Optional.of(want)) ? Optional.empty()
                : Optional.of((display == null ? "root" : display) + " result " + got.orElse("(none)") + " != "
                + want);
    }

    private static Optional<String> storedIn(RunResult r, String artifact, String repository) {
        return r.nodes().stream()
                .flatMap(n -> Optional.ofNullable(n.outputs().artifacts().get(artifact)).stream())
                .flatMap(a -> a.location().stream())
                .filter(l -> l.repository().equals(repository) && l.size() > 0)
                .findFirst().map(l -> Optional.<String>empty())
                .orElse(Optional.of("no output artifact '" + artifact + "' stored in repository '" + repository + "'"));
    }

    private static Optional<String> resultContains(RunResult r, String display, String want) {
        NodeStatus n = display == null ? r.nodes().get(0) : r.node(display).orElseThrow();
        return n.outputs().result().filter(s -> s.contains(want)).isPresent() ? Optional.empty()
                : Optional.of("result " + n.outputs().result().orElse("(none)") + " lacks " + want);
    }

    private static Optional<String> messageContains(RunResult r, String display, String want) {
        Optional<NodeStatus> n = r.node(display);
        return n.isPresent() && n.get().message().contains(want) ? Optional.empty()
                : Optional.of(display + " message lacks '" + want + "': " + n.map(NodeStatus::message).orElse("-"));
    }

    private static Optional<String> count(RunResult r, String displayPart, int min, int max) {
        long c = r.nodes().stream().filter(n -> n.displayName().contains(displayPart)
                && n.type() != NodeType.TASK_GROUP && n.type() != NodeType.RETRY).count();
        return c >= min && c <= max ? Optional.empty()
                : Optional.of(c + " nodes named like '" + displayPart + "', expected " + min + ".." + max);
    }

    private static Optional<String> pods(RunResult r, int n) {
        long c = r.nodes().stream().filter(x -> x.type() == NodeType.POD && x.phase() == NodePhase.SUCCEEDED).count();
        return c == n ? Optional.empty() : Optional.of(c + " successful tasks, expected " + n);
    }

    private static Optional<String> oneOf(RunResult r, String a, String b) {
        Optional<NodeStatus> x = r.node(a);
        Optional<NodeStatus> y = r.node(b);
        if (x.isEmpty() || y.isEmpty()) {
            return Optional.of("missing " + a + " or " + b);
        }
        boolean okA = x.get().phase() == NodePhase.SUCCEEDED && y.get().phase() == NodePhase.SKIPPED;
        boolean okB = y.get().phase() == NodePhase.SUCCEEDED && x.get().phase() == NodePhase.SKIPPED;
        return okA || okB ? Optional.empty() : Optional.of("expected exactly one of " + a + "/" + b + " to run");
    }

    /** Task A's echo (result {@code a}) finished before task B's (result {@code b}) started. */
    private static Optional<String> before(RunResult r, String a, String b) {
        Optional<NodeStatus> x = r.nodes().stream().filter(n -> n.outputs().result().equals(Optional.of(a)))
                .findFirst();
        Optional<NodeStatus> y = r.nodes().stream().filter(n -> n.outputs().result().equals(Optional.of(b)))
                .findFirst();
        if (x.isEmpty() || y.isEmpty()) {
            return Optional.of("missing echo " + a + " or " + b);
        }
        return !x.get().finishedAt().orElseThrow().isAfter(y.get().startedAt().orElseThrow()) ? Optional.empty()
                : Optional.of(a + " did not finish before " + b + " started");
    }

    /** The most task processes that were running at once, from the nodes' start and finish times. */
    private static Optional<String> maxOverlap(RunResult r, int limit) {
        List<NodeStatus> pods = r.nodes().stream().filter(n -> n.type() == NodeType.POD).toList();
        List<long[]> events = new ArrayList<>();
        for (NodeStatus p : pods) {
            events.add(new long[] {toNanos(p.startedAt().orElseThrow()), 1});
            events.add(new long[] {toNanos(p.finishedAt().orElseThrow()), -1});
        }
        events.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
        int now = 0;
        int max = 0;
        for (long[] e : events) {
            now += (int) e[1];
            max = Math.max(max, now);
        }
        return max <= limit ? Optional.empty() : Optional.of(max + " tasks ran at once, limit " + limit);
    }

    private static long toNanos(Instant i) {
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }
}
