package dev.weft.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.weft.engine.Engine;
import dev.weft.engine.NodePhase;
import dev.weft.engine.NodeStatus;
import dev.weft.engine.NodeType;
import dev.weft.engine.RunListener;
import dev.weft.engine.RunResult;
import dev.weft.engine.WorkflowRun;
import dev.weft.engine.model.ArtifactLocation;
import dev.weft.engine.spec.WorkflowSpecException;
import dev.weft.cli.handlers.WordCountHandler;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code weft run}: runs a workflow file with progress lines and a summary. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a workflow file with a progress display (a live table on a terminal, one line per "
                + "node phase change in logs and CI), then a summary (phase, duration, outputs, artifact keys).",
                "Exit codes: 0 Succeeded, 1 Failed or Error, 2 invalid input, 4 cancelled or deadline exceeded."})
final class RunCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "The workflow (Argo Workflow YAML or JSON).")
    Path file;

    @Option(names = {"-p", "--parameter"}, paramLabel = "NAME=VALUE",
            description = "A workflow parameter (spec.arguments.parameters). Repeatable.")
    Map<String, String> parameters = new LinkedHashMap<>();

    @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "text",
            description = "Summary format: text (default) or json.")
    String output;

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
            description = "Progress display: auto (live on an interactive terminal outside CI, plain otherwise), "
                    + "live, plain or none.")
    String progress;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "PT24H",
            description = "Cancel the run after this long (ISO-8601, e.g. PT10M). Default PT24H.")
    Duration timeout;

    @Mixin
    StoreOptions store;

    @Mixin
    HistoryOptions history;

    @Mixin
    LimitOptions limits;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        WorkflowFiles.read(file, limits.limits()); // read errors as one-line user errors, before anything starts
        String text = java.nio.file.Files.readString(file);
        boolean json = "json".equalsIgnoreCase(output);
        try (Engine engine = Engine.builder().config(limits.engineConfig().withWorkRoot(history.workRoot()))
                .storage(store.storageSettings())
                .probeSandbox().runStore(history.open()).handler(WordCountHandler.NAME, new WordCountHandler())
                .build()) {
            Instant start = Instant.now();
            List<RunListener> listeners = json ? List.of() : progressListeners(out, start);
            WorkflowRun run;
            try {
                run = engine.submitYaml(text, file.getFileName().toString(), parameters, listeners);
            } catch (WorkflowSpecException e) {
                e.errors().forEach(error -> err.println(error));
                err.flush();
                return ExitCodes.USAGE;
            }
            if (!json) {
                out.println("Name: " + run.name() + " (see weft get/logs " + run.name() + ")");
                out.flush();
            }
            RunResult result;
            try {
                result = run.await(timeout);
            } catch (java.util.concurrent.TimeoutException e) {
                run.cancel();
                err.println("weft: run " + run.name() + " exceeded --timeout " + timeout + "; cancelled");
                err.flush();
                return ExitCodes.CANCELLED;
            }
            Duration took = Duration.between(start, Instant.now());
            if (json) {
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsString(summary(result, took)));
            } else {
                printSummary(out, result, took);
            }
            out.flush();
            return exitCode(result);
        }
    }

    private List<RunListener> progressListeners(PrintWriter out, Instant start) {
        String mode = progress.toLowerCase(java.util.Locale.ROOT);
        if (mode.equals("auto")) {
            boolean ci = System.getenv("CI") != null && !System.getenv("CI").isBlank();
            mode = System.console() != null && !ci ? "live" : "plain";
        }
        return switch (mode) {
            case "live" -> List.of(new LiveProgress(out));
            case "plain" -> List.of(new ProgressLines(out, start));
            case "none" -> List.of();
            default -> throw new CliException("--progress must be auto, live, plain or none, not '" + progress + "'");
        };
    }

    static int exitCode(RunResult result) {
        return switch (result.outcome()) {
            case SUCCEEDED -> ExitCodes.OK;
            case CANCELLED, DEADLINE_EXCEEDED -> ExitCodes.CANCELLED;
            case FAILED, ERROR -> ExitCodes.WORKFLOW_FAILED;
        };
    }

    private static void printSummary(PrintWriter out, RunResult result, Duration took) {
        out.println();
        out.println("Workflow " + result.name() + " " + result.phase().argoName() + " in " + format(took)
                + (result.message().isEmpty() ? "" : ": " + result.message()));
        NodeStatus root = result.nodes().get(0);
        root.outputs().result().filter(r -> !r.isBlank()).ifPresent(r -> out.println("Result: " + r));
        root.outputs().parameters().forEach((k, v) -> out.println("Output " + k + " = " + v));
        result.globalOutputs().forEach((k, v) -> out.println("Global output " + k + " = " + v));
        for (Map<String, Object> artifact : artifacts(result)) {
            out.println("Artifact " + artifact.get("node") + "/" + artifact.get("name") + " -> "
                    + artifact.get("repository") + ":" + artifact.get("key") + " (" + artifact.get("size")
                    + " bytes, sha256 " + artifact.get("sha256") + ")");
        }
    }

    private static Map<String, Object> summary(RunResult result, Duration took) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("name", result.name());
        summary.put("phase", result.phase().argoName());
        summary.put("outcome", result.outcome().name().toLowerCase(java.util.Locale.ROOT));
        summary.put("message", result.message());
        summary.put("durationMillis", took.toMillis());
        summary.put("globalOutputs", result.globalOutputs());
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (NodeStatus node : result.nodes()) {
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("name", node.name());
            n.put("displayName", node.displayName());
            n.put("type", node.type().name());
            n.put("phase", node.phase().argoName());
            n.put("message", node.message());
            node.outputs().result().ifPresent(r -> n.put("result", r));
            n.put("parameters", node.outputs().parameters());
            nodes.add(n);
        }
        summary.put("nodes", nodes);
        summary.put("artifacts", artifacts(result));
        return summary;
    }

    /** Every stored output artifact once (parents repeat their children's outputs). */
    private static List<Map<String, Object>> artifacts(RunResult result) {
        Map<String, Map<String, Object>> byKey = new LinkedHashMap<>();
        for (NodeStatus node : result.nodes()) {
            node.outputs().artifacts().forEach((name, artifact) -> artifact.location().ifPresent(location -> {
                String id = location.repository() + ":" + location.key();
                byKey.putIfAbsent(id, describe(node, name, location));
            }));
        }
        return List.copyOf(byKey.values());
    }

    private static Map<String, Object> describe(NodeStatus node, String name, ArtifactLocation location) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("node", node.displayName());
        a.put("name", name);
        a.put("repository", location.repository());
        a.put("key", location.key());
        a.put("size", location.size());
        a.put("sha256", location.sha256());
        return a;
    }

    static String format(Duration d) {
        long millis = d.toMillis();
        return millis < 10_000 ? millis + " ms" : String.format("%.1f s", millis / 1000.0);
    }

    /** Plain progress: one line when a leaf node starts or finishes (no animation, safe for logs and CI). */
    private static final class ProgressLines implements RunListener {
        private final PrintWriter out;
        private final Instant start;

        ProgressLines(PrintWriter out, Instant start) {
            this.out = out;
            this.start = start;
        }

        @Override
        public void nodeChanged(String runName, NodeStatus node) {
            if (!node.type().isTask() && node.type() != NodeType.SKIPPED && !node.phase().isDone()) {
                return; // groups and DAGs report only when they finish; leaves report start and finish
            }
            if (node.phase() == NodePhase.PENDING) {
                return;
            }
            String took = node.startedAt().flatMap(s -> node.finishedAt().map(f -> " " + format(Duration.between(s, f))))
                    .orElse("");
            out.printf("%8s  %-10s %s%s%s%n", format(Duration.between(start, Instant.now())),
                    node.phase().argoName(), node.name(), took,
                    node.message().isEmpty() || node.phase() == NodePhase.RUNNING ? "" : "  (" + node.message() + ")");
            out.flush();
        }
    }
}
