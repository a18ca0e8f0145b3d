package dev.weft.engine.task.process;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Prints what sandboxing costs per task: median/min/max over 100 runs of {@code true}, in every mode the machine
 * offers, against a raw {@link ProcessBuilder} with the same file redirects. Two figures per mode: the launch
 * (start until exit) and the whole task cycle (prepare, start, exit, close). Run:
 * {@code java -cp <test classpath> dev.weft.engine.task.process.SandboxCostHarness [runs]} (0 runs: probe only);
 * {@code -Dweft.sandbox.workRoot=DIR} moves the task directories (default {@code target/sandbox-cost}).
 */
public final class SandboxCostHarness {

    private static final int WARMUP = 10;

    private SandboxCostHarness() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        Path work = Path.of(System.getProperty("weft.sandbox.workRoot", "target/sandbox-cost")).toAbsolutePath();
        SandboxSettings settings = SandboxSettings.defaults().withWorkRoot(work);
        SandboxProbe probe = new SandboxFactory(settings).probe();
        System.out.println("Probe: " + probe.diagnostics());
        for (ModeProbe m : probe.modes()) {
            System.out.println("  " + m.mode() + (m.available() ? " available" : " unavailable: " + m.detail()));
        }
        if (runs == 0) {
            return;
        }
        System.out.printf("%n%d runs of `true` after %d warm-up runs, milliseconds%n", runs, WARMUP);
        System.out.printf("%-20s %8s %8s %8s %8s | %8s %8s %8s %8s | %8s %8s%n", "mode", "launch", "min", "max",
                "ratio", "cycle", "min", "max", "ratio", "prepare", "close");
        Stats raw = raw(work, runs);
        print("raw ProcessBuilder", new Stats[] {raw, raw, raw, raw}, raw);
        for (IsolationMode mode : probe.availableModes()) {
            ProcessSandbox sandbox = new SandboxFactory(settings.withForcedMode(mode)).create(probe);
            print(mode.name(), sandboxed(sandbox, runs), raw);
        }
    }

    private static Stats raw(Path work, int runs) throws Exception {
        Path dir = Files.createDirectories(work.resolve("raw"));
        List<Double> launch = new ArrayList<>();
        for (int i = 0; i < WARMUP + runs; i++) {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder("true").directory(dir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(dir.resolve("stdout").toFile())
                    .redirectError(dir.resolve("stderr").toFile()).start();
            p.onExit().get(30, TimeUnit.SECONDS);
            if (i >= WARMUP) {
                launch.add((System.nanoTime() - t0) / 1e6);
            }
        }
        return new Stats(launch);
    }

    private static Stats[] sandboxed(ProcessSandbox sandbox, int runs) throws Exception {
        List<Double> launch = new ArrayList<>();
        List<Double> cycle = new ArrayList<>();
        List<Double> prepare = new ArrayList<>();
        List<Double> close = new ArrayList<>();
        ProcessLaunch command = new ProcessLaunch(List.of("true"), Map.of(), Optional.empty());
        for (int i = 0; i < WARMUP + runs; i++) {
            long t0 = System.nanoTime();
            long t1;
            long t2;
            try (SandboxedTask task = sandbox.prepare("cost", List.of("/data/out"))) {
                t1 = System.nanoTime();
                ProcessOutcome outcome = task.start(command).completion().get(30, TimeUnit.SECONDS);
                t2 = System.nanoTime();
                if (outcome.exitCode() != 0) {
                    throw new IllegalStateException(sandbox.mode() + ": " + outcome);
                }
            }
            long t3 = System.nanoTime();
            if (i >= WARMUP) {
                launch.add((t2 - t1) / 1e6);
                cycle.add((t3 - t0) / 1e6);
                prepare.add((t1 - t0) / 1e6);
                close.add((t3 - t2) / 1e6);
            }
        }
        return new Stats[] {new Stats(launch), new Stats(cycle), new Stats(prepare), new Stats(close)};
    }

    /** stats: launch, whole cycle, prepare, close; the raw run has only a launch. */
    private static void print(String name, Stats[] stats, Stats raw) {
        Stats launch = stats[0];
        Stats cycle = stats[1];
        System.out.printf("%-20s %8.2f %8.2f %8.2f %7.1fx | %8.2f %8.2f %8.2f %7.1fx | %8.2f %8.2f%n", name,
                launch.median, launch.min, launch.max, launch.median / raw.median,
                cycle.median, cycle.min, cycle.max, cycle.median / raw.median,
                stats[2] == raw ? 0 : stats[2].median, stats[3] == raw ? 0 : stats[3].median);
    }

    private record Stats(double median, double min, double max) {
        Stats(List<Double> samples) {
            this(median(samples), Collections.min(samples), Collections.max(samples));
        }

        private static double median(List<Double> samples) {
            List<Double> sorted = new ArrayList<>(samples);
            Collections.sort(sorted);
            int n = sorted.size();
            return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        }
    }
}
