package dev.weft.engine.durable;

import dev.weft.engine.Engine;
import dev.weft.engine.EngineConfig;
import dev.weft.engine.history.RunStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A second JVM for {@link DurableRunTest}: runs a workflow on an H2 store; its {@code hang} task announces on
 * stdout once the store shows it running, so the test can kill this JVM with {@code kill -9} right there.
 *
 * <p>Arguments: the work root, the H2 base path, the workflow file, the marker directory.
 */
public final class CrashingEngineMain {

    private CrashingEngineMain() {
    }

    public static void main(String[] args) throws Exception {
        Path workRoot = Path.of(args[0]);
        Engine engine = DurableRunTest.engine(EngineConfig.defaults().withWorkRoot(workRoot),
                RunStores.h2File(Path.of(args[1])), Path.of(args[3]), false);
        String text = Files.readString(Path.of(args[2]));
        engine.submitYaml(text, "crash.yaml", Map.of(), List.of());
        Thread.sleep(Duration.ofMinutes(5).toMillis()); // the test kills this JVM long before
        throw new IllegalStateException("not killed");
    }
}
