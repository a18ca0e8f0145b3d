package dev.weft.engine.task.process;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One task attempt's view, in whichever mode its sandbox runs. */
final class LocalSandboxedTask implements SandboxedTask {

    private static final Logger LOG = LoggerFactory.getLogger(LocalSandboxedTask.class);
    private static final File NULL_DEVICE = new File(File.separatorChar == '\\' ? "NUL" : "/dev/null");
    private static final long CLOSE_WAIT_SECONDS = 5;

    private final IsolationMode mode;
    private final String taskName;
    private final TaskDirectory dir;
    private final List<String> ownedPaths;
    private final ModeLauncher launcher;
    private final Map<String, String> aliases;
    private final ExecutorService starter;
    private final Executor waiters;
    /** Where close() leaves the deletion (null: deleted before close returns, for the probe's tasks). */
    private final DirectoryCleaner cleaner;
    private final Object lock = new Object();
    private LocalRunningProcess started;
    private boolean closed;

    LocalSandboxedTask(IsolationMode mode, String taskName, TaskDirectory dir, List<String> ownedPaths,
                       ModeLauncher launcher, Map<String, String> aliases, ExecutorService starter,
                       Executor waiters, DirectoryCleaner cleaner) {
        this.waiters = waiters;
        this.cleaner = cleaner;
        this.mode = mode;
        this.taskName = taskName;
        this.dir = dir;
        this.ownedPaths = List.copyOf(ownedPaths);
        this.launcher = launcher;
        this.aliases = aliases;
        this.starter = starter;
    }

    @Override
    public IsolationMode mode() {
        return mode;
    }

    @Override
    public Path hostPath(String sandboxPath) {
        String path = SandboxPaths.normalize(sandboxPath, "path of task " + taskName);
        boolean own = SandboxPaths.isUnder(path, SandboxPaths.TMP)
                || ownedPaths.stream().anyMatch(o -> SandboxPaths.isUnder(path, o));
        if (!own) {
            throw new IllegalArgumentException("path '" + sandboxPath + "' is not task " + taskName
                    + "'s own: only /tmp and the declared paths " + ownedPaths + " are");
        }
        return dir.hostPath(path);
    }

    @Override
    public Path outputPath(String sandboxPath, String what) {
        Path host = hostPath(sandboxPath);
        String path = SandboxPaths.normalize(sandboxPath, "path of task " + taskName);
        Path current = dir.root();
        String seen = "";
        for (String part : SandboxPaths.relative(path).split("/")) {
            current = current.resolve(part);
            seen = seen + "/" + part;
            if (Files.isSymbolicLink(current)) {
                String target;
                try {
                    target = Files.readSymbolicLink(current).toString();
                } catch (IOException e) {
                    target = "?";
                }
                throw new IllegalArgumentException(what + ": '" + seen + "' is a symbolic link (to '" + target
                        + "'); outputs are read without following links, which could lead out of the task");
            }
            if (!Files.exists(current, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                break;
            }
        }
        return host;
    }

    @Override
    public String rewrite(String text) {
        return launcher.rewrite(text);
    }

    @Override
    public RunningProcess start(ProcessLaunch launch) throws IOException {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("task " + taskName + "'s sandbox is already closed");
            }
            if (started != null) {
                throw new IllegalStateException("task " + taskName + "'s sandbox already started a process");
            }
            List<String> argv = new ArrayList<>(launch.argv());
            argv.set(0, aliases.getOrDefault(argv.get(0), argv.get(0)));
            ModeLauncher.LaunchSpec spec;
            try {
                spec = launcher.plan(argv, launch.env(), launch.workingDir());
            } catch (SandboxSetupException e) {
                return failed("cannot start " + argv + " for task " + taskName + ": " + e.getMessage(), e);
            }
            ProcessBuilder builder = new ProcessBuilder(spec.command())
                    .directory(spec.directory().toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(NULL_DEVICE))
                    .redirectOutput(dir.stdout().toFile())
                    .redirectError(dir.stderr().toFile());
            builder.environment().putAll(spec.env());
            LOG.debug("Starting task {} in {} ({}): {}", taskName, dir, mode, argv);
            // Before the start, so the leftover sweep can skip every process that existed earlier.
            SessionSweeper.Mark mark = launcher.startsOwnSession() ? SessionSweeper.mark() : SessionSweeper.UNKNOWN;
            Process process;
            try {
                process = launcher.diesWithStartingThread() ? startOnLauncherThread(builder) : builder.start();
            } catch (IOException e) {
                return failed("cannot start " + argv + " for task " + taskName + ": " + e.getMessage(), e);
            }
            started = new LocalRunningProcess(process, taskName, dir, launcher, mark, waiters);
            return started;
        }
    }

    /**
     * Starts the process on the sandbox's long-lived launcher thread: Linux delivers bubblewrap's
     * {@code --die-with-parent} signal when the thread that started it ends, and a pool thread may end any time.
     */
    private Process startOnLauncherThread(ProcessBuilder builder) throws IOException {
        Future<Process> future = starter.submit(builder::start);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get();
                } catch (InterruptedException e) {
                    // The start is already under way; leaving now would leak the process.
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("cannot start task " + taskName + ": " + e.getCause(), e.getCause());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private RunningProcess failed(String message, Exception cause) throws IOException {
        touch(dir.stdout());
        touch(dir.stderr());
        LOG.debug(message, cause);
        return new FailedProcess(dir, message);
    }

    private static void touch(Path file) throws IOException {
        if (!Files.exists(file)) {
            Files.createFile(file);
        }
    }

    @Override
    public void close() {
        LocalRunningProcess running;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            running = started;
        }
        if (running != null && !running.completion().isDone()) {
            LOG.warn("Task {}'s sandbox closed while its process {} still runs; killing it", taskName,
                    running.pid());
            running.killNow();
            try {
                // Let the outcome be read from the task's directory before it goes.
                running.completion().get(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.warn("Task {}'s process {} did not end within {} s of a forced kill", taskName,
                        running.pid(), CLOSE_WAIT_SECONDS);
            }
        }
        try {
            if (cleaner != null) {
                dir.deleteInBackground(cleaner);
            } else {
                dir.delete();
            }
        } catch (IOException e) {
            LOG.warn("Cannot delete task {}'s directory {}: {}", taskName, dir, e.toString());
        }
    }

    /** The task's host directory, for diagnostics and tests. */
    Path directory() {
        return dir.dir();
    }
}
