package dev.weft.engine.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.weft.engine.NodePhase;
import dev.weft.engine.NodeType;
import dev.weft.engine.RunOutcome;
import dev.weft.engine.model.ArtifactLocation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.flywaydb.core.Flyway;

/**
 * A run store in a SQL database (H2 2.x or PostgreSQL), reached through a HikariCP pool, its schema kept by Flyway
 * ({@code db/weft/V*.sql}). The SQL is a subset both databases run. Writes go through one group-commit writer.
 */
public final class JdbcRunStore implements RunStore {

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    private static final TypeReference<Map<String, String>> STRINGS = new TypeReference<>() { };
    private static final TypeReference<Map<String, ArtifactLocation>> LOCATIONS = new TypeReference<>() { };
    private static final String RUN_COLUMNS = "r.name, r.workflow, r.arguments, r.phase, r.outcome, r.message, "
            + "r.created_at, r.started_at, r.finished_at, r.owner, r.lease_until";

    private final RunStoreConfig config;
    private final HikariDataSource pool;
    private final GroupCommitWriter<Connection> writer;

    private JdbcRunStore(RunStoreConfig config, HikariDataSource pool) {
        this.config = config;
        this.pool = pool;
        this.writer = new GroupCommitWriter<>("weft-run-store-writer", this::applyBatch, config.commitLinger(),
                config.maxBatch());
    }

