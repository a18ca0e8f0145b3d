package dev.weft.benchmarks.process;

import dev.weft.benchmarks.BenchContext;
import dev.weft.benchmarks.Scenario;
import dev.weft.benchmarks.Scratch;
import dev.weft.benchmarks.report.Goal;
import dev.weft.benchmarks.report.Row;
import dev.weft.benchmarks.report.Samples;
import dev.weft.engine.task.process.IsolationMode;
import dev.weft.engine.task.process.ModeProbe;
import dev.weft.engine.task.process.ProcessLaunch;
import dev.weft.engine.task.process.ProcessOutcome;
import dev.weft.engine.task.process.ProcessSandbox;
import dev.weft.engine.task.process.RunningProcess;
import dev.weft.engine.task.process.SandboxFactory;
import dev.weft.engine.task.process.SandboxProbe;
import dev.weft.engine.task.process.SandboxSettings;
import dev.weft.engine.task.process.SandboxedTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Scenario 2: 200 local process tasks running {@code true}, one after another, through Weft's process sandbox in
 * every isolation mode the machine's probe proves (each forced in turn), against a raw {@link ProcessBuilder} that
 * starts {@code true} and waits. A Weft task is the whole per-task cost: prepare the task directory, start on the
 * sandbox's launcher thread with output to files, wait, delete the directory.
 */
public final class ProcessScenario implements Scenario {

    @Override
    public String name() {
        return "process";
    }

    @Override
    public String title() {
        return "2. Local process tasks (200 × `true`, sequential)";
    }

    @Override
    public String description() {
        return "200 tasks running true in each isolation mode the machine offers vs raw ProcessBuilder";
    }

