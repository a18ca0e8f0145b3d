package dev.weft.engine.task;

import dev.weft.engine.NodePhase;
import dev.weft.engine.exec.ArtifactStager;
import dev.weft.engine.model.Parameter;
import dev.weft.engine.model.PluginSpec;
import dev.weft.engine.model.TemplateKind;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs {@code plugin:} templates by calling the named {@link TaskHandler} on a bounded pool: tasks beyond the pool
 * size wait in the pool's queue, not on threads of their own.
 */
public final class JavaHandlerRunner implements TaskRunner {

    private static final int RUNNING = 0;
    private static final int FINISHED = 1;
    private static final int STOPPING = 2;

    private final TaskHandlerRegistry registry;
    private final ExecutorService pool;

    /**
     * @param registry the handlers
     * @param pool     the threads handlers run on (owned by the caller)
     */
    public JavaHandlerRunner(TaskHandlerRegistry registry, ExecutorService pool) {
        this.registry = registry;
        this.pool = pool;
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
        };
        Future<?> future = pool.submit(() -> {
            if (state.get() != RUNNING) {
                return; // stopped before it started: stop() reports it
            }
            TaskResult result;
            try {
                ArtifactStager.Context artifacts = new ArtifactStager.Context(request.workflowName(),
                        request.nodeId(), request.nodeName(), request.template(), request.inputArtifacts(), p -> {
                            throw new UnsupportedOperationException("Java handler tasks have no file system");
                        });
                request.stager().stageInputs(artifacts);
                TaskOutput out = handler.run(context);
                result = outputs(request, out == null ? TaskOutput.empty() : out,
                        request.stager().collectOutputs(artifacts));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                result = TaskResult.failed("handler '" + spec.handler() + "' was interrupted",
                        Optional.empty(), Optional.empty());
            } catch (Exception | Error e) {
                String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                result = TaskResult.failed("handler '" + spec.handler() + "' failed: " + msg,
                        Optional.empty(), Optional.empty());
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

    private static TaskResult outputs(TaskRequest request, TaskOutput out,
                                      Map<String, dev.weft.engine.model.Artifact> artifacts) {
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
