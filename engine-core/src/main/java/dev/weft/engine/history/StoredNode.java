package dev.weft.engine.history;

import dev.weft.engine.NodePhase;
import dev.weft.engine.NodeStatus;
import dev.weft.engine.NodeType;
import dev.weft.engine.model.Artifact;
import dev.weft.engine.model.ArtifactLocation;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One node of a stored run: what {@link NodeStatus} reports, plus its attempt number and creation order.
 *
 * @param id           unique in the run
 * @param seq          creation order in the run (parents before children)
 * @param name         full name
 * @param displayName  short name
 * @param type         node type
 * @param templateName the template it ran (empty for groups)
 * @param phase        its phase
 * @param message      why, or empty
 * @param parentId     the parent's id, empty for the root
 * @param attempt      the retry attempt (0 for the first, and for nodes that are not attempts)
 * @param startedAt    when it started
 * @param finishedAt   when it finished
 * @param exitCode     a process task's exit code
 * @param parameters   output parameters
 * @param result       the task's result
 * @param artifacts    where its output artifacts were stored, by name
 */
public record StoredNode(String id, long seq, String name, String displayName, NodeType type, String templateName,
                         NodePhase phase, String message, Optional<String> parentId, int attempt,
                         Optional<Instant> startedAt, Optional<Instant> finishedAt, Optional<Integer> exitCode,
                         Map<String, String> parameters, Optional<String> result,
                         Map<String, ArtifactLocation> artifacts) {

    /** Checks and copies. */
    public StoredNode {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(templateName, "templateName");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(parentId, "parentId");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(exitCode, "exitCode");
        parameters = Map.copyOf(parameters);
        Objects.requireNonNull(result, "result");
        artifacts = Map.copyOf(artifacts);
    }

    /**
     * The stored form of what the engine reports. Artifacts that were not stored (no location) are left out: the
     * store keeps where outputs are, not how they were declared.
     */
    public static StoredNode of(NodeStatus node, long seq, int attempt) {
        Map<String, ArtifactLocation> locations = new TreeMap<>();
        for (Map.Entry<String, Artifact> e : node.outputs().artifacts().entrySet()) {
            e.getValue().location().ifPresent(l -> locations.put(e.getKey(), l));
        }
        return new StoredNode(node.id(), seq, node.name(), node.displayName(), node.type(), node.templateName(),
                node.phase(), node.message(), node.parentId(), attempt, node.startedAt(), node.finishedAt(),
                node.outputs().exitCode(), node.outputs().parameters(), node.outputs().result(), locations);
    }

    /** This node to be run again by a retry: same id, place and attempt, but pending, with no times or outputs. */
    public StoredNode toRunAgain() {
        return new StoredNode(id, seq, name, displayName, type, templateName, NodePhase.PENDING, "", parentId,
                attempt, Optional.empty(), Optional.empty(), Optional.empty(), Map.of(), Optional.empty(), Map.of());
    }
}
