package dev.weft.benchmarks.stores;

import dev.weft.benchmarks.BenchContext;
import dev.weft.benchmarks.Scenario;
import dev.weft.benchmarks.Scratch;
import dev.weft.benchmarks.report.Goal;
import dev.weft.benchmarks.report.ResultsDocument;
import dev.weft.benchmarks.report.Row;
import dev.weft.benchmarks.report.Samples;
import dev.weft.engine.WeftVersion;
import dev.weft.engine.plugin.PluginHost;
import dev.weft.engine.store.StoreProviders;
import dev.weft.storage.spi.StoreConfig;
import dev.weft.storage.testkit.S3ProxyExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Scenario 3: put+get of one large object (1 GiB; 64 MiB with --quick) and of many 64 KiB objects (1,000; 200 with
 * --quick) through each Weft store, against the raw client it wraps, on the same server in the same run: the
 * {@code s3} plugin vs the AWS SDK, the {@code minio} plugin vs minio-java (both loaded from their plugin JARs,
 * against S3Proxy on loopback with its filesystem backend), and the {@code fs} store vs {@link Files#copy}.
 */
public final class StoresScenario implements Scenario {

    private static final long GIB = 1L << 30;
    private static final long MIB = 1L << 20;
    private static final int SMALL = 64 * 1024;

    @Override
    public String name() {
        return "stores";
    }

    @Override
    public String title() {
        return "3. Store throughput (S3Proxy filesystem backend on loopback; fs on local disk)";
    }

    @Override
    public String description() {
        return "put+get 1 GiB and 1,000 x 64 KiB: s3 plugin vs AWS SDK, minio plugin vs minio-java, fs vs Files.copy";
    }

    @Override
    public List<Row> run(BenchContext context) throws Exception {
        long bigSize = context.size(GIB, 64 * MIB);
        int smallCount = (int) context.size(1000, 200);
        int runs = context.runs(3, 2);
        // The variants (a setting changed to explain a main figure) move a quarter of the bytes, to keep the whole
        // run near 15 minutes on 2 cores.
        long variantSize = bigSize / 4;
        Path big = Scratch.randomFile(context.scratch().resolve("big.bin"), bigSize, 7);
        Path variantBig = Scratch.randomFile(context.scratch().resolve("variant.bin"), variantSize, 8);
        // Three 8 MiB parts: enough to run (and JIT-compile) the multipart and ranged paths before timing.
        long warmSize = Math.min(24 * MIB, bigSize);
        Path warmBig = Scratch.randomFile(context.scratch().resolve("warm.bin"), warmSize, 9);
        List<byte[]> small = smallObjects(smallCount);
        Path download = context.scratch().resolve("download/big.bin");
        Files.createDirectories(download.getParent());

        S3ProxyExtension server = S3ProxyExtension.builder().onDisk().build();
        server.start();
        List<Row> rows = new ArrayList<>();
        try (PluginHost host = PluginHost.load(context.pluginsFolder(), WeftVersion.forPluginChecks())) {
            if (!host.failures().isEmpty()) {
                throw new IllegalStateException("plugins failed to load: " + host.failures());
            }
            StoreProviders providers = StoreProviders.withBuiltIns(host);
            String bucket = server.createBucket("bench");
            Map<String, String> remote = Map.of(
                    "endpoint", server.endpoint().toString(),
                    "region", server.region(),
                    "bucket", bucket,
                    "pathStyle", "true",
                    "credentials.chain", "static",
                    "credentials.accessKey", server.accessKey(),
                    "credentials.secretKey", server.secretKey());
            Path fsRoot = Files.createDirectories(context.scratch().resolve("fs-store"));
            Path rawRoot = Files.createDirectories(context.scratch().resolve("raw-files"));

            List<Pair> pairs = List.of(
                    new Pair("s3 plugin", "AWS SDK S3Client",
                            () -> new WeftStoreClient(providers.create(StoreConfig.of("bench-s3", "s3", remote))),
                            () -> new RawS3Client(server.endpoint(), server.region(), bucket, server.accessKey(),
                                    server.secretKey()), "s3/", bigSize, true)
                            .noted("; above one part the plugin uploads in parts, and S3Proxy's filesystem backend"
                                    + " copies the whole object again on CompleteMultipartUpload (next row: the SDK"
                                    + " doing the same)")
                            .andForTheBigObjectOnly("AWS SDK S3Client, multipart 8 MiB × 4 (the plugin's defaults)",
                                    () -> RawS3Client.multipart(server.endpoint(), server.region(), bucket,
                                            server.accessKey(), server.secretKey(), 8 * MIB, 4)),
                    new Pair("s3 plugin, partSize 5 GiB", "AWS SDK S3Client",
                            () -> new WeftStoreClient(providers.create(StoreConfig.of("bench-s3-single", "s3",
                                    with(remote, "multipart.partSize", "5GiB")))),
                            () -> new RawS3Client(server.endpoint(), server.region(), bucket, server.accessKey(),
                                    server.secretKey()), "s3-single/", variantSize, false),
                    new Pair("minio plugin", "minio-java MinioClient",
                            () -> new WeftStoreClient(providers.create(StoreConfig.of("bench-minio", "minio",
                                    remote))),
                            () -> new RawMinioClient(server.endpoint(), server.region(), bucket, server.accessKey(),
                                    server.secretKey()), "minio/", bigSize, true),
                    new Pair("fs store", "Files.copy",
                            () -> new WeftStoreClient(providers.create(StoreConfig.of("bench-fs", "fs",
                                    Map.of("root", fsRoot.toString())))),
                            () -> new RawFilesClient(rawRoot, false), "fs/", bigSize, true)
                            .and("Files.copy + fsync of file and directory (durable floor)",
                                    () -> new RawFilesClient(rawRoot, true)),
                    new Pair("fs store, sync=false", "Files.copy",
                            () -> new WeftStoreClient(providers.create(StoreConfig.of("bench-fs-nosync", "fs",
                                    Map.of("root", fsRoot.toString(), "sync", "false")))),
                            () -> new RawFilesClient(rawRoot, false), "fs-nosync/", variantSize, true)
                            .noted("; the store replaces its previous object by rename (atomic), and ext4"
                                    + " (auto_da_alloc) starts writeback of a file renamed over another; Files.copy"
                                    + " deletes the old file first"));

            for (Pair pair : pairs) {
                long pairSize = pair.bigSize();
                Path pairFile = pairSize == bigSize ? big : variantBig;
                String bigLabel = pairSize >= GIB ? (pairSize / GIB) + " GiB" : (pairSize / MIB) + " MiB";
                List<ObjectClient> clients = new ArrayList<>();
                try {
                    // Side 0 is Weft, then one side per baseline; all measured interleaved in the same runs.
                    clients.add(pair.weft().get());
                    for (Baseline baseline : pair.baselines()) {
                        clients.add(baseline.client().get());
                    }
                    int sides = clients.size();
                    List<String> names = new ArrayList<>();
                    names.add("weft");
                    for (int b = 1; b < sides; b++) {
                        names.add(b == 1 ? "raw" : "raw" + b);
                    }
                    // Warm-up, untimed: class loading, connection pools, JIT, the bucket's first request.
                    for (int side = 0; side < sides; side++) {
                        smallRound(clients.get(side), pair.prefix() + "warm/" + names.get(side) + "/",
                                small.subList(0, Math.min(50, small.size())));
                        bigRound(clients.get(side), pair.prefix() + "warm/" + names.get(side) + "/big.bin", warmBig,
                                download, warmSize);
                        Files.deleteIfExists(download);
                    }

                    List<List<Double>> bigTimes = lists(sides);
                    List<List<Double>> putTimes = lists(sides);
                    List<List<Double>> smallTimes = lists(sides);
                    for (int r = 0; r < runs; r++) {
                        // Rotate who goes first, so drift in the machine's load hits every side alike.
                        for (int i = 0; i < sides; i++) {
                            int side = (i + r) % sides;
                            String key = pair.prefix() + names.get(side) + "/big.bin";
                            double[] times = bigRound(clients.get(side), key, pairFile, download, pairSize);
                            bigTimes.get(side).add(times[0] + times[1]);
                            putTimes.get(side).add(times[0]);
                            Files.deleteIfExists(download);
                        }
                        for (int i = 0; i < sides && pair.small(); i++) {
                            int side = (i + r) % sides;
                            if (side > 0 && !pair.baselines().get(side - 1).small()) {
                                continue;
                            }
                            smallTimes.get(side).add(smallRound(clients.get(side),
                                    pair.prefix() + names.get(side) + "/small-" + r + "/", small));
                        }
                    }
                    for (int b = 1; b < sides; b++) {
                        String baseline = pair.baselines().get(b - 1).name();
                        rows.add(Row.compared(name(), pair.label() + ": put+get " + bigLabel, "s",
                                new Samples(bigTimes.get(0)), baseline, new Samples(bigTimes.get(b)),
                                Goal.throughputAtLeast(0.9),
                                String.format("put %s s vs %s s; %.0f vs %.0f MiB/s", fmt(putTimes.get(0)),
                                        fmt(putTimes.get(b)),
                                        2.0 * pairSize / MIB / new Samples(bigTimes.get(0)).median(),
                                        2.0 * pairSize / MIB / new Samples(bigTimes.get(b)).median())
                                        + pair.baselines().get(b - 1).note()));
                        System.out.println(rows.get(rows.size() - 1));
                    }
                    for (int b = 1; b < sides && pair.small(); b++) {
                        if (!pair.baselines().get(b - 1).small()) {
                            continue;
                        }
                        String baseline = pair.baselines().get(b - 1).name();
                        rows.add(Row.compared(name(), pair.label() + ": put+get " + smallCount + " × 64 KiB", "s",
                                new Samples(smallTimes.get(0)), baseline, new Samples(smallTimes.get(b)),
                                Goal.throughputAtLeast(0.9), String.format("%.0f vs %.0f objects/s",
                                        smallCount / new Samples(smallTimes.get(0)).median(),
                                        smallCount / new Samples(smallTimes.get(b)).median())));
                        System.out.println(rows.get(rows.size() - 1));
                    }
                } finally {
                    for (ObjectClient client : clients) {
                        client.close();
                    }
                }
            }
        } finally {
            server.stop();
        }
        return rows;
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> copy = new java.util.HashMap<>(base);
        copy.put(key, value);
        return copy;
    }

    private static List<List<Double>> lists(int count) {
        List<List<Double>> lists = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            lists.add(new ArrayList<>());
        }
        return lists;
    }

    private static String fmt(List<Double> values) {
        return ResultsDocument.format(new Samples(values).median());
    }

    /** Put then get of the big file; returns {put seconds, get seconds} after checking the size that came back. */
    private static double[] bigRound(ObjectClient client, String key, Path big, Path download, long size)
            throws Exception {
        long t0 = System.nanoTime();
        client.putFile(key, big);
        double put = Scratch.secondsSince(t0);
        t0 = System.nanoTime();
        client.getFile(key, download);
        double get = Scratch.secondsSince(t0);
        if (Files.size(download) != size) {
            throw new IllegalStateException(key + ": downloaded " + Files.size(download) + " bytes, expected " + size);
        }
        return new double[] {put, get};
    }

    /** Puts every small object, then gets each back and compares it; returns the seconds taken. */
    private static double smallRound(ObjectClient client, String prefix, List<byte[]> objects) throws Exception {
        long t0 = System.nanoTime();
        for (int i = 0; i < objects.size(); i++) {
            client.putBytes(prefix + i, objects.get(i));
        }
        for (int i = 0; i < objects.size(); i++) {
            byte[] back = client.getBytes(prefix + i);
            if (!Arrays.equals(back, objects.get(i))) {
                throw new IllegalStateException(prefix + i + ": got back different bytes");
            }
        }
        return Scratch.secondsSince(t0);
    }

    private static List<byte[]> smallObjects(int count) {
        SplittableRandom random = new SplittableRandom(11);
        List<byte[]> objects = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] b = new byte[SMALL];
            for (int j = 0; j < b.length; j += 8) {
                long v = random.nextLong();
                for (int k = 0; k < 8; k++) {
                    b[j + k] = (byte) (v >>> (8 * k));
                }
            }
            objects.add(b);
        }
        return objects;
    }

    /**
     * A raw client a Weft store is measured against, what the table calls it, and whether it also runs the small
     * objects (a variant that only changes how big files go up would repeat the first baseline's small figure).
     */
    private record Baseline(String name, Supplier<ObjectClient> client, boolean small, String note) {
        Baseline(String name, Supplier<ObjectClient> client, boolean small) {
            this(name, client, small, "");
        }
    }

    /** A Weft store and the raw client(s) it is measured against, all interleaved in the same runs. */
    private record Pair(String label, Supplier<ObjectClient> weft, List<Baseline> baselines, String prefix,
                        long bigSize, boolean small) {

        Pair(String label, String baseline, Supplier<ObjectClient> weft, Supplier<ObjectClient> raw, String prefix,
             long bigSize, boolean small) {
            this(label, weft, List.of(new Baseline(baseline, raw, true)), prefix, bigSize, small);
        }

        /** The same pair with one more baseline, rows of its own in the table. */
        Pair and(String baseline, Supplier<ObjectClient> raw) {
            return with(new Baseline(baseline, raw, true));
        }

        /** The same pair with one more baseline for the big object's row only. */
        Pair andForTheBigObjectOnly(String baseline, Supplier<ObjectClient> raw) {
            return with(new Baseline(baseline, raw, false));
        }

        /** The same pair with a note added to the big object's row against the last baseline added. */
        Pair noted(String note) {
            List<Baseline> noted = new ArrayList<>(baselines);
            Baseline last = noted.remove(noted.size() - 1);
            noted.add(new Baseline(last.name(), last.client(), last.small(), note));
            return new Pair(label, weft, List.copyOf(noted), prefix, bigSize, small);
        }

        private Pair with(Baseline baseline) {
            List<Baseline> more = new ArrayList<>(baselines);
            more.add(baseline);
            return new Pair(label, weft, List.copyOf(more), prefix, bigSize, small);
        }
    }
}
