package dev.weft.engine.durable;

import dev.weft.engine.history.RunStore;
import dev.weft.engine.history.RunStores;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link RunHistoryContract} on a real PostgreSQL on loopback (binaries from a Maven JAR); a database per test. */
class PostgresRunHistoryTest extends RunHistoryContract {

    private static EmbeddedPostgres postgres;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    @BeforeAll
    static void startPostgres() throws IOException {
        postgres = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        postgres.close();
    }

    @Override
    protected RunStore newStore() throws SQLException {
        String db = "weft_history_" + DATABASES.incrementAndGet();
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + db);
        }
        return RunStores.jdbc("jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + db, "postgres",
                "not-checked-by-trust-auth");
    }
}
