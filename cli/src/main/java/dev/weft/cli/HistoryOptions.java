package dev.weft.cli;

import dev.weft.engine.Engine;
import dev.weft.engine.EngineConfig;
import dev.weft.engine.history.RunStore;
import dev.weft.engine.history.RunStoreException;
import dev.weft.engine.history.RunStores;
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

    @Option(names = "--db-user", paramLabel = "USER", description = "Run store user (env WEFT_DB_USER).")
    String user;

    /** Opens the store the options name. */
    RunStore open() {
        String jdbc = url != null ? url : System.getenv("WEFT_DB_URL");
        if (jdbc == null || jdbc.isBlank()) {
            return Engine.defaultRunStore(EngineConfig.defaults().workRoot());
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
