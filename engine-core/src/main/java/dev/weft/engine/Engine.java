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
import dev.weft.engine.history.NodeLogs;
import dev.weft.engine.history.RunStore;
import dev.weft.engine.history.RunStoreException;
import dev.weft.engine.history.RunStores;
import dev.weft.engine.history.StoredNode;
import dev.weft.engine.history.StoredRun;
import dev.weft.engine.spec.WorkflowReader;
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
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
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
    private final RunStore store;
    private final NodeLogs nodeLogs;
    private final Duration lease;
    /** This engine in the run store: the owner of the runs it executes. */
    private final String instanceId;
    /** The runs this engine executes now, by name. */
    private final Map<String, RunExecution> live = new ConcurrentHashMap<>();
    private final Runs runs = new Runs(this);

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

    /** An engine that records its runs in memory only; see the full constructor. */
    public Engine(EngineConfig config, Expressions expressions, TaskHandlerRegistry handlers,
                  Optional<ProcessSandbox> sandbox, ArtifactStager stager, List<AutoCloseable> owned) {
        this(config, expressions, handlers, sandbox, stager, RunStores.inMemory(), DEFAULT_LEASE, owned);
    }

    /**
     * @param config      settings
     * @param expressions the expression language
     * @param handlers    Java task handlers
     * @param sandbox     the process sandbox; without it container/script templates end in Error
     * @param stager      moves artifacts
     * @param store       where runs, nodes and events are recorded (the engine closes it)
     * @param lease       how long the engine holds a run in the store without renewing (others may resume it
     *                    after that); renewed every third of it while the run goes on
     * @param owned       resources the engine closes after its own threads and the store, in order (artifact
     *                    repositories, then the plugin host that made their stores)
     */
    public Engine(EngineConfig config, Expressions expressions, TaskHandlerRegistry handlers,
                  Optional<ProcessSandbox> sandbox, ArtifactStager stager, RunStore store, Duration lease,
                  List<AutoCloseable> owned) {
        this.owned = List.copyOf(owned);
        this.store = Objects.requireNonNull(store, "store");
        this.lease = Objects.requireNonNull(lease, "lease");
        if (lease.toMillis() < 30) {
            throw new IllegalArgumentException("the run lease must be at least 30 ms, was " + lease);
        }
        this.nodeLogs = new NodeLogs(config.workRoot(), config.limits().nodeLogBytes());
        this.instanceId = "engine-" + HexFormat.of().formatHex(random.generateSeed(6));
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
        this.services = new RunExecution.Services(config, expressions, runners, stager, schedulerPool, timer,
                store, nodeLogs);
        long renewEvery = Math.max(10, lease.toMillis() / 3);
        timer.scheduleWithFixedDelay(this::renewLeases, renewEvery, renewEvery, TimeUnit.MILLISECONDS);
    }

    /** How long an engine holds a run without renewing, by default. */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);

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
        Map<String, String> params = checkedParameters(workflow, arguments, source);
        return start(workflow, params, source, listeners, "");
    }

    /** The run's parameters (declared values overridden by the arguments), or every problem with them. */
    private Map<String, String> checkedParameters(Workflow workflow, Map<String, String> arguments, String source) {
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
        return params;
    }

    /**
     * Reads, validates and starts a workflow document. The text is recorded as submitted, so the run can be resumed
     * from the store ({@link #resumeUnfinished()}); a workflow built in Java cannot be.
     *
     * @param text      the YAML (or JSON) document
     * @param source    the file name for messages
     * @param arguments values for the workflow's parameters
     * @param listeners listeners for this run (besides the configured ones)
     * @throws WorkflowSpecException with every problem, before anything runs
     */
    public WorkflowRun submitYaml(String text, String source, Map<String, String> arguments,
                                  List<RunListener> listeners) {
        Workflow workflow = new WorkflowReader(config.limits()).read(text, source);
        Map<String, String> params = checkedParameters(workflow, arguments, source);
        return start(workflow, params, source, listeners, text);
    }

    private WorkflowRun start(Workflow workflow, Map<String, String> params, String source,
                              List<RunListener> listeners, String text) {
        List<RunListener> all = new ArrayList<>(config.listeners());
        all.addAll(listeners);
        String name = runName(workflow);
        Instant now = Instant.now();
        RunExecution run = new RunExecution(workflow, name, params, all, services, source, Optional.empty());
        if (live.putIfAbsent(name, run) != null) {
            throw new WorkflowSpecException(List.of(new SpecError(source, "metadata.name", "a run named '" + name
                    + "' is still running in this engine; wait for it, cancel it, or use metadata.generateName")));
        }
        try {
            replaceStored(name);
            String recorded = text.isEmpty() ? BUILT_IN_JAVA : text;
            join(store.createRun(StoredRun.submitted(name, recorded, params, workflow.metadata().labels(), now)
                    .ownedBy(instanceId, now.plus(lease))), "record run " + name);
        } catch (RuntimeException e) {
            live.remove(name);
            throw e;
        }
        run.completion().whenComplete((r, e) -> live.remove(name, run));
        return run.start();
    }

    /** What the store holds as the workflow of a run that was built in Java (it cannot be resumed). */
    static final String BUILT_IN_JAVA = "# built in Java: not recorded as text, cannot be resumed\n";

    /**
     * A run of this name may already be stored (the same file run again, or a run its engine never finished):
     * the new run takes its place, as re-submitting a deleted Argo workflow of the same name does.
     */
    private void replaceStored(String name) {
        store.get(name).ifPresent(old -> {
            if (old.finished()) {
                LOG.info("run {}: replacing the finished run of that name in the run store", name);
            } else {
                LOG.warn("run {}: replacing an unfinished run of that name in the run store (its engine stopped;"
                        + " it could have been resumed)", name);
            }
            store.delete(name);
            deleteLogs(name);
        });
    }

    void deleteLogs(String name) {
        try {
            java.nio.file.Path dir = nodeLogs.runDirectory(name);
            if (java.nio.file.Files.exists(dir)) {
                try (var paths = java.nio.file.Files.walk(dir)) {
                    for (java.nio.file.Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        java.nio.file.Files.deleteIfExists(p);
                    }
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warn("run {}: cannot delete its old logs: {}", name, e.getMessage());
        }
    }

    /**
     * Takes up the runs in the store that no engine holds any more (their engine stopped, or its lease ran out),
     * and continues each where it was: finished nodes are not run again, nodes that were running end in Error and
     * their retry strategy decides. A run that cannot be continued (built in Java, or no longer valid) is recorded
     * as ended in Error with the reason.
     *
     * @return the runs taken up
     */
    public List<WorkflowRun> resumeUnfinished() {
        List<WorkflowRun> resumed = new ArrayList<>();
        for (StoredRun stored : store.claimUnfinished(instanceId, lease)) {
            if (live.containsKey(stored.name())) {
                continue;
            }
            try {
                resumed.add(resume(stored));
            } catch (RuntimeException e) {
                String why = "cannot be resumed: " + e.getMessage();
                LOG.warn("run {}: {}", stored.name(), why);
                join(store.updateRun(stored.name(), dev.weft.engine.history.RunUpdate.finished(NodePhase.ERROR,
                        RunOutcome.ERROR, why, Instant.now())), "record run " + stored.name());
            }
        }
        return resumed;
    }

    private WorkflowRun resume(StoredRun stored) {
        return continueRun(stored, store.nodes(stored.name()));
    }

    /**
     * Runs a stored run on from the given nodes: finished leaves are kept, others run (see {@link RunExecution}).
     * The caller holds the run in the store.
     */
    WorkflowRun continueRun(StoredRun stored, List<StoredNode> nodes) {
        Workflow workflow = storedWorkflow(stored);
        String source = stored.name() + " (stored)";
        RunExecution run = new RunExecution(workflow, stored.name(), stored.arguments(), config.listeners(),
                services, source, Optional.of(new RunExecution.Resumed(stored, nodes)));
        if (live.putIfAbsent(stored.name(), run) != null) {
            throw new IllegalStateException("run '" + stored.name() + "' is already running in this engine");
        }
        run.completion().whenComplete((r, e) -> live.remove(stored.name(), run));
        LOG.info("run {}: resumed", stored.name());
        return run.start();
    }

    /** The stored run's workflow, read and validated again; a run built in Java has none. */
    Workflow storedWorkflow(StoredRun stored) {
        if (stored.workflow().equals(BUILT_IN_JAVA)) {
            throw new IllegalStateException("it was built in Java, so the store does not hold its workflow; submit"
                    + " it again");
        }
        String source = stored.name() + " (stored)";
        Workflow workflow = new WorkflowReader(config.limits()).read(stored.workflow(), source);
        validate(workflow, source);
        return workflow;
    }

    /** Whether this engine executes the run now. */
    boolean runsHere(String runName) {
        return live.containsKey(runName);
    }

    /** This engine's id as owner of runs in the store. */
    String instanceId() {
        return instanceId;
    }

    /** How long this engine's hold on a run lasts without renewal. */
    Duration lease() {
        return lease;
    }

    /**
     * The recorded runs: list, look up, read logs, delete, retry and resume them (as {@code argo list/get/logs/
     * delete/retry/resume}).
     */
    public Runs runs() {
        return runs;
    }

    /** The run store: every run this engine (and others on the same database) recorded, with nodes and events. */
    public RunStore runStore() {
        return store;
    }

    /** The node logs: one file per node attempt under the work root. */
    public NodeLogs nodeLogs() {
        return nodeLogs;
    }

    private void renewLeases() {
        for (String name : live.keySet()) {
            try {
                if (!store.renewLease(name, instanceId, lease)) {
                    LOG.warn("run {}: this engine no longer holds it in the run store (its lease ran out)", name);
                }
            } catch (RuntimeException e) {
                LOG.warn("run {}: cannot renew its lease in the run store: {}", name, e.getMessage());
            }
        }
    }

    private static void join(java.util.concurrent.CompletableFuture<Void> write, String what) {
        try {
            write.get(1, TimeUnit.MINUTES);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new RunStoreException("cannot " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new RunStoreException("cannot " + what + ": the run store did not answer within a minute", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunStoreException("interrupted while trying to " + what, e);
        }
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
        try {
            store.close(); // commits what is queued; unfinished runs stay resumable
        } catch (RuntimeException e) {
            LOG.warn("Closing the run store failed: {}", e.toString());
        }
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
        private RunStore runStore;
        private Duration lease = DEFAULT_LEASE;

        private Builder() {
        }

        /**
         * Where runs are recorded; the engine closes it. Default: an H2 database under the work root
         * ({@code <workRoot>/.weft/weft.mv.db}), or memory only when another process holds that file.
         * {@link RunStores#inMemory()} records nothing on disk; {@link RunStores#jdbc(String, String, String)}
         * shares a Postgres database.
         */
        public Builder runStore(RunStore value) {
            this.runStore = Objects.requireNonNull(value, "runStore");
            return this;
        }

        /** How long this engine holds a run in the store without renewing it; default 30 s. */
        public Builder runLease(Duration value) {
            this.lease = Objects.requireNonNull(value, "runLease");
            return this;
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

        /**
         * Probes the machine for the best process sandbox (work root, aliases, forced mode from the config). Tasks
         * do not see the work root nor the roots of the {@code fs} repositories configured so far: call
         * {@link #storage} first.
         */
        public Builder probeSandbox() {
            List<java.nio.file.Path> hidden = new java.util.ArrayList<>();
            for (dev.weft.storage.spi.StoreConfig repo : storage.repositories().values()) {
                if (dev.weft.engine.store.FileSystemArtifactStoreProvider.TYPE.equals(repo.type())) {
                    hidden.add(repo.getPath("root").orElse(java.nio.file.Path.of(
                            dev.weft.engine.store.FileSystemArtifactStoreProvider.DEFAULT_ROOT)));
                }
            }
            this.sandbox = new dev.weft.engine.task.process.SandboxFactory(
                    new dev.weft.engine.task.process.SandboxSettings(config.workRoot(), config.commandAliases(),
                            config.forcedIsolation()).withHiddenPaths(hidden)).create();
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
            RunStore runs = runStore != null ? runStore : defaultRunStore(config.workRoot());
            if (stager != null) {
                return new Engine(config, language, handlers, Optional.ofNullable(sandbox), stager, runs, lease,
                        List.of());
            }
            PluginHost plugins = null;
            try {
                plugins = PluginHost.load(storage.pluginsDir(), WeftVersion.forPluginChecks());
                ArtifactRepositories repositories = new ArtifactRepositories(
                        StoreProviders.withBuiltIns(plugins),
                        storage.repositories());
                return new Engine(config, language, handlers, Optional.ofNullable(sandbox),
                        new RepositoryArtifactStager(repositories), runs, lease, List.of(repositories, plugins));
            } catch (RuntimeException e) {
                if (plugins != null) {
                    plugins.close();
                }
                runs.close();
                throw e;
            }
        }
    }

    /**
     * The embedded default store: H2 in a file under the work root. H2 lets one process open a file; when another
     * holds it (a second engine process on the same work root) this engine records in memory and says so.
     */
    public static RunStore defaultRunStore(java.nio.file.Path workRoot) {
        java.nio.file.Path base = workRoot.resolve(RunStores.DEFAULT_H2_BASE);
        try {
            return RunStores.h2File(base);
        } catch (RunStoreException e) {
            LOG.warn("runs are recorded in memory only: the run store {}.mv.db cannot be opened ({}); give each"
                    + " engine process its own work root, or share a Postgres database", base, e.getMessage());
            return RunStores.inMemory();
        }
    }
}
