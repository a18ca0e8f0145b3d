package dev.weft.cli;

import dev.weft.engine.Engine;
import dev.weft.engine.EngineConfig;
import dev.weft.engine.history.RunStore;
import dev.weft.engine.history.RunStoreException;
import dev.weft.engine.history.RunStores;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where the commands find the run store: {@code --db} (or {@code WEFT_DB_URL}) for a shared database, else the
 * embedded H2 file under the work root. The password comes only from {@code WEFT_DB_PASSWORD}, never from the
 * command line, where other users of the machine could read it.
 */
final class HistoryOptions {

    @Option(names = "--db", paramLabel = "JDBC_URL",
            description = "Run store: a JDBC URL, e.g. jdbc:postgresql://127.0.0.1:5432/weft (env WEFT_DB_URL). "
                    + "Default: the embedded H2 database under the work root. Password from WEFT_DB_PASSWORD.")
    String url;

    @Option(names = "--work-root", paramLabel = "DIR",
            description = "Where runs keep task directories, node logs and the embedded run store (env WEFT_WORK_ROOT;"
                    + " default /var/tmp/weft-<user>).")
    Path workRoot;

    @Option(names = "--db-user", paramLabel = "USER", description = "Run store user (env WEFT_DB_USER).")
    String user;

    /** Whether {@code --output} asks for JSON; anything but table or json is a usage error. */
    static boolean json(String output) {
        return switch (output.toLowerCase(java.util.Locale.ROOT)) {
            case "json" -> true;
            case "table", "wide" -> false;
            default -> throw new CliException("--output must be table or json, not '" + output + "'");
        };
    }

    /** The work root the options name. */
    Path workRoot() {
        if (workRoot != null) {
            return workRoot.toAbsolutePath();
        }
        String env = System.getenv("WEFT_WORK_ROOT");
        return env != null && !env.isBlank() ? Path.of(env).toAbsolutePath() : EngineConfig.defaults().workRoot();
    }

    /** The default engine settings on this work root. */
    EngineConfig engineConfig() {
        return EngineConfig.defaults().withWorkRoot(workRoot());
    }

    /** Opens the store the options name. */
    RunStore open() {
        String jdbc = url != null ? url : System.getenv("WEFT_DB_URL");
        if (jdbc == null || jdbc.isBlank()) {
            return Engine.defaultRunStore(workRoot());
        }
        String who = user != null ? user : System.getenv().getOrDefault("WEFT_DB_USER", "weft");
        String password = System.getenv().getOrDefault("WEFT_DB_PASSWORD", "");
        try {
            return RunStores.jdbc(jdbc, who, password);
        } catch (RunStoreException e) {
            throw new CliException(e.getMessage());
        }
    }
}
