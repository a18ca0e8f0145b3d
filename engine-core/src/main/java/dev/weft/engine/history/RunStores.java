package dev.weft.engine.history;

import java.nio.file.Path;
import java.time.Clock;

/** Ways to get a {@link RunStore}. */
public final class RunStores {

    /** Where the embedded store lives under a work root, without H2's {@code .mv.db} suffix. */
    public static final String DEFAULT_H2_BASE = ".weft/weft";

    private RunStores() {
    }

    /** A store in memory: nothing on disk, gone with the JVM. */
    public static RunStore inMemory() {
        return new InMemoryRunStore(Clock.systemUTC());
    }

    /**
     * The embedded default: an H2 database in files next to {@code base} ({@code base.mv.db}), created and migrated
     * on first use. Use {@code workRoot.resolve(DEFAULT_H2_BASE)}.
     */
    public static RunStore h2File(Path base) {
        // WRITE_DELAY=0: a commit is written out before it returns, which write-ahead relies on.
        String url = "jdbc:h2:file:" + base.toAbsolutePath() + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
        return jdbc(RunStoreConfig.of(url, "weft", ""));
    }

    /** A store in the database at this JDBC URL (Postgres, or H2), migrated on open. */
    public static RunStore jdbc(String url, String user, String password) {
        return jdbc(RunStoreConfig.of(url, user, password));
    }

    /** A store from a full config. */
    public static RunStore jdbc(RunStoreConfig config) {
        return JdbcRunStore.open(config);
    }
}
