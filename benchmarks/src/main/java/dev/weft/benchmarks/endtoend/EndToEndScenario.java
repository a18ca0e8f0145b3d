package dev.weft.benchmarks.endtoend;

import dev.weft.benchmarks.BenchContext;
import dev.weft.benchmarks.Scenario;
import dev.weft.benchmarks.Scratch;
import dev.weft.benchmarks.report.Goal;
import dev.weft.benchmarks.report.Row;
import dev.weft.benchmarks.report.Samples;
import dev.weft.benchmarks.stores.RawS3Client;
import dev.weft.storage.testkit.S3ProxyExtension;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Scenario 5: one workflow in which a process task writes a 1 GiB file (64 MiB with --quick) and a second task
 * reads it, the artifact passing through the {@code s3} plugin (loaded from its JAR) to S3Proxy, run by a separate
 * engine JVM limited to {@code -Xmx256m} ({@link EndToEndChild}). The baseline is the sum of the raw parts measured
 * in this JVM in the same run: the producing command, a raw AWS SDK upload, a raw download, the consuming command.
 */
public final class EndToEndScenario implements Scenario {

    private static final long GIB = 1L << 30;
    private static final long MIB = 1L << 20;
    /** The engine JVM's heap limit, as the issue demands. */
    static final String HEAP_LIMIT = "-Xmx256m";

    @Override
    public String name() {
        return "e2e";
    }

    @Override
    public String title() {
        return "5. End to end: a 1 GiB artifact between two process tasks through the s3 plugin (engine JVM -Xmx256m)";
    }

    @Override
    public String description() {
        return "1 GiB artifact passed between two tasks via the s3 plugin, engine at -Xmx256m, vs the raw parts";
    }

    @Override
    public List<Row> run(BenchContext context) throws Exception {
        long size = context.size(GIB, 64 * MIB);
        int runs = context.runs(3, 2);
        String label = size >= GIB ? (size / GIB) + " GiB" : (size / MIB) + " MiB";
        S3ProxyExtension server = S3ProxyExtension.builder().onDisk().build();
        server.start();
        try {
            String bucket = server.createBucket("e2e");
            Path plugins = context.pluginsFolder();
            Path rawFile = context.scratch().resolve("raw/data.bin");
            Path rawBack = context.scratch().resolve("raw/back.bin");
            Files.createDirectories(rawFile.getParent());
            List<Double> weft = new ArrayList<>();
            List<Double> heap = new ArrayList<>();
            List<Double> raw = new ArrayList<>();
            String rawParts = "";
            try (RawS3Client s3 = new RawS3Client(server.endpoint(), server.region(), bucket, server.accessKey(),
                    server.secretKey())) {
                for (int r = 0; r < runs; r++) {
                    ChildResult child = runChild(context, server, bucket, plugins, size, r);
                    weft.add(child.seconds());
                    heap.add(child.peakHeapMiB());

                    double produce = shell("head -c " + size + " /dev/urandom > " + rawFile);
                    long t0 = System.nanoTime();
                    s3.putFile("raw/data.bin", rawFile);
                    double upload = Scratch.secondsSince(t0);
                    t0 = System.nanoTime();
                    s3.getFile("raw/data.bin", rawBack);
                    double download = Scratch.secondsSince(t0);
                    double consume = shell("cksum " + rawBack + " > /dev/null");
                    raw.add(produce + upload + download + consume);
                    rawParts = String.format("raw parts: produce %.1f s, upload %.1f s, download %.1f s, consume"
                            + " %.1f s", produce, upload, download, consume);
                    Files.deleteIfExists(rawFile);
                    Files.deleteIfExists(rawBack);
                    System.out.printf("run %d: Weft %.1f s (peak heap %.0f MiB); %s%n", r, child.seconds(),
                            child.peakHeapMiB(), rawParts);
                }
            }
            List<Row> rows = new ArrayList<>();
            rows.add(Row.compared(name(), "pass " + label + " produce → s3 → consume: wall time", "s",
                    new Samples(weft), "sum of raw parts (sh, AWS SDK put/get, cksum)", new Samples(raw),
                    Goal.none(), "last " + rawParts));
            rows.add(new Row(name(), "engine JVM peak heap during the run (limit 256 MiB)", "MiB", new Samples(heap),
                    "-Xmx256m", Optional.of(Samples.of(256)), Goal.atMost(1.0),
                    "every run finished Succeeded inside -Xmx256m"));
            return rows;
        } finally {
            server.stop();
        }
    }

    private record ChildResult(double seconds, double peakHeapMiB) {
    }

    /** Runs the engine JVM once; it prints {@code RESULT <seconds> <peak heap MiB>} when the workflow succeeded. */
    private static ChildResult runChild(BenchContext context, S3ProxyExtension server, String bucket, Path plugins,
                                        long size, int run) throws Exception {
        Path work = Files.createDirectories(context.scratch().resolve("child-" + run));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, HEAP_LIMIT, "-XX:+UseG1GC",
                "-Daws.disableEc2Metadata=true", "-cp", System.getProperty("java.class.path"),
                EndToEndChild.class.getName(), server.endpoint().toString(), server.region(), bucket,
                plugins.toString(), Long.toString(size), work.toString(), "run-" + run)
                .redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        // The key pair goes by environment, not argv, so it never shows in a process listing.
        env.put(EndToEndChild.ACCESS_KEY_ENV, server.accessKey());
        env.put(EndToEndChild.SECRET_KEY_ENV, server.secretKey());
        Process process = builder.start();
        ChildResult result = null;
        StringBuilder output = new StringBuilder();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("RESULT ")) {
                    String[] parts = line.split(" ");
                    result = new ChildResult(Double.parseDouble(parts[1]), Double.parseDouble(parts[2]));
                } else {
                    output.append(line).append('\n');
                    if (line.startsWith("node ")) {
                        System.out.println("  engine " + line);
                    }
                }
            }
        }
        if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0 || result == null) {
            throw new IllegalStateException("the engine JVM (" + HEAP_LIMIT + ") failed, exit "
                    + (process.isAlive() ? "none (still running)" : process.exitValue()) + ":\n" + output);
        }
        Scratch.deleteTree(work);
        return result;
    }

    /** Seconds {@code sh -c command} took; fails on a non-zero exit. */
    private static double shell(String command) throws Exception {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("'" + command + "' exited with " + p.exitValue());
        }
        return Scratch.secondsSince(t0);
    }
}
