package dev.weft.engine.history;

import dev.weft.engine.NodePhase;
import dev.weft.engine.RunOutcome;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * One run as the store holds it.
 *
 * @param name       the workflow's (generated) name, unique in the store
 * @param workflow   the workflow text exactly as submitted
 * @param arguments  the run's arguments (secret ones already redacted, see {@link #redacted(Set)})
 * @param labels     the run's labels
 * @param phase      its phase (PENDING, RUNNING, then Succeeded/Failed/Error)
 * @param outcome    how it ended, once it has
 * @param message    why it is in that phase, or empty
 * @param createdAt  when it was submitted
 * @param startedAt  when it started running
 * @param finishedAt when it finished
 * @param owner      the engine instance that holds it (issue 15), if any
 * @param leaseUntil until when that claim holds, by the database's clock
 */
public record StoredRun(String name, String workflow, Map<String, String> arguments, Map<String, String> labels,
                        NodePhase phase, Optional<RunOutcome> outcome, String message, Instant createdAt,
                        Optional<Instant> startedAt, Optional<Instant> finishedAt, Optional<String> owner,
                        Optional<Instant> leaseUntil) {

    /** What replaces a secret argument's value. */
    public static final String REDACTED = "<redacted>";

    /** Checks and copies. */
    public StoredRun {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(workflow, "workflow");
        arguments = Map.copyOf(arguments);
        labels = Map.copyOf(labels);
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(leaseUntil, "leaseUntil");
    }

    /** A run just submitted: pending, unowned. */
    public static StoredRun submitted(String name, String workflow, Map<String, String> arguments,
                                      Map<String, String> labels, Instant createdAt) {
        return new StoredRun(name, workflow, arguments, labels, NodePhase.PENDING, Optional.empty(), "", createdAt,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * This run with the values of the named arguments replaced by {@link #REDACTED}. The engine passes the names of
     * parameters it treats as secret (today: none are marked; issue 14 leaves the marking to the caller), so a
     * secret never reaches the store.
     */
    public StoredRun redacted(Set<String> secretArguments) {
        Map<String, String> args = new TreeMap<>(arguments);
        args.replaceAll((k, v) -> secretArguments.contains(k) ? REDACTED : v);
        return new StoredRun(name, workflow, args, labels, phase, outcome, message, createdAt, startedAt, finishedAt,
                owner, leaseUntil);
    }

    /** Whether the run has finished. */
    public boolean finished() {
        return finishedAt.isPresent();
    }

    /** This run held by {@code ownerId} until {@code until} (the engine that submits a run holds it). */
    public StoredRun ownedBy(String ownerId, Instant until) {
        return withLease(Optional.of(ownerId), Optional.of(until));
    }

    /** This run with another owner and lease. */
    StoredRun withLease(Optional<String> newOwner, Optional<Instant> newLeaseUntil) {
        return new StoredRun(name, workflow, arguments, labels, phase, outcome, message, createdAt, startedAt,
                finishedAt, newOwner, newLeaseUntil);
    }

    /** This run running again from {@code at}: no outcome, message or end (see {@link RunStore#reopen}). */
    StoredRun reopened(Instant at) {
        return new StoredRun(name, workflow, arguments, labels, dev.weft.engine.NodePhase.RUNNING, Optional.empty(),
                "", createdAt, Optional.of(at), Optional.empty(), owner, leaseUntil);
    }

    /** This run after an update. */
    StoredRun with(RunUpdate u) {
        return new StoredRun(name, workflow, arguments, labels, u.phase(), u.outcome(), u.message(), createdAt,
                u.startedAt().or(() -> startedAt), u.finishedAt().or(() -> finishedAt), owner, leaseUntil);
    }
}
