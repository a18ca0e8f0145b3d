package dev.weft.engine.durable;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.engine.Engine;
import dev.weft.engine.NodePhase;
import dev.weft.engine.RunListener;
import dev.weft.engine.RunOutcome;
import dev.weft.engine.RunResult;
import dev.weft.engine.WorkflowRun;
import dev.weft.engine.history.RunStore;
import dev.weft.engine.history.StoredNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The crash acceptance of durable runs, on H2 and on Postgres: a DAG of 20 process tasks, a Java-handler branch and
 * a 120 MB artifact runs in a child JVM that is killed with SIGKILL twice (once after some tasks finished, once
 * while the artifact is being written to the store), and is finished by a third engine. Every node that had
 * succeeded before a kill keeps its stored outputs (each process task prints a random UUID: running again would
 * change it), each handler ran once, the artifact is whole, and no task process outlives its engine.
 */
class CrashResumeTest {

    private static final Duration WAIT = Duration.ofMinutes(2);
    private static EmbeddedPostgres postgres;

    @TempDir
    Path dir;

    @BeforeAll
    static void startPostgres() throws IOException {
        postgres = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        postgres.close();
    }

    /** 20 process tasks in four layers of five, two handler tasks, one big artifact; every leaf may retry. */
    static String workflow(String token) {
        StringBuilder tasks = new StringBuilder();
        for (int i = 1; i <= 20; i++) {
            tasks.append("      - {name: p").append(i).append(", template: random")
                    .append(i > 5 ? ", depends: p" + (i - 5) : "").append("}\n");
        }
        return """
                metadata: {name: crash-dag}
                spec:
                  entrypoint: main
                  templates:
                  - name: main
                    dag:
                      tasks:
                %s      - {name: j1, template: mark, depends: p3}
                      - {name: j2, template: mark, depends: j1}
                      - {name: big, template: big, depends: p7}
                      - {name: last, template: random, depends: "p16 && p17 && p18 && p19 && p20 && j2 && big"}
                  - name: random
                    retryStrategy: {limit: 2, retryPolicy: Always}
                    container: {image: alpine, command: [sh, -c, "sleep 0.3; echo %s >/dev/null; cat /proc/sys/kernel/random/uuid"]}
                  - name: mark
                    retryStrategy: {limit: 2, retryPolicy: Always}
                    plugin: {mark: {}}
                  - name: big
                    retryStrategy: {limit: 2, retryPolicy: Always}
                    container: {image: alpine, command: [sh, -c, "head -c 120000000 /dev/zero > /tmp/big; echo %s"]}
                    outputs:
                      artifacts: [{name: big, path: /tmp/big, archive: {none: {}}}]
                """.formatted(tasks, token, token);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aRunKilledTwiceIsFinishedWithoutRunningFinishedTasksAgain(String kind) throws Exception {
        String storeSpec = kind.equals("h2") ? dir.resolve("db/weft").toString() : newPostgresDatabase();
        Path work = dir.resolve("work");
        Path artifacts = Files.createDirectories(dir.resolve("artifacts"));
        Path markers = Files.createDirectories(dir.resolve("markers"));
        String token = "crash-token-" + System.nanoTime();
        Path workflow = Files.writeString(dir.resolve("crash-dag.yaml"), workflow(token));
        String[] common = {work.toString(), storeSpec, workflow.toString(), artifacts.toString(),
                markers.toString()};

        // kill 1: after six process tasks and the first handler task are done
        runChildUntil("start", common, seen -> seen.stream().filter(l -> l.matches("DONE p\\d+ SUCCEEDED"))
                .count() >= 6 && seen.contains("DONE j1 SUCCEEDED"), null);
        Map<String, StoredNode> afterFirst = succeededLeaves(storeSpec);
        assertThat(afterFirst).containsKeys("p1", "j1");

        // kill 2: while the big artifact is being written into the store's staging area
        Path staging = artifacts.resolve(".weft-staging");
        List<Path> leftBefore = stagingFiles(staging); // what kill 1 may have left does not count
        runChildUntil("resume", common, seen -> false, () -> stagingFiles(staging).stream()
                .filter(f -> !leftBefore.contains(f)).anyMatch(CrashResumeTest::overOneMegabyte));
        Map<String, StoredNode> afterSecond = succeededLeaves(storeSpec);
        assertThat(afterSecond.keySet()).containsAll(afterFirst.keySet());
        assertThat(afterSecond).doesNotContainKey("big");

        RunResult result;
        try (Engine engine = CrashingDagMain.engine(work, CrashingDagMain.store(storeSpec), artifacts, markers,
                new RunListener() { })) {
            List<WorkflowRun> resumed = List.of();
            for (int i = 0; i < 400 && resumed.isEmpty(); i++) {
                resumed = engine.resumeUnfinished();
                if (resumed.isEmpty()) {
                    Thread.sleep(50);
                }
            }
            assertThat(resumed).hasSize(1);
            result = resumed.get(0).await(WAIT);
        }

        assertThat(result.outcome()).as(result.message()).isEqualTo(RunOutcome.SUCCEEDED);
        Map<String, StoredNode> done = succeededLeaves(storeSpec);
        // what succeeded before a kill was not run again: same random output, same handler call
        for (Map.Entry<String, StoredNode> before : afterSecond.entrySet()) {
            assertThat(done.get(before.getKey()).result()).as(before.getKey())
                    .isEqualTo(before.getValue().result());
        }
        assertThat(calls(markers, "crash-dag.j1")).isEqualTo(1);
        assertThat(calls(markers, "crash-dag.j2")).isEqualTo(1);
        // the same logical tree as an uninterrupted run: every task succeeded once, with a UUID (or its artifact)
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            expected.add("p" + i);
        }
        expected.addAll(List.of("j1", "j2", "big", "last"));
        assertThat(done.keySet()).containsExactlyInAnyOrderElementsOf(expected);
        for (String task : expected) {
            if (!task.equals("big")) {
                assertThat(done.get(task).result()).as(task).get().asString().matches("[0-9a-f-]{36}");
            }
        }
        // the artifact is whole, the staging area holds nothing but what the killed write left (never visible)
        var location = done.get("big").artifacts().get("big");
        Path object = artifacts.resolve(location.key());
        assertThat(Files.size(object)).isEqualTo(120_000_000L);
        assertThat(sha256(object)).isEqualTo(location.sha256());
        try (Stream<Path> files = Files.walk(artifacts)) {
            assertThat(files.filter(Files::isRegularFile).filter(p -> !p.startsWith(staging)).toList())
                    .as("objects in the store").containsExactly(object);
        }
        assertThat(processesWith(token)).as("task processes left running").isEmpty();
    }

