package dev.weft.engine.exec;

import dev.weft.engine.model.Artifact;
import dev.weft.engine.model.Template;
import dev.weft.engine.model.Workflow;
import java.time.Instant;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/**
 * The hook through which artifacts move in and out of a task; the artifact package provides the real one. Task
 * runners call {@link #stageInputs} after preparing the task's file system and before starting it, and
 * {@link #collectOutputs} after it succeeded. An exception fails the node with Error and its message.
 */
public interface ArtifactStager {

    /**
     * The stager for one run. A stager that needs run-level facts (the workflow's {@code artifactRepositoryRef},
     * its creation time for key formats) returns a bound copy; the default is this stager itself.
     *
     * @param workflow  the validated workflow
     * @param runName   the run's name
     * @param createdAt when the run started
     */
    default ArtifactStager forRun(Workflow workflow, String runName, Instant createdAt) {
        return this;
    }

    /**
     * Places every input artifact where the template declares it.
     *
     * @param context the task
     */
    void stageInputs(Context context) throws Exception;

    /**
     * Stores every output artifact the template declares and says where they went.
     *
     * @return output artifacts by name, as later tasks should reference them (with a store location)
     */
    Map<String, Artifact> collectOutputs(Context context) throws Exception;

    /**
     * One task attempt.
     *
     * @param workflowName the run's name
     * @param nodeId       the node id (unique per attempt)
     * @param nodeName     the node's full name
     * @param template     the substituted template (its inputs/outputs artifacts are the declarations)
     * @param inputSources for each input artifact name, the artifact to take it from (an earlier output, a raw or
     *                     s3 argument)
     * @param hostPath     maps a path inside the task to the host file that backs it; throws for paths the task
     *                     does not own, and for Java handler tasks (no file system)
     */
    record Context(String workflowName, String nodeId, String nodeName, Template template,
                   Map<String, Artifact> inputSources, Function<String, Path> hostPath) {
    }
}
