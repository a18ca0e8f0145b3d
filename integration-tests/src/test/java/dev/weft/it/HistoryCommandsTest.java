package dev.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The history commands as a user meets them, on both run stores: {@code weft run} records the run, {@code list},
 * {@code get}, {@code logs}, {@code retry} and {@code delete} find it again (the embedded H2 file and a real
 * Postgres on loopback, started here from a Maven JAR).
 */
class HistoryCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger DATABASES = new AtomicInteger();
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

    /** {@code --db} and {@code --work-root} for a fresh store of the kind asked for. */
    private List<String> storeArgs(String kind) throws Exception {
        List<String> args = new ArrayList<>(List.of("--work-root", dir.resolve("work").toString()));
        if (kind.equals("postgres")) {
            String db = "weft_cli_" + DATABASES.incrementAndGet();
            try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + db);
            }
            args.addAll(List.of("--db", "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + db,
                    "--db-user", "postgres"));
        } else if (kind.equals("h2-url")) {
            args.addAll(List.of("--db", "jdbc:h2:file:" + dir.resolve("h2/weft")));
        } // "default": the embedded H2 file under the work root
        return args;
    }

    private static CliRun weft(List<String> store, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(store);
        return CliRun.inProcess(all.toArray(String[]::new));
    }

    private static final String WORKFLOW = """
            metadata: {name: history-demo}
            spec:
              entrypoint: main
              templates:
              - name: main
                dag:
                  tasks:
                  - {name: first, template: random}
                  - {name: broken, template: broken, depends: first}
                  - {name: loud, template: loud, depends: first}
              - name: random
                container: {image: alpine, command: [sh, -c, "cat /proc/sys/kernel/random/uuid"]}
              - name: broken
                container: {image: alpine, command: [sh, -c, "echo trying; exit 3"]}
              - name: loud
                container:
                  image: alpine
                  command: [sh, -c, "i=0; while [ $i -lt 70000 ]; do echo line-$i-of-a-loud-task-padded-to-about-a-hundred-bytes-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx; i=$((i+1)); done"]
            """;

    @ParameterizedTest
    @ValueSource(strings = {"default", "h2-url", "postgres"})
    void aRecordedRunIsListedShownLoggedRetriedAndDeleted(String kind) throws Exception {
        List<String> store = storeArgs(kind);
        Path file = Files.writeString(dir.resolve("history.yaml"), WORKFLOW);

        CliRun run = weft(store, "run", file.toString(), "--plugins-dir", dir.resolve("none").toString(),
                "--progress", "none", "--limit", "nodeLogBytes=2000000");
        assertThat(run.exitCode()).as(run.all()).isEqualTo(1);
        assertThat(run.out()).startsWith("Name: history-demo");

        CliRun list = weft(store, "list", "--output", "json");
        assertThat(list.exitCode()).as(list.all()).isZero();
        JsonNode runs = JSON.readTree(list.out());
        assertThat(runs).hasSize(1);
        assertThat(runs.get(0).get("name").asText()).isEqualTo("history-demo");
        assertThat(runs.get(0).get("phase").asText()).isEqualTo("Failed");

        JsonNode got = JSON.readTree(weft(store, "get", "history-demo", "--output", "json").out());
        String firstResult = node(got, "first").get("outputs").get("result").asText();
        assertThat(firstResult).matches("[0-9a-f-]{36}");
        assertThat(node(got, "broken").get("phase").asText()).isEqualTo("Failed");
        assertThat(node(got, "broken").get("exitCode").asInt()).isEqualTo(3);
        CliRun table = weft(store, "get", "history-demo");
        assertThat(table.out()).contains("Phase:     Failed").contains("broken").contains("loud");

        // 7 MB of stdout: kept up to the 2 MB cap, and the log says what was dropped
        CliRun loud = weft(store, "logs", "history-demo", "loud");
        assertThat(loud.exitCode()).as(loud.err()).isZero();
        assertThat(loud.out()).startsWith("loud: line-0-of-a-loud-task")
                .contains("loud: truncated: this log reached its cap of 2000000 bytes")
                .containsPattern("loud: dropped \\d+ lines \\(\\d+ bytes\\) over the cap")
                .doesNotContain("line-69999-");
        assertThat(loud.out().length()).isBetween(1_900_000, 2_300_000);
        assertThat(weft(store, "logs", "history-demo", "broken").out())
                .isEqualTo("broken: trying\nbroken: Failed: Error (exit code 3)\n");

        // retry runs the failed node again (it fails again), not the one that succeeded
        CliRun retry = weft(store, "retry", "history-demo", "--plugins-dir", dir.resolve("none").toString());
        assertThat(retry.exitCode()).as(retry.all()).isEqualTo(1);
        assertThat(retry.out()).contains("Retrying history-demo").contains("Workflow history-demo Failed");
        JsonNode again = JSON.readTree(weft(store, "get", "history-demo", "--output", "json").out());
        assertThat(node(again, "first").get("outputs").get("result").asText()).isEqualTo(firstResult);
        assertThat(weft(store, "logs", "history-demo", "broken").out().lines().toList()).satisfiesExactly(
                l -> assertThat(l).isEqualTo("broken: trying"),
                l -> assertThat(l).isEqualTo("broken: Failed: Error (exit code 3)"),
                l -> assertThat(l).startsWith("broken: retried at "),
                l -> assertThat(l).isEqualTo("broken: trying"),
                l -> assertThat(l).isEqualTo("broken: Failed: Error (exit code 3)"));
        CliRun succeeded = weft(store, "retry", "no-such-run");
        assertThat(succeeded.exitCode()).isEqualTo(2);
        assertThat(succeeded.err()).contains("no run named 'no-such-run'");

        CliRun delete = weft(store, "delete", "history-demo");
        assertThat(delete.exitCode()).as(delete.all()).isZero();
        assertThat(delete.out()).contains("Workflow history-demo deleted");
        CliRun gone = weft(store, "get", "history-demo");
        assertThat(gone.exitCode()).isEqualTo(2);
        assertThat(gone.err()).contains("no run named 'history-demo'");
        assertThat(dir.resolve("work/runs/history-demo/logs")).doesNotExist();
        assertThat(JSON.readTree(weft(store, "list", "--output", "json").out())).isEmpty();
        assertThat(weft(store, "resume").out()).contains("No unfinished runs to resume");
    }

    private static JsonNode node(JsonNode run, String display) {
        return Stream.of(run.get("nodes")).flatMap(n -> java.util.stream.StreamSupport.stream(n.spliterator(), false))
                .filter(n -> n.get("displayName").asText().equals(display)).findFirst()
                .orElseThrow(() -> new AssertionError("no node " + display + " in " + run));
    }
}
