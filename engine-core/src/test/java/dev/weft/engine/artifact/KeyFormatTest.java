package dev.weft.engine.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyFormatTest {

    private final Map<String, String> vars = new HashMap<>(Map.of(
            "workflow.name", "artifact-passing-x7k2p",
            "workflow.uid", "0f6c1d1e-7a3b-4c5d-9e8f-a1b2c3d4e5f6",
            "pod.name", "artifact-passing-x7k2p-generate-artifact-1234"));

    @Test
    void defaultFormatIsWorkflowNameSlashPodNameThenArgosFileName() {
        Path source = Path.of("/tmp/hello_world.txt");
        KeyFormat format = KeyFormat.defaultFormat();

        assertThat(format.outputKey(vars, "hello-art", ArchiveStrategy.defaultStrategy(), source).value())
                .isEqualTo("artifact-passing-x7k2p/artifact-passing-x7k2p-generate-artifact-1234/hello-art.tgz");
        assertThat(format.outputKey(vars, "hello-art", new ArchiveStrategy.Zip(), source).fileName())
                .isEqualTo("hello-art.zip");
        assertThat(format.outputKey(vars, "hello-art", new ArchiveStrategy.None(), source).fileName())
                .isEqualTo("hello_world.txt");
    }

    @Test
    void creationTimestampVariablesRenderLikeArgo() {
        vars.putAll(KeyFormat.timestampVariables(Instant.parse("2026-03-07T04:05:06.789Z")));
        KeyFormat format = new KeyFormat("{{workflow.creationTimestamp.Y}}/{{workflow.creationTimestamp.m}}/"
                + "{{workflow.creationTimestamp.d}}/{{ workflow.creationTimestamp.H }}{{workflow.creationTimestamp.M}}"
                + "{{workflow.creationTimestamp.S}}/{{workflow.uid}}");

        assertThat(format.render(vars).value())
                .isEqualTo("2026/03/07/040506/0f6c1d1e-7a3b-4c5d-9e8f-a1b2c3d4e5f6");
        assertThat(vars).containsEntry("workflow.creationTimestamp", "2026-03-07T04:05:06Z")
                .containsEntry("workflow.creationTimestamp.j", "066");
    }

    @Test
    void unknownVariableIsAnErrorNamingItNotAnEmptySegment() {
        assertThatThrownBy(() -> new KeyFormat("{{workflow.name}}/{{task.name}}").render(vars))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'task.name'").hasMessageContaining("{{workflow.name}}/{{task.name}}");
    }

    @Test
    void renderedKeyMustNotClimbOrBeAbsolute() {
        vars.put("pod.name", "..");
        assertThatThrownBy(() -> KeyFormat.defaultFormat().render(vars))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'..' segment");
        assertThatThrownBy(() -> new KeyFormat("/{{workflow.name}}").render(vars))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leading '/'");
    }

    @Test
    void variableValuesAreNotReinterpreted() {
        vars.put("pod.name", "a$1\\{{x}}");
        assertThatThrownBy(() -> KeyFormat.defaultFormat().render(vars))
                .isInstanceOf(IllegalArgumentException.class);
        vars.put("pod.name", "p$1");
        assertThat(KeyFormat.defaultFormat().render(vars).value()).isEqualTo("artifact-passing-x7k2p/p$1");
    }
}
