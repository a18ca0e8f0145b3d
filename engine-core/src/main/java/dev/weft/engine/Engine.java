package dev.weft.engine;

import dev.weft.engine.artifact.RepositoryArtifactStager;
import dev.weft.engine.exec.ArtifactStager;
import dev.weft.engine.expr.DefaultExpressions;
import dev.weft.engine.plugin.PluginHost;
import dev.weft.engine.store.ArtifactRepositories;
import dev.weft.engine.store.StorageSettings;
import dev.weft.engine.store.StoreProviders;
import dev.weft.engine.exec.NoArtifactStager;
import dev.weft.engine.exec.RunExecution;
import dev.weft.engine.exec.WorkerThread;
import dev.weft.engine.expr.Expressions;
import dev.weft.engine.model.Parameter;
import dev.weft.engine.model.Workflow;
import dev.weft.engine.spec.SpecError;
import dev.weft.engine.spec.WorkflowSpecException;
import dev.weft.engine.spec.WorkflowValidator;
import dev.weft.engine.task.JavaHandlerRunner;
import dev.weft.engine.task.TaskHandler;
import dev.weft.engine.task.TaskHandlerRegistry;
import dev.weft.engine.task.TaskRunner;
import dev.weft.engine.task.process.ProcessSandbox;
import dev.weft.engine.task.ProcessTaskRunner;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embeddable engine: validates and runs workflows. One instance serves many concurrent runs; close it to stop
 * its threads (running tasks are not waited for).
 *
 * <pre>
 * try (Engine engine = Engine.builder().expressions(new DefaultExpressions()).handler("noop", ctx -> TaskOutput.empty()).build()) {
 *     RunResult r = engine.submit(workflow, Map.of("message", "hi")).await(Duration.ofMinutes(5));
 * }
 * </pre>
 */
