package dev.weft.engine.task.process;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The sandbox of one engine, in the mode its factory chose. */
final class LocalProcessSandbox implements ProcessSandbox {

    private static final Logger LOG = LoggerFactory.getLogger(LocalProcessSandbox.class);

    private final IsolationMode mode;
    private final String description;
    private final SandboxSettings settings;
    private final HostTools tools;
    private final ExecutorService starter;
    private final AtomicBoolean sharedPathWarning = new AtomicBoolean();
    private final boolean probe;
    private final DirectoryCleaner cleaner;
    private final CommandLookup commands = new CommandLookup();
    private final ExecutorService waiters = newWaiterPool();

    LocalProcessSandbox(IsolationMode mode, String description, SandboxSettings settings, HostTools tools,
                        ExecutorService starter) {
        this(mode, description, settings, tools, starter, false);
    }

    @Override
    public void close() {
        cleaner.close();
    }

    /**
     * One parked thread per running process, blocked in {@code waitFor()} (the JDK keeps a reaper thread per process
     * anyway). No core threads: idle ones end after a minute, so the pool needs no shutting down, and a task that
     * starts while the engine closes still gets its waiter. Daemons: a waiting task must not keep the JVM alive.
     */
    private static ExecutorService newWaiterPool() {
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                runnable -> {
                    Thread thread = new Thread(runnable, "weft-process-waiter");
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /** Waits until the directories of closed tasks are deleted (tests). */
    void awaitDeletions() throws InterruptedException {
        cleaner.awaitIdle();
    }

    /**
     * @param probe true for the start-up probe's throwaway sandboxes: they do not warn (only the chosen mode does),
     *              and their tasks delete their directories before close returns, so a probe leaves nothing behind
     */
    LocalProcessSandbox(IsolationMode mode, String description, SandboxSettings settings, HostTools tools,
                        ExecutorService starter, boolean probe) {
        this.sharedPathWarning.set(probe);
        this.probe = probe;
        this.mode = mode;
        this.description = description;
        this.settings = settings;
        this.tools = tools;
        this.starter = starter;
        this.cleaner = new DirectoryCleaner();
        if (!probe) {
            // task directories an earlier JVM had doomed but not yet deleted
            cleaner.sweep(settings.workRoot());
        }
    }

    @Override
    public IsolationMode mode() {
        return mode;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public SandboxedTask prepare(String taskName, Collection<String> ownedPaths) throws IOException {
        List<String> owned = normalizeOwned(taskName, ownedPaths);
        TaskDirectory dir = TaskDirectory.create(settings.workRoot(), taskName);
        try {
            ModeLauncher launcher = switch (mode) {
                case BUBBLEWRAP -> new BubblewrapLauncher(dir, tools, false, owned, settings.taskUser(), hidden());
                case BUBBLEWRAP_USERNS -> new BubblewrapLauncher(dir, tools, true, owned, settings.taskUser(), hidden());
                case UNSHARE_TMP -> new UnshareTmpLauncher(dir, tools, owned);
                case PATH_REWRITE -> new PathRewriteLauncher(dir, tools, owned, commands);
            };
            warnOnceAboutSharedPaths(owned);
            return new LocalSandboxedTask(mode, taskName, dir, owned, launcher, settings.commandAliases(), starter,
                    waiters, probe ? null : cleaner);
        } catch (IOException | RuntimeException e) {
            try {
                dir.delete();
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** The work root (every task's directory) and the configured hidden paths. */
    private List<java.nio.file.Path> hidden() {
        List<java.nio.file.Path> all = new ArrayList<>(settings.hiddenPaths());
        all.add(settings.workRoot());
        return all;
    }

    private static List<String> normalizeOwned(String taskName, Collection<String> ownedPaths) {
        Set<String> owned = new LinkedHashSet<>();
        for (String raw : ownedPaths) {
            String what = "declared path of task " + taskName;
            String path = SandboxPaths.normalize(raw, what);
            if (path.equals("/")) {
                throw new IllegalArgumentException(what + " '" + raw + "' is the root; a task cannot own /");
            }
            for (String reserved : SandboxPaths.RESERVED) {
                if (SandboxPaths.isUnder(path, reserved)) {
                    throw new IllegalArgumentException(what + " '" + raw + "' lies under " + reserved
                            + ", which the sandbox provides itself");
                }
            }
            owned.add(path);
        }
        return new ArrayList<>(owned);
    }

    private void warnOnceAboutSharedPaths(List<String> owned) {
        boolean rewrites = mode == IsolationMode.PATH_REWRITE
                || (mode == IsolationMode.UNSHARE_TMP
                    && owned.stream().anyMatch(p -> !SandboxPaths.isUnder(p, SandboxPaths.TMP)));
        if (rewrites && sharedPathWarning.compareAndSet(false, true)) {
            LOG.warn("Process sandbox mode {}: {} are rewritten only where they appear literally in a task's "
                    + "command, args, env and script source; paths a command builds itself are shared between "
                    + "parallel tasks and with the host",
                    mode, mode == IsolationMode.PATH_REWRITE ? "/tmp and declared paths" : "declared paths outside /tmp");
        }
    }

    @Override
    public String toString() {
        return "ProcessSandbox[" + mode + "]";
    }
}
