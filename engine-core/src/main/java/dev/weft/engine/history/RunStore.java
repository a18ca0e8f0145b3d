package dev.weft.engine.history;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where runs are recorded, so they can be listed, inspected and resumed after a crash (issue 14).
 *
 * <p>Writes are asynchronous and group-committed: each returns a future that completes once the write is durable
 * (committed), and writes submitted close together share one transaction. Writes of one caller are applied in the
 * order submitted. The executor waits on a future only where write-ahead needs it: before starting anything that
 * depends on the written transition. Reads see every completed write.
 *
 * <p>Implementations: {@link RunStores#inMemory()}, {@link RunStores#h2File(java.nio.file.Path)},
 * {@link RunStores#jdbc(String, String, String)}. All pass one contract suite.
 */
public interface RunStore extends AutoCloseable {

    /** Records a newly submitted run (fails if one of that name exists). */
    CompletableFuture<Void> createRun(StoredRun run);

    /** Records a change of the run's phase, and appends it to the run's event log. */
    CompletableFuture<Void> updateRun(String runName, RunUpdate update);

    /** Records a node as it now is (created or changed), and appends its phase to the run's event log. */
    CompletableFuture<Void> saveNode(String runName, StoredNode node);

    /** A future that completes once every write submitted before this call is durable. */
    CompletableFuture<Void> flush();

    /** The run of this name. */
    Optional<StoredRun> get(String runName);

    /** Runs that pass the query, newest first. */
    List<StoredRun> list(RunQuery query);

    /** The run's nodes, in creation order (parents before children). */
    List<StoredNode> nodes(String runName);

    /** The run's event log, in commit order. */
    List<RunEvent> events(String runName);

    /** Deletes the run with its nodes and events; whether there was one. */
    boolean delete(String runName);

    /**
     * Claims unfinished runs that nobody holds or whose holder's lease has run out, for {@code ownerId}, until the
     * store's clock (the database's, for a JDBC store) reaches now + {@code lease}. Several engines on one database
     * each get different runs (rows are taken with {@code FOR UPDATE SKIP LOCKED}).
     *
     * @return the claimed runs, with their new owner and lease
     */
    List<StoredRun> claimUnfinished(String ownerId, Duration lease);

    /**
     * Claims one unfinished run, as {@link #claimUnfinished} does, if nobody holds it or its holder's lease ran out.
     *
     * @return the claimed run, or empty if there is no such unfinished run or another engine holds it
     */
    Optional<StoredRun> claim(String runName, String ownerId, Duration lease);

    /**
     * Makes a finished run unfinished again, to run part of it once more ({@code weft retry}): phase Running, no
     * outcome, message and end time cleared, started now, held by {@code ownerId}. Its nodes are left as they are;
     * the engine decides which to run again. Done at once (not queued), after what is queued.
     *
     * @return the reopened run, or empty if there is no such finished run
     */
    Optional<StoredRun> reopen(String runName, String ownerId, Duration lease);

    /** Extends {@code ownerId}'s lease on a run; false if it no longer holds it. */
    boolean renewLease(String runName, String ownerId, Duration lease);

    /** How many transactions (group commits) the store has made: a measure of batching. */
    long commits();

    /** Commits what is pending and releases the store. */
    @Override
    void close();
}
