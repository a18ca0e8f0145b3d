package dev.weft.engine.task;

import dev.weft.engine.exec.ArtifactStager;
import dev.weft.engine.model.Artifact;
import dev.weft.engine.model.Template;
import java.util.Map;

/**
 * One attempt of a leaf task, ready to run: every {@code {{...}}} in the template's body is already substituted.
 *
 * @param workflowName   the run's name
 * @param nodeId         the attempt's node id
 * @param nodeName       the attempt's full node name
 * @param template       the substituted template
 * @param parameters     resolved input parameters
 * @param inputArtifacts resolved sources of the input artifacts, by input name
 * @param stager         moves artifacts in and out
 */
public record TaskRequest(String workflowName, String nodeId, String nodeName, Template template,
                          Map<String, String> parameters, Map<String, Artifact> inputArtifacts,
                          ArtifactStager stager) {

    /** Copies. */
    public TaskRequest {
        parameters = Map.copyOf(parameters);
        inputArtifacts = Map.copyOf(inputArtifacts);
    }
}
