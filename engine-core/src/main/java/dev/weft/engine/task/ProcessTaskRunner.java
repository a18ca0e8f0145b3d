package dev.weft.engine.task;

import dev.weft.engine.EngineConfig;
import dev.weft.engine.NodePhase;
import dev.weft.engine.exec.ArtifactStager;
import dev.weft.engine.model.Artifact;
import dev.weft.engine.model.ContainerSpec;
import dev.weft.engine.model.EnvVar;
import dev.weft.engine.model.Parameter;
import dev.weft.engine.model.Template;
import dev.weft.engine.model.TemplateKind;
import dev.weft.engine.model.ValueFrom;
import dev.weft.engine.task.process.ProcessLaunch;
import dev.weft.engine.task.process.ProcessOutcome;
import dev.weft.engine.task.process.ProcessSandbox;
import dev.weft.engine.task.process.RunningProcess;
import dev.weft.engine.task.process.SandboxedTask;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Runs {@code container} and {@code script} templates as local processes, each in its own sandbox view. A script's
 * source is written to {@value #SCRIPT_PATH} inside the task and appended to the command (Argo's layout).
 * {@code outputs.result} is standard output, cut at {@link EngineConfig#maxResultBytes()}, without the trailing
 * newline; output parameters are read from their {@code valueFrom.path} in the task's view.
 */
public final class ProcessTaskRunner implements TaskRunner {

    /** Where a script's source lives inside the task. */
    public static final String SCRIPT_PATH = "/argo/staging/script";

    private final ProcessSandbox sandbox;
    private final EngineConfig config;

    /**
     * @param sandbox makes each task's private file system view
     * @param config  result size limit, stop grace, extra environment
     */
    public ProcessTaskRunner(ProcessSandbox sandbox, EngineConfig config) {
        this.sandbox = sandbox;
        this.config = config;
    }

    @Override
    public boolean supports(TemplateKind kind) {
        return kind == TemplateKind.CONTAINER || kind == TemplateKind.SCRIPT;
    }

    @Override
    public RunningTask start(TaskRequest request) throws Exception {
        Template t = request.template();
        ContainerSpec spec = t.process().orElseThrow();
        Set<String> owned = new LinkedHashSet<>();
        boolean script = spec.source().isPresent();
        if (script) {
            owned.add(SCRIPT_PATH);
        }
        t.inputs().artifacts().forEach(a -> a.path().ifPresent(owned::add));
        t.outputs().artifacts().forEach(a -> a.path().ifPresent(owned::add));
        t.outputs().parameters().forEach(p -> p.valueFrom().flatMap(ValueFrom::path).ifPresent(owned::add));
        SandboxedTask task = sandbox.prepare(request.nodeName(), owned);
        try {
            List<String> argv = new ArrayList<>(spec.command());
            if (script) {
                Path file = task.hostPath(SCRIPT_PATH);
                Files.createDirectories(file.getParent());
                Files.writeString(file, spec.source().get());
                // As Argo: executable, so `command: [sh, -c]` and shebang scripts run it directly.
                try {
                    Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString(
                            "rwxr-xr-x"));
                } catch (UnsupportedOperationException notPosix) {
                    // Windows: no modes.
                }
                argv.add(SCRIPT_PATH);
            }
            argv.addAll(spec.args());
            if (argv.isEmpty()) {
                throw new IllegalArgumentException("template '" + t.name() + "' has no command");
            }
            ArtifactStager.Context artifacts = new ArtifactStager.Context(request.workflowName(), request.nodeId(),
                    request.nodeName(), t, request.inputArtifacts(), task::hostPath);
            request.stager().stageInputs(artifacts);
            Map<String, String> env = new LinkedHashMap<>(config.extraEnv());
            for (EnvVar e : spec.env()) {
                env.put(e.name(), e.value());
            }
            RunningProcess process = task.start(new ProcessLaunch(argv, env, spec.workingDir()));
            CompletableFuture<TaskResult> done = process.completion().handle((outcome, error) -> {
                try {
                    if (error != null) {
                        return TaskResult.error("process failed: " + error.getMessage());
                    }
                    return result(request, task, outcome, artifacts);
                } finally {
                    task.close();
                }
            });
            return new RunningTask() {
                @Override
                public CompletableFuture<TaskResult> completion() {
                    return done;
                }

                @Override
                public void stop() {
                    process.stop(config.stopGrace());
                }
            };
        } catch (Exception | Error e) {
            task.close();
            throw e;
        }
    }

    private TaskResult result(TaskRequest request, SandboxedTask task, ProcessOutcome outcome,
                              ArtifactStager.Context artifacts) {
        if (outcome.sandboxFailure().isPresent()) {
            return TaskResult.error("the sandbox could not start the command: " + outcome.sandboxFailure().get());
        }
        request.logs().processOutput(outcome.stdout(), outcome.stderr());
        String stdout;
        try {
            stdout = head(outcome.stdout(), config.maxResultBytes());
        } catch (IOException e) {
            return TaskResult.error("cannot read standard output: " + e.getMessage());
        }
        Optional<String> result = Optional.of(stripNewline(stdout));
        Optional<Integer> exit = Optional.of(outcome.exitCode());
        if (outcome.exitCode() != 0) {
            return TaskResult.failed("Error (exit code " + outcome.exitCode() + ")" + stderrTail(outcome.stderr()),
                    exit, result);
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (Parameter p : request.template().outputs().parameters()) {
            Optional<ValueFrom> vf = p.valueFrom();
            Optional<String> value = Optional.empty();
            if (vf.flatMap(ValueFrom::path).isPresent()) {
                String path = vf.get().path().get();
                Path file;
                try {
                    file = task.outputPath(path, "output parameter '" + p.name() + "'");
                } catch (IllegalArgumentException escape) {
                    return new TaskResult(NodePhase.ERROR, escape.getMessage(), result, exit, params, Map.of());
                }
                try {
                    if (Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        value = Optional.of(stripNewline(head(file, config.maxResultBytes())));
                    }
                } catch (IOException e) {
                    value = Optional.empty();
                }
                if (value.isEmpty()) {
                    value = vf.get().defaultValue();
                }
                if (value.isEmpty()) {
                    return new TaskResult(NodePhase.ERROR, "output parameter '" + p.name() + "': cannot read '"
                            + path + "' and no default is declared", result, exit, params, Map.of());
                }
            } else {
                value = vf.flatMap(ValueFrom::defaultValue).or(p::value);
            }
            value.ifPresent(v -> params.put(p.name(), v));
        }
        Map<String, Artifact> outArtifacts;
        try {
            for (Artifact a : request.template().outputs().artifacts()) {
                a.path().ifPresent(path -> task.outputPath(path, "output artifact '" + a.name() + "'"));
            }
            outArtifacts = request.stager().collectOutputs(artifacts);
        } catch (Exception e) {
            return new TaskResult(NodePhase.ERROR, "output artifacts: " + e.getMessage(), result, exit, params,
                    Map.of());
        }
        return new TaskResult(NodePhase.SUCCEEDED, "", result, exit, params, outArtifacts);
    }

    private static String head(Path file, int max) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(max), StandardCharsets.UTF_8);
        }
    }

    private static String stripNewline(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
            end--;
        }
        return s.substring(0, end);
    }

    private static String stderrTail(Path stderr) {
        try {
            if (stderr == null || !Files.isRegularFile(stderr)) {
                return "";
            }
            String s = stripNewline(head(stderr, 64 * 1024)).strip();
            if (s.isEmpty()) {
                return "";
            }
            String last = s.substring(s.lastIndexOf('\n') + 1);
            return ": " + (last.length() > 300 ? last.substring(0, 300) + "..." : last);
        } catch (IOException e) {
            return "";
        }
    }
}
