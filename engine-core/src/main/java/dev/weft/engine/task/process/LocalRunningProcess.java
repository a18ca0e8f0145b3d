package dev.weft.engine.task.process;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started process. A waiter thread of ours blocks in {@link Process#waitFor()} and completes the outcome: that is
 * one thread hand-off after the JDK reaps the process, where {@link Process#onExit()} adds a hop through the common
 * pool (measurably slower per task on a small machine, see {@code ProcessBreakdown} in the benchmarks). The forced
 * kill after a graceful stop is scheduled on the common delayed executor.
 */
final class LocalRunningProcess implements RunningProcess {

    private static final Logger LOG = LoggerFactory.getLogger(LocalRunningProcess.class);

    private static final long LEFTOVER_WAIT_SECONDS = 10;

    private final Process process;
    private final String taskName;
    private final ModeLauncher launcher;
    private final SessionSweeper.Mark startMark;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final CompletableFuture<ProcessOutcome> completion = new CompletableFuture<>();

    /**
     * @param startMark taken just before the process started, so sweeps read only processes created since
     * @param waiters   where a thread waits for the process to end (see {@link LocalProcessSandbox#newWaiterPool})
     */
    LocalRunningProcess(Process process, String taskName, TaskDirectory dir, ModeLauncher launcher,
                        SessionSweeper.Mark startMark, Executor waiters) {
        this.process = process;
        this.taskName = taskName;
        this.launcher = launcher;
        this.startMark = startMark;
        waiters.execute(() -> awaitExit(dir));
    }

    private void awaitExit(TaskDirectory dir) {
        boolean interrupted = false;
        while (true) {
            try {
                process.waitFor();
                break;
            } catch (InterruptedException e) {
                // Only a pool shutdown interrupts, and this pool is never shut down; the outcome must still come.
                interrupted = true;
            }
        }
        CompletableFuture<Void> leftovers;
        try {
            leftovers = endLeftovers();
        } catch (RuntimeException e) {
            LOG.warn("Cannot sweep task {}'s leftover processes: {}", taskName, e.toString());
            leftovers = CompletableFuture.completedFuture(null);
        }
        leftovers.handle((ignored, error) -> outcome(dir)).whenComplete((outcome, error) -> {
            if (error != null) {
                completion.completeExceptionally(error);
            } else {
                completion.complete(outcome);
            }
        });
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Like a container whose main process ended: nothing the task started outlives it. Completes once the
     * leftovers are gone (a SIGKILL takes effect at once; the bound only guards against a stuck process).
     */
    private CompletableFuture<Void> endLeftovers() {
        if (!launcher.startsOwnSession()) {
            return CompletableFuture.completedFuture(null);
        }
        List<ProcessHandle> leftovers = SessionSweeper.members(process.pid(), startMark);
        if (leftovers.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        LOG.debug("Task {} left {} processes running; killing them", taskName, leftovers.size());
        leftovers.forEach(ProcessHandle::destroyForcibly);
        return CompletableFuture.allOf(leftovers.stream().map(ProcessHandle::onExit)
                        .toArray(CompletableFuture[]::new))
                .completeOnTimeout(null, LEFTOVER_WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private ProcessOutcome outcome(TaskDirectory dir) {
        int exitCode = process.exitValue();
        boolean wasStopped = stopped.get();
        Optional<String> failure;
        try {
            // A process we killed may not have reached the point where the sandbox records success.
            failure = wasStopped ? Optional.empty() : launcher.sandboxFailure(exitCode);
        } catch (RuntimeException e) {
            failure = Optional.of("cannot tell whether the sandbox started the command: " + e);
        }
        return new ProcessOutcome(failure.isPresent() ? ProcessOutcome.NOT_RUN : exitCode,
                dir.stdout(), dir.stderr(), wasStopped, failure);
    }

    @Override
    public CompletableFuture<ProcessOutcome> completion() {
        return completion;
    }

    @Override
    public void stop(Duration grace) {
        if (!process.isAlive() || !stopped.compareAndSet(false, true)) {
            return;
        }
        // Remember the tree now: children orphaned by the command's death are no longer its descendants later.
        // Parents before children, so a shell's TERM trap runs before its children's deaths can end its `wait`.
        List<ProcessHandle> tree = treeParentsFirst(process.toHandle());
        if (launcher.startsOwnSession()) {
            SessionSweeper.members(process.pid(), startMark).stream().filter(h -> !tree.contains(h))
                    .filter(h -> h.pid() != process.pid()).forEach(tree::add);
        }
        LOG.debug("Stopping task {} (pid {}, {} descendants), forced kill after {}", taskName, process.pid(),
                tree.size(), grace);
        if (launcher.signalStartedProcessOnStop()) {
            process.destroy();
        }
        tree.forEach(ProcessHandle::destroy);
        long graceMillis = Math.max(0, grace.toMillis());
        CompletableFuture.delayedExecutor(graceMillis, TimeUnit.MILLISECONDS).execute(() -> {
            // Parents first again, so no parent outlives its children long enough to run more commands.
            List<ProcessHandle> now = new ArrayList<>();
            now.add(process.toHandle());
            now.addAll(treeParentsFirst(process.toHandle()));
            now.addAll(tree);
            now.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        });
    }

    /**
     * Kills the whole tree at once, parents first, and marks the outcome as stopped (closing a task whose process
     * still runs).
     */
    void killNow() {
        if (process.isAlive()) {
            stopped.set(true);
        }
        List<ProcessHandle> tree = treeParentsFirst(process.toHandle());
        if (launcher.startsOwnSession()) {
            tree.addAll(SessionSweeper.members(process.pid(), startMark));
        }
        process.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
    }

    private static List<ProcessHandle> treeParentsFirst(ProcessHandle root) {
        List<ProcessHandle> tree = new ArrayList<>();
        List<ProcessHandle> level = root.children().toList();
        while (!level.isEmpty()) {
            tree.addAll(level);
            level = level.stream().flatMap(ProcessHandle::children).toList();
        }
        return tree;
    }

    /** For tests: the host pid of the started process. */
    long pid() {
        return process.pid();
    }
}