public final class Engine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final EngineConfig config;
    private final Expressions expressions;
    private final TaskHandlerRegistry handlers;
    private final WorkflowValidator validator;
    private final ExecutorService schedulerPool;
    private final ExecutorService handlerPool;
    private final ScheduledExecutorService timer;
    private final RunExecution.Services services;
    private final SecureRandom random = new SecureRandom();
    private final List<AutoCloseable> owned;
    private final Optional<ProcessSandbox> sandbox;

    /**
     * @param config      settings
     * @param expressions the expression language
     * @param handlers    Java task handlers
     * @param sandbox     the process sandbox; without it container/script templates end in Error
     * @param stager      moves artifacts
     */
    public Engine(EngineConfig config, Expressions expressions, TaskHandlerRegistry handlers,
                  Optional<ProcessSandbox> sandbox, ArtifactStager stager) {
        this(config, expressions, handlers, sandbox, stager, List.of());
    }

    /**
     * @param config      settings
     * @param expressions the expression language
     * @param handlers    Java task handlers
     * @param sandbox     the process sandbox; without it container/script templates end in Error
     * @param stager      moves artifacts
     * @param owned       resources the engine closes after its own threads, in order (artifact repositories, then
     *                    the plugin host that made their stores)
     */
    public Engine(EngineConfig config, Expressions expressions, TaskHandlerRegistry handlers,
                  Optional<ProcessSandbox> sandbox, ArtifactStager stager, List<AutoCloseable> owned) {
        this.owned = List.copyOf(owned);
        this.sandbox = sandbox;
        this.config = Objects.requireNonNull(config, "config");
        this.expressions = Objects.requireNonNull(expressions, "expressions");
        this.handlers = Objects.requireNonNull(handlers, "handlers");
        this.validator = new WorkflowValidator(expressions, config.limits());
        this.schedulerPool = Executors.newFixedThreadPool(2, daemon("weft-scheduler"));
        AtomicInteger handlerCount = new AtomicInteger();
        // worker threads: a finished task's bookkeeping may run right where it finished (SerialExecutor.onWorker)
        this.handlerPool = Executors.newFixedThreadPool(config.handlerThreads(),
                r -> new WorkerThread(r, "weft-handler-" + handlerCount.incrementAndGet()));
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("weft-timer"));
        List<TaskRunner> runners = new ArrayList<>();
        runners.add(new JavaHandlerRunner(handlers, handlerPool, config.workRoot()));
        sandbox.ifPresent(s -> {
            LOG.info("process tasks: {}", s.describe());
            runners.add(new ProcessTaskRunner(s, config));
        });
        this.services = new RunExecution.Services(config, expressions, runners, stager, schedulerPool, timer);
    }

    /** A builder with defaults (no process sandbox, no artifacts). */
    public static Builder builder() {
        return new Builder();
    }

    /** The settings. */
    public EngineConfig config() {
        return config;
    }

    /**
     * Checks a workflow without running it.
     *
     * @param source the file name for messages
     * @throws WorkflowSpecException with every problem
     */
    public void validate(Workflow workflow, String source) {
        validator.check(workflow, source, handlers::contains);
    }

    /** Validates and starts a workflow built in Java. */
    public WorkflowRun submit(Workflow workflow, Map<String, String> arguments) {
        return submit(workflow, arguments, workflow.metadata().name().orElse("workflow"), List.of());
    }

    /**
     * Validates and starts a workflow. Nothing runs when it is invalid.
     *
     * @param arguments values for the workflow's parameters ({@code -p name=value})
     * @param source    the file name for messages
     * @param listeners listeners for this run (besides the configured ones)
     * @throws WorkflowSpecException with every problem, before anything runs
     */
    public WorkflowRun submit(Workflow workflow, Map<String, String> arguments, String source,
                              List<RunListener> listeners) {
        List<SpecError> errors = new ArrayList<>(validator.validate(workflow, source, handlers::contains));
        Map<String, String> params = new LinkedHashMap<>();
        for (Parameter p : workflow.spec().arguments().parameters()) {
            p.value().or(p::defaultValue).ifPresent(v -> params.put(p.name(), v));
        }
        for (Map.Entry<String, String> a : arguments.entrySet()) {
            if (workflow.spec().arguments().parameter(a.getKey()).isEmpty()) {
                errors.add(new SpecError(source, "arguments", "unknown workflow parameter '" + a.getKey()
                        + "' (declared: " + workflow.spec().arguments().parameters().stream().map(Parameter::name)
                        .toList() + ")"));
            }
            params.put(a.getKey(), a.getValue());
        }
        for (Parameter p : workflow.spec().arguments().parameters()) {
            if (!params.containsKey(p.name())) {
                errors.add(new SpecError(source, "spec.arguments.parameters[" + p.name() + "]",
                        "workflow parameter '" + p.name() + "' has no value: supply it as an argument"));
            }
        }
        if (!errors.isEmpty()) {
            throw new WorkflowSpecException(errors);
        }
        List<RunListener> all = new ArrayList<>(config.listeners());
        all.addAll(listeners);
        return new RunExecution(workflow, runName(workflow), params, all, services, source).start();
    }

    private String runName(Workflow workflow) {
        if (workflow.metadata().name().isPresent()) {
            return workflow.metadata().name().get();
        }
        StringBuilder sb = new StringBuilder(workflow.metadata().generateName().orElse("workflow-"));
        for (int i = 0; i < 5; i++) {
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        handlerPool.shutdownNow();
        schedulerPool.shutdownNow();
        sandbox.ifPresent(ProcessSandbox::close); // finishes deleting task directories
        for (AutoCloseable resource : owned) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("Closing {} failed: {}", resource.getClass().getSimpleName(), e.toString());
            }
        }
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Fluent construction for embedders and tests. */
    public static final class Builder {
        private EngineConfig config = EngineConfig.defaults();
        private Expressions expressions;
        private final TaskHandlerRegistry handlers = new TaskHandlerRegistry();
        private ProcessSandbox sandbox;
        private ArtifactStager stager;
        private StorageSettings storage = StorageSettings.defaults();

        private Builder() {
        }

        /** Settings. */
        public Builder config(EngineConfig value) {
            this.config = value;
            return this;
        }

        /** The expression language; default {@link DefaultExpressions}. */
        public Builder expressions(Expressions value) {
            this.expressions = value;
            return this;
        }

        /** Registers a Java task handler. */
        public Builder handler(String name, TaskHandler handler) {
            handlers.register(name, handler);
            return this;
        }

        /** Runs container/script templates in this sandbox; the engine closes it when it is closed. */
        public Builder processSandbox(ProcessSandbox value) {
            this.sandbox = value;
            return this;
        }

        /** Probes the machine for the best process sandbox (work root, aliases, forced mode from the config). */
        public Builder probeSandbox() {
            this.sandbox = new dev.weft.engine.task.process.SandboxFactory(
                    new dev.weft.engine.task.process.SandboxSettings(config.workRoot(), config.commandAliases(),
                            config.forcedIsolation())).create();
            return this;
        }

        /**
         * Moves artifacts with this stager instead of the artifact repositories ({@link #storage}); no plugins are
         * loaded then. {@link NoArtifactStager} refuses artifacts altogether.
         */
        public Builder artifactStager(ArtifactStager value) {
            this.stager = value;
            return this;
        }

        /**
         * Where artifacts go and where store plugins come from. Default {@link StorageSettings#defaults()}: an
         * {@code fs} repository under {@code .weft/artifacts} and plugins from {@code ./plugins} (a missing folder
         * is fine).
         */
        public Builder storage(StorageSettings value) {
            this.storage = Objects.requireNonNull(value, "storage");
            return this;
        }

        /** Builds. */
        public Engine build() {
            Expressions language = expressions != null ? expressions : new DefaultExpressions();
            if (stager != null) {
                return new Engine(config, language, handlers, Optional.ofNullable(sandbox), stager);
            }
            PluginHost plugins = PluginHost.load(storage.pluginsDir(), WeftVersion.forPluginChecks());
            try {
                ArtifactRepositories repositories = new ArtifactRepositories(
                        StoreProviders.withBuiltIns(plugins),
                        storage.repositories());
                return new Engine(config, language, handlers, Optional.ofNullable(sandbox),
                        new RepositoryArtifactStager(repositories), List.of(repositories, plugins));
            } catch (RuntimeException e) {
                plugins.close();
                throw e;
            }
        }
    }
}
