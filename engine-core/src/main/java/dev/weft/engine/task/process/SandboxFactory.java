package dev.weft.engine.task.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes the machine and builds the engine's {@link ProcessSandbox} in the best {@link IsolationMode} the probe
 * proves. Each namespace mode is proven by running a real task through it on a scratch directory (sysctls alone do
 * not tell): the task writes {@code /tmp/weft-probe-<id>} and a new top-level declared path, and the probe checks
 * that both landed in the task's directory and neither on the host.
 */
public final class SandboxFactory {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxFactory.class);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(20);

    private final SandboxSettings settings;

    /** @param settings where task directories go, the command aliases, and an optional forced mode */
    public SandboxFactory(SandboxSettings settings) {
        this.settings = settings;
    }

    /** Probes the machine once and returns the sandbox in the best proven (or the forced) mode. */
    public ProcessSandbox create() {
        return create(probe());
    }

    /**
     * Returns the sandbox for an earlier probe's findings: the forced mode if the settings name one, else the best.
     *
     * @throws IllegalStateException when the forced mode is not proven on this machine
     */
    public ProcessSandbox create(SandboxProbe probe) {
        IsolationMode mode;
        if (settings.forcedMode().isPresent()) {
            mode = settings.forcedMode().get();
            ModeProbe found = probe.of(mode);
            if (!found.available()) {
                throw new IllegalStateException("Process sandbox mode " + mode + " is forced by the settings but is "
                        + "not available on this machine: " + found.detail() + " [" + probe.diagnostics() + "]");
            }
        } else {
            mode = probe.best().orElseThrow(() -> new IllegalStateException("no process sandbox mode available"));
        }
        String description = describe(mode, probe) + "; " + privileges(mode, HostTools.find());
        if (mode == IsolationMode.BUBBLEWRAP || mode == IsolationMode.BUBBLEWRAP_USERNS) {
            LOG.info("{} [{}]", description, probe.diagnostics());
        } else {
            LOG.warn("{} [{}]", description, probe.diagnostics());
        }
        return new LocalProcessSandbox(mode, description, settings, HostTools.find(), starter(mode));
    }

    private String describe(IsolationMode mode, SandboxProbe probe) {
        StringBuilder text = new StringBuilder("Process sandbox: ").append(mode).append(" (").append(summary(mode))
                .append(')');
        if (settings.forcedMode().isPresent()) {
            text.append(", forced by the settings");
        }
        List<String> better = new ArrayList<>();
        for (ModeProbe m : probe.modes()) {
            if (m.mode().ordinal() < mode.ordinal()) {
                better.add(m.mode() + (m.available() ? " is available but not chosen" : ": " + m.detail()));
            }
        }
        if (!better.isEmpty()) {
            text.append("; better modes: ").append(String.join("; ", better));
        }
        return text.toString();
    }

    private String privileges(IsolationMode mode, HostTools tools) {
        return switch (mode) {
            case BUBBLEWRAP -> BubblewrapLauncher.privileges(tools, false, settings.taskUser());
            case BUBBLEWRAP_USERNS -> BubblewrapLauncher.privileges(tools, true, settings.taskUser());
            case UNSHARE_TMP, PATH_REWRITE -> "tasks run as the engine's own user (" + (tools.root() ? "root" : "uid "
                    + System.getProperty("user.name")) + ") with its privileges; see docs/security.md";
        };
    }

    private static String summary(IsolationMode mode) {
        return switch (mode) {
            case BUBBLEWRAP -> "bubblewrap with a per-task root: /tmp and every path outside the host's read-only"
                    + " directories are the task's own";
            case BUBBLEWRAP_USERNS -> "bubblewrap in a user namespace with a per-task root: /tmp and every path"
                    + " outside the host's read-only directories are the task's own";
            case UNSHARE_TMP -> "private mount namespace with the task's own /tmp; declared paths outside /tmp are"
                    + " rewritten where they appear literally";
            case PATH_REWRITE -> "no namespaces; /tmp and declared paths are rewritten where they appear literally,"
                    + " paths a command builds itself are shared";
        };
    }

    /** Probes every mode on this machine (a few milliseconds per mode) and reports what it found. */
    public SandboxProbe probe() {
        HostTools tools = HostTools.find();
        String diagnostics = diagnostics(tools);
        List<ModeProbe> modes = new ArrayList<>();
        ExecutorService starter = starter(null);
        try {
            for (IsolationMode mode : IsolationMode.values()) {
                ModeProbe result = probe(mode, tools, starter);
                LOG.debug("Probe {}: {}", mode, result);
                modes.add(result);
            }
        } finally {
            starter.shutdown();
        }
        return new SandboxProbe(modes, diagnostics);
    }

    private ModeProbe probe(IsolationMode mode, HostTools tools, ExecutorService starter) {
        if (mode == IsolationMode.PATH_REWRITE) {
            return new ModeProbe(mode, true, "needs no kernel support");
        }
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            return new ModeProbe(mode, false, "needs Linux namespaces; this is " + System.getProperty("os.name"));
        }
        List<String> missing = new ArrayList<>();
        if (tools.shell().isEmpty()) {
            missing.add("/bin/sh");
        }
        if (mode == IsolationMode.UNSHARE_TMP) {
            tools.unshare().ifPresentOrElse(p -> { }, () -> missing.add("unshare"));
            tools.mount().ifPresentOrElse(p -> { }, () -> missing.add("mount"));
        } else {
            tools.bwrap().ifPresentOrElse(p -> { }, () -> missing.add("bwrap (Debian package bubblewrap)"));
        }
        if (!missing.isEmpty()) {
            return new ModeProbe(mode, false, "not found on PATH: " + String.join(", ", missing));
        }
        if (mode == IsolationMode.UNSHARE_TMP) {
            Optional<String> tmpProblem = workRootUnderTmp();
            if (tmpProblem.isPresent()) {
                return new ModeProbe(mode, false, tmpProblem.get());
            }
        }
        try {
            return runProbe(mode, tools, starter);
        } catch (IOException | RuntimeException e) {
            return new ModeProbe(mode, false, "probe failed: " + e);
        }
    }

    private Optional<String> workRootUnderTmp() {
        try {
            Path real = Files.createDirectories(settings.workRoot()).toRealPath();
            if (SandboxPaths.isUnder(real.toString(), SandboxPaths.TMP)) {
                return Optional.of("the work root " + real + " lies under /tmp, which this mode replaces");
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot create the work root " + settings.workRoot() + ": " + e);
        }
    }

    private ModeProbe runProbe(IsolationMode mode, HostTools tools, ExecutorService starter) throws IOException {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String tmpFile = "/tmp/weft-probe-" + id;
        String topDir = "/weft-probe-" + id;
        String declared = topDir + "/out";
        LocalProcessSandbox sandbox = new LocalProcessSandbox(mode, "probe", settings, tools, starter, true);
        try (SandboxedTask task = sandbox.prepare("probe-" + mode.name().toLowerCase(), List.of(declared))) {
            RunningProcess running = task.start(new ProcessLaunch(List.of(tools.shell().orElseThrow().toString(),
                    "-c", "echo ok > " + tmpFile + " && echo ok > " + declared), Map.of(), Optional.empty()));
            ProcessOutcome outcome;
            try {
                outcome = running.completion().get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                running.stop(Duration.ZERO);
                return new ModeProbe(mode, false, "probe task did not finish within " + PROBE_TIMEOUT.toSeconds()
                        + " s");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running.stop(Duration.ZERO);
                return new ModeProbe(mode, false, "probe interrupted");
            } catch (ExecutionException e) {
                return new ModeProbe(mode, false, "probe failed: " + e.getCause());
            }
            if (outcome.sandboxFailure().isPresent()) {
                return new ModeProbe(mode, false, outcome.sandboxFailure().get());
            }
            if (outcome.exitCode() != 0) {
                return new ModeProbe(mode, false, "probe task exited with code " + outcome.exitCode() + ": "
                        + FailureMessages.fromStderr(outcome.stderr(), "(no stderr)"));
            }
            if (Files.exists(Path.of(tmpFile)) || Files.exists(Path.of(topDir))) {
                return new ModeProbe(mode, false, "probe task wrote to the host's " + tmpFile + " or " + topDir
                        + " instead of its own view (the host paths were left in place for inspection)");
            }
            if (!"ok".equals(read(task.hostPath(tmpFile))) || !"ok".equals(read(task.hostPath(declared)))) {
                return new ModeProbe(mode, false, "probe task's files did not appear in its directory");
            }
            return new ModeProbe(mode, true, "probe task kept /tmp and a new top-level path private");
        }
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8).strip() : null;
    }

    private String diagnostics(HostTools tools) {
        List<String> facts = new ArrayList<>();
        facts.add("os=" + System.getProperty("os.name") + " " + System.getProperty("os.version"));
        facts.add("user=" + System.getProperty("user.name"));
        statusField("Uid:").ifPresent(v -> facts.add("uid=" + v));
        statusField("CapEff:").ifPresent(v -> facts.add("CapEff=" + v));
        for (String sysctl : List.of("/proc/sys/user/max_user_namespaces",
                "/proc/sys/kernel/unprivileged_userns_clone",
                "/proc/sys/kernel/apparmor_restrict_unprivileged_userns")) {
            readSmall(Path.of(sysctl)).ifPresent(v -> facts.add(Path.of(sysctl).getFileName() + "=" + v));
        }
        facts.add("bwrap=" + tools.bwrap().map(Path::toString).orElse("none"));
        facts.add("unshare=" + tools.unshare().map(Path::toString).orElse("none"));
        facts.add("workRoot=" + settings.workRoot());
        return String.join(", ", facts);
    }

    private static Optional<String> statusField(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Optional.of(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or /proc is not mounted.
        }
        return Optional.empty();
    }

    private static Optional<String> readSmall(Path file) {
        try {
            // /proc files report size 0; read them line by line.
            return Files.isReadable(file) ? Files.readAllLines(file).stream().findFirst().map(String::strip)
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** A long-lived daemon thread to start processes on (see {@code LocalSandboxedTask}). */
    private static ExecutorService starter(IsolationMode mode) {
        String name = "weft-process-starter" + (mode == null ? "-probe" : "-" + mode.name().toLowerCase());
        return Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
    }
}
