package dev.weft.engine.history;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The JDBC store on a real PostgreSQL (the server binaries come in a Maven JAR and listen on loopback only),
 * against the contract. One server per class; a fresh database per store.
 */
class PostgresRunStoreTest extends RunStoreContract {

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
        String db = "weft_" + DATABASES.incrementAndGet();
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + db);
        }
        return RunStores.jdbc("jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + db, "postgres",
                "not-checked-by-trust-auth");
    }

    @Override
    protected boolean groupCommits() {
        return true;
    }
}
