package dev.weft.benchmarks;

import dev.weft.benchmarks.archive.ArchiveScenario;
import dev.weft.benchmarks.credentials.CredentialsScenario;
import dev.weft.benchmarks.endtoend.EndToEndScenario;
import dev.weft.benchmarks.process.ProcessScenario;
import dev.weft.benchmarks.report.ResultsDocument;
import dev.weft.benchmarks.report.Row;
import dev.weft.benchmarks.scheduling.RunStoreScenario;
import dev.weft.benchmarks.scheduling.SchedulingScenario;
import dev.weft.benchmarks.stores.StoresScenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark harness behind {@code ./bench}: runs the named scenarios (all by default), prints a Markdown table
 * per scenario and updates {@code benchmarks/results/latest.md}.
 *
 * <pre>
 * ./bench [--quick] [--runs N] [--out FILE] [--scratch DIR] [--list] [scenario...]
 * </pre>
 */
public final class BenchMain {

    private BenchMain() {
    }

    /** The scenarios, in the order. */
    static List<Scenario> scenarios() {
        return List.of(new SchedulingScenario(), new ProcessScenario(), new StoresScenario(), new ArchiveScenario(),
                new EndToEndScenario(), new CredentialsScenario(), new RunStoreScenario());
    }

    public static void main(String[] args) throws Exception {
        List<Scenario> known = scenarios();
        List<String> names = new ArrayList<>();
        boolean quick = false;
        int runs = 0;
        Path root = Path.of(System.getProperty("weft.bench.root", ".")).toAbsolutePath().normalize();
        Path output = root.resolve("benchmarks/results/latest.md");
        Path scratchBase = Path.of(System.getProperty("java.io.tmpdir"));
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--runs" -> runs = Integer.parseInt(value(args, ++i, "--runs"));
                case "--out" -> output = Path.of(value(args, ++i, "--out")).toAbsolutePath();
                case "--scratch" -> scratchBase = Path.of(value(args, ++i, "--scratch")).toAbsolutePath();
                case "--list" -> {
                    known.forEach(s -> System.out.printf("%-12s %s%n", s.name(), s.description()));
                    return;
                }
                case "-h", "--help" -> {
                    usage(known);
                    return;
                }
                default -> {
                    String arg = args[i];
                    if (arg.startsWith("-")) {
                        System.err.println("bench: unknown option " + arg);
                        usage(known);
                        System.exit(2);
                    }
                    if (known.stream().noneMatch(s -> s.name().equals(arg))) {
                        System.err.println("bench: unknown scenario '" + arg + "'");
                        usage(known);
                        System.exit(2);
                    }
                    names.add(arg);
                }
            }
        }
        List<Scenario> selected = names.isEmpty() ? known
                : known.stream().filter(s -> names.contains(s.name())).toList();
        BenchOptions options = new BenchOptions(selected.stream().map(Scenario::name).toList(), quick, runs, output,
                scratchBase);
        Path pluginJars = root.resolve("benchmarks/target/plugins");

        System.out.println("Machine: " + Machine.describe());
        Map<String, String> sections = new LinkedHashMap<>();
        boolean failed = false;
        for (Scenario scenario : selected) {
            String load = Machine.loadAverage();
            Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            System.out.printf("%n== %s (load average %s) ==%n", scenario.title(), load);
            Path scratch = Files.createTempDirectory(scratchBase, "weft-bench-" + scenario.name() + "-");
            List<Row> rows;
            String context;
            try {
                long t0 = System.nanoTime();
                rows = scenario.run(new BenchContext(options, scratch, pluginJars));
                context = String.format("Measured %s, load average %s at start, %s, took %.0f s.", started, load,
                        quick ? "**--quick sizes (smoke run, not figures to quote)**" : "full sizes",
                        Scratch.secondsSince(t0));
            } catch (Exception | Error e) {
                failed = true;
                e.printStackTrace();
                rows = List.of();
                context = "Measured " + started + ": FAILED: " + e;
            } finally {
                Scratch.deleteTree(scratch);
            }
            String section = ResultsDocument.section(scenario.title(), context, rows);
            System.out.println();
            System.out.print(section);
            sections.put(scenario.name(), section);
        }
        String header = "# Weft benchmark results\n\nProduced by `./bench` (see benchmarks/README.md). Ratio = Weft "
                + "median / baseline median; for times lower is better. Each section was measured in one run, Weft "
                + "and its baseline interleaved.\n\nMachine: " + Machine.describe() + "\n";
        new ResultsDocument(output, known.stream().map(Scenario::name).toList()).update(header, sections);
        System.out.println("\nWrote " + output);
        if (failed) {
            System.exit(1);
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static void usage(List<Scenario> known) {
        System.out.println("usage: ./bench [--quick] [--runs N] [--out FILE] [--scratch DIR] [--list] [scenario...]");
        System.out.println("scenarios: " + String.join(" ", known.stream().map(Scenario::name).toList()));
    }
}
