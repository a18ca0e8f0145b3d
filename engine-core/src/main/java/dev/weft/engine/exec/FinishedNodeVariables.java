package dev.weft.engine.exec;

import dev.weft.engine.NodeType;
import dev.weft.engine.model.Artifact;
import dev.weft.engine.spec.JsonValues;

/**
 * The variables a finished task or step offers its siblings ({@code tasks.A.status}, {@code steps.B.outputs.result},
 * ...), read from its node when an expression asks for them. Computed on demand rather than written into the scope
 * when the node finishes: a 10,000-task DAG would otherwise fill one map with 40,000+ strings nobody reads.
 */
final class FinishedNodeVariables {

    private static final String PARAMETER = "outputs.parameters.";
    private static final String ARTIFACT = "outputs.artifacts.";

    private FinishedNodeVariables() {
    }

    /**
     * The value of {@code field} (the part after {@code tasks.<name>.}) of a finished node, or null when the node
     * has no such variable.
     */
    static Object value(NodeState n, String field) {
        switch (field) {
            case "id":
                return n.id;
            case "status":
                return n.phase.argoName();
            case "startedAt":
                return n.startedAt == null ? null : n.startedAt.toString();
            case "finishedAt":
                return n.finishedAt == null ? null : n.finishedAt.toString();
            default:
                break;
        }
        if (n.type == NodeType.TASK_GROUP) {
            // loops: the children's outputs aggregated Argo-style; no exit code, no artifacts
            return n.aggregate.get(field);
        }
        switch (field) {
            case "exitCode":
                return n.outputs.exitCode().map(String::valueOf).orElse(null);
            case "outputs.result":
                return n.outputs.result().orElse(null);
            case "outputs.parameters":
                return n.outputs.parameters().isEmpty() ? null : JsonValues.toJson(n.outputs.parameters());
            default:
                return field.startsWith(PARAMETER) ? n.outputs.parameters().get(field.substring(PARAMETER.length()))
                        : null;
        }
    }

    /** The output artifact {@code field} ({@code outputs.artifacts.<name>}) of a finished node, or null. */
    static Artifact artifact(NodeState n, String field) {
        if (n.type == NodeType.TASK_GROUP || !field.startsWith(ARTIFACT)) {
            return null;
        }
        return n.outputs.artifacts().get(field.substring(ARTIFACT.length()));
    }
}
