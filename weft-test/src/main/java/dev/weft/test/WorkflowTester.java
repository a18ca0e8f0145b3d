package dev.weft.test;

import dev.weft.engine.Engine;
import dev.weft.engine.EngineConfig;
import dev.weft.engine.RunResult;
import dev.weft.engine.history.RunStores;
import dev.weft.engine.model.PluginSpec;
import dev.weft.engine.model.RetryStrategy;
import dev.weft.engine.model.Template;
import dev.weft.engine.model.Workflow;
import dev.weft.engine.model.WorkflowSpec;
import dev.weft.engine.spec.WorkflowReader;
import dev.weft.engine.task.TaskHandler;
import dev.weft.storage.spi.StoreConfig;
import dev.weft.engine.store.StorageSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * Runs workflows in a test: a real engine on a temporary work root, the filesystem artifact store under it and an
 * in-memory run store. Templates can be replaced by Java stubs (a container step that would call a real service
 * becomes a handler that returns what the test needs), and retry backoff can be skipped so a test of retries does not
 * wait. Every run gets a fresh engine, so handlers and stubs may be changed between runs.
 *
 * <pre>{@code
 * RunResult run = tester.stub("fetch-prices", ctx -> TaskOutput.parameters(Map.of("cents", "450")))
 *         .skipBackoff()
 *         .run(Path.of("workflows/prices.yaml"));
 * assertThat(run).succeeded().node("fetch-prices").hasOutputParameter("cents", "450");
 * }</pre>
 *
 * <p>Get one from {@link WeftTest @WeftTest} (a parameter of a test method) or {@link #create(Path)}.
 */
public final class WorkflowTester implements AutoCloseable {

    /** The prefix of the handler names stubs are registered under (a workflow cannot clash with it by accident). */
    static final String STUB_PREFIX = "weft-test-stub:";

    private final Path dir;
    private final Map<String, TaskHandler> handlers = new LinkedHashMap<>();
    private final Map<String, TaskHandler> stubs = new LinkedHashMap<>();
    private final Map<String, List<StubCall>> calls = new LinkedHashMap<>();
    private boolean skipBackoff;
    private Duration timeout = Duration.ofMinutes(2);

    private WorkflowTester(Path dir) {
        this.dir = dir;
    }

    /** A tester whose engines work under {@code dir} (task directories, node logs, {@code artifacts/}). */
    public static WorkflowTester create(Path dir) {
        return new WorkflowTester(dir);
    }

    /** Registers a Java handler that workflows call as a {@code plugin} template. */
    public WorkflowTester handler(String name, TaskHandler handler) {
        handlers.put(name, handler);
        return this;
    }

    /**
     * Replaces the template named {@code template} by {@code handler}, whatever its kind (container, script, plugin):
     * it keeps its inputs, outputs and retry strategy, and each call is recorded (see {@link #callsOf}).
     */
    public WorkflowTester stub(String template, TaskHandler handler) {
        stubs.put(template, handler);
        return this;
    }

    /** Retries go at once: every {@code retryStrategy.backoff} is dropped before the run. */
    public WorkflowTester skipBackoff() {
        skipBackoff = true;
        return this;
    }

    /** How long {@link #run} waits for a run before it fails the test (default 2 minutes). */
    public WorkflowTester timeout(Duration value) {
        timeout = value;
        return this;
    }

    /** Runs a workflow file with its own arguments. */
    public RunResult run(Path file) {
        return run(file, Map.of());
    }

    /** Runs a workflow file; {@code arguments} override its workflow parameters. */
    public RunResult run(Path file, Map<String, String> arguments) {
        try {
            return run(new WorkflowReader().read(file), arguments);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Runs a workflow given as YAML text. */
    public RunResult runYaml(String yaml, Map<String, String> arguments) {
        return run(new WorkflowReader().read(yaml, "workflow.yaml"), arguments);
    }

    /** Runs a workflow built in Java (or read earlier). */
    public RunResult run(Workflow workflow, Map<String, String> arguments) {
        Workflow prepared = prepare(workflow);
        try (Engine engine = engine()) {
            return engine.submit(prepared, arguments).await(timeout);
        } catch (TimeoutException e) {
            throw new AssertionError("workflow " + workflow.metadata().name().orElse("(generated name)")
                    + " did not finish within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the run", e);
        }
    }

    /** The calls a stub received, in order (all runs of this tester). */
    public List<StubCall> callsOf(String template) {
        synchronized (calls) {
            return List.copyOf(calls.getOrDefault(template, List.of()));
        }
    }

    /** The workflow as this tester would run it: stubs in place, backoff dropped when asked. */
    public Workflow prepare(Workflow workflow) {
        for (String name : stubs.keySet()) {
            if (workflow.spec().templates().stream().noneMatch(t -> t.name().equals(name))) {
                throw new IllegalArgumentException("stub for template '" + name + "', but the workflow has none of"
                        + " that name (templates: " + workflow.spec().templates().stream().map(Template::name)
                        .toList() + ")");
            }
        }
        List<Template> templates = new ArrayList<>();
        for (Template t : workflow.spec().templates()) {
            Template changed = stubs.containsKey(t.name()) ? stubbed(t) : t;
            templates.add(skipBackoff ? withoutBackoff(changed) : changed);
        }
        WorkflowSpec s = workflow.spec();
        Optional<Template> defaults = skipBackoff ? s.templateDefaults().map(WorkflowTester::withoutBackoff)
                : s.templateDefaults();
        return new Workflow(workflow.metadata(), new WorkflowSpec(s.entrypoint(), s.arguments(), templates,
                s.onExit(), s.parallelism(), s.activeDeadlineSeconds(), defaults, s.artifactRepositoryRef()));
    }

    private static Template stubbed(Template t) {
        return new Template(t.name(), t.inputs(), t.outputs(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of(new PluginSpec(STUB_PREFIX + t.name(), Map.of())), t.retryStrategy(),
                t.timeout(), t.activeDeadlineSeconds(), t.parallelism(), t.failFast());
    }

    private static Template withoutBackoff(Template t) {
        Optional<RetryStrategy> rs = t.retryStrategy().map(r -> new RetryStrategy(r.limit(), r.policy(),
                Optional.empty(), r.expression()));
        return new Template(t.name(), t.inputs(), t.outputs(), t.container(), t.script(), t.dag(), t.steps(),
                t.plugin(), rs, t.timeout(), t.activeDeadlineSeconds(), t.parallelism(), t.failFast());
    }

    private Engine engine() {
        Engine.Builder builder = Engine.builder().config(EngineConfig.defaults().withWorkRoot(dir.resolve("work")))
                .runStore(RunStores.inMemory())
                .storage(StorageSettings.defaults().withPluginsDir(dir.resolve("no-plugins"))
                        .withDefaultRepository(StoreConfig.of("default", "fs",
                                Map.of("root", dir.resolve("artifacts").toString()))))
                .probeSandbox(); // after storage: the fs root is hidden from tasks
        handlers.forEach(builder::handler);
        stubs.forEach((template, handler) -> builder.handler(STUB_PREFIX + template, ctx -> {
            synchronized (calls) {
                calls.computeIfAbsent(template, k -> new ArrayList<>())
                        .add(new StubCall(ctx.nodeName(), ctx.parameters(), ctx.attempt()));
            }
            return handler.run(ctx);
        }));
        return builder.build();
    }

    /** The artifact store's root: where output artifacts of the runs are. */
    public Path artifactRoot() {
        return dir.resolve("artifacts");
    }

    /** Deletes the tester's directory. */
    @Override
    public void close() {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Collections.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