    private String newPostgresDatabase() throws Exception {
        String db = "weft_crash_" + System.nanoTime();
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + db);
        }
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + db;
    }

    /**
     * Runs the child JVM and kills it (SIGKILL) once its output satisfies {@code linesSay}, or once {@code poll}
     * says so (checked every few milliseconds).
     */
    private void runChildUntil(String mode, String[] common, Predicate<List<String>> linesSay,
                               java.util.function.BooleanSupplier poll) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), "-Daws.ec2MetadataDisabled=true",
                CrashingDagMain.class.getName(), mode));
        command.addAll(List.of(common));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> readLines(child.getInputStream(), seen));
        reader.start();
        long giveUp = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < giveUp && child.isAlive()) {
            boolean now;
            synchronized (seen) {
                now = linesSay.test(seen);
            }
            if (now || (poll != null && poll.getAsBoolean())) {
                break;
            }
            Thread.sleep(2);
        }
        assertThat(child.isAlive()).as("the child JVM is still running; it said: %s", seen).isTrue();
        assertThat(System.nanoTime()).as("the kill point came; the child said: %s", seen).isLessThan(giveUp);
        child.destroyForcibly(); // SIGKILL: no shutdown hook, no close, like a crash
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        reader.join(10_000);
    }

    private static void readLines(InputStream in, List<String> into) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String l = r.readLine(); l != null; l = r.readLine()) {
                into.add(l);
            }
        } catch (IOException e) {
            into.add("read failed: " + e);
        }
    }

    private static List<Path> stagingFiles(Path staging) {
        if (!Files.isDirectory(staging)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(staging)) {
            return files.toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static boolean overOneMegabyte(Path file) {
        try {
            return Files.size(file) > 1_000_000;
        } catch (IOException e) {
            return false; // moved into place meanwhile
        }
    }

    /** The stored succeeded leaves, by their task's display name (a retry attempt counts for its task). */
    private static Map<String, StoredNode> succeededLeaves(String storeSpec) {
        Map<String, StoredNode> leaves = new TreeMap<>();
        try (RunStore store = CrashingDagMain.store(storeSpec)) {
            for (StoredNode n : store.nodes("crash-dag")) {
                if (n.phase() == NodePhase.SUCCEEDED && n.type().isTask()) {
                    leaves.put(n.displayName().replaceAll("\\(\\d+\\)$", ""), n);
                }
            }
        }
        return leaves;
    }

    private static long calls(Path markers, String node) throws IOException {
        try (Stream<Path> files = Files.list(markers)) {
            return files.filter(f -> f.getFileName().toString().startsWith(node + "(")
                    || f.getFileName().toString().startsWith(node + ".")).count();
        }
    }

    private static List<String> processesWith(String token) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8)
                            .replace('\0', ' ');
                    if (cmd.contains(token) && !cmd.contains("CrashingDagMain")) {
                        found.add(p.getFileName() + ": " + cmd);
                    }
                } catch (IOException e) {
                    // the process ended meanwhile
                }
            }
        }
        return found;
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n = in.read(buf); n > 0; n = in.read(buf)) {
                digest.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
