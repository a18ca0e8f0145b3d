package dev.weft.engine.exec;

import dev.weft.engine.model.Artifact;
import dev.weft.engine.model.Template;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The stager used until artifact support is wired in: a task without artifacts passes; a task that declares input
 * or output artifacts ends in Error, naming them.
 */
public final class NoArtifactStager implements ArtifactStager {

    @Override
    public void stageInputs(Context context) {
        refuse(context.template());
    }

    @Override
    public Map<String, Artifact> collectOutputs(Context context) {
        refuse(context.template());
        return Map.of();
    }

    private static void refuse(Template t) {
        List<String> names = Stream.concat(
                t.inputs().artifacts().stream().map(a -> "input '" + a.name() + "'"),
                t.outputs().artifacts().stream().map(a -> "output '" + a.name() + "'")).toList();
        if (!names.isEmpty()) {
            throw new UnsupportedOperationException("template '" + t.name() + "' declares artifacts ("
                    + String.join(", ", names) + "): artifacts are not supported yet by this engine build");
        }
    }
}
