package dev.weft.engine.task.process;

import static dev.weft.engine.task.process.SandboxTestSupport.await;
import static dev.weft.engine.task.process.SandboxTestSupport.awaitDescendant;
import static dev.weft.engine.task.process.SandboxTestSupport.read;
import static dev.weft.engine.task.process.SandboxTestSupport.run;
import static dev.weft.engine.task.process.SandboxTestSupport.sandbox;
import static dev.weft.engine.task.process.SandboxTestSupport.settings;
import static dev.weft.engine.task.process.SandboxTestSupport.sh;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Real processes in every isolation mode this machine offers. */
class ProcessSandboxTest {

    private static final String MODES = "dev.weft.engine.task.process.SandboxTestSupport#allModes";

    @ParameterizedTest
    @MethodSource(MODES)
    void parallelTasksWritingSameAbsolutePathsDoNotCollide(IsolationMode mode) throws Exception {
        assumeTrue(Files.notExists(Path.of("/data")) && Files.notExists(Path.of("/mnt/out")),
                "the host already has /data or /mnt/out");
        ProcessSandbox sandbox = sandbox(mode);
        int tasks = 4;
        List<SandboxedTask> views = new ArrayList<>();
        List<RunningProcess> running = new ArrayList<>();
        try {
            for (int i = 0; i < tasks; i++) {
                SandboxedTask task = sandbox.prepare("twin-" + i, List.of("/data/out", "/mnt/out"));
                views.add(task);
                // Each writes, waits for its twins to write too, then reads back what it sees.
                running.add(task.start(new ProcessLaunch(List.of("sh", "-c",
                        "echo \"$ID\" > /tmp/out && echo \"$ID\" > /data/out && echo \"$ID\" > /mnt/out"
                                + " && sleep 0.5 && cat /tmp/out /data/out /mnt/out"),
                        Map.of("ID", "task-" + i), Optional.empty())));
            }
            for (int i = 0; i < tasks; i++) {
                ProcessOutcome outcome = await(running.get(i));
                String id = "task-" + i;
                assertThat(outcome.sandboxFailure()).as(mode + " " + id).isEmpty();
                assertThat(outcome.exitCode()).as(read(outcome.stderr())).isZero();
                assertThat(read(outcome.stdout())).isEqualTo(id + "\n" + id + "\n" + id + "\n");
                SandboxedTask task = views.get(i);
                assertThat(read(task.hostPath("/tmp/out"))).isEqualTo(id + "\n");
                assertThat(read(task.hostPath("/data/out"))).isEqualTo(id + "\n");
                assertThat(read(task.hostPath("/mnt/out"))).isEqualTo(id + "\n");
            }
        } finally {
            views.forEach(SandboxedTask::close);
        }
        assertThat(Path.of("/data")).doesNotExist();
        assertThat(Path.of("/mnt/out")).doesNotExist();
    }

