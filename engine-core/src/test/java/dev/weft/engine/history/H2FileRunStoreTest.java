package dev.weft.engine.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.engine.NodePhase;
import dev.weft.engine.RunOutcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded default, an H2 file under the work root, against the contract; plus what a file store owes. */
class H2FileRunStoreTest extends RunStoreContract {

    @TempDir
    Path workRoot;
    private final AtomicInteger dbs = new AtomicInteger();

    @Override
    protected RunStore newStore() {
        return RunStores.h2File(workRoot.resolve("w" + dbs.incrementAndGet()).resolve(RunStores.DEFAULT_H2_BASE));
    }

    @Override
    protected boolean groupCommits() {
        return true;
    }

    @Test
    void committedWritesSurviveCloseAndReopen() {
        Path base = workRoot.resolve("durable").resolve(RunStores.DEFAULT_H2_BASE);
        try (RunStore first = RunStores.h2File(base)) {
            first.createRun(submitted("kept-1", T0, Map.of("team", "data"))).join();
            first.saveNode("kept-1", node("a", 1, NodePhase.SUCCEEDED, Optional.empty())).join();
            first.updateRun("kept-1", RunUpdate.finished(NodePhase.SUCCEEDED, RunOutcome.SUCCEEDED, "", T0)).join();
        }
        assertThat(base.resolveSibling("weft.mv.db")).isRegularFile();

        try (RunStore second = RunStores.h2File(base)) {
            assertThat(second.get("kept-1").orElseThrow().phase()).isEqualTo(NodePhase.SUCCEEDED);
            assertThat(second.get("kept-1").orElseThrow().workflow()).isEqualTo(WORKFLOW);
            assertThat(second.nodes("kept-1")).containsExactly(node("a", 1, NodePhase.SUCCEEDED, Optional.empty()));
            assertThat(second.events("kept-1")).hasSize(3);
        }
    }

    @Test
    void writesStillQueuedAtCloseAreCommittedFirst() {
        Path base = workRoot.resolve("queued").resolve(RunStores.DEFAULT_H2_BASE);
        try (RunStore first = RunStores.h2File(base)) {
            first.createRun(submitted("q-1", T0, Map.of()));
            for (int i = 0; i < 200; i++) {
                first.saveNode("q-1", node("n" + i, i, NodePhase.RUNNING, Optional.empty()));
            }
        }
        try (RunStore second = RunStores.h2File(base)) {
            assertThat(second.nodes("q-1")).hasSize(200);
        }
    }

    @Test
    void theStoreConfigPasswordIsNeitherPrintedNorWrittenToTheDatabase() throws IOException {
        Path dir = workRoot.resolve("pw");
        String password = "Pw-never-stored-42";
        String url = "jdbc:h2:file:" + dir.resolve("weft").toAbsolutePath() + ";WRITE_DELAY=0";
        RunStoreConfig config = RunStoreConfig.of(url, "weft", password);
        try (RunStore s = RunStores.jdbc(config)) {
            s.createRun(submitted("pw-1", T0, Map.of())).join();
            assertThat(s.toString()).doesNotContain(password);
        }
        assertThat(config.toString()).doesNotContain(password).contains("password=***");
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                assertThat(bytes).as(f.toString()).doesNotContain(password);
            }
        }
    }

    @Test
    void aPasswordInTheJdbcUrlIsMasked() {
        RunStoreConfig config = RunStoreConfig.of(
                "jdbc:postgresql://127.0.0.1:5432/weft?user=weft&password=Url-Secret-1&ssl=false", "weft", "");
        assertThat(config.toString()).doesNotContain("Url-Secret-1").contains("password=***&ssl=false");
        assertThat(config.maskedUrl()).doesNotContain("Url-Secret-1");
    }
}
