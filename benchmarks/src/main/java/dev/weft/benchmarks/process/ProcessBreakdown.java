package dev.weft.benchmarks.process;

import dev.weft.engine.task.process.IsolationMode;
import dev.weft.engine.task.process.ProcessLaunch;
import dev.weft.engine.task.process.ProcessOutcome;
import dev.weft.engine.task.process.ProcessSandbox;
import dev.weft.engine.task.process.SandboxFactory;
import dev.weft.engine.task.process.SandboxProbe;
import dev.weft.engine.task.process.SandboxSettings;
import dev.weft.engine.task.process.SandboxedTask;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Where the time of one {@code PATH_REWRITE} process task goes, next to the JDK and kernel primitives it is built
 * from, so a gap to the {@code process} scenario's raw baseline can be assigned to the kernel/JDK or to Weft. Not a
 * scenario (no goal, no results file): a profiling aid. Run after {@code ./bench} built the jar:
 * <pre>{@code java -cp benchmarks/target/weft-benchmarks-*.jar dev.weft.benchmarks.process.ProcessBreakdown [tasks] [workRoot]}</pre>
 * Prints median milliseconds per task for each variant, interleaved over several rounds like the scenario.
 */
public final class ProcessBreakdown {

    private static final File NULL_DEVICE = new File("/dev/null");

    private ProcessBreakdown() {
    }