    @ParameterizedTest
    @MethodSource(MODES)
    void existingHostDirectoryAncestorKeepsItsOtherChildrenVisible(IsolationMode mode) throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/var/lib")) && Files.notExists(Path.of("/var/weft-test-out")),
                "needs /var/lib and no /var/weft-test-out on the host");
        try (SandboxedTask task = sandbox(mode).prepare("ancestor", List.of("/var/weft-test-out/result"))) {
            ProcessOutcome outcome = run(task, sh(
                    "test -d /var/lib && echo r > /var/weft-test-out/result"));
            assertThat(outcome.exitCode()).as(read(outcome.stderr())).isZero();
            assertThat(read(task.hostPath("/var/weft-test-out/result"))).isEqualTo("r\n");
        }
        assertThat(Path.of("/var/weft-test-out")).doesNotExist();
    }

    @ParameterizedTest
    @MethodSource(MODES)
    void exitCodesArePreserved(IsolationMode mode) throws Exception {
        ProcessSandbox sandbox = sandbox(mode);
        for (int code : new int[] {0, 1, 42}) {
            try (SandboxedTask task = sandbox.prepare("exit-" + code, List.of())) {
                ProcessOutcome outcome = run(task, sh("exit " + code));
                assertThat(outcome.exitCode()).as(mode + " exit " + code).isEqualTo(code);
                assertThat(outcome.sandboxFailure()).isEmpty();
                assertThat(outcome.stopped()).isFalse();
            }
        }
    }

    @ParameterizedTest
    @MethodSource(MODES)
    void signalExitIs128PlusTheSignal(IsolationMode mode) throws Exception {
        ProcessSandbox sandbox = sandbox(mode);
        try (SandboxedTask task = sandbox.prepare("sigterm", List.of())) {
            ProcessOutcome outcome = run(task, sh("kill -TERM $$; sleep 5"));
            assertThat(outcome.exitCode()).isEqualTo(128 + 15);
            assertThat(outcome.sandboxFailure()).isEmpty();
        }
        try (SandboxedTask task = sandbox.prepare("sigkill", List.of())) {
            ProcessOutcome outcome = run(task, sh("kill -KILL $$; sleep 5"));
            assertThat(outcome.exitCode()).isEqualTo(128 + 9);
            assertThat(outcome.sandboxFailure()).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource(MODES)
    void sandboxSetupFailureIsReportedAsSandboxFailureNotAsExitCode(IsolationMode mode) throws Exception {
        ProcessSandbox sandbox = sandbox(mode);
        try (SandboxedTask task = sandbox.prepare("missing-command", List.of())) {
            ProcessOutcome outcome = run(task, new ProcessLaunch(List.of("weft-no-such-command", "x"), Map.of(),
                    Optional.empty()));
            assertThat(outcome.sandboxFailure()).as(mode.toString()).get().asString()
                    .contains("weft-no-such-command");
            assertThat(outcome.exitCode()).isEqualTo(ProcessOutcome.NOT_RUN);
        }
        try (SandboxedTask task = sandbox.prepare("missing-workdir", List.of())) {
            ProcessOutcome outcome = run(task, new ProcessLaunch(List.of("true"), Map.of(),
                    Optional.of("/usr/weft-no-such-dir")));
            assertThat(outcome.sandboxFailure()).as(mode.toString()).get().asString()
                    .contains("/usr/weft-no-such-dir");
            assertThat(outcome.exitCode()).isEqualTo(ProcessOutcome.NOT_RUN);
        }
        try (SandboxedTask task = sandbox.prepare("plain-failure", List.of())) {
            ProcessOutcome outcome = run(task, sh("echo 'bwrap: not really' >&2; exit 1"));
            assertThat(outcome.sandboxFailure()).as("a command failing on its own").isEmpty();
            assertThat(outcome.exitCode()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @MethodSource(MODES)
    void stopKillsTheWholeTreeIncludingAGrandchild(IsolationMode mode) throws Exception {
        String marker = String.valueOf(ThreadLocalRandom.current().nextInt(100_000, 999_999));
        try (SandboxedTask task = sandbox(mode).prepare("stop-tree", List.of())) {
            // The trailing command keeps sh alive as the parent of sleep (no exec of the last command).
            RunningProcess running = task.start(sh("trap '' TERM; sleep " + marker + "; echo never"));
            ProcessHandle grandchild = awaitDescendant("sleep", marker);
            running.stop(Duration.ofMillis(300));
            ProcessOutcome outcome = await(running);
            assertThat(outcome.stopped()).isTrue();
            assertThat(outcome.sandboxFailure()).isEmpty();
            grandchild.onExit().get(SandboxTestSupport.TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            assertThat(grandchild.isAlive()).as("sleep " + marker + " (pid " + grandchild.pid() + ")").isFalse();
            assertThat(read(outcome.stdout())).doesNotContain("never");
        }
    }

    @ParameterizedTest
    @MethodSource(MODES)
    void backgroundProcessesDoNotOutliveTheTask(IsolationMode mode) throws Exception {
        String marker = String.valueOf(ThreadLocalRandom.current().nextInt(100_000, 999_999));
        try (SandboxedTask task = sandbox(mode).prepare("background", List.of())) {
            // The main process leaves a background sleep behind and ends on its own once told to.
            RunningProcess running = task.start(sh(
                    "sleep " + marker + " & while [ ! -e /tmp/go ]; do sleep 0.05; done"));
            ProcessHandle background = awaitDescendant("sleep", marker);
            Files.writeString(task.hostPath("/tmp/go"), "go");
            ProcessOutcome outcome = await(running);
            assertThat(outcome.exitCode()).isZero();
            assertThat(outcome.stopped()).isFalse();
            background.onExit().get(SandboxTestSupport.TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            assertThat(background.isAlive()).as("sleep " + marker + " after its task ended").isFalse();
        }
    }

    @ParameterizedTest
    @MethodSource(MODES)
    void stopRightAfterStartEndsTheTaskAsStopped(IsolationMode mode) throws Exception {
        try (SandboxedTask task = sandbox(mode).prepare("stop-early", List.of())) {
            RunningProcess running = task.start(sh("sleep 100"));
            running.stop(Duration.ofMillis(100));
            ProcessOutcome outcome = await(running);
            assertThat(outcome.stopped()).isTrue();
            assertThat(outcome.sandboxFailure()).as("a stop is not a sandbox failure").isEmpty();
            assertThat(outcome.exitCode()).isGreaterThan(128);
        }
    }

    @ParameterizedTest
    @MethodSource(MODES)
    void closeWhileRunningKillsTheTaskAndDeletesItsDirectory(IsolationMode mode) throws Exception {
        String marker = String.valueOf(ThreadLocalRandom.current().nextInt(100_000, 999_999));
        SandboxedTask task = sandbox(mode).prepare("close-running", List.of());
        Path dir = ((LocalSandboxedTask) task).directory();
        RunningProcess running = task.start(sh("sleep " + marker + "; true"));
        ProcessHandle sleep = awaitDescendant("sleep", marker);
        task.close();
        assertThat(dir).doesNotExist();
        ProcessOutcome outcome = await(running);
        assertThat(outcome.stopped()).isTrue();
        assertThat(outcome.sandboxFailure()).isEmpty();
        assertThat(outcome.exitCode()).isGreaterThan(128);
        sleep.onExit().get(SandboxTestSupport.TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        assertThat(sleep.isAlive()).isFalse();
    }

    @ParameterizedTest
    @MethodSource(MODES)
    void stopSendsSigtermBeforeKilling(IsolationMode mode) throws Exception {
        String marker = String.valueOf(ThreadLocalRandom.current().nextInt(100_000, 999_999));
        try (SandboxedTask task = sandbox(mode).prepare("stop-graceful", List.of())) {
            RunningProcess running = task.start(sh(
                    "trap 'echo term > /tmp/term; exit 7' TERM; sleep " + marker + " & wait"));
            awaitDescendant("sleep", marker);
            running.stop(Duration.ofSeconds(30));
            ProcessOutcome outcome = await(running);
            assertThat(outcome.stopped()).isTrue();
            assertThat(outcome.exitCode()).as(read(outcome.stdout()) + read(outcome.stderr())).isEqualTo(7);
            assertThat(read(task.hostPath("/tmp/term"))).isEqualTo("term\n");
        }
    }

    @ParameterizedTest
    @MethodSource(MODES)
    void commandAliasesReplaceTheFirstWord(IsolationMode mode) throws Exception {
        ProcessSandbox sandbox = sandbox(mode, settings().withCommandAliases(Map.of("weft-greet", "echo")));
        try (SandboxedTask task = sandbox.prepare("alias", List.of())) {
            ProcessOutcome outcome = run(task, new ProcessLaunch(List.of("weft-greet", "hi"), Map.of(),
                    Optional.empty()));
            assertThat(outcome.sandboxFailure()).isEmpty();
            assertThat(read(outcome.stdout())).isEqualTo("hi\n");
        }
    }

    @ParameterizedTest
    @MethodSource(MODES)
    void pythonRunsAsPython3ByDefault(IsolationMode mode) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "needs python3");
        assertThat(SandboxSettings.defaults().commandAliases()).containsEntry("python", "python3");
        try (SandboxedTask task = sandbox(mode).prepare("python", List.of())) {
            ProcessOutcome outcome = run(task, new ProcessLaunch(
                    List.of("python", "-c", "import sys; open('/tmp/v', 'w').write(str(sys.version_info[0]))"),
                    Map.of(), Optional.empty()));
            assertThat(outcome.exitCode()).as(read(outcome.stderr())).isZero();
            assertThat(read(task.hostPath("/tmp/v"))).isEqualTo("3");
        }
    }

    @ParameterizedTest
    @MethodSource(MODES)
    void envAndWorkingDirAreHonoured(IsolationMode mode) throws Exception {
        try (SandboxedTask task = sandbox(mode).prepare("env", List.of("/data/in"))) {
            Files.writeString(task.hostPath("/data/in"), "staged");
            ProcessOutcome outcome = run(task, new ProcessLaunch(List.of("sh", "-c", "echo \"$GREETING\"; pwd; echo \"$TMPDIR\"; cat \"$IN\""),
                    Map.of("GREETING", "hello there", "IN", "/data/in"), Optional.of("/tmp/work")));
            assertThat(outcome.exitCode()).as(read(outcome.stderr())).isZero();
            // Without a private view the working directory is the task's host copy of /tmp/work.
            // TMPDIR is the task's own /tmp whatever the host's TMPDIR says.
            assertThat(read(outcome.stdout())).isEqualTo("hello there\n" + task.rewrite("/tmp/work") + "\n"
                    + task.rewrite("/tmp") + "\nstaged");
        }
    }

    @ParameterizedTest
    @MethodSource(MODES)
    void stdoutAndStderrAreCapturedInFiles(IsolationMode mode) throws Exception {
        try (SandboxedTask task = sandbox(mode).prepare("streams", List.of())) {
            ProcessOutcome outcome = run(task, sh("echo to-out; echo to-err >&2; cat"));
            assertThat(outcome.exitCode()).isZero();
            assertThat(read(outcome.stdout())).isEqualTo("to-out\n");
            assertThat(read(outcome.stderr())).isEqualTo("to-err\n");
        }
    }

    @ParameterizedTest
    @MethodSource(MODES)
    void scriptSourceRewrittenByTheTaskRunsWithTheTasksOwnPaths(IsolationMode mode) throws Exception {
        String script = "/argo/staging/script";
        try (SandboxedTask task = sandbox(mode).prepare("script", List.of(script, "/data/out"))) {
            Path hostScript = task.hostPath(script);
            Files.createDirectories(hostScript.getParent());
            Files.writeString(hostScript, task.rewrite("echo from-script > /tmp/out\necho data > /data/out\n"));
            ProcessOutcome outcome = run(task, new ProcessLaunch(List.of("sh", script), Map.of(), Optional.empty()));
            assertThat(outcome.exitCode()).as(read(outcome.stderr())).isZero();
            assertThat(read(task.hostPath("/tmp/out"))).isEqualTo("from-script\n");
            assertThat(read(task.hostPath("/data/out"))).isEqualTo("data\n");
        }
        assertThat(Path.of("/argo")).doesNotExist();
    }

    @ParameterizedTest
    @MethodSource(MODES)
    void closeDeletesTheTaskDirectoryWithoutFollowingLinksOut(IsolationMode mode, @TempDir Path outside)
            throws Exception {
        Path precious = Files.writeString(outside.resolve("precious"), "keep");
        ProcessSandbox sandbox = sandbox(mode);
        SandboxedTask task = sandbox.prepare("cleanup", List.of("/data/out"));
        Path dir = ((LocalSandboxedTask) task).directory();
        ProcessOutcome outcome = run(task, sh("mkdir -p /tmp/a/b && echo x > /tmp/a/b/c && echo y > /data/out"
                + " && chmod 000 /tmp/a/b && ln -s " + outside + " /tmp/link && ln -s " + precious + " /tmp/file"));
        assertThat(outcome.exitCode()).as(read(outcome.stderr())).isZero();
        assertThat(dir).isDirectory();
        task.close();
        assertThat(dir).doesNotExist();
        ((LocalProcessSandbox) sandbox).awaitDeletions();
        assertThat(dir.resolveSibling(dir.getFileName() + DirectoryCleaner.DOOMED_SUFFIX)).doesNotExist();
        assertThat(precious).hasContent("keep");
        assertThat(outside).isDirectory();
    }

    @ParameterizedTest
    @MethodSource(MODES)
    void processSurvivesTheEndOfTheThreadThatStartedIt(IsolationMode mode) throws Exception {
        // bwrap --die-with-parent uses PR_SET_PDEATHSIG, which fires when the *thread* that started it ends.
        String pause = "2." + ThreadLocalRandom.current().nextInt(100_000, 999_999);
        try (SandboxedTask task = sandbox(mode).prepare("short-thread", List.of())) {
            AtomicReference<RunningProcess> running = new AtomicReference<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread starter = new Thread(() -> {
                try {
                    running.set(task.start(sh("sleep " + pause + "; echo alive")));
                    // End only once the sandbox is fully set up, i.e. the command runs.
                    awaitDescendant("sleep", pause);
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            starter.start();
            starter.join();
            assertThat(failure.get()).isNull();
            ProcessOutcome outcome = await(running.get());
            assertThat(outcome.exitCode()).as(read(outcome.stderr())).isZero();
            assertThat(read(outcome.stdout())).isEqualTo("alive\n");
        }
    }

    @ParameterizedTest
    @MethodSource(MODES)
    void hostPathRejectsPathsTheTaskDoesNotOwn(IsolationMode mode) throws Exception {
        try (SandboxedTask task = sandbox(mode).prepare("host-path", List.of("/data/out"))) {
            assertThat(task.hostPath("/data/out/../out")).isEqualTo(task.hostPath("/data/out"));
            assertThat(task.hostPath("/tmp/anything").toString()).endsWith("/root/tmp/anything");
            assertThatThrownBy(() -> task.hostPath("/etc/passwd"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/etc/passwd");
            assertThatThrownBy(() -> task.hostPath("tmp/out"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an absolute path");
        }
    }

    @ParameterizedTest
    @MethodSource(MODES)
    void declaredPathsTheSandboxProvidesItselfAreRejected(IsolationMode mode) {
        ProcessSandbox sandbox = sandbox(mode);
        assertThatThrownBy(() -> sandbox.prepare("bad", List.of("/proc/out")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/proc/out")
                .hasMessageContaining("bad");
        assertThatThrownBy(() -> sandbox.prepare("bad", List.of("relative/out")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("relative/out");
    }
}
