package dev.weft.engine.task;

import dev.weft.engine.NodePhase;
import dev.weft.engine.exec.ArtifactStager;
import dev.weft.engine.model.Parameter;
import dev.weft.engine.model.PluginSpec;
import dev.weft.engine.model.TemplateKind;
import dev.weft.engine.model.Artifact;
import dev.weft.engine.model.Template;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.MessageFormatter;

/**
 * Runs {@code plugin:} templates by calling the named {@link TaskHandler} on a bounded pool: tasks beyond the pool
 * size wait in the pool's queue, not on threads of their own. A task that declares artifacts gets a directory of its
 * own under the work root, where its inputs are staged and its outputs collected (deleted after the attempt).
 */
public final class JavaHandlerRunner implements TaskRunner {

    private static final Logger LOG = LoggerFactory.getLogger(JavaHandlerRunner.class);

    private static final int RUNNING = 0;
    private static final int FINISHED = 1;
    private static final int STOPPING = 2;

    private final TaskHandlerRegistry registry;
    private final ExecutorService pool;
    private final Path workRoot;

    /**
     * @param registry the handlers
     * @param pool     the threads handlers run on (owned by the caller)
     * @param workRoot where tasks with artifacts get their directories ({@code <workRoot>/handlers/<node id>})
     */
    public JavaHandlerRunner(TaskHandlerRegistry registry, ExecutorService pool, Path workRoot) {
        this.registry = registry;
        this.pool = pool;
        this.workRoot = workRoot;
    }

    @Override
    public boolean supports(TemplateKind kind) {
        return kind == TemplateKind.PLUGIN;
    }