    /** Opens the pool and brings the schema up to date. */
    static JdbcRunStore open(RunStoreConfig config) {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(config.jdbcUrl());
        hc.setUsername(config.user());
        hc.setPassword(config.password());
        hc.setMaximumPoolSize(config.maxPoolSize());
        hc.setPoolName("weft-run-store");
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(hc);
        } catch (RuntimeException e) {
            throw new RunStoreException("cannot open run store " + config.maskedUrl() + ": " + e.getMessage(), e);
        }
        try {
            Flyway.configure(JdbcRunStore.class.getClassLoader()).dataSource(pool).locations("classpath:db/weft")
                    .table("weft_schema_history").load().migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw new RunStoreException("cannot migrate run store " + config.maskedUrl() + ": " + e.getMessage(), e);
        }
        return new JdbcRunStore(config, pool);
    }

    private void applyBatch(List<GroupCommitWriter.Write<Connection>> batch) throws Exception {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                for (GroupCommitWriter.Write<Connection> w : batch) {
                    w.applyTo(c);
                }
                c.commit();
            } catch (Exception e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    @Override
    public CompletableFuture<Void> createRun(StoredRun run) {
        return writer.submit(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO weft_run (name, workflow, arguments, phase, "
                    + "outcome, message, created_at, started_at, finished_at, owner, lease_until) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, run.name());
                ps.setString(2, run.workflow());
                ps.setString(3, json(run.arguments()));
                ps.setString(4, run.phase().name());
                ps.setString(5, run.outcome().map(Enum::name).orElse(null));
                ps.setString(6, run.message());
                time(ps, 7, Optional.of(run.createdAt()));
                time(ps, 8, run.startedAt());
                time(ps, 9, run.finishedAt());
                ps.setString(10, run.owner().orElse(null));
                time(ps, 11, run.leaseUntil());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO weft_run_label (run_name, label_key, label_value) VALUES (?, ?, ?)")) {
                for (Map.Entry<String, String> l : new TreeMap<>(run.labels()).entrySet()) {
                    ps.setString(1, run.name());
                    ps.setString(2, l.getKey());
                    ps.setString(3, l.getValue());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            event(c, run.name(), Optional.empty(), run.phase(), run.message(), run.createdAt());
        });
    }

    @Override
    public CompletableFuture<Void> updateRun(String runName, RunUpdate u) {
        return writer.submit(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE weft_run SET phase = ?, outcome = ?, message = ?, "
                    + "started_at = COALESCE(?, started_at), finished_at = COALESCE(?, finished_at) WHERE name = ?")) {
                ps.setString(1, u.phase().name());
                ps.setString(2, u.outcome().map(Enum::name).orElse(null));
                ps.setString(3, u.message());
                time(ps, 4, u.startedAt());
                time(ps, 5, u.finishedAt());
                ps.setString(6, runName);
                if (ps.executeUpdate() == 0) {
                    throw new IllegalArgumentException("no run named " + runName + " is stored");
                }
            }
            event(c, runName, Optional.empty(), u.phase(), u.message(), u.at());
        });
    }

    @Override
    public CompletableFuture<Void> saveNode(String runName, StoredNode n) {
        return writer.submit(c -> {
            int updated;
            try (PreparedStatement ps = c.prepareStatement("UPDATE weft_node SET seq = ?, name = ?, display_name = ?, "
                    + "node_type = ?, template = ?, phase = ?, message = ?, parent_id = ?, attempt = ?, "
                    + "started_at = ?, finished_at = ?, exit_code = ?, parameters = ?, result = ?, artifacts = ? "
                    + "WHERE run_name = ? AND node_id = ?")) {
                int i = nodeColumns(ps, n);
                ps.setString(i++, runName);
                ps.setString(i, n.id());
                updated = ps.executeUpdate();
            }
            if (updated == 0) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO weft_node (seq, name, display_name, "
                        + "node_type, template, phase, message, parent_id, attempt, started_at, finished_at, "
                        + "exit_code, parameters, result, artifacts, run_name, node_id) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    int i = nodeColumns(ps, n);
                    ps.setString(i++, runName);
                    ps.setString(i, n.id());
                    ps.executeUpdate();
                }
            }
            Instant at = n.finishedAt().or(n::startedAt).orElseGet(Instant::now);
            event(c, runName, Optional.of(n.id()), n.phase(), n.message(), at);
        });
    }

    private static int nodeColumns(PreparedStatement ps, StoredNode n) throws SQLException {
        ps.setLong(1, n.seq());
        ps.setString(2, n.name());
        ps.setString(3, n.displayName());
        ps.setString(4, n.type().name());
        ps.setString(5, n.templateName());
        ps.setString(6, n.phase().name());
        ps.setString(7, n.message());
        ps.setString(8, n.parentId().orElse(null));
        ps.setInt(9, n.attempt());
        time(ps, 10, n.startedAt());
        time(ps, 11, n.finishedAt());
        if (n.exitCode().isPresent()) {
            ps.setInt(12, n.exitCode().get());
        } else {
            ps.setNull(12, Types.INTEGER);
        }
        ps.setString(13, json(n.parameters()));
        ps.setString(14, n.result().orElse(null));
        ps.setString(15, json(n.artifacts()));
        return 16;
    }

    private static void event(Connection c, String runName, Optional<String> nodeId, NodePhase phase, String message,
                              Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO weft_event (run_name, node_id, phase, message, at_time) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, runName);
            ps.setString(2, nodeId.orElse(null));
            ps.setString(3, phase.name());
            ps.setString(4, message);
            time(ps, 5, Optional.of(at));
            ps.executeUpdate();
        }
    }

    @Override
    public CompletableFuture<Void> flush() {
        return writer.flush();
    }

    @Override
    public Optional<StoredRun> get(String runName) {
        return query("SELECT " + RUN_COLUMNS + " FROM weft_run r WHERE r.name = ?", List.of(runName), 1)
                .stream().findFirst();
    }

    @Override
    public List<StoredRun> list(RunQuery q) {
        StringBuilder sql = new StringBuilder("SELECT " + RUN_COLUMNS + " FROM weft_run r WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (!q.phases().isEmpty()) {
            sql.append(" AND r.phase IN (").append(String.join(", ", q.phases().stream().map(p -> "?").toList()))
                    .append(")");
            q.phases().forEach(p -> args.add(p.name()));
        }
        if (!q.namePrefix().isEmpty()) {
            sql.append(" AND r.name LIKE ? ESCAPE '!'");
            args.add(q.namePrefix().replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%");
        }
        q.createdAfter().ifPresent(a -> {
            sql.append(" AND r.created_at >= ?");
            args.add(a);
        });
        q.createdBefore().ifPresent(b -> {
            sql.append(" AND r.created_at < ?");
            args.add(b);
        });
        for (Map.Entry<String, String> l : new TreeMap<>(q.labels()).entrySet()) {
            sql.append(" AND EXISTS (SELECT 1 FROM weft_run_label l WHERE l.run_name = r.name"
                    + " AND l.label_key = ? AND l.label_value = ?)");
            args.add(l.getKey());
            args.add(l.getValue());
        }
        sql.append(" ORDER BY r.created_at DESC, r.name");
        return query(sql.toString(), args, q.limit());
    }

    private List<StoredRun> query(String sql, List<Object> args, int limit) {
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setMaxRows(limit);
            for (int i = 0; i < args.size(); i++) {
                Object a = args.get(i);
                if (a instanceof Instant t) {
                    time(ps, i + 1, Optional.of(t));
                } else {
                    ps.setString(i + 1, (String) a);
                }
            }
            List<StoredRun> runs = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    runs.add(run(rs, Map.of()));
                }
            }
            List<StoredRun> withLabels = new ArrayList<>();
            for (StoredRun r : runs) {
                withLabels.add(run(r, labels(c, r.name())));
            }
            return withLabels;
        } catch (SQLException e) {
            throw failure("read runs", e);
        }
    }

    private static StoredRun run(StoredRun r, Map<String, String> labels) {
        return new StoredRun(r.name(), r.workflow(), r.arguments(), labels, r.phase(), r.outcome(), r.message(),
                r.createdAt(), r.startedAt(), r.finishedAt(), r.owner(), r.leaseUntil());
    }

    private static Map<String, String> labels(Connection c, String runName) throws SQLException {
        Map<String, String> labels = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT label_key, label_value FROM weft_run_label WHERE run_name = ?")) {
            ps.setString(1, runName);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    labels.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return labels;
    }

    private static StoredRun run(ResultSet rs, Map<String, String> labels) throws SQLException {
        return new StoredRun(rs.getString(1), rs.getString(2), parse(rs.getString(3), STRINGS), labels,
                NodePhase.valueOf(rs.getString(4)), Optional.ofNullable(rs.getString(5)).map(RunOutcome::valueOf),
                rs.getString(6), time(rs, 7).orElseThrow(), time(rs, 8), time(rs, 9),
                Optional.ofNullable(rs.getString(10)), time(rs, 11));
    }

    @Override
    public List<StoredNode> nodes(String runName) {
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT node_id, seq, "
                + "name, display_name, node_type, template, phase, message, parent_id, attempt, started_at, "
                + "finished_at, exit_code, parameters, result, artifacts FROM weft_node WHERE run_name = ? "
                + "ORDER BY seq, node_id")) {
            ps.setString(1, runName);
            List<StoredNode> nodes = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int exit = rs.getInt(13);
                    Optional<Integer> exitCode = rs.wasNull() ? Optional.empty() : Optional.of(exit);
                    nodes.add(new StoredNode(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                            NodeType.valueOf(rs.getString(5)), rs.getString(6), NodePhase.valueOf(rs.getString(7)),
                            rs.getString(8), Optional.ofNullable(rs.getString(9)), rs.getInt(10), time(rs, 11),
                            time(rs, 12), exitCode, parse(rs.getString(14), STRINGS),
                            Optional.ofNullable(rs.getString(15)), parse(rs.getString(16), LOCATIONS)));
                }
            }
            return nodes;
        } catch (SQLException e) {
            throw failure("read the nodes of run " + runName, e);
        }
    }

    @Override
    public List<RunEvent> events(String runName) {
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT id, node_id, phase, message, at_time FROM weft_event WHERE run_name = ? ORDER BY id")) {
            ps.setString(1, runName);
            List<RunEvent> events = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    events.add(new RunEvent(rs.getLong(1), runName, Optional.ofNullable(rs.getString(2)),
                            NodePhase.valueOf(rs.getString(3)), rs.getString(4), time(rs, 5).orElseThrow()));
                }
            }
            return events;
        } catch (SQLException e) {
            throw failure("read the events of run " + runName, e);
        }
    }

    @Override
    public boolean delete(String runName) {
        // Writes queued for the run go first, so none lands after the delete and fails on the missing run.
        flush().join();
        try (Connection c = pool.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM weft_run WHERE name = ?")) {
            ps.setString(1, runName);
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw failure("delete run " + runName, e);
        }
    }

    @Override
    public List<StoredRun> claimUnfinished(String ownerId, Duration lease) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                Instant now = databaseNow(c);
                Instant until = now.plus(lease);
                List<String> names = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT name FROM weft_run WHERE finished_at IS NULL "
                        + "AND (owner IS NULL OR lease_until IS NULL OR lease_until <= ?) "
                        + "ORDER BY created_at, name FOR UPDATE SKIP LOCKED")) {
                    time(ps, 1, Optional.of(now));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            names.add(rs.getString(1));
                        }
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE weft_run SET owner = ?, lease_until = ? WHERE name = ?")) {
                    for (String name : names) {
                        ps.setString(1, ownerId);
                        time(ps, 2, Optional.of(until));
                        ps.setString(3, name);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                c.commit();
                List<StoredRun> claimed = new ArrayList<>();
                for (String name : names) {
                    get(name).ifPresent(claimed::add);
                }
                return claimed;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure("claim unfinished runs", e);
        }
    }

    @Override
    public Optional<StoredRun> claim(String runName, String ownerId, Duration lease) {
        int n = inTransaction("claim run " + runName, c -> {
            Instant now = databaseNow(c);
            try (PreparedStatement ps = c.prepareStatement("UPDATE weft_run SET owner = ?, lease_until = ? "
                    + "WHERE name = ? AND finished_at IS NULL AND (owner IS NULL OR lease_until IS NULL "
                    + "OR lease_until <= ?)")) {
                ps.setString(1, ownerId);
                time(ps, 2, Optional.of(now.plus(lease)));
                ps.setString(3, runName);
                time(ps, 4, Optional.of(now));
                return ps.executeUpdate();
            }
        });
        return n == 1 ? get(runName) : Optional.empty();
    }

    @Override
    public Optional<StoredRun> reopen(String runName, String ownerId, Duration lease) {
        join(flush(), "reopen run " + runName); // queued writes of the run's end come first
        int n = inTransaction("reopen run " + runName, c -> {
            Instant now = databaseNow(c);
            int changed;
            try (PreparedStatement ps = c.prepareStatement("UPDATE weft_run SET phase = ?, outcome = NULL, "
                    + "message = '', started_at = ?, finished_at = NULL, owner = ?, lease_until = ? "
                    + "WHERE name = ? AND finished_at IS NOT NULL")) {
                ps.setString(1, NodePhase.RUNNING.name());
                time(ps, 2, Optional.of(now));
                ps.setString(3, ownerId);
                time(ps, 4, Optional.of(now.plus(lease)));
                ps.setString(5, runName);
                changed = ps.executeUpdate();
            }
            if (changed == 1) {
                event(c, runName, Optional.empty(), NodePhase.RUNNING, "retried", now);
            }
            return changed;
        });
        return n == 1 ? get(runName) : Optional.empty();
    }

    /** One statement group in its own transaction, outside the write queue (claims must answer at once). */
    private <T> T inTransaction(String what, SqlWork<T> work) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    private static void join(CompletableFuture<Void> f, String what) {
        try {
            f.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw new RunStoreException("cannot " + what + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    @Override
    public boolean renewLease(String runName, String ownerId, Duration lease) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                Instant now = databaseNow(c);
                int n;
                try (PreparedStatement ps = c.prepareStatement("UPDATE weft_run SET lease_until = ? "
                        + "WHERE name = ? AND owner = ? AND lease_until > ?")) {
                    time(ps, 1, Optional.of(now.plus(lease)));
                    ps.setString(2, runName);
                    ps.setString(3, ownerId);
                    time(ps, 4, Optional.of(now));
                    n = ps.executeUpdate();
                }
                c.commit();
                return n == 1;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure("renew the lease on run " + runName, e);
        }
    }

    /** The database's clock: leases must not depend on which engine's clock is right. */
    private static Instant databaseNow(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT CURRENT_TIMESTAMP");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getObject(1, OffsetDateTime.class).toInstant();
        }
    }

    @Override
    public long commits() {
        return writer.commits();
    }

    @Override
    public void close() {
        writer.close();
        pool.close();
    }

    @Override
    public String toString() {
        return "JdbcRunStore[" + config.maskedUrl() + "]";
    }

    private RunStoreException failure(String what, SQLException e) {
        return new RunStoreException("cannot " + what + " in run store " + config.maskedUrl() + ": "
                + e.getMessage(), e);
    }

    private static void time(PreparedStatement ps, int i, Optional<Instant> t) throws SQLException {
        if (t.isPresent()) {
            ps.setObject(i, OffsetDateTime.ofInstant(t.get(), ZoneOffset.UTC));
        } else {
            ps.setNull(i, Types.TIMESTAMP_WITH_TIMEZONE);
        }
    }

    private static Optional<Instant> time(ResultSet rs, int i) throws SQLException {
        return Optional.ofNullable(rs.getObject(i, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value instanceof Map<?, ?> m ? new TreeMap<>(m) : value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    private static <T> T parse(String text, TypeReference<T> type) {
        try {
            return JSON.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("run store holds unreadable JSON: " + e.getOriginalMessage(), e);
        }
    }
}