    /** @param args number of tasks per round (default 200), work root (default a fresh /dev/shm directory) */
    public static void main(String[] args) throws Exception {
        int tasks = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        Path workRoot = args.length > 1 ? Path.of(args[1])
                : Files.createTempDirectory(Path.of("/dev/shm"), "weft-breakdown-");
        Path scratch = Files.createDirectories(workRoot.resolve("raw"));
        SandboxSettings settings = SandboxSettings.defaults().withWorkRoot(workRoot)
                .withForcedMode(IsolationMode.PATH_REWRITE);
        SandboxProbe probe = new SandboxFactory(settings).probe();
        ProcessSandbox sandbox = new SandboxFactory(settings).create(probe);
        ExecutorService launcher = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "breakdown-launcher");
            t.setDaemon(true);
            return t;
        });
        String setsid = Files.isExecutable(Path.of("/usr/bin/setsid")) ? "/usr/bin/setsid" : "setsid";

        Map<String, Variant> variants = new LinkedHashMap<>();
        variants.put("raw: true, discard, waitFor (scenario baseline)", () -> {
            Process p = new ProcessBuilder("true").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            p.waitFor();
        });
        Phases rawPhases = new Phases();
        variants.put("raw: + files for stdin/stdout/stderr", () -> {
            long t0 = System.nanoTime();
            Process p = rawWithFiles(scratch, List.of("true"));
            long t1 = System.nanoTime();
            p.waitFor();
            rawPhases.start.add((t1 - t0) / 1e6);
            rawPhases.await.add((System.nanoTime() - t1) / 1e6);
        });
        variants.put("raw: + onExit().get() instead of waitFor", () -> {
            rawWithFiles(scratch, List.of("true")).onExit().get();
        });
        ExecutorService waiters = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "breakdown-waiter");
            t.setDaemon(true);
            return t;
        });
        variants.put("raw: + waitFor() on a waiter thread, completing a future", () -> {
            Process p = rawWithFiles(scratch, List.of("true"));
            java.util.concurrent.CompletableFuture<Integer> done = new java.util.concurrent.CompletableFuture<>();
            waiters.execute(() -> {
                try {
                    done.complete(p.waitFor());
                } catch (InterruptedException e) {
                    done.completeExceptionally(e);
                }
            });
            done.get();
        });
        variants.put("raw: + start on a launcher thread", () -> {
            launcher.submit(() -> rawWithFiles(scratch, List.of("true"))).get().waitFor();
        });
        variants.put("raw: + setsid true", () -> {
            rawWithFiles(scratch, List.of(setsid, "true")).waitFor();
        });
        variants.put("raw: + descendants() after exit (/proc scan)", () -> {
            Process p = rawWithFiles(scratch, List.of("true"));
            p.waitFor();
            ProcessHandle.current().descendants().count();
        });
        variants.put("raw: + Java scan of every /proc/*/stat after setsid true (old sweep)", () -> {
            Process p = rawWithFiles(scratch, List.of(setsid, "true"));
            p.waitFor();
            sessionMembers(p.pid());
        });
        variants.put("raw: + mkdir/rm task dir (3 dirs)", () -> {
            Path d = Files.createTempDirectory(workRoot, "t-");
            Files.createDirectories(d.resolve("root/tmp"));
            rawWithFiles(d, List.of("true")).waitFor();
            Files.delete(d.resolve("root/tmp"));
            Files.delete(d.resolve("root"));
            Files.delete(d.resolve("stdout"));
            Files.delete(d.resolve("stderr"));
            Files.delete(d);
        });
        Phases phases = new Phases();
        variants.put("weft: PATH_REWRITE task (prepare+start+wait+close)", () -> weftTask(sandbox, phases));

        // -Dweft.breakdown.only=PREFIX keeps only the variants whose name starts with it (e.g. for a JFR recording).
        String only = System.getProperty("weft.breakdown.only", "");
        variants.keySet().removeIf(k -> !k.startsWith(only));
        for (Variant v : variants.values()) {
            for (int i = 0; i < 20; i++) {
                v.run();
            }
        }
        phases.clear();
        rawPhases.clear();
        Map<String, List<Double>> samples = new LinkedHashMap<>();
        variants.keySet().forEach(k -> samples.put(k, new ArrayList<>()));
        int rounds = 5;
        for (int r = 0; r < rounds; r++) {
            for (Map.Entry<String, Variant> e : variants.entrySet()) {
                long t0 = System.nanoTime();
                for (int i = 0; i < tasks; i++) {
                    e.getValue().run();
                }
                samples.get(e.getKey()).add((System.nanoTime() - t0) / 1e6 / tasks);
            }
        }
        double base = median(samples.values().iterator().next());
        System.out.printf("%d tasks x %d rounds, work root %s; median ms per task (ratio to the first row)%n",
                tasks, rounds, workRoot);
        samples.forEach((k, v) -> System.out.printf("  %-55s %7.3f  %5.2fx%n", k, median(v), median(v) / base));
        System.out.printf("  weft phases, median ms: prepare %.3f, start %.3f, wait %.3f, close %.3f%n",
                median(phases.prepare), median(phases.start), median(phases.await), median(phases.close));
        System.out.printf("  raw + files phases, median ms: start %.3f, wait %.3f%n", median(rawPhases.start),
                median(rawPhases.await));
        launcher.shutdown();
    }

    private static Process rawWithFiles(Path dir, List<String> command) throws Exception {
        return new ProcessBuilder(command).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(NULL_DEVICE))
                .redirectOutput(dir.resolve("stdout").toFile())
                .redirectError(dir.resolve("stderr").toFile()).start();
    }

    /** What the engine's session sweep did before it was optimised: read every /proc/PID/stat as text. */
    private static int sessionMembers(long sid) throws Exception {
        int n = 0;
        try (var entries = Files.newDirectoryStream(Path.of("/proc"),
                e -> e.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path entry : entries) {
                try {
                    String stat = Files.readAllLines(entry.resolve("stat")).get(0);
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    if (Long.parseLong(fields[3]) == sid) {
                        n++;
                    }
                } catch (Exception gone) {
                    // ended meanwhile
                }
            }
        }
        return n;
    }

    private static void weftTask(ProcessSandbox sandbox, Phases phases) throws Exception {
        ProcessLaunch launch = new ProcessLaunch(List.of("true"), Map.of(), Optional.empty());
        long t0 = System.nanoTime();
        long t1;
        long t2;
        long t3;
        try (SandboxedTask task = sandbox.prepare("t", List.of())) {
            t1 = System.nanoTime();
            var running = task.start(launch);
            t2 = System.nanoTime();
            ProcessOutcome outcome = running.completion().get(60, TimeUnit.SECONDS);
            t3 = System.nanoTime();
            if (outcome.exitCode() != 0) {
                throw new IllegalStateException(outcome.toString());
            }
        }
        long t4 = System.nanoTime();
        phases.prepare.add((t1 - t0) / 1e6);
        phases.start.add((t2 - t1) / 1e6);
        phases.await.add((t3 - t2) / 1e6);
        phases.close.add((t4 - t3) / 1e6);
    }

    private static double median(List<Double> samples) {
        List<Double> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        int n = sorted.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    @FunctionalInterface
    private interface Variant {
        void run() throws Exception;
    }

    /** Per-task phase times of the Weft variant, in milliseconds. */
    private static final class Phases {
        final List<Double> prepare = new ArrayList<>();
        final List<Double> start = new ArrayList<>();
        final List<Double> await = new ArrayList<>();
        final List<Double> close = new ArrayList<>();

        void clear() {
            prepare.clear();
            start.clear();
            await.clear();
            close.clear();
        }
    }
}