    @Override
    public RunningTask start(TaskRequest request) {
        PluginSpec spec = request.template().plugin().orElseThrow();
        TaskHandler handler = registry.find(spec.handler()).orElseThrow(() -> new IllegalStateException(
                "no Java handler named '" + spec.handler() + "' (registered: " + registry.names() + ")"));
        CompletableFuture<TaskResult> done = new CompletableFuture<>();
        // RUNNING -> FINISHED (the handler's result wins) or RUNNING -> STOPPING (stop wins and reports). Only a
        // stop that wins interrupts the thread, so a completion's follow-up work that runs on this thread after the
        // handler returned (see SerialExecutor.onWorker) is never interrupted by a late stop.
        AtomicInteger state = new AtomicInteger(RUNNING);
        Template template = request.template();
        boolean hasArtifacts = !template.inputs().artifacts().isEmpty() || !template.outputs().artifacts().isEmpty();
        Path taskDir = workRoot.resolve("handlers").resolve(request.nodeId());
        Function<String, Path> hostPath = hasArtifacts ? declared -> underTaskDir(taskDir, declared) : declared -> {
            throw new IllegalArgumentException("this Java handler task declares no artifacts, so it has no files");
        };
        TaskLog log = new HandlerLog(LoggerFactory.getLogger("dev.weft.task." + spec.handler()), request);
        TaskContext context = new TaskContext() {
            @Override
            public String workflowName() {
                return request.workflowName();
            }

            @Override
            public String nodeName() {
                return request.nodeName();
            }

            @Override
            public Map<String, String> parameters() {
                return request.parameters();
            }

            @Override
            public Map<String, Object> config() {
                return spec.config();
            }

            @Override
            public boolean isCancelled() {
                return state.get() == STOPPING;
            }

            @Override
            public int attempt() {
                return request.attempt();
            }

            @Override
            public TaskLog log() {
                return log;
            }

            @Override
            public Path inputArtifact(String name) {
                return hostPath.apply(declaredPath(template.inputs().artifacts(), "input", name));
            }

            @Override
            public Path outputArtifact(String name) {
                Path path = hostPath.apply(declaredPath(template.outputs().artifacts(), "output", name));
                try {
                    Files.createDirectories(path.getParent());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot create the directory for output artifact '" + name
                            + "'", e);
                }
                return path;
            }
        };
        Future<?> future = pool.submit(() -> {
            if (state.get() != RUNNING) {
                return; // stopped before it started: stop() reports it
            }
            TaskResult result;
            try {
                ArtifactStager.Context artifacts = new ArtifactStager.Context(request.workflowName(),
                        request.nodeId(), request.nodeName(), template, request.inputArtifacts(), hostPath);
                if (hasArtifacts) {
                    Files.createDirectories(taskDir);
                }
                request.stager().stageInputs(artifacts);
                TaskOutput out = handler.run(context);
                result = outputs(request, out == null ? TaskOutput.empty() : out,
                        request.stager().collectOutputs(artifacts));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                result = TaskResult.failedBy("handler '" + spec.handler() + "' was interrupted", e);
            } catch (Exception | Error e) {
                String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                if (state.get() == RUNNING) { // a stop's interruption is reported by stop(), not as a failure
                    LOG.warn("handler '{}' failed on node {}", spec.handler(), request.nodeName(), e);
                }
                result = TaskResult.failedBy("handler '" + spec.handler() + "' failed: " + msg, e);
            } finally {
                if (hasArtifacts) {
                    deleteQuietly(taskDir);
                }
            }
            if (state.compareAndSet(RUNNING, FINISHED)) {
                done.complete(result);
            }
        });
        return new RunningTask() {
            @Override
            public CompletableFuture<TaskResult> completion() {
                return done;
            }

            @Override
            public void stop() {
                if (state.compareAndSet(RUNNING, STOPPING)) {
                    future.cancel(true);
                    done.complete(TaskResult.failed("stopped", Optional.empty(), Optional.empty()));
                }
            }
        };
    }

    /** The declared path of artifact {@code name}, or a precise error for a name the template does not declare. */
    private static String declaredPath(List<Artifact> declared, String direction, String name) {
        return declared.stream().filter(a -> a.name().equals(name)).findFirst()
                .flatMap(Artifact::path)
                .orElseThrow(() -> new IllegalArgumentException("the template declares no " + direction
                        + " artifact '" + name + "' (declared: "
                        + declared.stream().map(Artifact::name).toList() + ")"));
    }

    /** {@code /tmp/x} inside the task is {@code <taskDir>/tmp/x}; nothing may resolve outside the task's directory. */
    private static Path underTaskDir(Path taskDir, String declared) {
        Path resolved = taskDir.resolve(declared.replaceFirst("^/+", "")).normalize();
        if (!resolved.startsWith(taskDir)) {
            throw new IllegalArgumentException("artifact path '" + declared + "' leaves the task's directory");
        }
        return resolved;
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("could not delete the handler task directory {}: {}", dir, e.getMessage());
        }
    }

    /** Lines to SLF4J and to the node's log sink, SLF4J-formatted. */
    private record HandlerLog(Logger logger, TaskRequest request) implements TaskLog {

        @Override
        public void info(String format, Object... args) {
            String line = MessageFormatter.arrayFormat(format, args).getMessage();
            logger.info("[{}] {}", request.nodeName(), line);
            request.logs().handlerLine(line);
        }

        @Override
        public void warn(String format, Object... args) {
            String line = MessageFormatter.arrayFormat(format, args).getMessage();
            logger.warn("[{}] {}", request.nodeName(), line);
            request.logs().handlerLine("WARN " + line);
        }

        @Override
        public void error(String format, Object... args) {
            String line = MessageFormatter.arrayFormat(format, args).getMessage();
            logger.error("[{}] {}", request.nodeName(), line);
            request.logs().handlerLine("ERROR " + line);
        }
    }

    private static TaskResult outputs(TaskRequest request, TaskOutput out,
                                      Map<String, Artifact> artifacts) {
        if (request.template().outputs().parameters().isEmpty()) {
            return new TaskResult(NodePhase.SUCCEEDED, "", out.result(), Optional.empty(), Map.of(), artifacts);
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (Parameter p : request.template().outputs().parameters()) {
            String v = out.parameters().get(p.name());
            if (v == null) {
                v = p.valueFrom().flatMap(vf -> vf.defaultValue()).or(p::value).orElse(null);
            }
            if (v == null) {
                return TaskResult.error("handler did not return output parameter '" + p.name()
                        + "' and it has no default");
            }
            params.put(p.name(), v);
        }
        return new TaskResult(NodePhase.SUCCEEDED, "", out.result(), Optional.empty(), params, artifacts);
    }
}