    @Override
    public List<Row> run(BenchContext context) throws Exception {
        int tasks = (int) context.size(200, 50);
        int runs = context.runs(3, 2);
        // Not under /tmp: UNSHARE_TMP replaces /tmp and would rule itself out.
        Path varTmp = Path.of("/var/tmp");
        Path workRoot = Files.createTempDirectory(Files.isWritable(varTmp) ? varTmp : context.scratch(),
                "weft-bench-process-");
        try {
            SandboxSettings settings = SandboxSettings.defaults().withWorkRoot(workRoot);
            SandboxProbe probe = new SandboxFactory(settings).probe();
            Map<IsolationMode, ProcessSandbox> sandboxes = new LinkedHashMap<>();
            List<String> unavailable = new ArrayList<>();
            for (ModeProbe mode : probe.modes()) {
                if (mode.available()) {
                    sandboxes.put(mode.mode(), new SandboxFactory(settings.withForcedMode(mode.mode()))
                            .create(probe));
                } else {
                    unavailable.add(mode.mode() + " (" + mode.detail() + ")");
                }
            }
            System.out.println("modes proven: " + sandboxes.keySet() + "; not available: " + unavailable);
            // The task directory (3 directories and 2 files per task) dominates PATH_REWRITE's cost on a disk where
            // directory operations are slow; the same mode with its work root on tmpfs shows the sandbox's own part.
            Path shm = Path.of("/dev/shm");
            Path tmpfsRoot = null;
            ProcessSandbox onTmpfs = null;
            if (Files.isDirectory(shm) && Files.isWritable(shm)) {
                tmpfsRoot = Files.createTempDirectory(shm, "weft-bench-process-");
                onTmpfs = new SandboxFactory(settings.withWorkRoot(tmpfsRoot)
                        .withForcedMode(IsolationMode.PATH_REWRITE)).create(probe);
            }

            // Weft starts a task as "setsid <command>" when setsid exists, so that everything the task leaves running
            // can be found and killed; that extra exec is a floor of its own, measured beside plain ProcessBuilder.
            boolean setsid = hasSetsid();
            // Warm-up, untimed.
            rawRound(10, false);
            if (setsid) {
                rawRound(10, true);
            }
            for (ProcessSandbox sandbox : sandboxes.values()) {
                weftRound(sandbox, 10);
            }
            List<Double> tmpfs = new ArrayList<>();
            List<Double> raw = new ArrayList<>();
            List<Double> rawSetsid = new ArrayList<>();
            Map<IsolationMode, List<Double>> weft = new LinkedHashMap<>();
            sandboxes.keySet().forEach(m -> weft.put(m, new ArrayList<>()));
            for (int r = 0; r < runs; r++) {
                raw.add(rawRound(tasks, false) * 1000 / tasks);
                if (setsid) {
                    rawSetsid.add(rawRound(tasks, true) * 1000 / tasks);
                }
                for (Map.Entry<IsolationMode, ProcessSandbox> e : sandboxes.entrySet()) {
                    weft.get(e.getKey()).add(weftRound(e.getValue(), tasks) * 1000 / tasks);
                }
                if (onTmpfs != null) {
                    tmpfs.add(weftRound(onTmpfs, tasks) * 1000 / tasks);
                }
            }
            Samples rawSamples = new Samples(raw);
            List<Row> rows = new ArrayList<>();
            for (Map.Entry<IsolationMode, List<Double>> e : weft.entrySet()) {
                boolean isolated = e.getKey() != IsolationMode.PATH_REWRITE;
                rows.add(Row.compared(name(), tasks + " tasks, " + e.getKey() + ": ms per task", "ms",
                        new Samples(e.getValue()), "raw ProcessBuilder", rawSamples,
                        isolated ? Goal.none() : Goal.atMost(1.2),
                        isolated ? "isolation cost, reported separately" : "no isolation (namespaces off); work root "
                                + workRoot.getParent()));
            }
            if (!tmpfs.isEmpty()) {
                rows.add(Row.compared(name(), tasks + " tasks, PATH_REWRITE, work root on tmpfs: ms per task", "ms",
                        new Samples(tmpfs), "raw ProcessBuilder", rawSamples, Goal.atMost(1.2),
                        "same mode, task directories on /dev/shm instead of " + workRoot.getParent()));
                onTmpfs.close();
                Scratch.deleteTree(tmpfsRoot);
            }
            if (!rawSetsid.isEmpty() && weft.containsKey(IsolationMode.PATH_REWRITE)) {
                rows.add(Row.compared(name(), tasks + " tasks, PATH_REWRITE: ms per task", "ms",
                        new Samples(weft.get(IsolationMode.PATH_REWRITE)), "raw ProcessBuilder(setsid true)",
                        new Samples(rawSetsid), Goal.none(), "the same start Weft makes (own session, so leftovers "
                                + "can be killed): what Weft adds beyond setsid's exec"));
                rows.add(Row.compared(name(), "raw setsid true: ms per process", "ms", new Samples(rawSetsid),
                        "raw ProcessBuilder", rawSamples, Goal.none(), "the floor setsid alone sets"));
            }
            if (!unavailable.isEmpty()) {
                rows.add(new Row(name(), "modes not available here", "", Samples.of(sandboxes.size()), "", Optional.empty(),
                        Goal.none(), String.join("; ", unavailable).replace("|", "/")));
            }
            sandboxes.values().forEach(ProcessSandbox::close); // finishes deleting task directories
            return rows;
        } finally {
            Scratch.deleteTree(workRoot);
        }
    }

    /** Seconds for {@code n} sandboxed tasks, one after another; fails on any non-zero exit. */
    private static double weftRound(ProcessSandbox sandbox, int n) throws Exception {
        ProcessLaunch launch = new ProcessLaunch(List.of("true"), Map.of(), Optional.empty());
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            try (SandboxedTask task = sandbox.prepare("t" + i, List.of())) {
                RunningProcess running = task.start(launch);
                ProcessOutcome outcome = running.completion().get(60, TimeUnit.SECONDS);
                if (outcome.exitCode() != 0 || outcome.sandboxFailure().isPresent()) {
                    throw new IllegalStateException(sandbox.mode() + ": task t" + i + " ended with " + outcome);
                }
            }
        }
        return Scratch.secondsSince(t0);
    }

    private static boolean hasSetsid() {
        try {
            return new ProcessBuilder("setsid", "true").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    /** Seconds for {@code n} raw {@code true} processes (through {@code setsid} if asked), one after another. */
    private static double rawRound(int n, boolean setsid) throws Exception {
        List<String> command = setsid ? List.of("setsid", "true") : List.of("true");
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("true exited with " + p.exitValue());
            }
        }
        return Scratch.secondsSince(t0);
    }
}
